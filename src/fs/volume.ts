// The working layer: a mutable POSIX-shaped namespace over the last commit, with paths
// relative to a root (resolve.ts keeps them inside it). Layer: fs. Nothing here touches
// the disk: changes live in memory until FileSystem.fsync writes them as a commit
// (commit.ts). Operations are synchronous and each one is atomic: it checks everything
// first, then changes the tree. A read-only volume (a snapshot view) answers EROFS to
// every change; while a commit is running, changes answer EBUSY.
import { ok } from '../abi/result.ts';
import { fromUtf8, utf8 } from './codec.ts';
import { Errno, fail, FS_LIMITS, type FsResult } from './errors.ts';
import { ZERO_HASH } from './hash.ts';
import { type ChunkSource, type Content, ensureCapacity, Inode, materialize, readContent } from './inode.ts';
import { EntryType } from './objects.ts';
import { openPath, type OpenFile } from './open-file.ts';
import { renamePath } from './rename.ts';
import { isDotName, resolve, type Resolved } from './resolve.ts';

export interface VolumeHooks {
  /** Milliseconds since the epoch, for timestamps. */
  now(): number;
  /** May the working layer hold `delta` more unwritten bytes? ENOSPC if not. */
  reserve(delta: number): FsResult<void>;
}

export type FileType = 'file' | 'dir' | 'symlink';

export interface Stat {
  readonly ino: number;
  readonly type: FileType;
  readonly mode: number;
  readonly nlink: number;
  readonly size: number;
  readonly atime: number;
  readonly mtime: number;
  readonly ctime: number;
}

export interface DirEntry {
  readonly name: string;
  readonly type: FileType;
}

const TYPE_NAMES = {
  [EntryType.FILE]: 'file',
  [EntryType.DIR]: 'dir',
  [EntryType.SYMLINK]: 'symlink',
} as const;
const EMPTY: Content = { kind: 'clean', hash: ZERO_HASH, size: 0 };

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
  #nextIno = 1;
  #nextLinkId = 1;

  constructor(src: ChunkSource, hooks: VolumeHooks, readOnly: boolean) {
    this.src = src;
    this.hooks = hooks;
    this.readOnly = readOnly;
    this.root = this.newInode(EntryType.DIR, 0o755, EMPTY);
    this.root.parent = this.root;
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

  resolve(path: string, followLast: boolean): FsResult<Resolved> {
    return resolve(this.root, path, followLast, (link) => this.#target(link));
  }

  /** The inode `path` names; ENOENT if none. */
  lookup(path: string, followLast = true): FsResult<Inode> {
    const r = this.resolve(path, followLast);
    if (!r.ok) return r;
    if (r.value.node === undefined) return fail(Errno.ENOENT, `"${path}" does not exist`);
    return ok(r.value.node);
  }

  /** Resolves the parent of a name to create or remove; refuses `.`, `..` and the root. */
  entry(path: string): FsResult<Resolved> {
    const r = this.mutable();
    if (!r.ok) return r;
    const res = this.resolve(path, false);
    if (res.ok && isDotName(res.value.name)) return fail(Errno.EINVAL, `"${path}" ends in "." or ".."`);
    return res;
  }

  #target(link: Inode): FsResult<string> {
    const bytes = materialize(this.src, link.content);
    return bytes.ok ? ok(fromUtf8(bytes.value.subarray(0, link.content.size))) : bytes;
  }

  statInode(n: Inode): Stat {
    const { ino, mode, nlink, size, atime, mtime, ctime } = n;
    return { ino, type: TYPE_NAMES[n.type], mode, nlink, size, atime, mtime, ctime };
  }

  stat(path: string, followLast = true): FsResult<Stat> {
    const n = this.lookup(path, followLast);
    return n.ok ? ok(this.statInode(n.value)) : n;
  }

  /** Entries sorted by name, without `.` and `..`. */
  readdir(path: string): FsResult<DirEntry[]> {
    const n = this.lookup(path);
    if (!n.ok) return n;
    if (n.value.entries === null) return fail(Errno.ENOTDIR, `"${path}" is not a directory`);
    const names = [...n.value.entries.keys()].sort();
    return ok(names.map((name) => ({ name, type: TYPE_NAMES[(n.value.entries?.get(name) as Inode).type] })));
  }

  /** Adds `node` as `name` in `dir` (the caller checked the name is free). */
  attach(dir: Inode, name: string, node: Inode): void {
    (dir.entries as Map<string, Inode>).set(name, node);
    if (node.entries !== null) node.parent = dir;
    this.touch(dir);
  }

  rename(from: string, to: string): FsResult<void> {
    return renamePath(this, from, to);
  }

  open(path: string, flags: number, mode = 0o644): FsResult<OpenFile> {
    return openPath(this, path, flags, mode);
  }

  mkdir(path: string, mode = 0o755): FsResult<void> {
    const r = this.entry(path);
    if (!r.ok) return r.error.code === Errno.EINVAL ? fail(Errno.EEXIST, `"${path}" exists`) : r;
    if (r.value.node !== undefined) return fail(Errno.EEXIST, `"${path}" exists`);
    this.attach(r.value.parent, r.value.name, this.newInode(EntryType.DIR, mode, EMPTY));
    return ok(undefined);
  }

  symlink(target: string, path: string): FsResult<void> {
    if (target === '') return fail(Errno.ENOENT, 'a symlink target cannot be empty');
    const bytes = utf8(target);
    if (bytes.length > FS_LIMITS.PATH_BYTES)
      return fail(Errno.ENAMETOOLONG, 'the symlink target is too long');
    const r = this.entry(path);
    if (!r.ok) return r.error.code === Errno.EINVAL ? fail(Errno.EEXIST, `"${path}" exists`) : r;
    if (r.value.node !== undefined) return fail(Errno.EEXIST, `"${path}" exists`);
    const reserved = this.hooks.reserve(bytes.length);
    if (!reserved.ok) return reserved;
    this.dirtyBytes += bytes.length;
    const content: Content = { kind: 'dirty', bytes, size: bytes.length };
    this.attach(r.value.parent, r.value.name, this.newInode(EntryType.SYMLINK, 0o777, content));
    return ok(undefined);
  }

  readlink(path: string): FsResult<string> {
    const n = this.lookup(path, false);
    if (!n.ok) return n;
    if (n.value.type !== EntryType.SYMLINK) return fail(Errno.EINVAL, `"${path}" is not a symbolic link`);
    return this.#target(n.value);
  }

  link(existing: string, path: string): FsResult<void> {
    const from = this.lookup(existing, false);
    if (!from.ok) return from;
    const node = from.value;
    if (node.entries !== null)
      return fail(Errno.EPERM, `"${existing}" is a directory; directories cannot be linked`);
    if (node.nlink >= FS_LIMITS.MAX_LINKS) return fail(Errno.EMLINK, `"${existing}" has too many links`);
    const r = this.entry(path);
    if (!r.ok) return r.error.code === Errno.EINVAL ? fail(Errno.EEXIST, `"${path}" exists`) : r;
    if (r.value.node !== undefined) return fail(Errno.EEXIST, `"${path}" exists`);
    if (node.linkId === 0) node.linkId = this.#nextLinkId++;
    node.nlink++;
    this.touch(node, true);
    this.attach(r.value.parent, r.value.name, node);
    return ok(undefined);
  }

  unlink(path: string): FsResult<void> {
    const r = this.entry(path);
    if (!r.ok) return r;
    const { parent, name, node } = r.value;
    if (node === undefined) return fail(Errno.ENOENT, `"${path}" does not exist`);
    if (node.entries !== null) return fail(Errno.EISDIR, `"${path}" is a directory; use rmdir`);
    this.detach(parent, name, node);
    return ok(undefined);
  }

  rmdir(path: string): FsResult<void> {
    const r = this.entry(path);
    if (!r.ok) return r;
    const { parent, name, node } = r.value;
    if (node === undefined) return fail(Errno.ENOENT, `"${path}" does not exist`);
    if (node.entries === null) return fail(Errno.ENOTDIR, `"${path}" is not a directory`);
    if (node.entries.size > 0) return fail(Errno.ENOTEMPTY, `"${path}" is not empty`);
    this.detach(parent, name, node);
    return ok(undefined);
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
    node.content = EMPTY;
  }

  utimes(path: string, atime: number, mtime: number): FsResult<void> {
    const ready = this.mutable();
    if (!ready.ok) return ready;
    const n = this.lookup(path);
    if (!n.ok) return n;
    this.touch(n.value, true);
    n.value.atime = atime;
    n.value.mtime = mtime;
    return ok(undefined);
  }

  truncate(path: string, size: number): FsResult<void> {
    const ready = this.mutable();
    if (!ready.ok) return ready;
    const n = this.lookup(path);
    if (!n.ok) return n;
    if (n.value.entries !== null) return fail(Errno.EISDIR, `"${path}" is a directory`);
    return this.setSize(n.value, size);
  }

  /** Bytes [pos, pos + into.length) of a file; fewer at its end. */
  readData(node: Inode, into: Uint8Array, pos: number): FsResult<number> {
    return readContent(this.src, node.content, into, pos);
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
      node.content = EMPTY;
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
