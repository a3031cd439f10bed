// The byte map of a Tessera ring (see ring.ts for the protocol) and the checks that turn
// an untrusted SharedArrayBuffer into a RingView. Layer: abi — imports only result.ts.
// Trusts nothing in the buffer: attach reads the fixed header words once and keeps them.
import { err, ok, type Result } from './result.ts';

/** `"TSR"` plus the layout version in the low byte. A different version fails attach. */
export const RING_MAGIC = 0x5453_5201;

/**
 * Header words, as Int32 indices from the start of the buffer. Each word that changes
 * at run time has one writer and sits on its own 64-byte cache line, so the producer's
 * and the consumer's stores do not contend; the waiting flags share a line because they
 * are written only when a side goes to sleep.
 */
export const RING_HEADER = {
  /** RING_MAGIC. Written by Ring.create, read once by Ring.attach. */
  MAGIC: 0,
  /** Data-area size in bytes, a power of two. Written by Ring.create, read once by Ring.attach. */
  CAPACITY: 1,
  /**
   * Producer-owned. Bytes ever published, mod 2^32 (a Uint32 kept in an Int32 word),
   * always a multiple of RING_RECORD.ALIGN. The futex word a sleeping consumer waits on.
   */
  TAIL: 16,
  /** Consumer-owned. Bytes ever released, mod 2^32, same rules; the producer sleeps on it. */
  HEAD: 32,
  /** Producer-owned. 1 while the producer is in, or about to enter, a wait for space. */
  PRODUCER_WAITING: 48,
  /** Consumer-owned. 1 while the consumer is in, or about to enter, a wait for a record. */
  CONSUMER_WAITING: 49,
  /** Header size in bytes; the data area starts here. */
  BYTES: 256,
} as const;

/**
 * A record is a u32 payload length (native byte order) then the payload, padded so the
 * next record starts on an ALIGN boundary. A record never straddles the end of the data
 * area: where it would, the producer writes SKIP in place of a length and the record
 * starts at offset 0.
 */
export const RING_RECORD = {
  /** Bytes of the length prefix. */
  HEADER_BYTES: 4,
  /** Every record (and so every counter) is a multiple of this many bytes. */
  ALIGN: 8,
  /** Length value meaning "the rest of the data area is padding; continue at offset 0". */
  SKIP: 0xffff_ffff,
} as const;

export const RING_LIMITS = {
  /** Smallest data area in bytes (room for a 4-byte payload). */
  MIN_CAPACITY: 16,
  /** Largest data area in bytes; keeps every counter distance below 2^31. */
  MAX_CAPACITY: 2 ** 30,
} as const;

/** What the kernel learns when a ring cannot be used: a value, never an exception. */
export interface RingError {
  /** `layout`: attach refused the buffer. `corrupt`: the peer broke the protocol at run time. */
  readonly kind: 'layout' | 'corrupt';
  readonly detail: string;
}

/** The typed views of one validated ring buffer, shared by its endpoints. */
export interface RingView {
  readonly buffer: SharedArrayBuffer;
  readonly header: Int32Array;
  /** The data area as u32 words: record lengths. */
  readonly words: Uint32Array;
  /** The data area as bytes: payloads. */
  readonly bytes: Uint8Array;
  readonly capacity: number;
  /** capacity - 1: a counter masked by it is a byte offset into the data area. */
  readonly mask: number;
  /** Largest payload in bytes: a record of it fits even when the free space is split by the end. */
  readonly maxPayload: number;
}

export const layoutError = (detail: string): Result<never, RingError> => err({ kind: 'layout', detail });
export const corruption = (detail: string): RingError => ({ kind: 'corrupt', detail });

export const isRingCapacity = (n: number): boolean =>
  Number.isInteger(n) &&
  n >= RING_LIMITS.MIN_CAPACITY &&
  n <= RING_LIMITS.MAX_CAPACITY &&
  (n & (n - 1)) === 0;

/** Bytes of SharedArrayBuffer a ring with this data-area capacity needs. */
export const ringBufferBytes = (capacity: number): number => RING_HEADER.BYTES + capacity;

/** Largest payload a ring of this capacity carries: half the data area, less the prefix. */
export const ringMaxPayload = (capacity: number): number => capacity / 2 - RING_RECORD.HEADER_BYTES;

/** Data-area bytes one record of `length` payload bytes occupies (skip padding aside). */
export const recordBytes = (length: number): number =>
  (length + RING_RECORD.HEADER_BYTES + RING_RECORD.ALIGN - 1) & ~(RING_RECORD.ALIGN - 1);

/** True if `counter` is a Uint32 multiple of RING_RECORD.ALIGN. */
export const isCounter = (counter: number): boolean =>
  Number.isInteger(counter) && counter >= 0 && counter < 2 ** 32 && counter % RING_RECORD.ALIGN === 0;

export function viewRing(buffer: SharedArrayBuffer, capacity: number): RingView {
  return {
    buffer,
    header: new Int32Array(buffer, 0, RING_HEADER.BYTES / 4),
    words: new Uint32Array(buffer, RING_HEADER.BYTES, capacity / 4),
    bytes: new Uint8Array(buffer, RING_HEADER.BYTES, capacity),
    capacity,
    mask: capacity - 1,
    maxPayload: ringMaxPayload(capacity),
  };
}

/** Checks the fixed part of an untrusted buffer: type, magic, capacity and exact size. */
export function validateRing(buffer: unknown): Result<RingView, RingError> {
  if (!(buffer instanceof SharedArrayBuffer)) return layoutError('not a SharedArrayBuffer');
  if (buffer.byteLength < RING_HEADER.BYTES) return layoutError('buffer is smaller than the ring header');
  const header = new Int32Array(buffer, 0, RING_HEADER.BYTES / 4);
  const magic = Atomics.load(header, RING_HEADER.MAGIC);
  if (magic !== RING_MAGIC) return layoutError(`bad magic 0x${(magic >>> 0).toString(16)}`);
  const capacity = Atomics.load(header, RING_HEADER.CAPACITY);
  if (!isRingCapacity(capacity)) return layoutError(`capacity ${capacity} is not a power of two in range`);
  if (buffer.byteLength !== ringBufferBytes(capacity))
    return layoutError(
      `buffer is ${buffer.byteLength} bytes, capacity ${capacity} needs ${ringBufferBytes(capacity)}`,
    );
  return ok(viewRing(buffer, capacity));
}
