// The object store: content-addressed objects in append-only packs, an in-memory index
// rebuilt from the packs at mount, and atomic publication of a new state through the
// superblock. Layer: fs. Everything above it (volume, snapshots, gc) sees only
// `stage`, `get` and `publish`.
//
// LIFECYCLE. `open` reads the superblock, opens the packs it names, scans their
// published parts into the index and deletes pack files it does not name (leftovers of
// a crash). Objects staged since the last publish live past each pack's `committed`
// length; `publish(refs)` flushes them and then writes the superblock (the commit
// point); `rollback` forgets them. An exception from the backend in the middle of a
// publish leaves the on-disk store valid but this object unsure which state won: it
// answers EIO from then on, and the owner reopens the store.
import type { Backend, BlockFile } from './backend.ts';
import { Errno, fail, type FsResult } from './errors.ts';
import {
  Kind,
  PACK_HEADER_BYTES,
  PACK_TARGET_BYTES,
  packFileName,
  packIdOf,
  RECORD_HEADER_BYTES,
  SUPERBLOCK_FILE,
} from './format.ts';
import { sha256, type Hash } from './hash.ts';
import { type Location, Pack } from './pack.ts';
import { ok } from '../abi/result.ts';
import { MAX_PACKS, readSuperblock, type SuperState, writeSuperblock } from './superblock.ts';

/** The most bytes one span read of getChunks covers. */
const SPAN_BYTES = 2 * 1024 * 1024;
/** Bytes of other objects between two wanted ones that a span read takes along rather than split. */
const SPAN_GAP_BYTES = 64 * 1024;

export interface StoreOptions {
  /** Most bytes the store's files may take (packs and superblock); Infinity for none. */
  readonly quotaBytes?: number;
}

export interface Usage {
  /** Bytes in packs and superblock, staged appends included. */
  readonly storedBytes: number;
  readonly quotaBytes: number;
  readonly packs: number;
  readonly objects: number;
}

/** An object's id: SHA-256 of its kind byte followed by its payload. */
export async function objectHash(kind: Kind, payload: Uint8Array): Promise<Hash> {
  const b = new Uint8Array(payload.length + 1);
  b[0] = kind;
  b.set(payload, 1);
  return sha256(b);
}

export class ObjectStore {
  readonly #backend: Backend;
  readonly #super: BlockFile;
  #slot: number;
  #state: SuperState;
  readonly #packs = new Map<number, Pack>();
  readonly #index = new Map<Hash, Location>();
  readonly #staged = new Map<Hash, Location>();
  #active: Pack | null = null;
  readonly #quota: number;
  #broken: string | null = null;
  /**
   * The superblock file's size, read once at open and after each publish: usage() runs on
   * every write and every staged object, and OPFS's getSize is a call into the browser.
   */
  #superBytes: number;

  private constructor(backend: Backend, file: BlockFile, slot: number, state: SuperState, quota: number) {
    this.#backend = backend;
    this.#super = file;
    this.#superBytes = file.size();
    this.#slot = slot;
    this.#state = state;
    this.#quota = quota;
  }

  static async open(backend: Backend, options: StoreOptions = {}): Promise<FsResult<ObjectStore>> {
    const file = await backend.open(SUPERBLOCK_FILE, { create: true });
    if (file === null) return fail(Errno.EIO, 'the backend could not create the superblock file');
    const sb = readSuperblock(file);
    if (typeof sb === 'string') return fail(Errno.EIO, sb);
    const store = new ObjectStore(backend, file, sb.slot, sb.state, options.quotaBytes ?? Infinity);
    const loaded = await store.#load();
    return loaded.ok ? ok(store) : loaded;
  }

  async #load(): Promise<FsResult<void>> {
    for (const extent of this.#state.packs) {
      const file = await this.#backend.open(packFileName(extent.id), { create: false });
      if (file === null) return fail(Errno.EIO, `pack ${extent.id} named by the superblock is missing`);
      const pack = Pack.existing(extent.id, file, extent.length);
      const records = pack.scan();
      if (typeof records === 'string') return fail(Errno.EIO, records);
      for (const r of records) this.#index.set(r.hash, r.loc);
      this.#packs.set(pack.id, pack);
      this.#active = pack;
    }
    for (const name of await this.#backend.list()) {
      const id = packIdOf(name);
      if (id !== null && !this.#packs.has(id)) await this.#backend.remove(name);
    }
    return ok(undefined);
  }

  /** The kind of a stored object, or undefined if the store does not have it. */
  kindOf(hash: Hash): Kind | undefined {
    return (this.#index.get(hash) ?? this.#staged.get(hash))?.kind;
  }

  get refs(): Hash {
    return this.#state.refs;
  }

  has(hash: Hash): boolean {
    return this.#index.has(hash) || this.#staged.has(hash);
  }

  usage(): Usage {
    let stored = this.#superBytes;
    for (const p of this.#packs.values()) stored += p.end;
    return {
      storedBytes: stored,
      quotaBytes: this.#quota,
      packs: this.#packs.size,
      objects: this.#index.size,
    };
  }

  /** The payload of object `hash`, which must be of `kind`. */
  get(hash: Hash, kind: Kind): FsResult<Uint8Array> {
    const loc = this.#index.get(hash) ?? this.#staged.get(hash);
    if (loc === undefined) return fail(Errno.EIO, `object ${hash.slice(0, 12)} is missing from the store`);
    if (loc.kind !== kind)
      return fail(Errno.EIO, `object ${hash.slice(0, 12)} has kind ${loc.kind}, not ${kind}`);
    const payload = this.#packs.get(loc.pack)?.read(loc) ?? null;
    if (payload === null) return fail(Errno.EIO, `object ${hash.slice(0, 12)} fails its checksum`);
    return ok(payload);
  }

  /**
   * The payloads of those of `hashes` that are chunks in the store, reading objects that
   * lie close together in a pack (a file written in one go does) with one backend read
   * per span of at most SPAN_BYTES. What is missing, damaged or not a chunk is left out,
   * for `get` to report.
   */
  getChunks(hashes: readonly Hash[]): Map<Hash, Uint8Array> {
    const byPack = new Map<number, { hash: Hash; loc: Location }[]>();
    for (const hash of hashes) {
      const loc = this.#index.get(hash) ?? this.#staged.get(hash);
      if (loc === undefined || loc.kind !== Kind.CHUNK) continue;
      const list = byPack.get(loc.pack) ?? [];
      list.push({ hash, loc });
      byPack.set(loc.pack, list);
    }
    const out = new Map<Hash, Uint8Array>();
    for (const [id, objects] of byPack) {
      const pack = this.#packs.get(id);
      if (pack === undefined) continue;
      objects.sort((a, b) => a.loc.offset - b.loc.offset);
      let run: { hash: Hash; loc: Location }[] = [];
      const read = (): void => {
        const payloads = pack.readSpan(run.map((o) => o.loc));
        run.forEach((o, k) => {
          const payload = payloads[k];
          if (payload) out.set(o.hash, payload);
        });
        run = [];
      };
      for (const o of objects) {
        const first = run[0];
        const last = run[run.length - 1];
        if (first && last) {
          const gap = o.loc.offset - RECORD_HEADER_BYTES - (last.loc.offset + last.loc.length);
          const span = o.loc.offset + o.loc.length - (first.loc.offset - RECORD_HEADER_BYTES);
          if (gap < 0 || gap > SPAN_GAP_BYTES || span > SPAN_BYTES) read();
        }
        run.push(o);
      }
      if (run.length > 0) read();
    }
    return out;
  }

  /**
   * Appends an object unless the store has it. ENOSPC (nothing appended) if it would pass
   * the quota. `hash` must be objectHash(kind, payload): the caller computed it already.
   */
  async stage(kind: Kind, hash: Hash, payload: Uint8Array): Promise<FsResult<void>> {
    if (this.#broken !== null) return fail(Errno.EIO, this.#broken);
    if (this.has(hash)) return ok(undefined);
    const bytes = RECORD_HEADER_BYTES + payload.length;
    if (this.usage().storedBytes + bytes > this.#quota) {
      return fail(Errno.ENOSPC, `the store's quota of ${this.#quota} bytes would be exceeded`);
    }
    const pack = await this.#packFor(bytes);
    if (!pack.ok) return pack;
    this.#staged.set(hash, pack.value.append(kind, hash, payload));
    return ok(undefined);
  }

  async #packFor(bytes: number): Promise<FsResult<Pack>> {
    const active = this.#active;
    // A pack that holds only its header takes any object, however large.
    if (active !== null && (active.end + bytes <= PACK_TARGET_BYTES || active.end <= PACK_HEADER_BYTES)) {
      return ok(active);
    }
    if (this.#packs.size >= MAX_PACKS) {
      return fail(Errno.ENOSPC, `the store has ${MAX_PACKS} packs, the most a superblock names; run gc`);
    }
    const id = this.#state.nextPackId;
    const file = await this.#backend.open(packFileName(id), { create: true });
    if (file === null) return fail(Errno.EIO, `the backend could not create pack ${id}`);
    this.#state = { ...this.#state, nextPackId: id + 1 };
    const pack = Pack.create(id, file);
    this.#packs.set(id, pack);
    this.#active = pack;
    return ok(pack);
  }

  /** Makes every staged object durable, then `refs` the store's root: the commit point. */
  publish(refs: Hash): FsResult<void> {
    if (this.#broken !== null) return fail(Errno.EIO, this.#broken);
    try {
      for (const p of this.#packs.values()) if (p.end > p.committed) p.sync();
      const packs = [...this.#packs.values()].map((p) => ({ id: p.id, length: p.end }));
      const state = { ...this.#state, seq: this.#state.seq + 1, refs, packs };
      this.#slot = writeSuperblock(this.#super, state, this.#slot);
      this.#superBytes = this.#super.size();
      this.#state = state;
    } catch (e) {
      this.#broken = `the backend failed during a commit (${String(e)}); reopen the store`;
      throw e;
    }
    for (const p of this.#packs.values()) p.committed = p.end;
    for (const [h, loc] of this.#staged) this.#index.set(h, loc);
    this.#staged.clear();
    return ok(undefined);
  }

  /** Forgets every object staged since the last publish. */
  rollback(): void {
    for (const p of this.#packs.values()) p.rollback();
    this.#staged.clear();
  }

  /** Locations of every published object, by pack (for gc). */
  objectsByPack(): Map<number, [Hash, Location][]> {
    const out = new Map<number, [Hash, Location][]>();
    for (const entry of this.#index) {
      const list = out.get(entry[1].pack) ?? [];
      list.push(entry);
      out.set(entry[1].pack, list);
    }
    return out;
  }

  /**
   * Gc's commit step: copies the `live` objects of `packs` into new packs, publishes a
   * state without `packs`, then deletes their files. A crash before the publish leaves
   * the new packs as leftovers that the next open deletes; after it, the old ones.
   */
  async rewrite(packs: ReadonlySet<number>, live: ReadonlySet<Hash>): Promise<FsResult<void>> {
    if (this.#broken !== null) return fail(Errno.EIO, this.#broken);
    const done = await this.#rewrite(packs, live);
    if (!done.ok) this.#broken = `gc failed (${done.error.message}); reopen the store`;
    return done;
  }

  async #rewrite(packs: ReadonlySet<number>, live: ReadonlySet<Hash>): Promise<FsResult<void>> {
    const moved: [Hash, Kind, Uint8Array][] = [];
    for (const [pack, objects] of this.objectsByPack()) {
      if (!packs.has(pack)) continue;
      for (const [hash, loc] of objects) {
        if (!live.has(hash)) continue;
        const payload = this.get(hash, loc.kind);
        if (!payload.ok) return payload;
        moved.push([hash, loc.kind, payload.value]);
      }
    }
    this.#active = null;
    for (const [hash, loc] of this.#index) if (packs.has(loc.pack)) this.#index.delete(hash);
    const dropped = [...packs].map((id) => this.#packs.get(id)).filter((p) => p !== undefined);
    for (const p of dropped) this.#packs.delete(p.id);
    for (const [hash, kind, payload] of moved) {
      const pack = await this.#packFor(RECORD_HEADER_BYTES + payload.length);
      if (!pack.ok) return pack;
      this.#staged.set(hash, pack.value.append(kind, hash, payload));
    }
    const published = this.publish(this.#state.refs);
    if (!published.ok) return published;
    for (const p of dropped) {
      p.file.close();
      await this.#backend.remove(packFileName(p.id));
    }
    return ok(undefined);
  }
}
