// The kernel: the only trusted code in Tessera.
// Layer: kernel. It owns the process table, every syscall ring and the doorbell; it
// trusts nothing a domain writes. Layers, top to bottom:
//   kernel.ts       processes, the serve loop, the one exit path (this file)
//   scheduler.ts    which domains are served, in what order
//   syscall/*       decode-and-check per syscall family, then a call on a checked object
//   objects/*, process.ts, capability.ts, handle-table.ts   the objects and capabilities
//
// A domain's life: spawn() creates its rings and Process, launches its worker and posts
// the bootstrap. The serve loop drains its submission ring, decodes each record (a
// malformed one faults the domain), dispatches it, and writes the completion (or parks
// the call). terminate() is the only way out: worker stopped, handles closed, parked calls
// cancelled, parent notified through TERMINATED, children handed to init.
import type { KernelReport, LogLevel } from '../abi/boot.ts';
import { CONTROL } from '../abi/control.ts';
import { DOORBELL } from '../abi/doorbell.ts';
import { LIMITS } from '../abi/limits.ts';
import { Priority } from '../abi/objects.ts';
import { Right, rights, type Rights } from '../abi/rights.ts';
import { Ring, ringBufferBytes, type RingConsumer, type RingProducer } from '../abi/ring.ts';
import { decodeCall } from '../abi/syscall-codec.ts';
import { Status } from '../abi/status.ts';
import { ProcessState } from '../abi/sys.ts';
import { AuditLog } from './objects/audit-log.ts';
import { ChannelEnd, type WatchList } from './objects/channel.ts';
import { Memory } from './objects/memory.ts';
import type { Clock } from './objects/timer.ts';
import { Process, type DomainLink, type SyscallPort } from './process.ts';
import { Scheduler } from './scheduler.ts';
import { DEFAULT_WATCHDOG, Watchdog, type WatchdogPolicy } from './watchdog.ts';
import { PARKED, type KernelServices, type ProcessRow, type SpawnRequest } from './syscall/context.ts';
import { handlerFor } from './syscall/dispatch.ts';
import { Capability } from './capability.ts';
import type { HostRelay } from './host-relay.ts';

/** What the kernel needs from the thread it runs in; injected so tests run it in node. */
export interface KernelHost {
  /** Starts a program's worker; null if no such program. */
  launch(program: string, name: string): DomainLink | null;
  report(report: KernelReport): void;
  /** Milliseconds on the shared epoch (performance.timeOrigin + performance.now()). */
  now(): number;
  readonly clock: Clock;
}

export const KERNEL_TUNING = {
  /** Submissions served per domain per pass, so one domain cannot starve the rest. */
  BATCH_PER_PASS: 64,
  /** Doorbell polls before the kernel sleeps. */
  SPIN: 2000,
  /** Longest the loop runs before letting the event loop (timers, worker events) in. */
  SLICE_MS: 4,
  /** How soon the loop looks again at domains it holds back or cannot answer yet. */
  RECHECK_MS: 2,
} as const;

const PRIORITY_NAMES = ['realtime', 'interactive', 'batch'] as const;
const STATE_NAMES = Object.fromEntries(Object.entries(ProcessState).map(([k, v]) => [v, k.toLowerCase()]));

function ringPort(submissions: RingConsumer, completions: RingProducer): SyscallPort {
  return {
    drain: (visit, max) => {
      const r = submissions.drain(visit, max);
      return r.ok ? r.value : `submission ring: ${r.error.detail}`;
    },
    complete: (record) => {
      const r = completions.tryWrite(record);
      return r.ok ? r.value : `completion ring: ${r.error.detail}`;
    },
    pending: () => {
      const r = submissions.peek();
      return !r.ok || r.value !== null;
    },
  };
}

export class Kernel implements KernelServices {
  readonly audit: AuditLog;
  readonly clock: Clock;
  readonly scheduler = new Scheduler();
  readonly watchedChannels: WatchList = new Set();
  readonly #host: KernelHost;
  readonly #processes = new Map<number, Process>();
  readonly #bell = new Int32Array(new SharedArrayBuffer(DOORBELL.WORDS * 4));
  #nextPid = 1;
  /**
   * The next process's rings and control block, made while the serve loop had nothing to
   * do: allocating them (512 KiB of shared memory) took a spawn about 0.25 ms. Never used
   * before they are taken, so every process still gets memory of its own.
   */
  #spare: DomainMemory | null = null;
  #init: Process | null = null;
  #stopped = false;
  #watchdog: Watchdog | null = null;
  /** pid 1's link to the page, once boot has made it (boot.ts). */
  hostLink: HostRelay | null = null;
  /** Called when a process serves its first syscall (boot waits on init's). */
  onRunning: (process: Process) => void = () => undefined;

  constructor(host: KernelHost) {
    this.#host = host;
    this.clock = host.clock;
    this.audit = new AuditLog(() => host.now());
  }

  now(): number {
    return this.#host.now();
  }

  get doorbell(): SharedArrayBuffer {
    return this.#bell.buffer;
  }

  log(source: string, level: LogLevel, message: string): void {
    this.#host.report({ kind: 'log', event: { at: this.now(), source, level, message } });
  }

  process(pid: number): Process | undefined {
    return this.#processes.get(pid);
  }

  /**
   * Starts pid 1, the root of the process tree, from `program`, holding `caps`, then a
   * handle to itself (INSPECT, WAIT) so it can list the tree — which it may duplicate,
   * cut down, and give on (init gives the desktop panel an INSPECT-only copy) — then
   * `after` (the host link's end); null if no such program.
   */
  spawnInit(
    caps: readonly Capability[],
    program = 'init',
    after: readonly Capability[] = [],
  ): Process | null {
    const request = {
      program,
      name: program,
      argv: [],
      env: [],
      // The root of the tree: a child may not be more urgent than its parent, and init
      // starts the compositor, which is realtime (ADR 0017).
      priority: Priority.REALTIME,
      caps,
      self: rights(Right.INSPECT, Right.WAIT, Right.DUPLICATE, Right.TRANSFER),
      after,
    };
    const init = this.#create(request, null);
    if (init === Status.NOT_FOUND) return null;
    if (typeof init === 'number') throw new Error(`kernel panic: cannot start init (${init})`);
    this.#init = init;
    return init;
  }

  spawn(request: SpawnRequest): Process | typeof Status.LIMIT_EXCEEDED {
    const child = this.#create(request, request.parent);
    // Program objects are minted by the kernel from its own table, so NOT_FOUND is a bug.
    if (child === Status.NOT_FOUND) throw new Error(`kernel panic: no program "${request.program}"`);
    return child;
  }

  #create(
    request: Omit<SpawnRequest, 'parent'> & {
      readonly self?: Rights;
      readonly after?: readonly Capability[];
    },
    parent: Process | null,
  ): Process | typeof Status.LIMIT_EXCEEDED | typeof Status.NOT_FOUND {
    if (this.#processes.size >= LIMITS.PROCESSES) return Status.LIMIT_EXCEEDED;
    const link = this.#host.launch(request.program, request.name);
    if (!link) return Status.NOT_FOUND;
    const { submission, completion, control } = this.#takeDomainMemory();
    const consumer = submission.consumer();
    const producer = completion.producer({ spin: 0 });
    if (!consumer.ok || !producer.ok) throw new Error('kernel panic: a fresh ring is inconsistent');
    const pid = this.#nextPid++;
    const process: Process = new Process({
      pid,
      name: request.name,
      priority: request.priority,
      parent,
      link,
      port: ringPort(consumer.value, producer.value),
      control,
      now: this.now(),
      onRevoke: (cap) => cap.object.abortObserversVia(cap, Status.REVOKED),
    });
    const handles = request.caps.map((cap) => process.table.add(cap) as number);
    if (request.self !== undefined)
      handles.push(process.table.add(Capability.root(process, request.self)) as number);
    const after = request.after ?? [];
    for (const cap of after) handles.push(process.table.add(cap) as number);
    for (const cap of [...request.caps, ...after])
      this.audit.record('grant', parent?.pid ?? 0, `pid ${pid} starts holding #${cap.object.koid}`);
    this.#processes.set(pid, process);
    parent?.children.add(process);
    this.scheduler.add(process);
    link.onMessage(() => this.fault(process, 'sent a postMessage after bootstrap'));
    link.onCrash((reason) => this.terminate(process, ProcessState.CRASHED, -1, `crashed: ${reason}`));
    link.post({
      kind: 'bootstrap',
      pid,
      name: request.name,
      spawner: parent?.koid ?? 0,
      submission: submission.buffer,
      completion: completion.buffer,
      doorbell: this.doorbell,
      control: control.buffer,
      handles,
      argv: request.argv,
      env: request.env,
    });
    this.log(
      'kernel',
      'info',
      `spawned ${request.name} (pid ${pid}${parent ? `, parent ${parent.pid}` : ''})`,
    );
    return process;
  }

  /** A new process's rings and control block: the ones made ahead if there are, else new ones. */
  #takeDomainMemory(): DomainMemory {
    const memory = this.#spare ?? newDomainMemory();
    this.#spare = null;
    return memory;
  }

  /** Protocol abuse: the domain is terminated, nothing else is harmed. */
  fault(process: Process, reason: string): void {
    if (!process.alive) return;
    this.audit.record('fault', process.pid, reason);
    this.terminate(process, ProcessState.FAULTED, -11, `faulted: ${reason}`);
  }

  terminate(process: Process, state: ProcessState, code: number, reason: string): void {
    if (!process.alive) return;
    process.terminate(state, code, reason);
    this.scheduler.remove(process);
    // The pid is forgotten; handles to the Process object still answer process.info.
    this.#processes.delete(process.pid);
    const heir = this.#init && this.#init !== process && this.#init.alive ? this.#init : null;
    for (const child of process.children) {
      child.parent = heir;
      heir?.children.add(child);
    }
    process.children.clear();
    process.parent?.children.delete(process);
    const level = state === ProcessState.EXITED && code === 0 ? 'info' : 'warn';
    this.log('kernel', level, `${process.name} (pid ${process.pid}) ${reason}`);
  }

  /** Suspends or resumes; a resumed process returns to the state it was suspended in. */
  suspend(process: Process, suspended: boolean): void {
    if (suspended) {
      process.resumeState = process.state;
      process.setState(ProcessState.SUSPENDED);
    } else process.setState(process.resumeState);
    this.wake();
  }

  /** Starts the runaway/quota watchdog with `policy` (see watchdog.ts). */
  watch(policy: WatchdogPolicy = DEFAULT_WATCHDOG): void {
    this.#watchdog?.stop();
    this.#watchdog = new Watchdog(this, policy);
  }

  processRows(root: Process): ProcessRow[] {
    const now = this.now();
    const rows: ProcessRow[] = [];
    const visit = (p: Process): void => {
      rows.push({
        pid: p.pid,
        name: p.name,
        state: STATE_NAMES[p.state] ?? String(p.state),
        parent: p.parent?.pid ?? 0,
        priority: PRIORITY_NAMES[p.priority],
        cpu_ms: Math.round(p.cpuMs(now)),
        handles: p.table.size,
        memory_bytes: memoryOf(p),
      });
      for (const c of p.children) visit(c);
    };
    visit(root);
    return rows;
  }

  /** One pass over every runnable domain; returns how many submissions were served. */
  serve(): number {
    const now = this.now();
    let served = 0;
    for (const end of this.watchedChannels) if (!end.refreshWatched()) this.watchedChannels.delete(end);
    for (const process of this.scheduler.order()) {
      const broken = process.flush();
      if (broken) this.fault(process, broken);
      if (!process.alive || process.backlogged) continue;
      const waiting = process.port.pending();
      const runnable = this.scheduler.runnable(process, now, waiting);
      process.hold(waiting && !runnable, now);
      if (!runnable) continue;
      const drained = process.port.drain(
        (record) => this.#dispatch(process, record),
        KERNEL_TUNING.BATCH_PER_PASS,
      );
      if (typeof drained === 'string') this.fault(process, drained);
      else served += drained;
    }
    return served;
  }

  #dispatch(process: Process, record: Uint8Array): void {
    if (!process.alive) return;
    const call = decodeCall(record);
    if (!call.ok) {
      this.fault(process, `malformed syscall: ${call.error}`);
      return;
    }
    const now = this.now();
    process.lastSyscallAt = now;
    process.syscalls++;
    if (process.state === ProcessState.STARTING) {
      process.setState(ProcessState.RUNNING);
      this.onRunning(process);
    }
    const { def, tag, args } = call.value;
    const outcome = handlerFor(def.num)({ kernel: this, caller: process, def, tag }, args);
    if (outcome !== PARKED) process.complete(def, tag, outcome.status, outcome.results ?? [], now);
    else if (process.alive) this.scheduler.release(process);
  }

  /**
   * Serves rings until stop(): bounded batches, a short spin on the doorbell, then
   * Atomics.waitAsync so the thread's event loop (timers, worker errors) keeps running.
   */
  async run(): Promise<void> {
    const bell = this.#bell;
    let sliceStart = this.now();
    while (!this.#stopped) {
      const seen = Atomics.load(bell, DOORBELL.COUNTER);
      if (this.serve() > 0) {
        if (this.now() - sliceStart > KERNEL_TUNING.SLICE_MS) {
          await yieldToEventLoop();
          sliceStart = this.now();
        }
        continue;
      }
      let spins = 0;
      while (spins++ < KERNEL_TUNING.SPIN && Atomics.load(bell, DOORBELL.COUNTER) === seen);
      if (Atomics.load(bell, DOORBELL.COUNTER) !== seen) continue;
      if (this.#spare === null) {
        this.#spare = newDomainMemory();
        continue; // look again: a doorbell may have rung meanwhile
      }
      Atomics.store(bell, DOORBELL.KERNEL_SLEEPING, 1);
      // Held or backlogged domains need another look soon even if no doorbell rings.
      const recheck = [...this.#processes.values()].some((p) => p.backlogged || p.held);
      await Atomics.waitAsync(bell, DOORBELL.COUNTER, seen, recheck ? KERNEL_TUNING.RECHECK_MS : Infinity)
        .value;
      Atomics.store(bell, DOORBELL.KERNEL_SLEEPING, 0);
      sliceStart = this.now();
    }
  }

  /** Makes the serve loop take another pass now (after a change it cannot see). */
  wake(): void {
    Atomics.add(this.#bell, DOORBELL.COUNTER, 1);
    Atomics.notify(this.#bell, DOORBELL.COUNTER);
  }

  /** Every live process. */
  get processes(): IterableIterator<Process> {
    return this.#processes.values();
  }

  stop(): void {
    this.#stopped = true;
    this.#watchdog?.stop();
    this.hostLink?.close();
    this.wake();
    for (const p of [...this.#processes.values()])
      this.terminate(p, ProcessState.KILLED, -9, 'kernel stopped');
  }
}

/** A domain's syscall rings and control block, shared with its worker. */
interface DomainMemory {
  readonly submission: Ring;
  readonly completion: Ring;
  readonly control: Int32Array<SharedArrayBuffer>;
}

const newDomainMemory = (): DomainMemory => ({
  submission: Ring.create(LIMITS.SYSCALL_RING_BYTES),
  completion: Ring.create(LIMITS.SYSCALL_RING_BYTES),
  control: new Int32Array(new SharedArrayBuffer(CONTROL.WORDS * 4)),
});

/**
 * Kernel memory a process accounts for: its rings and control block, the Memory it
 * holds, and the channel rings of the ends pinned to it.
 */
function memoryOf(process: Process): number {
  const regions = new Set<Memory>();
  const ends = new Set<ChannelEnd>();
  for (const [, cap] of process.table.entries()) {
    if (cap.object instanceof Memory) regions.add(cap.object);
    if (cap.object instanceof ChannelEnd && cap.object.mapping?.holder === process) ends.add(cap.object);
  }
  let bytes = 2 * ringBufferBytes(LIMITS.SYSCALL_RING_BYTES) + CONTROL.WORDS * 4;
  for (const m of regions) bytes += m.size;
  for (const end of ends) bytes += end.mappedBytes;
  return bytes;
}

/** Lets queued tasks run: a MessageChannel hop, which (unlike setTimeout) is not clamped. */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => {
    const { port1, port2 } = new MessageChannel();
    port1.onmessage = () => {
      port1.close();
      resolve();
    };
    port2.postMessage(null);
  });
}
