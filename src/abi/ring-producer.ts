// The writing end of a ring (protocol in ring.ts). Layer: abi. Trusts its own counters,
// kept in private fields; the consumer's HEAD is untrusted and is checked on every load.
import { err, ok, type Result } from './result.ts';
import {
  corruption,
  recordBytes,
  RING_HEADER,
  RING_RECORD,
  type RingError,
  type RingView,
} from './ring-layout.ts';
import { blockUntil, checkTimeout, waitUntil, type WaitCondition } from './ring-wait.ts';

const WRITTEN = ok(true);
const FULL = ok(false);
const NO_ROOM = ok(null);

/** #reserve's answers other than an offset. */
const RESERVE_FULL = -1;
const RESERVE_CORRUPT = -2;

export class RingProducer {
  readonly #v: RingView;
  readonly #spin: number;
  /** Published tail (Uint32): what the consumer may read up to. */
  #tail: number;
  /** End of the reserved records (Uint32); equals #tail when nothing is reserved. */
  #pending: number;
  /** Last validated consumer head (Uint32): never ahead of #tail, never behind its previous value. */
  #head: number;
  /** HEAD's raw Int32 as last loaded: the value to sleep on. */
  #seenHead: number;
  #broken: RingError | null = null;
  /** Payload length the current wait is for. */
  #wanted = 0;
  readonly #room: WaitCondition;

  /** Use Ring.producer(), which reads and checks the counters. */
  constructor(view: RingView, tail: number, head: number, spin: number) {
    this.#v = view;
    this.#spin = spin;
    this.#tail = tail;
    this.#pending = tail;
    this.#head = head;
    this.#seenHead = head | 0;
    this.#room = {
      header: view.header,
      flag: RING_HEADER.PRODUCER_WAITING,
      word: RING_HEADER.HEAD,
      ready: () => this.#fitsResult(this.#wanted),
      seen: () => this.#seenHead,
      waiters: 0,
    };
  }

  /** Largest payload tryWrite/tryReserve accept, in bytes. */
  get maxRecordBytes(): number {
    return this.#v.maxPayload;
  }

  /**
   * Copies `payload` in as one record and publishes it (with any reserved records).
   * ok(false): no room now (backpressure). err: the consumer corrupted HEAD.
   * Throws RangeError if the payload is longer than maxRecordBytes.
   */
  tryWrite(payload: Uint8Array): Result<boolean, RingError> {
    const at = this.#reserve(payload.length);
    if (at === RESERVE_CORRUPT) return this.#failure();
    if (at === RESERVE_FULL) return FULL;
    this.#v.bytes.set(payload, at);
    this.commit();
    return WRITTEN;
  }

  /**
   * Reserves a record of `length` bytes and returns its payload, in place, to fill;
   * ok(null) if there is no room now. Reserved records become visible together at
   * commit(), so reserve-fill-reserve-fill-commit is a batch. The view holds stale bytes
   * until filled and must not be touched after commit().
   */
  tryReserve(length: number): Result<Uint8Array | null, RingError> {
    const at = this.#reserve(length);
    if (at === RESERVE_CORRUPT) return this.#failure();
    if (at === RESERVE_FULL) return NO_ROOM;
    return ok(this.#v.bytes.subarray(at, at + length));
  }

  /** Publishes every reserved record, then wakes the consumer if it said it is sleeping. */
  commit(): void {
    if (this.#pending === this.#tail) return;
    this.#tail = this.#pending;
    const h = this.#v.header;
    Atomics.store(h, RING_HEADER.TAIL, this.#tail | 0);
    if (Atomics.load(h, RING_HEADER.CONSUMER_WAITING) !== 0) Atomics.notify(h, RING_HEADER.TAIL);
  }

  /** Blocks until a record of `length` bytes fits: ok(true), or ok(false) at the timeout. */
  waitWritable(length: number, timeoutMs: number): Result<boolean, RingError> {
    this.#wanted = this.#checkLength(length);
    checkTimeout(timeoutMs);
    return blockUntil(this.#room, this.#spin, timeoutMs);
  }

  /** As waitWritable, without blocking the thread (Atomics.waitAsync, no spin). */
  waitWritableAsync(length: number, timeoutMs: number): Promise<Result<boolean, RingError>> {
    this.#wanted = this.#checkLength(length);
    checkTimeout(timeoutMs);
    return waitUntil(this.#room, timeoutMs);
  }

  #checkLength(length: number): number {
    if (!Number.isInteger(length) || length < 0 || length > this.#v.maxPayload)
      throw new RangeError(`record of ${length} bytes; this ring carries 0..${this.#v.maxPayload}`);
    return length;
  }

  /** Data-area bytes a record of `length` needs at #pending, counting a skip to the end. */
  #need(length: number): number {
    const size = recordBytes(length);
    const toEnd = this.#v.capacity - (this.#pending & this.#v.mask);
    return toEnd < size ? toEnd + size : size;
  }

  /** Writes the length prefix (and skip marker) and returns the payload's data-area offset. */
  #reserve(length: number): number {
    const fits = this.#fits(this.#need(this.#checkLength(length)));
    if (fits !== true) return fits === false ? RESERVE_FULL : RESERVE_CORRUPT;
    const v = this.#v;
    const size = recordBytes(length);
    let at = this.#pending & v.mask;
    let used = size;
    if (v.capacity - at < size) {
      v.words[at >>> 2] = RING_RECORD.SKIP;
      used += v.capacity - at;
      at = 0;
    }
    v.words[at >>> 2] = length;
    this.#pending = (this.#pending + used) >>> 0;
    return at + RING_RECORD.HEADER_BYTES;
  }

  /** true/false: `need` bytes are free; null: HEAD is corrupt (#broken says why). */
  #fits(need: number): boolean | null {
    if (this.#broken) return null;
    if (need <= this.#free()) return true;
    if (!this.#loadHead()) return null;
    return need <= this.#free();
  }

  #free(): number {
    return this.#v.capacity - ((this.#pending - this.#head) >>> 0);
  }

  #fitsResult(length: number): Result<boolean, RingError> {
    const fits = this.#fits(this.#need(length));
    return fits === null ? this.#failure() : ok(fits);
  }

  /** Loads HEAD once; it may only have moved forward, to at most the published tail. */
  #loadHead(): boolean {
    const raw = Atomics.load(this.#v.header, RING_HEADER.HEAD);
    const head = raw >>> 0;
    const released = (head - this.#head) >>> 0;
    if (head % RING_RECORD.ALIGN !== 0 || released > (this.#tail - this.#head) >>> 0) {
      this.#broken = corruption(`consumer head ${head} outside [${this.#head}, ${this.#tail}] or misaligned`);
      return false;
    }
    this.#head = head;
    this.#seenHead = raw;
    return true;
  }

  #failure(): Result<never, RingError> {
    return err(this.#broken ?? corruption('ring broken'));
  }
}
