// Scheduler v1. The host OS schedules worker threads; Tessera schedules what it
// controls: which domains' syscalls get served, in what order, and when a domain stays
// parked at its next syscall. Layer: kernel.
//
// Order: REALTIME, then INTERACTIVE, then BATCH; round robin within a class. At most
// LIMITS.RUNNABLE_BATCH batch domains hold a run slot; the slot rotates every
// BATCH_SLICE_MS, and a batch domain without one is simply not served (it parks at its
// next syscall). Suspended and throttled domains are not served either.
import { LIMITS } from '../abi/limits.ts';
import { Priority } from '../abi/objects.ts';
import { ProcessState } from '../abi/sys.ts';
import type { Process } from './process.ts';

export const SCHEDULER = {
  /** How long a batch domain keeps its run slot while others wait for one. */
  BATCH_SLICE_MS: 50,
} as const;

export class Scheduler {
  readonly #queues: [Process[], Process[], Process[]] = [[], [], []];
  /** Batch domains holding a run slot, with when they got it. */
  readonly #slots = new Map<Process, number>();
  /** Domains not to be served before the given time (watchdog / quota throttling). */
  readonly #throttled = new Map<Process, number>();

  add(process: Process): void {
    this.#queues[process.priority].push(process);
  }

  remove(process: Process): void {
    const queue = this.#queues[process.priority];
    const at = queue.indexOf(process);
    if (at !== -1) queue.splice(at, 1);
    this.#slots.delete(process);
    this.#throttled.delete(process);
  }

  throttle(process: Process, until: number): void {
    this.#throttled.set(process, until);
  }

  /** Every live domain in serving order; rotates each class for the next pass. */
  order(): Process[] {
    // concat, not flatMap: this runs on every pass of the serve loop, where V8's flatMap
    // cost about 0.3 µs more per pass: a tenth of a null syscall’s CPU time, both sides.
    const [realtime, interactive, batch] = this.#queues;
    const all = realtime.concat(interactive, batch);
    for (const q of this.#queues) if (q.length > 1) q.push(q.shift() as Process);
    return all;
  }

  /** May the kernel serve this domain's syscalls now? */
  runnable(process: Process, now: number, waiting: boolean): boolean {
    if (process.state === ProcessState.SUSPENDED) return false;
    const until = this.#throttled.get(process);
    if (until !== undefined) {
      if (now < until) return false;
      this.#throttled.delete(process);
    }
    if (process.priority !== Priority.BATCH) return true;
    return this.#batchSlot(process, now, waiting);
  }

  #batchSlot(process: Process, now: number, waiting: boolean): boolean {
    const since = this.#slots.get(process);
    if (since !== undefined) {
      const contended = this.#queues[Priority.BATCH].length > this.#slots.size;
      if (!contended || now - since < SCHEDULER.BATCH_SLICE_MS) return true;
      this.#slots.delete(process); // slice over: go to the back of the line
      return false;
    }
    if (!waiting || this.#slots.size >= LIMITS.RUNNABLE_BATCH) return false;
    this.#slots.set(process, now);
    return true;
  }

  /** A batch domain parked in a blocking wait gives its slot to the next. */
  release(process: Process): void {
    this.#slots.delete(process);
  }
}
