// Process: a protection domain as the kernel sees it — its worker, its handle table,
// its syscall port, its place in the process tree and its accounting.
// Layer: kernel. Lifecycle: STARTING (spawned) -> RUNNING (first syscall served) ->
// optionally SUSPENDED <-> RUNNING -> one of EXITED, KILLED, CRASHED, FAULTED, all
// reached through terminate(), the single exit path that frees everything it owns.
import { blockedFor, CONTROL } from '../abi/control.ts';
import { ObjectType, Signal, type Priority } from '../abi/objects.ts';
import { ProcessState, type SyscallDef } from '../abi/sys.ts';
import { encodeCompletion, type WireValue } from '../abi/syscall-codec.ts';
import type { Capability } from './capability.ts';
import { HandleTable } from './handle-table.ts';
import { KernelObject } from './object.ts';

/** The kernel's end of a domain's syscall rings (or, later, of another transport). */
export interface SyscallPort {
  /** Passes up to `max` submitted records to `visit`; an error string means the domain broke the ring. */
  drain(visit: (record: Uint8Array) => void, max: number): number | string;
  /** Writes one completion; false when the completion ring is full. */
  complete(record: Uint8Array): boolean | string;
  /** Whether a submission is waiting (without taking it). */
  pending(): boolean;
}

/** The kernel's end of a domain's worker. */
export interface DomainLink {
  /** Posts to the worker; `transfer` objects (a display's canvas and port) move with it. */
  post(message: unknown, transfer?: readonly object[]): void;
  onMessage(listener: (data: unknown) => void): void;
  onCrash(listener: (reason: string) => void): void;
  terminate(): void;
  /**
   * For a worker the host may reuse (a pooled program, ADR 0015): called instead of
   * terminate when the process ended with its own process.exit, so its runtime is
   * waiting for the next bootstrap. The host keeps the worker or terminates it. The
   * kernel's side of the process (handles, rings, parked calls) is gone either way.
   */
  retire?(): void;
}

/** A blocking call the process is parked in; cancel() ends it without completing. */
export interface Parked {
  cancel(): void;
}

export const TERMINAL_STATES: ReadonlySet<ProcessState> = new Set([
  ProcessState.EXITED,
  ProcessState.KILLED,
  ProcessState.CRASHED,
  ProcessState.FAULTED,
]);

export class Process extends KernelObject {
  readonly type = ObjectType.PROCESS;
  readonly pid: number;
  readonly name: string;
  readonly priority: Priority;
  readonly table: HandleTable;
  readonly children = new Set<Process>();
  parent: Process | null;
  state: ProcessState = ProcessState.STARTING;
  /** What resume returns to: STARTING until the first syscall has been served. */
  resumeState: ProcessState = ProcessState.STARTING;
  exitCode = 0;
  /** Why it ended, for the log and the audit trail. */
  reason = '';
  readonly #link: DomainLink;
  readonly #port: SyscallPort;
  readonly #backlog: Uint8Array[] = [];
  readonly #parked = new Map<number, Parked>();
  /** The scheduler is holding a submission back (suspended, throttled, no batch slot). */
  #held = false;
  readonly startedAt: number;
  #parkedSince: number | null = null;
  #parkedMs = 0;
  lastSyscallAt: number;
  /** Syscalls served: how much of its traffic went through the kernel. */
  syscalls = 0;
  /** Shared with the domain (see src/abi/control.ts); its words are hints, never authority. */
  readonly control: Int32Array<SharedArrayBuffer>;
  /** CPU share the watchdog enforces, in percent (100 = no quota). */
  cpuQuotaPercent = 100;

  constructor(init: {
    pid: number;
    name: string;
    priority: Priority;
    parent: Process | null;
    link: DomainLink;
    port: SyscallPort;
    control: Int32Array<SharedArrayBuffer>;
    now: number;
    onRevoke: (cap: Capability) => void;
  }) {
    super();
    this.pid = init.pid;
    this.name = init.name;
    this.priority = init.priority;
    this.parent = init.parent;
    this.#link = init.link;
    this.#port = init.port;
    this.control = init.control;
    this.startedAt = this.lastSyscallAt = init.now;
    this.table = new HandleTable(init.onRevoke);
  }

  override get related(): number {
    return this.parent?.koid ?? 0;
  }

  get alive(): boolean {
    return !TERMINAL_STATES.has(this.state);
  }

  get port(): SyscallPort {
    return this.#port;
  }

  /** Completions are waiting for room in the ring: stop taking new submissions. */
  get backlogged(): boolean {
    return this.#backlog.length > 0;
  }

  /**
   * Time neither parked in a blocking syscall nor blocked in a runtime wait (a channel
   * ring, reported through the control block), in ms: the kernel's view of CPU use.
   */
  cpuMs(now: number): number {
    const parkedNow = this.#parkedSince === null ? 0 : now - this.#parkedSince;
    const running = Math.max(0, now - this.startedAt - this.#parkedMs - parkedNow);
    const stamp = Atomics.load(this.control, CONTROL.BLOCKED);
    const blocked =
      (Atomics.load(this.control, CONTROL.BLOCKED_MS) >>> 0) + (stamp === 0 ? 0 : blockedFor(stamp, now));
    return Math.max(0, running - blocked);
  }

  /** Parked in a blocking call or held by the scheduler: not using CPU on its own account. */
  get parked(): boolean {
    return this.#parkedSince !== null;
  }

  park(tag: number, parked: Parked, now: number): void {
    this.#parked.set(tag, parked);
    this.#account(now);
  }

  get held(): boolean {
    return this.#held;
  }

  /** The scheduler holds (or stops holding) this domain's next submission. */
  hold(held: boolean, now: number): void {
    this.#held = held;
    this.#account(now);
  }

  #account(now: number): void {
    const parked = this.#parked.size > 0 || this.#held;
    if (parked && this.#parkedSince === null) this.#parkedSince = now;
    if (!parked && this.#parkedSince !== null) {
      this.#parkedMs += now - this.#parkedSince;
      this.#parkedSince = null;
    }
  }

  /** Answers a call. A parked call is unparked; a dead process gets nothing. */
  complete(def: SyscallDef, tag: number, status: number, results: readonly WireValue[], now: number): void {
    if (this.#parked.delete(tag)) this.#account(now);
    if (!this.alive) return;
    this.#backlog.push(encodeCompletion(def, tag, status, results));
    this.flush();
  }

  /** Moves backlogged completions into the ring; returns an error string if the ring is corrupt. */
  flush(): string | null {
    while (this.#backlog.length > 0) {
      const written = this.#port.complete(this.#backlog[0] as Uint8Array);
      if (typeof written === 'string') return written;
      if (!written) break;
      this.#backlog.shift();
    }
    return null;
  }

  post(message: unknown, transfer?: readonly object[]): void {
    this.#link.post(message, transfer);
  }

  /**
   * The one exit path: stops the worker, cancels parked calls, closes every handle,
   * and asserts TERMINATED. Idempotent. Children are the caller's concern (reparenting).
   */
  terminate(state: ProcessState, code: number, reason: string): void {
    if (!this.alive) return;
    this.state = state;
    this.exitCode = code;
    this.reason = reason;
    if (state === ProcessState.EXITED && this.#link.retire) this.#link.retire();
    else this.#link.terminate();
    for (const parked of this.#parked.values()) parked.cancel();
    this.#parked.clear();
    this.#backlog.length = 0;
    this.table.closeAll();
    this.updateSignals(0, Signal.TERMINATED);
  }

  setState(state: ProcessState): void {
    if (this.alive) this.state = state;
  }
}
