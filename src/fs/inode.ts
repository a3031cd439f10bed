// Inodes of the working layer: the mutable, in-memory view of a committed tree.
// Layer: fs. A file's content is either clean (a hash in the store, read on demand) or
// dirty (its bytes in memory, written to the store at the next commit). Directories
// hold their entries; a directory has exactly one parent, so `..` is a pointer.
//
// CHANGE TRACKING. Every change stamps the inode with the volume's generation
// (`touch`); a directory remembers the generation at which its tree was last written
// (`builtAt`). A commit reuses a directory's tree hash when neither it nor any child
// changed since then, so a commit costs a walk of the tree plus the work of what changed.
import type { FsResult } from './errors.ts';
import { type Hash, ZERO_HASH } from './hash.ts';
import type { ChunkRef, EntryType } from './objects.ts';
import type { StoredShard } from './shard.ts';

export type Content =
  | { readonly kind: 'clean'; readonly hash: Hash; readonly size: number }
  | { readonly kind: 'dirty'; bytes: Uint8Array; size: number };

/** Reads clean content out of the store. */
export interface ChunkSource {
  /** The chunks of the content `hash` of `size` bytes. */
  chunkList(hash: Hash, size: number): FsResult<readonly ChunkRef[]>;
  chunk(hash: Hash): FsResult<Uint8Array>;
  /** Whether chunk `hash` is in memory: reading it costs no backend read. */
  cached(hash: Hash): boolean;
  /**
   * Brings the chunks `hashes` into memory, those next to each other in the store in one
   * backend read. Failures are left for a read of them to report.
   */
  prefetch(hashes: readonly Hash[]): void;
}

/** An empty file's content (and a directory's, which has none). */
export const EMPTY_CONTENT: Content = { kind: 'clean', hash: ZERO_HASH, size: 0 };

export class Inode {
  readonly ino: number;
  readonly type: EntryType;
  mode: number;
  atime: number;
  mtime: number;
  ctime: number;
  /** Names referring to this inode (directories: 1, their `.` and `..` are implicit). */
  nlink = 1;
  /** Open files referring to it: an unlinked file lives on while one is open. */
  openCount = 0;
  /** Hard-link group stored in trees; 0 while nlink is 1 (objects.ts, TreeEntry). */
  linkId = 0;
  /** Files and symlinks (a symlink's target is UTF-8 content). */
  content: Content;
  /** Directories: name to child. */
  readonly entries: Map<string, Inode> | null;
  /** Directories: the one directory that holds this one (the root holds itself). */
  parent: Inode | null = null;
  /** The volume generation of the last change. */
  changedAt: number;
  /** Directories: the tree last written for it, and the generation it reflects. */
  treeHash: Hash | null = null;
  builtAt = -1;
  /** Directories stored as shards: the shards of `treeHash`, so a commit rewrites only changed ones. */
  shards: readonly StoredShard[] | null = null;

  constructor(
    ino: number,
    type: EntryType,
    mode: number,
    time: number,
    content: Content,
    generation: number,
  ) {
    this.ino = ino;
    this.type = type;
    this.mode = mode;
    this.atime = this.mtime = this.ctime = time;
    this.content = content;
    this.entries = type === 2 ? new Map() : null;
    this.changedAt = generation;
  }

  get size(): number {
    return this.entries === null ? this.content.size : 0;
  }
}

/** Copies bytes [pos, pos + into.length) of `content` into `into`; returns how many. */
export function readContent(
  src: ChunkSource,
  content: Content,
  into: Uint8Array,
  pos: number,
): FsResult<number> {
  const end = Math.min(content.size, pos + into.length);
  if (end <= pos) return { ok: true, value: 0 };
  if (content.kind === 'dirty') {
    into.set(content.bytes.subarray(pos, end));
    return { ok: true, value: end - pos };
  }
  const list = src.chunkList(content.hash, content.size);
  if (!list.ok) return list;
  let chunkStart = 0;
  for (const c of list.value) {
    const chunkEnd = chunkStart + c.length;
    if (chunkEnd > pos && chunkStart < end) {
      const bytes = src.chunk(c.hash);
      if (!bytes.ok) return bytes;
      const from = Math.max(pos, chunkStart);
      const to = Math.min(end, chunkEnd);
      into.set(bytes.value.subarray(from - chunkStart, to - chunkStart), from - pos);
    }
    if (chunkEnd >= end) break;
    chunkStart = chunkEnd;
  }
  return { ok: true, value: end - pos };
}

/**
 * Read-ahead for a sequential reader: if any chunk of bytes [pos, end) of clean content is
 * not in memory, fetches every chunk of [pos, windowEnd) at once, so that the reads after
 * this one find their bytes in `src`'s cache and the backend is asked once per window,
 * not once per chunk. Failures are left for that read to report.
 */
export function warmContent(
  src: ChunkSource,
  content: Content,
  pos: number,
  end: number,
  windowEnd = end,
): void {
  end = Math.min(end, content.size);
  windowEnd = Math.min(Math.max(windowEnd, end), content.size);
  if (content.kind === 'dirty' || end <= pos) return;
  const list = src.chunkList(content.hash, content.size);
  if (!list.ok) return;
  const window: Hash[] = [];
  let missing = false;
  let chunkStart = 0;
  for (const c of list.value) {
    const chunkEnd = chunkStart + c.length;
    if (chunkEnd > pos) {
      window.push(c.hash);
      if (chunkStart < end && !src.cached(c.hash)) missing = true;
    }
    if (chunkEnd >= windowEnd) break;
    chunkStart = chunkEnd;
  }
  if (missing) src.prefetch(window);
}

/** The whole content as bytes (a dirty file's buffer may be longer than its size). */
export function materialize(src: ChunkSource, content: Content): FsResult<Uint8Array> {
  if (content.kind === 'dirty') return { ok: true, value: content.bytes };
  const bytes = new Uint8Array(content.size);
  const n = readContent(src, content, bytes, 0);
  return n.ok ? { ok: true, value: bytes } : n;
}

/** Grows a dirty buffer to hold `size` bytes (doubling), keeping its contents. */
export function ensureCapacity(content: { bytes: Uint8Array }, size: number): void {
  if (content.bytes.length >= size) return;
  const next = new Uint8Array(Math.max(size, content.bytes.length * 2, 4096));
  next.set(content.bytes);
  content.bytes = next;
}
