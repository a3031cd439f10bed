// The working layer: a mutable POSIX-shaped namespace over the last commit. Layer: fs.
// Nothing here touches the disk: changes live in memory until FileSystem.fsync writes
// them as a commit (commit.ts). This file holds the inode-level operations; path
// operations live in dir-view.ts, confined to a directory (the volume's own ones to its
// root, `top`). Operations are synchronous and each one is atomic: it checks everything
// first, then changes the tree. A read-only volume (a snapshot view) answers EROFS to
// every change; while a commit is running, changes answer EBUSY.
import { ok } from '../abi/result.ts';
import { DirView } from './dir-view.ts';
import { Errno, fail, type FsResult } from './errors.ts';
import {
  type ChunkSource,
  type Content,
  EMPTY_CONTENT,
  ensureCapacity,
  Inode,
  materialize,
  readContent,
  warmContent,
} from './inode.ts';
import { EntryType } from './objects.ts';
import type { OpenFile } from './open-file.ts';
import type { Resolved } from './resolve.ts';
import { type DirEntry, type Stat, statOf } from './stat.ts';

export type { DirEntry, FileType, Stat } from './stat.ts';

export interface VolumeHooks {
  /** Milliseconds since the epoch, for timestamps. */
  now(): number;
  /** May the working layer hold `delta` more unwritten bytes? ENOSPC if not. */
  reserve(delta: number): FsResult<void>;
}

export class Volume {
  readonly root: Inode;
  readonly readOnly: boolean;
  readonly src: ChunkSource;
  readonly hooks: VolumeHooks;
  /** Bumped by every change; see inode.ts, "Change tracking". */
  generation = 0;
  /** Bytes held by dirty files: what the next commit may have to store at most. */
  dirtyBytes = 0;
  /** Set by the commit or gc in progress. */
  busy = false;
  /** Set when a restore replaced this volume: its open files can no longer change anything. */
  retired = false;
  /** Inodes with open files (gc keeps their content even when no name refers to it). */
  readonly openInodes = new Set<Inode>();
  /** Path operations from the root go through this view. */
  readonly top: DirView;
  #nextIno = 1;
  #nextLinkId = 1;

  constructor(src: ChunkSource, hooks: VolumeHooks, readOnly: boolean) {
    this.src = src;
    this.hooks = hooks;
    this.readOnly = readOnly;
    this.root = this.newInode(EntryType.DIR, 0o755, EMPTY_CONTENT);
    this.root.parent = this.root;
    this.top = new DirView(this, this.root);
  }

  newInode(type: EntryType, mode: number, content: Content): Inode {
    return new Inode(this.#nextIno++, type, mode & 0o7777, this.hooks.now(), content, this.generation);
  }

  /** Records that `node` changed now; `meta` only changes ctime (e.g. a new link). */
  touch(node: Inode, meta = false): void {
    const now = this.hooks.now();
    if (!meta) node.mtime = now;
    node.ctime = now;
    node.changedAt = ++this.generation;
  }

  /** Link ids are unique within a volume; the loader tells it which ones trees used. */
  noteLinkId(id: number): void {
    this.#nextLinkId = Math.max(this.#nextLinkId, id + 1);
  }

  mutable(): FsResult<void> {
    if (this.readOnly) return fail(Errno.EROFS, 'this is a read-only snapshot view');
    if (this.retired)
      return fail(Errno.EBADF, 'a snapshot restore replaced this volume; open the file again');
    if (this.busy) return fail(Errno.EBUSY, 'a commit is in progress; retry when fsync has returned');
    return ok(undefined);
  }

  /** A view confined to the directory `path` names (dir-view.ts). */
  openDir(path: string): FsResult<DirView> {
    return this.top.openDir(path);
  }

  // Path operations from the root: see DirView for each one's contract.
  resolve(path: string, followLast: boolean): FsResult<Resolved> {
    return this.top.resolve(path, followLast);
  }
  lookup(path: string, followLast = true): FsResult<Inode> {
    return this.top.lookup(path, followLast);
  }
  entry(path: string): FsResult<Resolved> {
    return this.top.entry(path);
  }
  statInode(n: Inode): Stat {
    return statOf(n);
  }
  stat(path: string, followLast = true): FsResult<Stat> {
    return this.top.stat(path, followLast);
  }
  readdir(path: string): FsResult<DirEntry[]> {
    return this.top.readdir(path);
  }
  open(path: string, flags: number, mode = 0o644): FsResult<OpenFile> {
    return this.top.open(path, flags, mode);
  }
  rename(from: string, to: string): FsResult<void> {
    return this.top.rename(from, to);
  }
  mkdir(path: string, mode = 0o755): FsResult<void> {
    return this.top.mkdir(path, mode);
  }
  symlink(target: string, path: string): FsResult<void> {
    return this.top.symlink(target, path);
  }
  readlink(path: string): FsResult<string> {
    return this.top.readlink(path);
  }
  link(existing: string, path: string): FsResult<void> {
    return this.top.link(existing, path);
  }
  unlink(path: string): FsResult<void> {
    return this.top.unlink(path);
  }
  rmdir(path: string): FsResult<void> {
    return this.top.rmdir(path);
  }
  utimes(path: string, atime: number, mtime: number): FsResult<void> {
    return this.top.utimes(path, atime, mtime);
  }
  truncate(path: string, size: number): FsResult<void> {
    return this.top.truncate(path, size);
  }

  /** Adds `node` as `name` in `dir` (the caller checked the name is free). */
  attach(dir: Inode, name: string, node: Inode): void {
    (dir.entries as Map<string, Inode>).set(name, node);
    if (node.entries !== null) node.parent = dir;
    this.touch(dir);
  }

  /** One more name for the file `node` (the caller checked it is not a directory). */
  addLink(node: Inode): void {
    if (node.linkId === 0) node.linkId = this.#nextLinkId++;
    node.nlink++;
    this.touch(node, true);
  }

  /** Removes `name` from `dir`; drops one link of `node`, releasing it when none is left. */
  detach(dir: Inode, name: string, node: Inode): void {
    (dir.entries as Map<string, Inode>).delete(name);
    this.touch(dir);
    node.nlink--;
    this.touch(node, true);
    this.releaseIfUnused(node);
  }

  /** An inode without names and without open files frees its unwritten bytes. */
  releaseIfUnused(node: Inode): void {
    if (node.nlink > 0 || node.openCount > 0) return;
    if (node.content.kind === 'dirty') this.dirtyBytes -= node.content.size;
    node.content = EMPTY_CONTENT;
  }

  /** Bytes [pos, pos + into.length) of a file; fewer at its end. */
  readData(node: Inode, into: Uint8Array, pos: number): FsResult<number> {
    return readContent(this.src, node.content, into, pos);
  }

  /** Warms the chunk cache for bytes [pos, end) of `node`, and up to windowEnd if it must read (warmContent). */
  warmData(node: Inode, pos: number, end: number, windowEnd = end): void {
    warmContent(this.src, node.content, pos, end, windowEnd);
  }

  /** Makes `node`'s content dirty with room for `size` bytes, reserving what it adds. */
  #dirty(node: Inode, size: number): FsResult<{ bytes: Uint8Array; size: number }> {
    const c = node.content;
    const before = c.kind === 'dirty' ? c.size : 0;
    const reserved = this.hooks.reserve(Math.max(size, c.size) - before);
    if (!reserved.ok) return reserved;
    if (c.kind === 'dirty') return ok(c);
    const bytes = materialize(this.src, c);
    if (!bytes.ok) return bytes;
    const dirty = { kind: 'dirty' as const, bytes: bytes.value, size: c.size };
    node.content = dirty;
    this.dirtyBytes += c.size;
    return ok(dirty);
  }

  /** Writes all of `data` at `pos`, or nothing (ENOSPC). */
  writeData(node: Inode, data: Uint8Array, pos: number): FsResult<number> {
    const end = pos + data.length;
    const d = this.#dirty(node, end);
    if (!d.ok) return d;
    ensureCapacity(d.value, end);
    d.value.bytes.set(data, pos);
    if (end > d.value.size) {
      this.dirtyBytes += end - d.value.size;
      d.value.size = end;
    }
    this.touch(node);
    return ok(data.length);
  }

  setSize(node: Inode, size: number): FsResult<void> {
    if (!Number.isSafeInteger(size) || size < 0)
      return fail(Errno.EINVAL, `size ${size} is not a byte count`);
    if (size === 0) {
      if (node.content.kind === 'dirty') this.dirtyBytes -= node.content.size;
      node.content = EMPTY_CONTENT;
      this.touch(node);
      return ok(undefined);
    }
    const d = this.#dirty(node, size);
    if (!d.ok) return d;
    ensureCapacity(d.value, size);
    if (size < d.value.size) d.value.bytes.fill(0, size, d.value.size);
    this.dirtyBytes += size - d.value.size;
    d.value.size = size;
    this.touch(node);
    return ok(undefined);
  }
}
