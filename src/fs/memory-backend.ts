// An in-memory Backend for node tests that models the durability contract in
// backend.ts exactly, so that a crash can be simulated at any write: every file keeps
// an undo log of the mutations since its last flush. Layer: fs (test support, but
// plain code so that the store's own tests and the fs server's can share it).
//
// `crashAfter(n)` arms a fault: the n-th mutating call from now (write, truncate,
// flush, create, remove) throws SimulatedCrash instead of running, and so does every
// call after it. `afterCrash(keep)` then builds the disk a restarted tab would see:
// the durable bytes, plus the unflushed writes that `keep` selects (none, all, or a
// seeded random subset, so torn writes happen too).
//
// COST. A write costs its own bytes (plus the bytes it overwrites, kept for undo), a
// flush is O(1) and growth is amortized, so node-side measurements of the store are
// not dominated by the backend (it stands in for OPFS, where these are cheap too).
import type { Backend, BlockFile } from './backend.ts';

export class SimulatedCrash extends Error {
  constructor() {
    super('simulated crash (MemoryBackend.crashAfter)');
  }
}

/** One mutation since the last flush: what it did, and what it replaced. */
interface PendingWrite {
  readonly at: number;
  /** The bytes written (empty for a truncate). */
  readonly data: Uint8Array;
  readonly truncate?: number;
  /** The file's length before the mutation. */
  readonly oldLength: number;
  /** The bytes [at, at + old.length) before the mutation (a truncate: [size, oldLength)). */
  readonly old: Uint8Array;
}

/** A growable byte array: `bytes` has room, `length` is the file's size. */
class Bytes {
  bytes: Uint8Array;
  length: number;

  constructor(bytes: Uint8Array = new Uint8Array(0)) {
    this.bytes = bytes;
    this.length = bytes.length;
  }

  view(): Uint8Array {
    return this.bytes.subarray(0, this.length);
  }

  /** Sets the size; bytes past the old size read as zeros. */
  resize(size: number): void {
    if (size > this.bytes.length) {
      const next = new Uint8Array(Math.max(size, this.bytes.length * 2, 4096));
      next.set(this.view());
      this.bytes = next;
    } else if (size > this.length) {
      this.bytes.fill(0, this.length, size);
    }
    this.length = size;
  }

  write(data: Uint8Array, at: number): void {
    if (at + data.length > this.length) this.resize(at + data.length);
    this.bytes.set(data, at);
  }
}

interface Stored {
  /** What a reader sees now. */
  current: Bytes;
  /** Mutations since the last flush, oldest first: undone in reverse, they give the durable bytes. */
  pending: PendingWrite[];
}

/** The bytes that survived the last flush. */
function durableOf(f: Stored): Bytes {
  const out = new Bytes(f.current.view().slice());
  for (let i = f.pending.length - 1; i >= 0; i--) {
    const w = f.pending[i] as PendingWrite;
    const at = w.truncate ?? w.at;
    out.resize(Math.max(out.length, at + w.old.length));
    out.bytes.set(w.old, at);
    out.resize(w.oldLength);
  }
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
      const bytes = durableOf(f);
      f.pending.forEach((w, i) => {
        if (!keep(i)) return;
        if (w.truncate === undefined) bytes.write(w.data, w.at);
        else bytes.resize(w.truncate);
      });
      next.#files.set(name, { current: bytes, pending: [] });
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
      stored = { current: new Bytes(), pending: [] };
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
    const src = this.#f.current.view().subarray(Math.min(at, this.#f.current.length));
    const n = Math.min(into.length, src.length);
    into.set(src.subarray(0, n));
    return n;
  }

  write(data: Uint8Array, at: number): number {
    this.#backend.tick();
    const cur = this.#f.current;
    const old = cur.view().slice(at, at + data.length);
    this.#f.pending.push({ at, data: data.slice(), oldLength: cur.length, old });
    cur.write(data, at);
    return data.length;
  }

  truncate(size: number): void {
    this.#backend.tick();
    const cur = this.#f.current;
    const old = cur.view().slice(size);
    this.#f.pending.push({ at: 0, data: new Uint8Array(0), truncate: size, oldLength: cur.length, old });
    cur.resize(size);
  }

  flush(): void {
    this.#backend.tick();
    this.#f.pending = [];
  }

  size(): number {
    return this.#f.current.length;
  }

  close(): void {}
}
