// The base of Tessera's WASI file descriptors: every fd holds WASI rights that only
// shrink, fd flags, and says how it stats and whether it is ready for poll_oneoff.
// Layer: workers. Subclasses are backed by Tessera handles (fs Directory and File
// channels, pipe channels); nothing here trusts the guest's arguments.
import { Fd, wasi } from '@bjorn3/browser_wasi_shim';
import { has } from './rights.ts';
import type { Fdstat, Stat } from './stat.ts';

export type StatReply = { readonly errno: 0; readonly stat: Stat } | { readonly errno: number };

/** What poll_oneoff asks of an fd: is a read (or write) possible now, and how many bytes. */
export interface Readiness {
  readonly ready: boolean;
  readonly nbytes: number;
  readonly hangup: boolean;
}

export abstract class TesseraFd extends Fd {
  #base: bigint;
  #inheriting: bigint;
  protected flags: number;

  constructor(base: bigint, inheriting: bigint, flags = 0) {
    super();
    this.#base = base;
    this.#inheriting = inheriting;
    this.flags = flags;
  }

  abstract readonly filetype: number;

  get base(): bigint {
    return this.#base;
  }

  get inheriting(): bigint {
    return this.#inheriting;
  }

  /** ERRNO_SUCCESS if this fd holds `right`, else ENOTCAPABLE. */
  need(right: number): number {
    return has(this.#base, right) ? wasi.ERRNO_SUCCESS : wasi.ERRNO_NOTCAPABLE;
  }

  fdstat(): Fdstat {
    return { filetype: this.filetype, flags: this.flags, base: this.#base, inheriting: this.#inheriting };
  }

  /** Rights only shrink: asking for one this fd lacks is ENOTCAPABLE. */
  override fd_fdstat_set_rights(base: bigint, inheriting: bigint): number {
    if ((base & ~this.#base) !== 0n || (inheriting & ~this.#inheriting) !== 0n) return wasi.ERRNO_NOTCAPABLE;
    this.#base = base;
    this.#inheriting = inheriting;
    return wasi.ERRNO_SUCCESS;
  }

  override fd_fdstat_set_flags(flags: number): number {
    const need = this.need(wasi.RIGHTS_FD_FDSTAT_SET_FLAGS);
    if (need !== wasi.ERRNO_SUCCESS) return need;
    const known =
      wasi.FDFLAGS_APPEND |
      wasi.FDFLAGS_DSYNC |
      wasi.FDFLAGS_NONBLOCK |
      wasi.FDFLAGS_RSYNC |
      wasi.FDFLAGS_SYNC;
    if ((flags & ~known) !== 0) return wasi.ERRNO_INVAL;
    this.flags = flags;
    return wasi.ERRNO_SUCCESS;
  }

  abstract filestat(): StatReply;

  /** fd_readdir on anything but a directory (DirFd lists its own): ENOTDIR, as getdents(2) says. */
  override fd_readdir_single(cookie: bigint): { ret: number; dirent: wasi.Dirent | null } {
    void cookie;
    return { ret: wasi.ERRNO_NOTDIR, dirent: null };
  }

  /** Readiness for an fd_read (`write` false) or fd_write subscription; files are always ready. */
  readiness(write: boolean): Readiness {
    void write;
    return { ready: true, nbytes: 0, hangup: false };
  }

  /** A handle a poll can wait on for readiness, or null if the fd never blocks. */
  waitHandle(write: boolean): number | null {
    void write;
    return null;
  }

  /** Releases the handles behind the fd (fd_close, or the process ending). */
  abstract release(): void;

  override fd_close(): number {
    this.release();
    return wasi.ERRNO_SUCCESS;
  }
}
