// A WASI fd on one end of a pipe: a channel end used as a byte stream (message
// boundaries mean nothing). Layer: workers. Reading blocks the worker in the kernel until
// bytes come; the writer closing its end is end-of-file. Writing blocks while the pipe is
// full (with FDFLAGS_NONBLOCK it is EAGAIN instead, or a short write); the reader having
// closed is EPIPE. The peer is not trusted: whatever it sends is
// just bytes.
import { LIMITS } from '../../abi/limits.ts';
import { Status } from '../../abi/status.ts';
import { wasi } from '@bjorn3/browser_wasi_shim';
import type { Channel } from '../channel.ts';
import { TesseraFd, type Readiness, type StatReply } from './fd.ts';
import { STREAM_READ_RIGHTS, STREAM_WRITE_RIGHTS } from './rights.ts';

const OK = wasi.ERRNO_SUCCESS;
const EMPTY = new Uint8Array(0);

export class StreamFd extends TesseraFd {
  readonly filetype: number;
  readonly #channel: Channel;
  readonly #writer: boolean;
  readonly #close: () => void;
  /** Bytes of the last message not yet read. */
  #pending: Uint8Array = EMPTY;
  #eof = false;

  /** `terminal` reports the fd as a character device (isatty), as a pty will be. */
  constructor(channel: Channel, writer: boolean, close: () => void, terminal = false) {
    const rights = writer ? STREAM_WRITE_RIGHTS : STREAM_READ_RIGHTS;
    super(rights, 0n);
    this.#channel = channel;
    this.#writer = writer;
    this.#close = close;
    this.filetype = terminal ? wasi.FILETYPE_CHARACTER_DEVICE : wasi.FILETYPE_UNKNOWN;
  }

  get handle(): number {
    return this.#channel.handle;
  }

  override fd_read(size: number): { ret: number; data: Uint8Array } {
    const need = this.need(wasi.RIGHTS_FD_READ);
    if (need !== OK) return { ret: need, data: EMPTY };
    if (this.#pending.byteLength === 0 && !this.#eof) {
      const nonblocking = (this.flags & wasi.FDFLAGS_NONBLOCK) !== 0;
      const got = nonblocking ? this.#take(this.#channel.read()) : this.#take(this.#channel.readWait());
      if (got !== OK) return { ret: got, data: EMPTY };
    }
    const data = this.#pending.subarray(0, size);
    this.#pending = this.#pending.subarray(data.byteLength);
    return { ret: OK, data };
  }

  /** Takes one read's outcome into #pending; AGAIN if nothing is there yet (non-blocking). */
  #take(r: ReturnType<Channel['read']>): number {
    if (r.status === Status.OK) this.#pending = r.message.data;
    else if (r.status === Status.PEER_CLOSED) this.#eof = true;
    else if (r.status === Status.SHOULD_WAIT) return wasi.ERRNO_AGAIN;
    else return wasi.ERRNO_IO;
    return OK;
  }

  override fd_write(data: Uint8Array): { ret: number; nwritten: number } {
    const need = this.need(wasi.RIGHTS_FD_WRITE);
    if (need !== OK) return { ret: need, nwritten: 0 };
    const nonblocking = (this.flags & wasi.FDFLAGS_NONBLOCK) !== 0;
    let done = 0;
    while (done < data.byteLength) {
      const piece = data.subarray(done, done + LIMITS.MESSAGE_BYTES).slice();
      const status = nonblocking ? this.#channel.tryWrite(piece) : this.#channel.write(piece);
      if (status !== Status.OK) {
        if (done > 0) return { ret: OK, nwritten: done }; // a short write; the next one says why
        const ret =
          status === Status.PEER_CLOSED
            ? wasi.ERRNO_PIPE
            : status === Status.SHOULD_WAIT
              ? wasi.ERRNO_AGAIN
              : wasi.ERRNO_IO;
        return { ret, nwritten: 0 };
      }
      done += piece.byteLength;
    }
    return { ret: OK, nwritten: done };
  }

  filestat(): StatReply {
    return {
      errno: 0,
      stat: { ino: 0, filetype: this.filetype, nlink: 1, size: 0, atime: 0, mtime: 0, ctime: 0 },
    };
  }

  override readiness(write: boolean): Readiness {
    if (write !== this.#writer) return { ready: true, nbytes: 0, hangup: false };
    if (write) return { ready: true, nbytes: LIMITS.MESSAGE_BYTES, hangup: false };
    if (this.#pending.byteLength === 0 && !this.#eof) this.#take(this.#channel.read());
    const ready = this.#pending.byteLength > 0 || this.#eof;
    return { ready, nbytes: this.#pending.byteLength, hangup: this.#eof };
  }

  override waitHandle(write: boolean): number | null {
    return write || this.#writer ? null : this.#channel.handle;
  }

  override fd_seek(): { ret: number; offset: bigint } {
    return { ret: wasi.ERRNO_SPIPE, offset: 0n };
  }

  override fd_tell(): { ret: number; offset: bigint } {
    return { ret: wasi.ERRNO_SPIPE, offset: 0n };
  }

  release(): void {
    this.#close();
  }
}
