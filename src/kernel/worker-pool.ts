// A warm pool of domain workers: for programs spawned often (the `wasi` loader), a few
// workers are started ahead of need, so that a spawn takes one whose code is already
// loaded instead of paying for a worker's start-up. A worker whose process ended with
// its own process.exit comes back (ADR 0015): its runtime waits for the next bootstrap,
// so back-to-back spawns reuse the same few workers and start none. Layer: kernel. A
// pooled worker holds no authority: a process's handles live in the kernel's table for
// that process, and the next bootstrap brings new rings and a new table.
export interface PoolPolicy {
  /** Workers kept ready per pooled program. */
  readonly size: number;
  /**
   * How long after a take the pool waits before starting replacements. A worker's
   * start-up costs tens of milliseconds of CPU, which would compete with the process
   * just spawned; most processes exit and hand their worker back well within this.
   * Workers taken during the wait are counted on to come back (back-to-back spawns);
   * one still out after a further wait is not.
   */
  readonly refillDelayMs: number;
}

export const DEFAULT_POOL: PoolPolicy = { size: 2, refillDelayMs: 250 };

/** Schedules a callback; setTimeout in a worker, a fake clock in tests. */
export type Schedule = (callback: () => void, ms: number) => void;

/** Starts workers for `programs` through `start` and hands them out, refilling as it goes. */
export class WorkerPool<W extends object> {
  readonly #start: (program: string, name: string) => W | null;
  readonly #schedule: Schedule;
  readonly #ready = new Map<string, W[]>();
  readonly #refilling = new Set<string>();
  /** Workers that have served a process: they keep what their program cached (compiled modules). */
  readonly #served = new WeakSet<W>();
  readonly #policy: PoolPolicy;
  /** Workers handed out and not yet back, with the take's sequence number. */
  readonly #loans = new Map<W, { program: string; seq: number }>();
  #takes = 0;

  constructor(
    programs: readonly string[],
    start: (program: string, name: string) => W | null,
    schedule: Schedule,
    policy: PoolPolicy = DEFAULT_POOL,
  ) {
    this.#start = start;
    this.#schedule = schedule;
    this.#policy = policy;
    for (const p of programs) this.#ready.set(p, []);
    for (const p of programs) this.#fill(p);
  }

  #fill(program: string, room = this.#policy.size): void {
    const ready = this.#ready.get(program);
    while (ready && ready.length < room) {
      const w = this.#start(program, program);
      if (w === null) return;
      ready.push(w);
    }
  }

  /**
   * A warm worker for `program`, or null if the program is not pooled (start one as usual).
   * The one that served a process last goes first: it holds the modules most recently run
   * (back-to-back spawns then find theirs compiled instead of alternating with a worker
   * that has them not, or has none).
   */
  take(program: string): W | null {
    const ready = this.#ready.get(program);
    if (!ready) return null;
    let at = ready.length - 1; // give() puts a returning worker last
    while (at >= 0 && !this.#served.has(ready[at] as W)) at--;
    const w = ready.splice(Math.max(at, 0), 1)[0] ?? null;
    if (w === null) return null;
    this.#loans.set(w, { program, seq: ++this.#takes });
    if (!this.#refilling.has(program)) this.#refillLater(program);
    return w;
  }

  /**
   * After the delay, starts what the pool lacks, counting as coming back the workers taken
   * during the delay (back-to-back spawns: each hands its worker back within milliseconds,
   * and a worker started for it would only be evicted by give). If some are, it looks again
   * after another delay, when a worker still out belongs to a process that runs on.
   */
  #refillLater(program: string): void {
    this.#refilling.add(program);
    const since = this.#takes;
    this.#schedule(() => {
      this.#refilling.delete(program);
      let recent = 0;
      for (const loan of this.#loans.values()) if (loan.program === program && loan.seq > since) recent++;
      this.#fill(program, this.#policy.size - recent);
      if (recent > 0 && (this.#ready.get(program)?.length ?? 0) < this.#policy.size)
        this.#refillLater(program);
    }, this.#policy.refillDelayMs);
  }

  /** A worker handed out will not come back (its process was killed or crashed). */
  lost(worker: W): void {
    this.#loans.delete(worker);
  }

  /**
   * Takes back a worker that can serve another process. If the pool is full, a worker
   * that has never served one makes room (a refill may have run while the process did),
   * since the returning worker keeps its program's caches. Returns the worker the caller
   * must terminate: the one evicted, `worker` itself if there was no room, or null.
   */
  give(program: string, worker: W): W | null {
    const ready = this.#ready.get(program);
    this.#loans.delete(worker);
    if (!ready || ready.includes(worker)) return worker;
    this.#served.add(worker);
    if (ready.length < this.#policy.size) {
      ready.push(worker);
      return null;
    }
    const fresh = ready.findIndex((w) => !this.#served.has(w));
    if (fresh === -1) return worker;
    const [evicted] = ready.splice(fresh, 1) as [W];
    ready.push(worker);
    return evicted;
  }

  /** Forgets a ready worker that is no longer usable (it failed while idle). */
  discard(program: string, worker: W): void {
    const ready = this.#ready.get(program);
    const at = ready?.indexOf(worker) ?? -1;
    if (ready && at !== -1) ready.splice(at, 1);
  }

  /** How many warm workers `program` has now. */
  warm(program: string): number {
    return this.#ready.get(program)?.length ?? 0;
  }
}
