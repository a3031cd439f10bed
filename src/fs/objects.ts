// Encoders and decoders of the store's objects: manifests, trees, commits and refs
// (docs/fs.md, "Objects"). Layer: fs. Decoders get bytes that passed the pack's CRC but
// still check every field: a malformed object decodes to null, never to a wrong value.
import { type Reader, tryRead, Writer } from './codec.ts';
import { HASH_BYTES, hashFromBytes, hashToBytes, type Hash } from './hash.ts';

export interface ChunkRef {
  readonly hash: Hash;
  readonly length: number;
}

export const EntryType = { FILE: 1, DIR: 2, SYMLINK: 3 } as const;
export type EntryType = (typeof EntryType)[keyof typeof EntryType];

export interface TreeEntry {
  readonly name: string;
  readonly type: EntryType;
  /** Permission bits (0o7777). */
  readonly mode: number;
  /** File bytes; symlink target bytes; 0 for a directory. */
  readonly size: number;
  /** Milliseconds since the epoch. */
  readonly atime: number;
  readonly mtime: number;
  readonly ctime: number;
  /** Hard-link group: 0 for a file with one name, else shared by all its names. */
  readonly linkId: number;
  /** Content: a CHUNK or MANIFEST for a file or symlink (ZERO_HASH if empty), a TREE for a directory. */
  readonly hash: Hash;
}

export interface Commit {
  readonly tree: Hash;
  /** ZERO_HASH for the first commit. */
  readonly parent: Hash;
  readonly time: number;
  readonly message: string;
}

export interface Refs {
  /** The commit the working layer was last made durable as. */
  readonly head: Hash;
  /** The newest commit kept in history; the next durable commit's parent. */
  readonly base: Hash;
  /** Snapshot name to commit, sorted by name. */
  readonly snapshots: ReadonlyMap<string, Hash>;
}

const hash = (r: Reader): Hash => hashFromBytes(r.bytes(HASH_BYTES));

export function encodeManifest(chunks: readonly ChunkRef[]): Uint8Array {
  const w = new Writer().u32(chunks.length);
  for (const c of chunks) w.bytes(hashToBytes(c.hash)).u32(c.length);
  return w.finish();
}

export function decodeManifest(b: Uint8Array): ChunkRef[] | null {
  return tryRead(b, (r) => Array.from({ length: r.u32() }, () => ({ hash: hash(r), length: r.u32() })));
}

/**
 * UTF-16 code-unit order, which is the order entries are stored in (docs/fs.md). It is
 * UTF-8 byte order except between characters above U+FFFF and those from U+E000 to U+FFFF.
 */
export function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function encodeTree(entries: readonly TreeEntry[]): Uint8Array {
  const sorted = [...entries].sort((a, b) => compareNames(a.name, b.name));
  const w = new Writer().u32(sorted.length);
  for (const e of sorted) {
    w.str16(e.name).u8(e.type).u32(e.mode).u64(e.size);
    w.f64(e.atime).f64(e.mtime).f64(e.ctime).u32(e.linkId).bytes(hashToBytes(e.hash));
  }
  return w.finish();
}

function decodeEntry(r: Reader): TreeEntry {
  const name = r.str16();
  const type = r.u8();
  if (type !== EntryType.FILE && type !== EntryType.DIR && type !== EntryType.SYMLINK) {
    throw new TypeError('bad entry type');
  }
  const mode = r.u32();
  const size = r.u64();
  const atime = r.f64();
  const mtime = r.f64();
  const ctime = r.f64();
  return { name, type, mode, size, atime, mtime, ctime, linkId: r.u32(), hash: hash(r) };
}

export function decodeTree(b: Uint8Array): TreeEntry[] | null {
  return tryRead(b, (r) => {
    const entries = Array.from({ length: r.u32() }, () => decodeEntry(r));
    for (let i = 1; i < entries.length; i++) {
      if (compareNames((entries[i - 1] as TreeEntry).name, (entries[i] as TreeEntry).name) >= 0) {
        throw new TypeError('tree entries not sorted and unique');
      }
    }
    return entries;
  });
}

/** One shard of a large directory, as its SHARDS index names it. */
export interface ShardRef {
  /** A TREE object holding `count` consecutive entries of the directory. */
  readonly hash: Hash;
  readonly count: number;
}

export function encodeShards(shards: readonly ShardRef[]): Uint8Array {
  const w = new Writer().u32(shards.length);
  for (const s of shards) w.u32(s.count).bytes(hashToBytes(s.hash));
  return w.finish();
}

/** A SHARDS index: at least two shards, none empty (a smaller directory is one TREE). */
export function decodeShards(b: Uint8Array): ShardRef[] | null {
  return tryRead(b, (r) => {
    const shards = Array.from({ length: r.u32() }, () => ({ count: r.u32(), hash: hash(r) }));
    if (shards.length < 2 || shards.some((s) => s.count === 0)) throw new TypeError('bad shard list');
    return shards;
  });
}

export function encodeCommit(c: Commit): Uint8Array {
  return new Writer()
    .bytes(hashToBytes(c.tree))
    .bytes(hashToBytes(c.parent))
    .f64(c.time)
    .str16(c.message)
    .finish();
}

export function decodeCommit(b: Uint8Array): Commit | null {
  return tryRead(b, (r) => ({ tree: hash(r), parent: hash(r), time: r.f64(), message: r.str16() }));
}

export function encodeRefs(refs: Refs): Uint8Array {
  const w = new Writer().bytes(hashToBytes(refs.head)).bytes(hashToBytes(refs.base));
  const names = [...refs.snapshots.keys()].sort(compareNames);
  w.u32(names.length);
  for (const name of names) w.str16(name).bytes(hashToBytes(refs.snapshots.get(name) as Hash));
  return w.finish();
}

export function decodeRefs(b: Uint8Array): Refs | null {
  return tryRead(b, (r) => {
    const head = hash(r);
    const base = hash(r);
    const snapshots = new Map<string, Hash>();
    for (let n = r.u32(); n > 0; n--) snapshots.set(r.str16(), hash(r));
    return { head, base, snapshots };
  });
}
