// A directory view: every path operation of the working layer, relative to one directory
// inode — what a Directory handle confers (issue 4: its subtree only). Layer: fs. Paths
// come from untrusted programs; confinement is resolve.ts's, with this view's directory
// as the root: `..` there stays there, absolute paths and absolute symlink targets start
// there, so no path, however built, names an inode outside the subtree.
//
// The view holds the directory itself, not its path: renaming it (anywhere, even out of
// a parent view) keeps the view valid and still confined to it. Once the directory is
// removed (rmdir, or replaced by rename), every operation answers ENOENT; once a restore
// has retired the volume, EBADF. A Volume's own operations go through a view of its root.
import { ok } from '../abi/result.ts';
import { fromUtf8, utf8 } from './codec.ts';
import { Errno, fail, FS_LIMITS, type FsResult } from './errors.ts';
import { type Content, EMPTY_CONTENT, type Inode, materialize } from './inode.ts';
import { EntryType } from './objects.ts';
import { openPath, type OpenFile } from './open-file.ts';
import { renamePath } from './rename.ts';
import { isDotName, resolve, type Resolved } from './resolve.ts';
import { type DirEntry, type Stat, statOf, typeName } from './stat.ts';
import type { Volume } from './volume.ts';

export class DirView {
  readonly vol: Volume;
  readonly #dir: Inode;
  /** A way out (an absolute path or target, `..` at the top) is ENOTCAPABLE, not resolved from here. */
  readonly #refuseEscapes: boolean;

  /** `dir` must be a directory of `vol`. */
  constructor(vol: Volume, dir: Inode, refuseEscapes = false) {
    if (dir.entries === null) throw new Error('DirView: not a directory');
    this.vol = vol;
    this.#dir = dir;
    this.#refuseEscapes = refuseEscapes;
  }

  /** This view, with every way out ENOTCAPABLE instead of resolved chroot-like (WASI's rule). */
  refusingEscapes(): DirView {
    return this.#refuseEscapes ? this : new DirView(this.vol, this.#dir, true);
  }

  /** The directory this view is rooted at (still valid after it was renamed). */
  get dir(): Inode {
    return this.#dir;
  }

  /** The view's directory, if it can still be used. */
  #live(): FsResult<Inode> {
    if (this.vol.retired)
      return fail(Errno.EBADF, 'a snapshot restore replaced this volume; open the directory again');
    if (this.#dir.nlink === 0) return fail(Errno.ENOENT, 'the directory of this view has been removed');
    return ok(this.#dir);
  }

  resolve(path: string, followLast: boolean): FsResult<Resolved> {
    const dir = this.#live();
    if (!dir.ok) return dir;
    return resolve(dir.value, path, followLast, (link) => this.readTarget(link), this.#refuseEscapes);
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
    const r = this.vol.mutable();
    if (!r.ok) return r;
    const res = this.resolve(path, false);
    if (res.ok && isDotName(res.value.name)) return fail(Errno.EINVAL, `"${path}" ends in "." or ".."`);
    return res;
  }

  /** Like `entry`, for a name that must be free: EEXIST if it is taken (or is `.`/`..`). */
  #freeEntry(path: string): FsResult<Resolved> {
    const r = this.entry(path);
    if (!r.ok) return r.error.code === Errno.EINVAL ? fail(Errno.EEXIST, `"${path}" exists`) : r;
    if (r.value.node !== undefined) return fail(Errno.EEXIST, `"${path}" exists`);
    return r;
  }

  readTarget(link: Inode): FsResult<string> {
    const bytes = materialize(this.vol.src, link.content);
    return bytes.ok ? ok(fromUtf8(bytes.value.subarray(0, link.content.size))) : bytes;
  }

  /** A view of the directory `path` names, confined to it (and so to this view). */
  openDir(path: string): FsResult<DirView> {
    const n = this.lookup(path);
    if (!n.ok) return n;
    if (n.value.entries === null) return fail(Errno.ENOTDIR, `"${path}" is not a directory`);
    return ok(new DirView(this.vol, n.value, this.#refuseEscapes));
  }

  stat(path: string, followLast = true): FsResult<Stat> {
    const n = this.lookup(path, followLast);
    return n.ok ? ok(statOf(n.value)) : n;
  }

  /** Entries sorted by name, without `.` and `..`. */
  readdir(path: string): FsResult<DirEntry[]> {
    const n = this.lookup(path);
    if (!n.ok) return n;
    const entries = n.value.entries;
    if (entries === null) return fail(Errno.ENOTDIR, `"${path}" is not a directory`);
    const names = [...entries.keys()].sort();
    return ok(
      names.map((name) => {
        const node = entries.get(name) as Inode;
        return { name, type: typeName(node), ino: node.ino };
      }),
    );
  }

  open(path: string, flags: number, mode = 0o644): FsResult<OpenFile> {
    return openPath(this, path, flags, mode);
  }

  /** rename(2); `to` resolves in `into` (renameat(2) across two views), by default this one. */
  rename(from: string, to: string, into: DirView = this): FsResult<void> {
    return renamePath(this, from, to, into);
  }

  mkdir(path: string, mode = 0o755): FsResult<void> {
    const r = this.#freeEntry(path);
    if (!r.ok) return r;
    this.vol.attach(r.value.parent, r.value.name, this.vol.newInode(EntryType.DIR, mode, EMPTY_CONTENT));
    return ok(undefined);
  }

  symlink(target: string, path: string): FsResult<void> {
    if (target === '') return fail(Errno.ENOENT, 'a symlink target cannot be empty');
    const bytes = utf8(target);
    if (bytes.length > FS_LIMITS.PATH_BYTES)
      return fail(Errno.ENAMETOOLONG, 'the symlink target is too long');
    const r = this.#freeEntry(path);
    if (!r.ok) return r;
    const reserved = this.vol.hooks.reserve(bytes.length);
    if (!reserved.ok) return reserved;
    this.vol.dirtyBytes += bytes.length;
    const content: Content = { kind: 'dirty', bytes, size: bytes.length };
    this.vol.attach(r.value.parent, r.value.name, this.vol.newInode(EntryType.SYMLINK, 0o777, content));
    return ok(undefined);
  }

  readlink(path: string): FsResult<string> {
    const n = this.lookup(path, false);
    if (!n.ok) return n;
    if (n.value.type !== EntryType.SYMLINK) return fail(Errno.EINVAL, `"${path}" is not a symbolic link`);
    return this.readTarget(n.value);
  }

  /** link(2); `path` resolves in `into` (linkat(2) across two views), by default this one. */
  link(existing: string, path: string, into: DirView = this): FsResult<void> {
    if (into.vol !== this.vol) return fail(Errno.EXDEV, 'a link cannot cross from one volume to another');
    const from = this.lookup(existing, false);
    if (!from.ok) return from;
    const node = from.value;
    if (node.entries !== null)
      return fail(Errno.EPERM, `"${existing}" is a directory; directories cannot be linked`);
    if (node.nlink >= FS_LIMITS.MAX_LINKS) return fail(Errno.EMLINK, `"${existing}" has too many links`);
    const r = into.#freeEntry(path);
    if (!r.ok) return r;
    this.vol.addLink(node);
    this.vol.attach(r.value.parent, r.value.name, node);
    return ok(undefined);
  }

  unlink(path: string): FsResult<void> {
    const r = this.entry(path);
    if (!r.ok) return r;
    const { parent, name, node } = r.value;
    if (node === undefined) return fail(Errno.ENOENT, `"${path}" does not exist`);
    if (node.entries !== null) return fail(Errno.EISDIR, `"${path}" is a directory; use rmdir`);
    this.vol.detach(parent, name, node);
    return ok(undefined);
  }

  rmdir(path: string): FsResult<void> {
    const r = this.entry(path);
    if (!r.ok) return r;
    const { parent, name, node } = r.value;
    if (node === undefined) return fail(Errno.ENOENT, `"${path}" does not exist`);
    if (node.entries === null) return fail(Errno.ENOTDIR, `"${path}" is not a directory`);
    if (node.entries.size > 0) return fail(Errno.ENOTEMPTY, `"${path}" is not empty`);
    this.vol.detach(parent, name, node);
    return ok(undefined);
  }

  utimes(path: string, atime: number, mtime: number): FsResult<void> {
    const ready = this.vol.mutable();
    if (!ready.ok) return ready;
    const n = this.lookup(path);
    if (!n.ok) return n;
    this.vol.touch(n.value, true);
    n.value.atime = atime;
    n.value.mtime = mtime;
    return ok(undefined);
  }

  truncate(path: string, size: number): FsResult<void> {
    const ready = this.vol.mutable();
    if (!ready.ok) return ready;
    const n = this.lookup(path);
    if (!n.ok) return n;
    if (n.value.entries !== null) return fail(Errno.EISDIR, `"${path}" is a directory`);
    return this.vol.setSize(n.value, size);
  }
}
