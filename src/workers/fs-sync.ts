// The fs protocol (src/abi/fs-protocol.ts) called synchronously: the request goes out
// and the worker blocks (Atomics, through the kernel or a mapped ring) until the reply
// is there. Layer: workers. For code that must answer in the same call, such as a WASI
// import; src/workers/fs-client.ts is the async client for everything else. The server is
// trusted to answer in order; a reply that does not decode is EIO, never a guess.
import { FsErrno, fsOp } from '../abi/fs-protocol.ts';
import { Status } from '../abi/status.ts';
import { decodeCompletion, encodeCall, type WireValue } from '../abi/syscall-codec.ts';
import type { SyscallDef } from '../abi/sys.ts';
import type { Channel, ReadResult } from './channel.ts';

/** A reply: errno 0 with the op's results (and a handle if it gave one), or an errno and nothing. */
export interface FsSyncReply {
  readonly errno: number;
  readonly results: readonly WireValue[];
  readonly handle: number | null;
}

const failed = (errno: number): FsSyncReply => ({ errno, results: [], handle: null });

const encoder = new TextEncoder();

/** One fs object (Directory or File) reached through its channel, called one request at a time. */
export class FsSync {
  readonly channel: Channel;
  #nextId = 1;

  constructor(channel: Channel) {
    this.channel = channel;
  }

  /**
   * Sends `name` with `args` (strings are encoded as UTF-8), moving `handles` with it,
   * and blocks for the reply.
   */
  call(name: string, args: readonly (WireValue | string)[], handles: readonly number[] = []): FsSyncReply {
    const def = fsOp(name);
    const id = this.#nextId++;
    // One channel.call on an unmapped end: the request and the wait for its reply together.
    return this.#reply(def, id, this.channel.call(encodeCall(def, id, this.#wire(args)), handles));
  }

  #wire(args: readonly (WireValue | string)[]): WireValue[] {
    return args.map((a) => (typeof a === 'string' ? encoder.encode(a) : a));
  }

  #reply(def: SyscallDef, id: number, reply: ReadResult): FsSyncReply {
    if (reply.status !== Status.OK) return failed(FsErrno.EIO);
    const decoded = decodeCompletion(def, reply.message.data, true); // the reply is our own copy
    if (!decoded.ok || decoded.value.tag !== id) return failed(FsErrno.EIO);
    const { status, results } = decoded.value;
    if (status !== FsErrno.OK) return failed(status);
    return { errno: 0, results, handle: reply.message.handles[0] ?? null };
  }

  /**
   * Sends every request, then blocks for the replies, which the server gives in order:
   * one wait for all of them instead of one per call. A request that cannot be sent, and
   * every one after it, is EIO.
   */
  pipeline(calls: readonly (readonly [string, readonly (WireValue | string)[]])[]): FsSyncReply[] {
    const sent: { def: SyscallDef; id: number }[] = [];
    for (const [name, args] of calls) {
      const def = fsOp(name);
      const id = this.#nextId++;
      if (this.channel.write(encodeCall(def, id, this.#wire(args))) !== Status.OK) break;
      sent.push({ def, id });
    }
    const replies = sent.map(({ def, id }) => this.#reply(def, id, this.channel.readWait()));
    while (replies.length < calls.length) replies.push(failed(FsErrno.EIO));
    return replies;
  }
}
