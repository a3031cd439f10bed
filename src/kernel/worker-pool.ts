// A warm pool of domain workers: for programs spawned often (the `wasi` loader), a few
// workers are started ahead of need, so that a spawn takes one whose code is already
// loaded instead of paying for a worker's start-up. Layer: kernel. A pooled worker has
// been given nothing: it holds no authority until its bootstrap, which makes it a domain.
export interface PoolPolicy {
  /** Workers kept ready per pooled program. */
  readonly size: number;
}

export const DEFAULT_POOL: PoolPolicy = { size: 2 };

/** Starts workers for `programs` through `start` and hands them out, refilling as it goes. */
export class WorkerPool<W> {
  readonly #start: (program: string, name: string) => W | null;
  readonly #ready = new Map<string, W[]>();
  readonly #size: number;

  constructor(
    programs: readonly string[],
    start: (program: string, name: string) => W | null,
    policy: PoolPolicy = DEFAULT_POOL,
  ) {
    this.#start = start;
    this.#size = policy.size;
    for (const p of programs) this.#ready.set(p, []);
    for (const p of programs) this.#fill(p);
  }

  #fill(program: string): void {
    const ready = this.#ready.get(program);
    while (ready && ready.length < this.#size) {
      const w = this.#start(program, program);
      if (w === null) return;
      ready.push(w);
    }
  }

  /** A warm worker for `program`, or null if the program is not pooled (start one as usual). */
  take(program: string): W | null {
    const ready = this.#ready.get(program);
    const w = ready?.shift() ?? null;
    if (w !== null) this.#fill(program);
    return w;
  }

  /** How many warm workers `program` has now. */
  warm(program: string): number {
    return this.#ready.get(program)?.length ?? 0;
  }
}
