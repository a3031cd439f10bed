// Channel rings: how a bytes-only channel message goes from one domain to another
// without passing through the kernel thread (ADR 0008). Layer: abi.
//
// A process that holds every capability to a channel end may map it (channel.map). The
// end is then pinned to that process (its handles can no longer be sent or given at
// spawn), and the kernel posts a ChannelGrant: the end's inbound ring (the peer's holder
// produces, this process consumes), its outbound ring (the peer's inbound ring) and a
// small block only the kernel and this process share. Both rings of a channel are made
// at the first map of either end.
//
// STREAM ORDER. A writer that holds a mapped end writes through the kernel
// (channel.write) until the reader has attached (ATTACHED in the ring header), then for
// good through the ring: bytes-only messages as DATA records; a message with handles
// through channel.write_marked followed by a MARKER record, so the reader fetches it from
// the kernel at its place in the stream. Unmarked kernel messages all precede every ring
// record, so the reader takes them first: the block's UNMARKED word counts them.
//
// WAKE-UP. The reader sleeps on WAKE in the ring header, never on TAIL, because two parties
// wake it: the writer (a record) and the kernel (an unmarked message, the peer's close).
// The reader raises READER_WAITING, loads WAKE, checks, and sleeps only on the WAKE value
// it loaded. The writer publishes its record, then loads READER_WAITING and only if it is
// set adds to WAKE and notifies; the kernel always does. As in ring.ts, sequential
// consistency lets at most one of (reader: flag store, TAIL load) and (writer: TAIL store,
// flag load) miss the other, so a record is either seen by the reader's check or followed
// by a WAKE change that ends or prevents its sleep.
//
// TRUST. Ring-header words are written by two domains that do not trust each other: the
// ring code validates TAIL and HEAD, and WAKE, WATCHED and ATTACHED are hints whose abuse
// only costs wake-ups or garbles the abuser's own stream. The block is written only by
// the kernel and read only by its one domain.
import { err, ok, type Result } from './result.ts';

/** Extra header words of a channel ring (the ring itself leaves words 50..63 unused). */
export const CHANNEL_RING = {
  /** Bumped by whoever gives the reader something to look at; the word the reader sleeps on. */
  WAKE: 56,
  /** Kernel-written: someone waits on this end through the kernel; ring the doorbell after a record. */
  WATCHED: 57,
  /** Reader-written, once: it reads this ring, so the writer may use it. */
  ATTACHED: 58,
  /** Reader-written: 1 while the reader is in, or about to enter, a wait on WAKE. */
  READER_WAITING: 59,
} as const;

/**
 * Every channel-ring record starts with a 4-byte prefix whose first byte is its kind. The
 * ring's own 4-byte length comes before it, so a message's bytes start 8-byte aligned in
 * the ring: copies to and from shared memory are several times faster aligned.
 */
export const CHANNEL_RECORD = {
  PREFIX_BYTES: 4,
  /** The rest of the record is the message's bytes. */
  DATA: 1,
  /** The next marked message waits in the kernel: read it with channel.read. */
  MARKER: 2,
} as const;

/** Words of the block only the kernel and the end's holder share. Kernel-written. */
export const CHANNEL_BLOCK = {
  /** Unmarked messages queued in the kernel for this end: read them before the ring. */
  UNMARKED: 0,
  /** 1 once the peer end is gone; the ring still holds what was written before. */
  PEER_CLOSED: 1,
  /** Badge of the handle the peer mapped: what ring messages were written through. */
  PEER_BADGE: 2,
  /** Rights of that handle. */
  PEER_RIGHTS: 3,
  WORDS: 4,
} as const;

// kernel -> domain, after channel.map
export interface ChannelGrant {
  readonly kind: 'channel';
  /** Koid of the mapped end (channel.map's result). */
  readonly koid: number;
  readonly inbound: SharedArrayBuffer;
  readonly outbound: SharedArrayBuffer;
  readonly block: SharedArrayBuffer;
}

export function decodeChannelGrant(data: unknown): Result<ChannelGrant> {
  if (typeof data !== 'object' || data === null) return err('not an object');
  const { kind, koid, inbound, outbound, block } = data as Record<string, unknown>;
  if (kind !== 'channel') return err('expected kind "channel"');
  if (!Number.isSafeInteger(koid) || (koid as number) <= 0) return err('koid must be a positive integer');
  if (!(inbound instanceof SharedArrayBuffer) || !(outbound instanceof SharedArrayBuffer))
    return err('inbound and outbound must be SharedArrayBuffers');
  if (!(block instanceof SharedArrayBuffer) || block.byteLength !== CHANNEL_BLOCK.WORDS * 4)
    return err('block must be a channel block');
  return ok({ kind, koid: koid as number, inbound, outbound, block });
}
