// An in-memory Backend for node tests that models the durability contract in
// backend.ts exactly, so that a crash can be simulated at any write: every file keeps
// its durable bytes apart from writes not yet flushed. Layer: fs (test support, but
// plain code so that the store's own tests and the fs server's can share it).
//
// `crashAfter(n)` arms a fault: the n-th mutating call from now (write, truncate,
// flush, create, remove) throws SimulatedCrash instead of running, and so does every
// call after it. `afterCrash(keep)` then builds the disk a restarted tab would see:
// the durable bytes, plus the unflushed writes that `keep` selects (none, all, or a
// seeded random subset, so torn writes happen too).
import type { Backend, BlockFile } from './backend.ts';

export class SimulatedCrash extends Error {
  constructor() {
    super('simulated crash (MemoryBackend.crashAfter)');
  }
}

interface PendingWrite {
  readonly at: number;
  readonly data: Uint8Array;
  readonly truncate?: number;
}

interface Stored {
  /** What a reader sees now. */
  current: Uint8Array;
  /** What survives a crash. */
  durable: Uint8Array;
  /** Mutations since the last flush, oldest first. */
  pending: PendingWrite[];
}

function writeAt(bytes: Uint8Array, data: Uint8Array, at: number): Uint8Array {
  const out = bytes.length >= at + data.length ? bytes : resize(bytes, at + data.length);
  out.set(data, at);
  return out;
}

function resize(bytes: Uint8Array, size: number): Uint8Array {
  const out = new Uint8Array(size);
  out.set(bytes.subarray(0, Math.min(size, bytes.length)));
  return out;
}

export class MemoryBackend implements Backend {
  readonly #files = new Map<string, Stored>();
  #budget = Infinity;
  /** Mutating calls so far; a test uses it to know how many crash points a workload has. */
  mutations = 0;

  /** Counts one mutating call, or throws if the armed fault has fired. */
  tick(): void {
    if (this.#budget <= 0) throw new SimulatedCrash();
    this.#budget--;
    this.mutations++;
  }

  crashAfter(n: number): void {
    this.#budget = n;
  }

  get crashed(): boolean {
    return this.#budget <= 0;
  }

  /** The disk after a restart. `keep` decides which unflushed writes landed. */
  afterCrash(keep: (write: number) => boolean = () => false): MemoryBackend {
    const next = new MemoryBackend();
    for (const [name, f] of this.#files) {
      let bytes: Uint8Array = f.durable.slice();
      f.pending.forEach((w, i) => {
        if (!keep(i)) return;
        bytes = w.truncate === undefined ? writeAt(bytes, w.data, w.at) : resize(bytes, w.truncate);
      });
      next.#files.set(name, { current: bytes.slice(), durable: bytes, pending: [] });
    }
    return next;
  }

  /** Total bytes in every file, as the store's usage should account them. */
  totalBytes(): number {
    let n = 0;
    for (const f of this.#files.values()) n += f.current.length;
    return n;
  }

  async open(name: string, options: { create: boolean }): Promise<BlockFile | null> {
    let stored = this.#files.get(name);
    if (stored === undefined) {
      if (!options.create) return null;
      this.tick();
      stored = { current: new Uint8Array(0), durable: new Uint8Array(0), pending: [] };
      this.#files.set(name, stored);
    }
    return new MemoryFile(this, stored);
  }

  async list(): Promise<string[]> {
    return [...this.#files.keys()];
  }

  async remove(name: string): Promise<void> {
    if (!this.#files.has(name)) return;
    this.tick();
    this.#files.delete(name);
  }
}

class MemoryFile implements BlockFile {
  readonly #backend: MemoryBackend;
  readonly #f: Stored;

  constructor(backend: MemoryBackend, stored: Stored) {
    this.#backend = backend;
    this.#f = stored;
  }

  read(into: Uint8Array, at: number): number {
    const src = this.#f.current.subarray(Math.min(at, this.#f.current.length));
    const n = Math.min(into.length, src.length);
    into.set(src.subarray(0, n));
    return n;
  }

  write(data: Uint8Array, at: number): number {
    this.#backend.tick();
    this.#f.current = writeAt(this.#f.current, data, at);
    this.#f.pending.push({ at, data: data.slice() });
    return data.length;
  }

  truncate(size: number): void {
    this.#backend.tick();
    this.#f.current = resize(this.#f.current, size);
    this.#f.pending.push({ at: 0, data: new Uint8Array(0), truncate: size });
  }

  flush(): void {
    this.#backend.tick();
    this.#f.durable = this.#f.current.slice();
    this.#f.pending = [];
  }

  size(): number {
    return this.#f.current.length;
  }

  close(): void {}
}
