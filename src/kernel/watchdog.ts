// The watchdog: finds runaway domains and enforces CPU quotas, on a timer in the
// kernel's event loop. Layer: kernel.
//
// Runaway: a domain that is not parked (in a blocking call, or held by the scheduler),
// has not declared itself blocked, has made no syscall, and whose runtime heartbeat
// (src/abi/control.ts) has not moved for `runawayMs` — its worker is running code that
// never yields and never calls in. A program that computes in a loop but makes syscalls
// (a WASI program, a blocking ring ping-pong) is not a runaway: the kernel can park it. The policy
// says what then: report it (log + audit), throttle it (its next syscall parks for
// `runawayMs`), or kill it. Quota: a domain whose CPU time (time not parked) over the
// last window exceeds its cpuQuotaPercent is held at its next syscall until the window
// ends. Both act at syscall boundaries or by terminating the worker: a thread that never
// calls in can only be killed.
import { CONTROL } from '../abi/control.ts';
import { ProcessState } from '../abi/sys.ts';
import type { Clock } from './objects/timer.ts';
import type { Process } from './process.ts';
import type { Scheduler } from './scheduler.ts';
import type { AuditLog } from './objects/audit-log.ts';
import type { LogLevel } from '../abi/boot.ts';

export type WatchdogAction = 'report' | 'throttle' | 'kill';

export interface WatchdogPolicy {
  readonly periodMs: number;
  readonly runawayMs: number;
  readonly action: WatchdogAction;
  /** The window CPU quotas are measured over. */
  readonly quotaWindowMs: number;
}

/**
 * A domain that has not made its first syscall is loading its code (a worker's module
 * graph, a WebAssembly compile): it is not judged a runaway for this long.
 */
export const STARTUP_GRACE_MS = 10_000;

export const DEFAULT_WATCHDOG: WatchdogPolicy = {
  periodMs: 500,
  runawayMs: 3000,
  action: 'report',
  quotaWindowMs: 1000,
};

/** The kernel as the watchdog uses it. */
export interface Watched {
  readonly clock: Clock;
  readonly scheduler: Scheduler;
  readonly audit: AuditLog;
  readonly processes: Iterable<Process>;
  now(): number;
  log(source: string, level: LogLevel, message: string): void;
  terminate(process: Process, state: ProcessState, code: number, reason: string): void;
  wake(): void;
}

interface Track {
  beat: number;
  beatAt: number;
  flagged: boolean;
  windowStart: number;
  cpuAtWindowStart: number;
}

export class Watchdog {
  readonly #kernel: Watched;
  readonly #policy: WatchdogPolicy;
  readonly #tracks = new WeakMap<Process, Track>();
  #timer: unknown;

  constructor(kernel: Watched, policy: WatchdogPolicy) {
    this.#kernel = kernel;
    this.#policy = policy;
    this.#timer = kernel.clock.setTimeout(() => this.#tick(), policy.periodMs);
  }

  stop(): void {
    this.#kernel.clock.clearTimeout(this.#timer);
  }

  #tick(): void {
    const now = this.#kernel.now();
    for (const p of this.#kernel.processes) if (p.alive) this.check(p, now);
    this.#timer = this.#kernel.clock.setTimeout(() => this.#tick(), this.#policy.periodMs);
  }

  /** Looks at one process now; exposed for tests. */
  check(process: Process, now: number): void {
    const t = this.#track(process, now);
    const beat = Atomics.load(process.control, CONTROL.HEARTBEAT);
    const idle = process.parked || Atomics.load(process.control, CONTROL.BLOCKED) !== 0;
    const calledIn = process.lastSyscallAt > t.beatAt;
    const starting = process.state === ProcessState.STARTING && now - process.startedAt < STARTUP_GRACE_MS;
    if (beat !== t.beat || idle || calledIn || starting) {
      t.beat = beat;
      t.beatAt = now;
      t.flagged = false;
    } else if (!t.flagged && now - t.beatAt > this.#policy.runawayMs) {
      t.flagged = true;
      this.#runaway(process, now - t.beatAt, now);
    }
    this.#quota(process, t, now);
  }

  #track(process: Process, now: number): Track {
    let t = this.#tracks.get(process);
    if (!t) {
      t = { beat: -1, beatAt: now, flagged: false, windowStart: now, cpuAtWindowStart: process.cpuMs(now) };
      this.#tracks.set(process, t);
    }
    return t;
  }

  #runaway(process: Process, silentMs: number, now: number): void {
    const what = `${process.name} (pid ${process.pid}) has not yielded for ${Math.round(silentMs)} ms`;
    const k = this.#kernel;
    k.audit.record('fault', process.pid, `runaway: ${what}; action ${this.#policy.action}`);
    if (this.#policy.action === 'kill')
      k.terminate(process, ProcessState.KILLED, -9, `killed by the watchdog: ${what}`);
    else {
      k.log('kernel', 'warn', `watchdog: ${what}`);
      if (this.#policy.action === 'throttle') k.scheduler.throttle(process, now + this.#policy.runawayMs);
    }
  }

  #quota(process: Process, t: Track, now: number): void {
    const elapsed = now - t.windowStart;
    if (elapsed < this.#policy.quotaWindowMs) return;
    const used = process.cpuMs(now) - t.cpuAtWindowStart;
    if (process.cpuQuotaPercent < 100 && used > (elapsed * process.cpuQuotaPercent) / 100) {
      // Hold it long enough that its share over this window and the next comes out right.
      const hold = (used * 100) / process.cpuQuotaPercent - elapsed;
      this.#kernel.scheduler.throttle(process, now + Math.min(hold, this.#policy.quotaWindowMs));
      this.#kernel.wake();
    }
    t.windowStart = now;
    t.cpuAtWindowStart = process.cpuMs(now);
  }
}
