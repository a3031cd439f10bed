// Bare single-producer/single-consumer ring of fixed-size slots in one
// SharedArrayBuffer: the platform's floor for streaming messages between workers.
// Head and tail are free-running Int32 counters (wrapping is fine: slots is a power
// of two); each message is published on its own. Empty and full wait with lib/wait.ts.
import { awaitChange, publish } from './wait.ts';

// Header cells (Int32 indices). What each side stores on every message sits on its own
// cache line (128 bytes apart, past adjacent-line prefetch), so the two cores do not
// fight over one line; the other side reads it only when its cached copy runs out.
const HEAD = 0; // messages written; only the producer stores it
const CONSUMER_SLEEPING = 1;
const ATTACHED = 2; // the consumer is running
const TAIL = 32; // messages read; only the consumer stores it
const PRODUCER_SLEEPING = 33;
const HEADER_BYTES = 256;

export interface RingLayout {
  /** Number of slots; a power of two. */
  readonly slots: number;
  /** Bytes per slot; every message is exactly this long. */
  readonly slotBytes: number;
}

export function createRing(layout: RingLayout): SharedArrayBuffer {
  const { slots, slotBytes } = layout;
  if (!(slots > 0 && (slots & (slots - 1)) === 0))
    throw new RangeError(`slots ${slots} is not a power of two`);
  if (!(slotBytes > 0 && slotBytes % 4 === 0))
    throw new RangeError(`slotBytes ${slotBytes} is not a multiple of 4`);
  return new SharedArrayBuffer(HEADER_BYTES + slots * slotBytes);
}

/** One view per slot, made once so the hot path allocates nothing. */
function slotViews(sab: SharedArrayBuffer, { slots, slotBytes }: RingLayout): Uint8Array[] {
  if (sab.byteLength !== HEADER_BYTES + slots * slotBytes)
    throw new RangeError('ring size does not match layout');
  return Array.from(
    { length: slots },
    (_, i) => new Uint8Array(sab, HEADER_BYTES + i * slotBytes, slotBytes),
  );
}

export class RingProducer {
  readonly #cells: Int32Array;
  readonly #slots: Uint8Array[];
  readonly #spin: number;
  #head = 0;
  #tail = 0; // last tail seen; the real one can only be further on

  constructor(sab: SharedArrayBuffer, layout: RingLayout, spin: number) {
    this.#slots = slotViews(sab, layout);
    this.#cells = new Int32Array(sab, 0, HEADER_BYTES / 4);
    this.#spin = spin;
  }

  /** Blocks until the consumer has attached. */
  awaitConsumer(): void {
    awaitChange(this.#cells, ATTACHED, 0, PRODUCER_SLEEPING, this.#spin);
  }

  /** Copies `msg` (exactly slotBytes long) into the ring, waiting while it is full. */
  push(msg: Uint8Array): void {
    const head = this.#head;
    const size = this.#slots.length;
    if (((head - this.#tail) | 0) === size) {
      this.#tail = Atomics.load(this.#cells, TAIL);
      if (((head - this.#tail) | 0) === size) {
        this.#tail = awaitChange(this.#cells, TAIL, this.#tail, PRODUCER_SLEEPING, this.#spin);
      }
    }
    (this.#slots[head & (size - 1)] as Uint8Array).set(msg);
    this.#head = (head + 1) | 0;
    publish(this.#cells, HEAD, this.#head, CONSUMER_SLEEPING);
  }

  /** Non-blocking push; false when the ring is full. */
  tryPush(msg: Uint8Array): boolean {
    this.#tail = Atomics.load(this.#cells, TAIL);
    if (((this.#head - this.#tail) | 0) === this.#slots.length) return false;
    this.push(msg);
    return true;
  }

  /** Blocks until the consumer has read everything pushed so far. */
  drain(): void {
    let tail = Atomics.load(this.#cells, TAIL);
    while (tail !== this.#head) tail = awaitChange(this.#cells, TAIL, tail, PRODUCER_SLEEPING, this.#spin);
    this.#tail = tail;
  }
}

export class RingConsumer {
  readonly #cells: Int32Array;
  readonly #slots: Uint8Array[];
  readonly #spin: number;
  #tail = 0;
  #head = 0; // last head seen; the real one can only be further on

  constructor(sab: SharedArrayBuffer, layout: RingLayout, spin: number) {
    this.#slots = slotViews(sab, layout);
    this.#cells = new Int32Array(sab, 0, HEADER_BYTES / 4);
    this.#spin = spin;
  }

  /** Tells the producer this consumer is running. */
  attach(): void {
    publish(this.#cells, ATTACHED, 1, PRODUCER_SLEEPING);
  }

  /** Copies the next message into `dst` (slotBytes long), waiting while the ring is empty. */
  pop(dst: Uint8Array): void {
    const tail = this.#tail;
    if (this.#head === tail) {
      this.#head = Atomics.load(this.#cells, HEAD);
      if (this.#head === tail)
        this.#head = awaitChange(this.#cells, HEAD, tail, CONSUMER_SLEEPING, this.#spin);
    }
    dst.set(this.#slots[tail & (this.#slots.length - 1)] as Uint8Array);
    this.#tail = (tail + 1) | 0;
    publish(this.#cells, TAIL, this.#tail, PRODUCER_SLEEPING);
  }

  /** Non-blocking pop; false when the ring is empty. */
  tryPop(dst: Uint8Array): boolean {
    this.#head = Atomics.load(this.#cells, HEAD);
    if (this.#head === this.#tail) return false;
    this.pop(dst);
    return true;
  }
}
