// The reading end of a ring (protocol in ring.ts). Layer: abi. This is hostile-input
// code: TAIL and every record length come from the producer, are read once into locals
// and checked before use. Its own HEAD lives in a private field and is only ever stored.
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

const EMPTY = ok(null);
const READABLE = ok(true);
const UNREADABLE = ok(false);

/** #locate's answers. */
const FOUND = 1;
const NONE = 0;
const CORRUPT = -1;
type Located = typeof FOUND | typeof NONE | typeof CORRUPT;

export class RingConsumer {
  readonly #v: RingView;
  readonly #spin: number;
  /** Released head (Uint32), stored to HEAD by #publish. */
  #head: number;
  /** Last validated producer tail (Uint32): #head <= #tail <= #head + capacity. */
  #tail: number;
  /** TAIL's raw Int32 as last loaded: the value to sleep on. */
  #seenTail: number;
  /** The located record: payload offset and length, and the bytes it (and any skip) spans; 0 = none. */
  #offset = 0;
  #length = 0;
  #span = 0;
  #broken: RingError | null = null;
  readonly #readable: WaitCondition;

  /** Use Ring.consumer(), which reads and checks the counters. */
  constructor(view: RingView, head: number, tail: number, spin: number) {
    this.#v = view;
    this.#spin = spin;
    this.#head = head;
    this.#tail = tail;
    this.#seenTail = tail | 0;
    this.#readable = {
      header: view.header,
      flag: RING_HEADER.CONSUMER_WAITING,
      word: RING_HEADER.TAIL,
      ready: () => this.#readyResult(),
      seen: () => this.#seenTail,
      waiters: 0,
    };
  }

  /** The next record as a private copy, released from the ring; ok(null) if empty. */
  tryRead(): Result<Uint8Array | null, RingError> {
    const at = this.#locate(true);
    if (at !== FOUND) return at === NONE ? EMPTY : this.#failure();
    const copy = this.#v.bytes.slice(this.#offset, this.#offset + this.#length);
    this.release();
    return ok(copy);
  }

  /**
   * The next record in place, without releasing it; ok(null) if empty. Repeated peeks
   * return the same record until release(). The view aliases shared memory that a hostile
   * producer may still rewrite: decode each field once, or use tryRead for a stable copy.
   */
  peek(): Result<Uint8Array | null, RingError> {
    const at = this.#locate(true);
    if (at !== FOUND) return at === NONE ? EMPTY : this.#failure();
    return ok(this.#v.bytes.subarray(this.#offset, this.#offset + this.#length));
  }

  /** Hands the peeked record's space back to the producer. Throws if nothing is peeked. */
  release(): void {
    if (this.#span === 0) throw new Error('RingConsumer.release() without a peeked record');
    this.#advance();
    this.#publish();
  }

  /**
   * Calls `visit` on each record published when drain starts, in place, up to `max`;
   * releases them with one HEAD store at the end. A view is valid only during its call.
   * If `visit` throws, the records before it are released and that one stays peeked.
   */
  drain(visit: (record: Uint8Array) => void, max = Number.POSITIVE_INFINITY): Result<number, RingError> {
    if (this.#broken === null && !this.#loadTail()) return this.#failure();
    let n = 0;
    try {
      for (let at = this.#locate(false); n < max; at = this.#locate(false)) {
        if (at === CORRUPT) return this.#failure();
        if (at === NONE) break;
        visit(this.#v.bytes.subarray(this.#offset, this.#offset + this.#length));
        this.#advance();
        n++;
      }
    } finally {
      if (n > 0) this.#publish();
    }
    return ok(n);
  }

  /** Blocks until a record (or corruption) is there: ok(true), or ok(false) at the timeout. */
  waitReadable(timeoutMs: number): Result<boolean, RingError> {
    checkTimeout(timeoutMs);
    return blockUntil(this.#readable, this.#spin, timeoutMs);
  }

  /** As waitReadable, without blocking the thread (Atomics.waitAsync, no spin). */
  waitReadableAsync(timeoutMs: number): Promise<Result<boolean, RingError>> {
    checkTimeout(timeoutMs);
    return waitUntil(this.#readable, timeoutMs);
  }

  #readyResult(): Result<boolean, RingError> {
    if (this.#broken) return this.#failure();
    if (this.#head !== this.#tail) return READABLE;
    if (!this.#loadTail()) return this.#failure();
    return this.#head !== this.#tail ? READABLE : UNREADABLE;
  }

  /** Finds the next record (loading TAIL if `reload` and nothing is cached) and checks it. */
  #locate(reload: boolean): Located {
    if (this.#broken) return CORRUPT;
    if (this.#span !== 0) return FOUND;
    if (this.#head === this.#tail) {
      if (!reload) return NONE;
      if (!this.#loadTail()) return CORRUPT;
      if (this.#head === this.#tail) return NONE;
    }
    return this.#parse((this.#tail - this.#head) >>> 0);
  }

  /**
   * Reads the length word(s) at #head once each; `available` is published, unread bytes.
   * A SKIP at offset 0 would skip the whole area onto itself: it fails as an oversized length.
   */
  #parse(available: number): Located {
    const v = this.#v;
    let at = this.#head & v.mask;
    let skipped = 0;
    let length = v.words[at >>> 2] ?? RING_RECORD.SKIP;
    if (length === RING_RECORD.SKIP) {
      skipped = v.capacity - at;
      at = 0;
      length = v.words[0] ?? RING_RECORD.SKIP;
    }
    if (length > v.maxPayload) return this.#corrupt(`record length ${length} at head ${this.#head}`);
    const size = recordBytes(length);
    if (skipped + size > available)
      return this.#corrupt(`record of ${skipped + size} bytes at head ${this.#head}, ${available} published`);
    if (at + size > v.capacity) return this.#corrupt(`record at head ${this.#head} runs past the data area`);
    this.#offset = at + RING_RECORD.HEADER_BYTES;
    this.#length = length;
    this.#span = skipped + size;
    return FOUND;
  }

  /** Loads TAIL once; it may only have moved forward, to at most one capacity past #head. */
  #loadTail(): boolean {
    const raw = Atomics.load(this.#v.header, RING_HEADER.TAIL);
    const tail = raw >>> 0;
    const used = (tail - this.#head) >>> 0;
    if (tail % RING_RECORD.ALIGN !== 0 || used > this.#v.capacity || used < (this.#tail - this.#head) >>> 0) {
      this.#corrupt(`producer tail ${tail} outside [${this.#tail}, ${this.#head} + capacity] or misaligned`);
      return false;
    }
    this.#tail = tail;
    this.#seenTail = raw;
    return true;
  }

  #advance(): void {
    this.#head = (this.#head + this.#span) >>> 0;
    this.#span = 0;
  }

  /** Stores HEAD, then wakes the producer if it said it is sleeping. */
  #publish(): void {
    const h = this.#v.header;
    Atomics.store(h, RING_HEADER.HEAD, this.#head | 0);
    if (Atomics.load(h, RING_HEADER.PRODUCER_WAITING) !== 0) Atomics.notify(h, RING_HEADER.HEAD);
  }

  #corrupt(detail: string): typeof CORRUPT {
    this.#broken = corruption(detail);
    return CORRUPT;
  }

  #failure(): Result<never, RingError> {
    return err(this.#broken ?? corruption('ring broken'));
  }
}
