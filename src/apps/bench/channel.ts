// Blocking channel helpers for the bench programs, built on the runtime's Channel (the
// way any program would use a channel, mapped or not). Layer: apps. Every status but
// the expected ones throws: a bench program that sees one has found a bug, and
// crashing says so.
import { Signal } from '../../abi/objects.ts';
import { Status, statusName } from '../../abi/status.ts';
import type { Channel } from '../../workers/channel.ts';
import type { DomainContext } from '../../workers/domain.ts';
import type { Stubs } from '../../workers/stubs.ts';

export interface Received {
  readonly data: Uint8Array;
  readonly handles: readonly number[];
}

const NONE: readonly number[] = [];

/** How a bench program uses a channel: through the kernel, or mapped (channel rings). */
export type ChannelMode = 'kernel' | 'mapped';

export const isChannelMode = (v: unknown): v is ChannelMode => v === 'kernel' || v === 'mapped';

/** Throws unless `status` is OK. */
export function check(status: number, what: string): void {
  if (status !== Status.OK) throw new Error(`${what}: ${statusName(status)}`);
}

/** Parks until one of `signals` is asserted on `handle` (at most `timeoutMs`, if given); returns the signals seen. */
export function waitFor(sys: Stubs, handle: number, signals: number, timeoutMs = -1): number {
  const r = sys.objectWaitOne(handle, signals, timeoutMs);
  check(r.status, 'object.wait_one');
  return r.observed ?? 0;
}

/** A Channel on `handle` in `mode`. */
export async function open(ctx: DomainContext, handle: number, mode: ChannelMode): Promise<Channel> {
  if (mode === 'kernel') return ctx.channel(handle);
  const channel = await ctx.mapChannel(handle);
  if (typeof channel === 'number') throw new Error(`channel.map: ${statusName(channel)}`);
  return channel;
}

/** Writes one message, waiting while the peer's kernel queue is full (a mapped writer waits for ring space itself). */
export function send(
  sys: Stubs,
  channel: Channel,
  data: Uint8Array,
  handles: readonly number[] = NONE,
): void {
  for (;;) {
    const status = channel.write(data, handles);
    if (status !== Status.SHOULD_WAIT) {
      check(status, 'channel.write');
      return;
    }
    waitFor(sys, channel.handle, Signal.WRITABLE | Signal.PEER_CLOSED);
  }
}

/**
 * Takes the next message, waiting until there is one; null once the peer has closed and
 * nothing is left. `waitFirst` parks in object.wait_one before the first read of an
 * unmapped channel: one syscall fewer when the message is known not to be there yet (a
 * reply), one more when it already is. A mapped channel looks at its ring first. With
 * `into`, the message is copied there (see Channel.read).
 */
export function receive(
  sys: Stubs,
  channel: Channel,
  waitFirst: boolean,
  timeoutMs = Infinity,
  into?: Uint8Array,
): Received | null {
  if (waitFirst && !channel.mapped) waitFor(sys, channel.handle, Signal.READABLE | Signal.PEER_CLOSED);
  const r = channel.readWait(timeoutMs, into);
  if (r.status === Status.OK) return r.message;
  if (r.status === Status.PEER_CLOSED) return null;
  check(r.status, 'channel.read');
  return null;
}

/** As receive, but a closed peer is an error. */
export function expect(
  sys: Stubs,
  channel: Channel,
  waitFirst: boolean,
  timeoutMs = Infinity,
  into?: Uint8Array,
): Received {
  const m = receive(sys, channel, waitFirst, timeoutMs, into);
  if (m === null) throw new Error('channel peer closed early');
  return m;
}
