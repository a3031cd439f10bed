// A DomainContext for the utilities' tests: channels that record what is written and
// answer reads from queues, syscalls answered by the test, and a fake fs server on a
// channel. Layer: apps (test support); nothing here runs in the system.
import { fsOpByNum } from '../../abi/fs-protocol.ts';
import { Status } from '../../abi/status.ts';
import { decodeCall, encodeCompletion, type WireValue } from '../../abi/syscall-codec.ts';
import type { Channel, ReadResult } from '../../workers/channel.ts';
import type { DomainContext } from '../../workers/domain.ts';
import type { Stubs } from '../../workers/stubs.ts';

/** One channel end: what was written to it, and what reads will get. */
export class FakeChannel {
  readonly handle: number;
  readonly written: Uint8Array[] = [];
  readonly #queue: ReadResult[] = [];
  #waiting: ((r: ReadResult) => void) | null = null;
  /** Called for each write; a fake server answers by `deliver`. */
  onWrite: ((data: Uint8Array, handles: readonly number[]) => void) | null = null;

  constructor(handle: number) {
    this.handle = handle;
  }

  deliver(data: Uint8Array, handles: readonly number[] = []): void {
    this.#push({ status: Status.OK, message: { data, handles, badge: 0, rights: 0 } });
  }

  close(): void {
    this.#push({ status: Status.PEER_CLOSED });
  }

  #push(r: ReadResult): void {
    const waiting = this.#waiting;
    this.#waiting = null;
    if (waiting) waiting(r);
    else this.#queue.push(r);
  }

  writeAsync(data: Uint8Array, handles: readonly number[] = []): Promise<number> {
    this.written.push(data.slice());
    this.onWrite?.(data, handles);
    return Promise.resolve(Status.OK);
  }

  readAsync(): Promise<ReadResult> {
    const queued = this.#queue.shift();
    if (queued) return Promise.resolve(queued);
    return new Promise((resolve) => (this.#waiting = resolve));
  }

  /** A write and the read of the next message, as Channel.callAsync. */
  async callAsync(data: Uint8Array, handles: readonly number[] = []): Promise<ReadResult> {
    const wrote = await this.writeAsync(data, handles);
    return wrote === Status.OK ? this.readAsync() : { status: Status.PEER_CLOSED };
  }

  text(): string {
    return this.written.map((b) => new TextDecoder().decode(b)).join('');
  }
}

export type FsReply = { errno: number; results?: readonly WireValue[]; handle?: number };

/** Answers fs requests on `channel` with `serve(op, args)`, as the fs server would. */
export function serveFs(
  channel: FakeChannel,
  serve: (op: string, args: readonly WireValue[]) => FsReply,
): void {
  channel.onWrite = (data) => {
    const call = decodeCall(data, fsOpByNum);
    if (!call.ok) throw new Error(`the client sent a bad fs request: ${call.error}`);
    const reply = serve(call.value.def.name, call.value.args);
    const bytes = encodeCompletion(call.value.def, call.value.tag, reply.errno, reply.results ?? []);
    channel.deliver(bytes, reply.handle === undefined ? [] : [reply.handle]);
  };
}

export interface Fake {
  readonly ctx: DomainContext;
  /** The channel behind a handle, made on first use. */
  channel(handle: number): FakeChannel;
  readonly closed: number[];
  readonly logs: string[];
}

/** Handles 100, 101, 102 are stdin, stdout, stderr; `extra` follows at index 3 on. */
export function fakeContext(
  argv: string[],
  sys: Partial<Stubs>,
  extra: number[] = [0],
  env: string[] = [],
): Fake {
  const channels = new Map<number, FakeChannel>();
  const channel = (h: number): FakeChannel => {
    const c = channels.get(h) ?? new FakeChannel(h);
    channels.set(h, c);
    return c;
  };
  const closed: number[] = [];
  const logs: string[] = [];
  const stubs = {
    handleCloseAsync: (h: number) => {
      closed.push(h);
      return Promise.resolve({ status: Status.OK });
    },
    ...sys,
  };
  const ctx = {
    pid: 9,
    name: argv[0] ?? '',
    handles: [100, 101, 102, ...extra],
    argv,
    env,
    sys: stubs,
    log: (_level: string, message: string) => void logs.push(message),
    // The utilities use a Channel's writeAsync, readAsync, callAsync and handle, which the fake has.
    channel: (h: number) => channel(h) as unknown as Channel,
  };
  return { ctx: ctx as unknown as DomainContext, channel, closed, logs };
}
