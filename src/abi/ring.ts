// Tessera's single-producer/single-consumer byte ring over one SharedArrayBuffer: the
// transport of syscall submission/completion rings and of channel rings. Layer: abi
// (kernel and domain runtime both link it). The peer is never trusted: every word it can
// write is read once, checked, and a violation comes back as a RingError value.
//
// LAYOUT (ring-layout.ts): a 256-byte header of Int32 words, then a data area whose size
// (`capacity`) is a power of two. TAIL and HEAD count bytes ever published / released,
// mod 2^32, in Uint32 arithmetic; `counter & (capacity - 1)` is a data-area offset, and
// `(tail - head) >>> 0` the bytes in flight, which is correct across any number of
// wraps because capacity <= 2^30. Records are a u32 length, the payload, and padding to
// 8 bytes. Where a record would cross the end of the data area, the producer writes a
// SKIP length and puts the record at offset 0. We chose skipping over splitting so that
// every record is contiguous: the consumer hands out zero-copy views and decodes in place.
// The price is up to one record of padding per lap, and a payload limit of half the
// data area minus 4 bytes, which guarantees that an empty ring accepts any record.
//
// OWNERSHIP. MAGIC and CAPACITY are written by Ring.create and read once by attach; a
// later change is never seen. TAIL and PRODUCER_WAITING are written only by the producer,
// HEAD and CONSUMER_WAITING only by the consumer. Each endpoint keeps its own counter in
// a private field and only ever stores it, so a peer that overwrites it changes nothing
// the endpoint believes. The producer writes a record's bytes and length before it
// publishes TAIL with Atomics.store; the consumer loads TAIL with Atomics.load before it
// reads them (sequentially consistent atomics, so plain data accesses are ordered).
// Likewise the consumer is done with a record before it stores HEAD past it.
//
// CORRUPTION. The reader of a peer word checks it: TAIL may only move forward, to at most
// HEAD + capacity; HEAD may only move forward, to at most the published TAIL; both are
// multiples of 8; a record length is at most maxRecordBytes, lies within the published
// bytes and does not cross the end; SKIP never stands at offset 0. A violation makes the
// endpoint return { kind: 'corrupt' } from then on (sticky); the kernel faults the domain
// that shares the ring. A corrupt ring can never make an endpoint read or write outside
// the buffer, loop without bound, or allocate more than one record's payload.
//
// WAKE-UP PROTOCOL (ring-wait.ts). A waiting side polls the peer's counter up to `spin`
// times, then raises its own flag, re-checks (loading the peer's counter), and only if
// still not ready calls Atomics.wait on the peer's counter word with the value it just
// loaded. (It sleeps on the counter, not on its flag: a flag used as the futex word
// would need the peer to change it before notifying, and so have two writers.) After every
// counter store a side loads the peer's flag and notifies only if it is set. Invariant:
// of the pairs (sleeper: store flag, load counter) and (peer: store counter, load flag),
// sequential consistency lets at most one load miss the other's store; so either the
// sleeper sees the new counter and does not sleep, or the peer sees the flag and
// notifies. A notify that runs before the sleeper is inside Atomics.wait is not lost,
// because the counter has changed and the wait returns at once ("not-equal"). Flags have
// one writer each, so no peer store can clear a flag under a sleeper. A hostile peer can
// at most cause spurious wake-ups or notifies; every wait still ends at its timeout.
//
// A flag holds the number of this side's waits in flight (ring-wait.ts keeps the count
// privately and stores it): one thread may block in a wait while its event loop has an
// async wait pending (a blocking syscall under an outstanding async one), and the flag
// stays up until both are done, so the peer keeps notifying the one still asleep.
//
// One producer and one consumer per ring, each used by one thread: that is the
// caller's contract, not something the ring can check.
import { err, ok, type Result } from './result.ts';
import { RingConsumer } from './ring-consumer.ts';
import {
  corruption,
  isCounter,
  isRingCapacity,
  RING_HEADER,
  RING_LIMITS,
  RING_MAGIC,
  ringBufferBytes,
  validateRing,
  viewRing,
  type RingError,
  type RingView,
} from './ring-layout.ts';
import { RingProducer } from './ring-producer.ts';
import { RING_DEFAULT_SPIN } from './ring-wait.ts';

export {
  RING_HEADER,
  RING_LIMITS,
  RING_MAGIC,
  RING_RECORD,
  recordBytes,
  ringBufferBytes,
  ringMaxPayload,
  type RingError,
} from './ring-layout.ts';
export { RingConsumer } from './ring-consumer.ts';
export { RingProducer } from './ring-producer.ts';
export { RING_DEFAULT_SPIN } from './ring-wait.ts';

export interface RingCreateOptions {
  /**
   * Initial HEAD and TAIL, in bytes: a multiple of 8 below 2^32. Tests start near 2^32
   * to cross the counter wrap; anything else leaves it at 0.
   */
  readonly startCounter?: number;
}

export interface RingEndpointOptions {
  /** Polls before a blocking wait sleeps; default RING_DEFAULT_SPIN. 0 sleeps at once. */
  readonly spin?: number;
}

export class Ring {
  readonly #view: RingView;

  private constructor(view: RingView) {
    this.#view = view;
  }

  /** Allocates and initialises a ring. Throws RangeError for a bad capacity or start. */
  static create(capacityBytes: number, options: RingCreateOptions = {}): Ring {
    if (!isRingCapacity(capacityBytes))
      throw new RangeError(
        `ring capacity ${capacityBytes} must be a power of two in ` +
          `[${RING_LIMITS.MIN_CAPACITY}, ${RING_LIMITS.MAX_CAPACITY}]`,
      );
    const start = options.startCounter ?? 0;
    if (!isCounter(start)) throw new RangeError(`start counter ${start} must be a multiple of 8 below 2^32`);
    const buffer = new SharedArrayBuffer(ringBufferBytes(capacityBytes));
    const view = viewRing(buffer, capacityBytes);
    view.header[RING_HEADER.MAGIC] = RING_MAGIC;
    view.header[RING_HEADER.CAPACITY] = capacityBytes;
    view.header[RING_HEADER.TAIL] = start | 0;
    view.header[RING_HEADER.HEAD] = start | 0;
    return new Ring(view);
  }

  /** Adopts a buffer that came from elsewhere (postMessage): checks magic, capacity, size. */
  static attach(buffer: unknown): Result<Ring, RingError> {
    const view = validateRing(buffer);
    return view.ok ? ok(new Ring(view.value)) : view;
  }

  /** The buffer to hand to the peer. */
  get buffer(): SharedArrayBuffer {
    return this.#view.buffer;
  }

  /** Data-area bytes. */
  get capacity(): number {
    return this.#view.capacity;
  }

  /** Largest record payload in bytes. */
  get maxRecordBytes(): number {
    return this.#view.maxPayload;
  }

  /** The writing end. Reads TAIL and HEAD once; fails if they are inconsistent. */
  producer(options: RingEndpointOptions = {}): Result<RingProducer, RingError> {
    const spin = spinOf(options);
    const c = this.#counters();
    return c.ok ? ok(new RingProducer(this.#view, c.value.tail, c.value.head, spin)) : c;
  }

  /** The reading end. Reads HEAD and TAIL once; fails if they are inconsistent. */
  consumer(options: RingEndpointOptions = {}): Result<RingConsumer, RingError> {
    const spin = spinOf(options);
    const c = this.#counters();
    return c.ok ? ok(new RingConsumer(this.#view, c.value.head, c.value.tail, spin)) : c;
  }

  #counters(): Result<{ head: number; tail: number }, RingError> {
    const head = Atomics.load(this.#view.header, RING_HEADER.HEAD) >>> 0;
    const tail = Atomics.load(this.#view.header, RING_HEADER.TAIL) >>> 0;
    if (!isCounter(head) || !isCounter(tail) || (tail - head) >>> 0 > this.#view.capacity)
      return err(corruption(`counters head ${head}, tail ${tail} are inconsistent`));
    return ok({ head, tail });
  }
}

function spinOf(options: RingEndpointOptions): number {
  const spin = options.spin ?? RING_DEFAULT_SPIN;
  if (!Number.isInteger(spin) || spin < 0)
    throw new RangeError(`spin must be a non-negative integer, got ${spin}`);
  return spin;
}
