// Blocking channel helpers for the bench programs, built only from the public syscalls
// (the way any program would write them). Layer: apps. Every status but the expected
// ones throws: a bench program that sees one has found a bug, and crashing says so.
import { Signal } from '../../abi/objects.ts';
import { Status, statusName } from '../../abi/status.ts';
import type { Stubs } from '../../workers/stubs.ts';

export interface Received {
  readonly data: Uint8Array;
  readonly handles: readonly number[];
}

const NONE: readonly number[] = [];

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

/** Writes one message, waiting while the peer's queue is full. */
export function send(sys: Stubs, channel: number, data: Uint8Array, handles: readonly number[] = NONE): void {
  for (;;) {
    const { status } = sys.channelWrite(channel, data, handles);
    if (status !== Status.SHOULD_WAIT) {
      check(status, 'channel.write');
      return;
    }
    waitFor(sys, channel, Signal.WRITABLE | Signal.PEER_CLOSED);
  }
}

/**
 * Takes the next message, parking until there is one; null once the peer has closed
 * and the queue is empty. `waitFirst` parks before the first read: one call fewer when
 * the message is known not to be there yet (a reply), one more when it already is.
 */
export function receive(sys: Stubs, channel: number, waitFirst: boolean): Received | null {
  if (waitFirst) waitFor(sys, channel, Signal.READABLE | Signal.PEER_CLOSED);
  for (;;) {
    const r = sys.channelRead(channel);
    if (r.status === Status.OK) return { data: r.data ?? new Uint8Array(), handles: r.handles ?? [] };
    if (r.status === Status.PEER_CLOSED) return null;
    if (r.status !== Status.SHOULD_WAIT) check(r.status, 'channel.read');
    waitFor(sys, channel, Signal.READABLE | Signal.PEER_CLOSED);
  }
}

/** As receive, but a closed peer is an error. */
export function expect(sys: Stubs, channel: number, waitFirst: boolean): Received {
  const m = receive(sys, channel, waitFirst);
  if (m === null) throw new Error('channel peer closed early');
  return m;
}
