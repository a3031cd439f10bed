// A WASI fd on a regular file: an fs File handle (its channel), called synchronously.
// Layer: workers. The fs server keeps the file position and enforces its rights; this
// checks the fd's WASI rights first and adds what the File protocol leaves to the
// client: O_APPEND switched on after open, fd_allocate, and splitting large writes.
import { FS_IO_MAX, FsWhence } from '../../abi/fs-protocol.ts';
import { wasi } from '@bjorn3/browser_wasi_shim';
import type { FsSync } from '../fs-sync.ts';
import { TesseraFd, type Readiness, type StatReply } from './fd.ts';
import { statFrom, timesToSet, validTimeFlags } from './stat.ts';

const OK = wasi.ERRNO_SUCCESS;
const EMPTY = new Uint8Array(0);

export class FileFd extends TesseraFd {
  readonly filetype = wasi.FILETYPE_REGULAR_FILE;
  readonly #file: FsSync;
  readonly #close: () => void;
  /** The server opened the file with O_APPEND, so its writes already go to the end. */
  readonly #openedAppend: boolean;

  constructor(file: FsSync, close: () => void, base: bigint, inheriting: bigint, flags: number) {
    super(base, inheriting, flags);
    this.#file = file;
    this.#close = close;
    this.#openedAppend = (flags & wasi.FDFLAGS_APPEND) !== 0;
  }

  override fd_read(size: number): { ret: number; data: Uint8Array } {
    const need = this.need(wasi.RIGHTS_FD_READ);
    if (need !== OK) return { ret: need, data: EMPTY };
    const r = this.#file.call('file.read', [Math.min(size, FS_IO_MAX)]);
    return r.errno === 0 ? { ret: OK, data: r.results[0] as Uint8Array } : { ret: r.errno, data: EMPTY };
  }

  override fd_pread(size: number, offset: bigint): { ret: number; data: Uint8Array } {
    const need = this.need(wasi.RIGHTS_FD_READ) || this.need(wasi.RIGHTS_FD_SEEK);
    if (need !== OK) return { ret: need, data: EMPTY };
    const r = this.#file.call('file.pread', [Math.min(size, FS_IO_MAX), Number(offset)]);
    return r.errno === 0 ? { ret: OK, data: r.results[0] as Uint8Array } : { ret: r.errno, data: EMPTY };
  }

  override fd_write(data: Uint8Array): { ret: number; nwritten: number } {
    const need = this.need(wasi.RIGHTS_FD_WRITE);
    if (need !== OK) return { ret: need, nwritten: 0 };
    if ((this.flags & wasi.FDFLAGS_APPEND) !== 0 && !this.#openedAppend) {
      const end = this.#file.call('file.seek', [0, FsWhence.END]);
      if (end.errno !== 0) return { ret: end.errno, nwritten: 0 };
    }
    return this.#inPieces(data, (piece) => this.#file.call('file.write', [piece]));
  }

  override fd_pwrite(data: Uint8Array, offset: bigint): { ret: number; nwritten: number } {
    const need = this.need(wasi.RIGHTS_FD_WRITE) || this.need(wasi.RIGHTS_FD_SEEK);
    if (need !== OK) return { ret: need, nwritten: 0 };
    return this.#inPieces(data, (piece, done) =>
      this.#file.call('file.pwrite', [piece, Number(offset) + done]),
    );
  }

  #inPieces(
    data: Uint8Array,
    send: (piece: Uint8Array, done: number) => ReturnType<FsSync['call']>,
  ): { ret: number; nwritten: number } {
    let done = 0;
    do {
      const piece = data.subarray(done, done + FS_IO_MAX);
      const r = send(piece, done);
      if (r.errno !== 0) return done > 0 ? { ret: OK, nwritten: done } : { ret: r.errno, nwritten: 0 };
      const wrote = r.results[0] as number;
      done += wrote;
      if (wrote < piece.byteLength) break;
    } while (done < data.byteLength);
    return { ret: OK, nwritten: done };
  }

  override fd_seek(offset: bigint, whence: number): { ret: number; offset: bigint } {
    const need = this.need(wasi.RIGHTS_FD_SEEK);
    if (need !== OK) return { ret: need, offset: 0n };
    if (whence !== wasi.WHENCE_SET && whence !== wasi.WHENCE_CUR && whence !== wasi.WHENCE_END)
      return { ret: wasi.ERRNO_INVAL, offset: 0n };
    const r = this.#file.call('file.seek', [Number(offset), whence]);
    return r.errno === 0 ? { ret: OK, offset: BigInt(r.results[0] as number) } : { ret: r.errno, offset: 0n };
  }

  override fd_tell(): { ret: number; offset: bigint } {
    const need = this.need(wasi.RIGHTS_FD_TELL);
    if (need !== OK) return { ret: need, offset: 0n };
    const r = this.#file.call('file.seek', [0, FsWhence.CUR]);
    return r.errno === 0 ? { ret: OK, offset: BigInt(r.results[0] as number) } : { ret: r.errno, offset: 0n };
  }

  /** Always ready; a read reports the bytes between the position and the end (0 if past it). */
  override readiness(write: boolean): Readiness {
    if (write) return { ready: true, nbytes: 0, hangup: false };
    const s = this.filestat();
    const pos = this.#file.call('file.seek', [0, FsWhence.CUR]);
    const left = 'stat' in s && pos.errno === 0 ? s.stat.size - (pos.results[0] as number) : 0;
    return { ready: true, nbytes: Math.max(0, left), hangup: false };
  }

  filestat(): StatReply {
    const r = this.#file.call('file.stat', []);
    return r.errno === 0 ? { errno: 0, stat: statFrom(r.results) } : { errno: r.errno };
  }

  override fd_filestat_set_size(size: bigint): number {
    return (
      this.need(wasi.RIGHTS_FD_FILESTAT_SET_SIZE) || this.#file.call('file.truncate', [Number(size)]).errno
    );
  }

  override fd_allocate(offset: bigint, len: bigint): number {
    const need = this.need(wasi.RIGHTS_FD_ALLOCATE);
    if (need !== OK) return need;
    if (len === 0n) return wasi.ERRNO_INVAL;
    const s = this.filestat();
    if (!('stat' in s)) return s.errno;
    const end = Number(offset + len);
    return end > s.stat.size ? this.#file.call('file.truncate', [end]).errno : OK;
  }

  override fd_sync(): number {
    return this.#file.call('file.sync', []).errno;
  }

  /** futimens(2) on the open file (file.utimes), wherever it has been renamed to. */
  override fd_filestat_set_times(atim: bigint, mtim: bigint, fst: number): number {
    const need = this.need(wasi.RIGHTS_FD_FILESTAT_SET_TIMES);
    if (need !== OK) return need;
    if (!validTimeFlags(fst)) return wasi.ERRNO_INVAL;
    const s = this.filestat();
    if (!('stat' in s)) return s.errno;
    const { atime, mtime } = timesToSet(atim, mtim, fst, s.stat);
    return this.#file.call('file.utimes', [atime, mtime]).errno;
  }

  release(): void {
    this.#close();
  }
}
