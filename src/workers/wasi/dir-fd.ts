// A WASI fd on a directory: an fs Directory handle (its channel), called synchronously.
// Layer: workers. Paths come from the guest: an absolute path, or one whose `..` climbs
// above this directory, is ENOTCAPABLE here (as preview 1 asks), and the fs server confines
// whatever gets through (symlinks included) to the handle's subtree anyway.
import { FsErrno, FsOpen, FsType } from '../../abi/fs-protocol.ts';
import { wasi } from '@bjorn3/browser_wasi_shim';
import type { FsSync, FsSyncReply } from '../fs-sync.ts';
import { TesseraFd, type StatReply } from './fd.ts';
import { DIR_RIGHTS, FILE_RIGHTS, has } from './rights.ts';
import { statFrom, timesToSet, validTimeFlags } from './stat.ts';

const OK = wasi.ERRNO_SUCCESS;
/** lookupflags: follow a symlink in the last component. */
export const SYMLINK_FOLLOW = 1;

/** Opens Tessera fds on handles the fs server gives (a File or a Directory channel). */
export interface FdFactory {
  file(handle: number, base: bigint, inheriting: bigint, flags: number): TesseraFd;
  dir(handle: number, base: bigint, inheriting: bigint): DirFd;
}

/** Whether `path` stays inside the directory it is relative to, by its own components. */
export function staysInside(path: string): boolean {
  if (path.startsWith('/')) return false;
  let depth = 0;
  for (const part of path.split('/')) {
    if (part === '..') depth--;
    else if (part !== '' && part !== '.') depth++;
    if (depth < 0) return false;
  }
  return true;
}

interface Listing {
  /** name, FsType, ino: dir.readdir's entries. */
  readonly names: readonly [string, number, number][];
}

const DIRENT_TYPE: Record<number, number> = {
  [FsType.FILE]: wasi.FILETYPE_REGULAR_FILE,
  [FsType.DIR]: wasi.FILETYPE_DIRECTORY,
  [FsType.SYMLINK]: wasi.FILETYPE_SYMBOLIC_LINK,
};

export class DirFd extends TesseraFd {
  readonly filetype = wasi.FILETYPE_DIRECTORY;
  readonly dir: FsSync;
  /** The guest path of a preopen; null for directories the program opened. */
  readonly preopen: string | null;
  readonly #make: FdFactory;
  readonly #close: () => void;
  #listing: Listing | null = null;

  constructor(
    dir: FsSync,
    make: FdFactory,
    close: () => void,
    rights: { base: bigint; inheriting: bigint },
    preopen: string | null = null,
  ) {
    super(rights.base, rights.inheriting);
    this.dir = dir;
    this.#make = make;
    this.#close = close;
    this.preopen = preopen;
  }

  /** ENOTCAPABLE unless this fd holds `right` and `path` stays inside; else the call's errno. */
  op(right: number, path: string, call: () => number): number {
    const need = this.need(right);
    if (need !== OK) return need;
    return staysInside(path) ? call() : wasi.ERRNO_NOTCAPABLE;
  }

  #errno = (name: string, args: (string | number)[]): number => this.dir.call(name, args).errno;

  override fd_prestat_get(): { ret: number; prestat: wasi.Prestat | null } {
    if (this.preopen === null) return { ret: wasi.ERRNO_BADF, prestat: null };
    return { ret: OK, prestat: wasi.Prestat.dir(this.preopen) };
  }

  filestat(): StatReply {
    if (this.need(wasi.RIGHTS_FD_FILESTAT_GET) !== OK) return { errno: wasi.ERRNO_NOTCAPABLE };
    return this.pathStat('.', true);
  }

  pathStat(path: string, follow: boolean): StatReply {
    if (!staysInside(path)) return { errno: wasi.ERRNO_NOTCAPABLE };
    const r = this.dir.call('dir.stat', [path, follow ? 1 : 0]);
    return r.errno === 0 ? { errno: 0, stat: statFrom(r.results) } : { errno: r.errno };
  }

  override path_create_directory(path: string): number {
    return this.op(wasi.RIGHTS_PATH_CREATE_DIRECTORY, path, () => this.#errno('dir.mkdir', [path, 0o755]));
  }

  override path_remove_directory(path: string): number {
    return this.op(wasi.RIGHTS_PATH_REMOVE_DIRECTORY, path, () => this.#errno('dir.rmdir', [path]));
  }

  override path_unlink_file(path: string): number {
    return this.op(wasi.RIGHTS_PATH_UNLINK_FILE, path, () => {
      // unlink(2) of a directory is EISDIR on Linux; the server may say EPERM.
      const errno = this.#errno('dir.unlink', [path]);
      return errno === FsErrno.EPERM ? wasi.ERRNO_ISDIR : errno;
    });
  }

  symlink(target: string, path: string): number {
    return this.op(wasi.RIGHTS_PATH_SYMLINK, path, () => this.#errno('dir.symlink', [target, path]));
  }

  override path_readlink(path: string): { ret: number; data: string | null } {
    let data: string | null = null;
    const ret = this.op(wasi.RIGHTS_PATH_READLINK, path, () => {
      const r = this.dir.call('dir.readlink', [path]);
      if (r.errno === 0) data = new TextDecoder().decode(r.results[0] as Uint8Array);
      return r.errno;
    });
    return { ret, data };
  }

  /** Sets times, in ns (WASI's unit); the store keeps ms. `now` flags take the current time. */
  setTimes(path: string, follow: boolean, atim: bigint, mtim: bigint, fst: number): number {
    if (!validTimeFlags(fst)) return wasi.ERRNO_INVAL;
    return this.op(wasi.RIGHTS_PATH_FILESTAT_SET_TIMES, path, () => {
      const cur = this.pathStat(path, follow);
      if (!('stat' in cur)) return cur.errno;
      const { atime, mtime } = timesToSet(atim, mtim, fst, cur.stat);
      return this.#errno('dir.utimes', [path, atime, mtime]);
    });
  }

  override path_filestat_set_times(
    flags: number,
    path: string,
    atim: bigint,
    mtim: bigint,
    fst: number,
  ): number {
    return this.setTimes(path, (flags & SYMLINK_FOLLOW) !== 0, atim, mtim, fst);
  }

  override fd_filestat_set_times(atim: bigint, mtim: bigint, fst: number): number {
    if (this.need(wasi.RIGHTS_FD_FILESTAT_SET_TIMES) !== OK) return wasi.ERRNO_NOTCAPABLE;
    return this.setTimes('.', true, atim, mtim, fst);
  }

  override path_open(
    dirflags: number,
    path: string,
    oflags: number,
    base: bigint,
    inheriting: bigint,
    fdflags: number,
  ): { ret: number; fd_obj: TesseraFd | null } {
    if (this.need(wasi.RIGHTS_PATH_OPEN) !== OK || (base & ~this.inheriting) !== 0n)
      return { ret: wasi.ERRNO_NOTCAPABLE, fd_obj: null };
    if (!staysInside(path)) return { ret: wasi.ERRNO_NOTCAPABLE, fd_obj: null };
    if (oflags & wasi.OFLAGS_CREAT && this.need(wasi.RIGHTS_PATH_CREATE_FILE) !== OK)
      return { ret: wasi.ERRNO_NOTCAPABLE, fd_obj: null };
    const inh = inheriting & this.inheriting;
    if (oflags & wasi.OFLAGS_DIRECTORY) {
      if (oflags & (wasi.OFLAGS_CREAT | wasi.OFLAGS_TRUNC)) return { ret: wasi.ERRNO_INVAL, fd_obj: null };
      return this.#openDir(path, base, inh);
    }
    const write = has(base, wasi.RIGHTS_FD_WRITE) || (oflags & wasi.OFLAGS_TRUNC) !== 0;
    const read = has(base, wasi.RIGHTS_FD_READ) || has(base, wasi.RIGHTS_FD_READDIR);
    const flags =
      (write ? (read ? FsOpen.RDWR : FsOpen.WRONLY) : FsOpen.RDONLY) |
      (oflags & wasi.OFLAGS_CREAT ? FsOpen.CREAT : 0) |
      (oflags & wasi.OFLAGS_EXCL ? FsOpen.EXCL : 0) |
      (oflags & wasi.OFLAGS_TRUNC ? FsOpen.TRUNC : 0) |
      (fdflags & wasi.FDFLAGS_APPEND ? FsOpen.APPEND : 0) |
      (dirflags & SYMLINK_FOLLOW ? 0 : FsOpen.NOFOLLOW);
    const r = this.dir.call('dir.open', [path, flags, 0o644]);
    // A directory opened without O_DIRECTORY (opendir does pass it; open(".") may not): the
    // server opens files only, so a directory is EISDIR there.
    if (r.errno === FsErrno.EISDIR && !write) return this.#openDir(path, base, inh);
    if (r.errno !== 0) return { ret: r.errno, fd_obj: null };
    if (r.handle === null) return { ret: wasi.ERRNO_IO, fd_obj: null };
    return { ret: OK, fd_obj: this.#make.file(r.handle, base & FILE_RIGHTS, inh, fdflags) };
  }

  #openDir(path: string, base: bigint, inh: bigint): { ret: number; fd_obj: TesseraFd | null } {
    const r: FsSyncReply = this.dir.call('dir.open_dir', [path]);
    if (r.errno !== 0) return { ret: r.errno, fd_obj: null };
    if (r.handle === null) return { ret: wasi.ERRNO_IO, fd_obj: null };
    return { ret: OK, fd_obj: this.#make.dir(r.handle, base & DIR_RIGHTS, inh) };
  }

  /** Entry `cookie` of ".", "..", then the directory's entries in order (listed once per pass). */
  override fd_readdir_single(cookie: bigint): { ret: number; dirent: wasi.Dirent | null } {
    if (this.need(wasi.RIGHTS_FD_READDIR) !== OK) return { ret: wasi.ERRNO_NOTCAPABLE, dirent: null };
    if (cookie === 0n || this.#listing === null) {
      const listed = this.#list();
      if (typeof listed === 'number') return { ret: listed, dirent: null };
      this.#listing = listed;
    }
    const at = Number(cookie);
    const all = this.#listing.names;
    if (at >= all.length + 2) return { ret: OK, dirent: null };
    const entry = all[at - 2] ?? ['', 0, 0];
    // "." and ".." carry no inode number here (preview 1 leaves d_ino to the runtime).
    const [name, type, ino] =
      at < 2
        ? [at === 0 ? '.' : '..', wasi.FILETYPE_DIRECTORY, 0]
        : [entry[0], DIRENT_TYPE[entry[1]], entry[2]];
    const dirent = new wasi.Dirent(BigInt(at + 1), BigInt(ino), name, type ?? wasi.FILETYPE_UNKNOWN);
    return { ret: OK, dirent };
  }

  #list(): Listing | number {
    const names: [string, number, number][] = [];
    let cookie = 0;
    do {
      const r = this.dir.call('dir.readdir', ['.', cookie]);
      if (r.errno !== 0) return r.errno;
      const page = JSON.parse(new TextDecoder().decode(r.results[0] as Uint8Array)) as [
        string,
        number,
        number,
      ][];
      names.push(...page);
      cookie = r.results[1] as number;
    } while (cookie !== 0);
    return { names };
  }

  override fd_sync(): number {
    return this.#errno('dir.sync', []);
  }

  release(): void {
    this.#close();
  }
}
