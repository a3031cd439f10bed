// Helpers shared by the ring's tests (ring*.test.ts): endpoints, deterministic payloads,
// raw header access. Test code only; imports nothing but the ring.
import type { Result } from './result.ts';
import { Ring, RING_HEADER, type RingConsumer, type RingError, type RingProducer } from './ring.ts';

/** A start counter 64 bytes below 2^32: a ring started here wraps its counters at once. */
export const NEAR_WRAP = 2 ** 32 - 64;

export function unwrap<T>(r: Result<T, RingError>): T {
  if (!r.ok) throw new Error(`unexpected ring error: ${r.error.detail}`);
  return r.value;
}

export function pair(capacity: number, startCounter = 0): { ring: Ring; p: RingProducer; c: RingConsumer } {
  const ring = Ring.create(capacity, { startCounter });
  return { ring, p: unwrap(ring.producer()), c: unwrap(ring.consumer()) };
}

/** Deterministic content: record `seed` of `length` bytes. */
export function payload(length: number, seed: number): Uint8Array {
  const b = new Uint8Array(length);
  for (let i = 0; i < length; i++) b[i] = (seed * 31 + i * 7) & 0xff;
  return b;
}

export const header = (ring: Ring): Int32Array => new Int32Array(ring.buffer, 0, RING_HEADER.BYTES / 4);
export const tailOf = (ring: Ring): number => Atomics.load(header(ring), RING_HEADER.TAIL) >>> 0;
export const isCorrupt = (r: Result<unknown, RingError>): boolean => !r.ok && r.error.kind === 'corrupt';
