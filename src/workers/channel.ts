// Channel helpers: reading and writing one channel end, through the kernel or, once the
// end is mapped, through its channel rings (protocol in src/abi/channel-ring.ts, ADR 0008).
// Layer: workers. The kernel is trusted; the peer is not: a record the peer garbles is
// skipped, a ring it corrupts reads as the peer having closed, and no wait outlives its
// timeout because of anything the peer writes.
import { CHANNEL_BLOCK, CHANNEL_RECORD, CHANNEL_RING, type ChannelGrant } from '../abi/channel-ring.ts';
import { blockedStamp, CONTROL } from '../abi/control.ts';
import { ringDoorbell } from '../abi/doorbell.ts';
import { LIMITS } from '../abi/limits.ts';
import { Ring, RING_HEADER, type RingConsumer, type RingProducer } from '../abi/ring.ts';
import { Status } from '../abi/status.ts';
import { Signal } from '../abi/objects.ts';
import type { Stubs } from './stubs.ts';

export interface ChannelMessage {
  readonly data: Uint8Array;
  readonly handles: readonly number[];
  /** Badge and rights of the handle the writer wrote through. */
  readonly badge: number;
  readonly rights: number;
}

export type ReadResult =
  | { readonly status: typeof Status.OK; readonly message: ChannelMessage }
  | { readonly status: Exclude<Status, typeof Status.OK> };

/** What a mapped channel needs besides the grant: the kernel's doorbell and this domain's control block. */
export interface ChannelEnv {
  readonly sys: Stubs;
  readonly doorbell: Int32Array<SharedArrayBuffer>;
  readonly control: Int32Array<SharedArrayBuffer>;
}

/**
 * Polls a reader makes before it sleeps: as the platform's spin-then-wait baseline does
 * (bench/README.md, sab_hybrid_rtt_us). A reply that comes within the spin costs no
 * wake-up, which on this platform is tens of microseconds.
 */
const READER_SPIN = 2000;

/**
 * How long an async reader of a mapped end polls before it parks in Atomics.waitAsync:
 * a reply that comes within it (an fs request answered from memory) costs no wake-up
 * and no task, which in Chromium is most of a short round trip. Short, since the
 * domain's event loop does not turn meanwhile.
 */
const ASYNC_READER_SPIN_MS = 0.05;

/** A full outbound ring is re-checked this often for the peer having closed. */
const FULL_RECHECK_MS = 100;

const NONE: readonly number[] = [];

const recordBytes = (data: Uint8Array | null): number =>
  CHANNEL_RECORD.PREFIX_BYTES + (data?.byteLength ?? 0);

/** What Channel.#next asks for instead of a message. */
const FROM_KERNEL = 'unmarked';
const FOR_MARKER = 'marker';

interface Link {
  readonly inbound: RingConsumer;
  readonly inHeader: Int32Array;
  readonly outbound: RingProducer;
  readonly outHeader: Int32Array;
  readonly block: Int32Array;
}

export class Channel {
  readonly handle: number;
  readonly #env: ChannelEnv;
  readonly #link: Link | null;
  /** The writer has seen the reader attach: from now on the ring, for good. */
  #ringMode = false;
  /** Async writes in flight, chained so that stream order is call order. */
  #writes: Promise<unknown> = Promise.resolve();
  #writesInFlight = 0;

  private constructor(env: ChannelEnv, handle: number, link: Link | null) {
    this.#env = env;
    this.handle = handle;
    this.#link = link;
  }

  /** A channel end used through the kernel only. */
  static unmapped(env: ChannelEnv, handle: number): Channel {
    return new Channel(env, handle, null);
  }

  /** A mapped end: attaches to the granted rings and tells the writer it may use them. */
  static mapped(env: ChannelEnv, handle: number, grant: ChannelGrant): Channel {
    const inbound = Ring.attach(grant.inbound);
    const outbound = Ring.attach(grant.outbound);
    if (!inbound.ok || !outbound.ok) throw new Error('the kernel granted channel rings that are not rings');
    const consumer = inbound.value.consumer();
    const producer = outbound.value.producer();
    if (!consumer.ok || !producer.ok) throw new Error('the kernel granted inconsistent channel rings');
    const inHeader = new Int32Array(grant.inbound, 0, RING_HEADER.BYTES / 4);
    const link: Link = {
      inbound: consumer.value,
      inHeader,
      outbound: producer.value,
      outHeader: new Int32Array(grant.outbound, 0, RING_HEADER.BYTES / 4),
      block: new Int32Array(grant.block),
    };
    Atomics.store(inHeader, CHANNEL_RING.ATTACHED, 1);
    return new Channel(env, handle, link);
  }

  get mapped(): boolean {
    return this.#link !== null;
  }

  /** Closes the handle (handle.close; a mapped end's rings go with it). Returns a status. */
  async closeAsync(): Promise<number> {
    return (await this.#env.sys.handleCloseAsync(this.handle)).status;
  }

  // ---- writing ----

  /**
   * Writes a message, blocking while the outbound ring (or, unmapped, the peer's kernel
   * queue) is full. Returns a status: PEER_CLOSED once the reader is gone.
   */
  write(data: Uint8Array, handles: readonly number[] = []): number {
    if (this.#writesInFlight > 0) throw new Error('Channel.write while async writes are in flight');
    const link = this.#link;
    if (!link || !this.#useRing(link)) {
      for (;;) {
        const status = this.#env.sys.channelWrite(this.handle, data, handles).status;
        if (status !== Status.SHOULD_WAIT) return status;
        // The peer's queue is full: wait for room or for its close, then try again.
        const waited = this.#env.sys.objectWaitOne(this.handle, ROOM, -1).status;
        if (waited !== Status.OK) return status;
      }
    }
    if (data.byteLength > LIMITS.MESSAGE_BYTES) return Status.INVALID_ARGS;
    if (handles.length > 0) {
      const status = this.#env.sys.channelWriteMarked(this.handle, data, handles).status;
      return status === Status.OK ? this.#putBlocking(link, CHANNEL_RECORD.MARKER, null) : status;
    }
    return this.#putBlocking(link, CHANNEL_RECORD.DATA, data);
  }

  /**
   * One attempt at a bytes-only write, never waiting: OK, SHOULD_WAIT while the ring (or
   * the peer's kernel queue) is full, PEER_CLOSED, or another status.
   */
  tryWrite(data: Uint8Array): number {
    if (this.#writesInFlight > 0) throw new Error('Channel.tryWrite while async writes are in flight');
    const link = this.#link;
    if (!link || !this.#useRing(link)) return this.#env.sys.channelWrite(this.handle, data, []).status;
    if (data.byteLength > LIMITS.MESSAGE_BYTES) return Status.INVALID_ARGS;
    return this.#tryPut(link, CHANNEL_RECORD.DATA, data);
  }

  /** As write, without blocking the worker; calls complete in call order. */
  writeAsync(data: Uint8Array, handles: readonly number[] = []): Promise<number> {
    this.#writesInFlight++;
    const run = async (): Promise<number> => {
      const link = this.#link;
      if (!link || !this.#useRing(link)) {
        for (;;) {
          const status = (await this.#env.sys.channelWriteAsync(this.handle, data, handles)).status;
          if (status !== Status.SHOULD_WAIT) return status;
          const waited = (await this.#env.sys.objectWaitOneAsync(this.handle, ROOM, -1)).status;
          if (waited !== Status.OK) return status;
        }
      }
      if (data.byteLength > LIMITS.MESSAGE_BYTES) return Status.INVALID_ARGS;
      if (handles.length > 0) {
        const status = (await this.#env.sys.channelWriteMarkedAsync(this.handle, data, handles)).status;
        return status === Status.OK ? this.#putAsync(link, CHANNEL_RECORD.MARKER, null) : status;
      }
      return this.#putAsync(link, CHANNEL_RECORD.DATA, data);
    };
    const result = this.#writes.then(run).finally(() => this.#writesInFlight--);
    this.#writes = result.catch(() => undefined);
    return result;
  }

  #useRing(link: Link): boolean {
    if (!this.#ringMode && Atomics.load(link.outHeader, CHANNEL_RING.ATTACHED) === 1) this.#ringMode = true;
    return this.#ringMode;
  }

  /** One attempt to put a record: OK, PEER_CLOSED, or SHOULD_WAIT when the ring is full. */
  #tryPut(link: Link, kind: number, data: Uint8Array | null): number {
    if (Atomics.load(link.block, CHANNEL_BLOCK.PEER_CLOSED) !== 0) return Status.PEER_CLOSED;
    const slot = link.outbound.tryReserve(recordBytes(data));
    if (!slot.ok) return Status.PEER_CLOSED; // The reader broke the ring: as good as gone.
    if (slot.value === null) return Status.SHOULD_WAIT;
    slot.value.fill(0, 0, CHANNEL_RECORD.PREFIX_BYTES);
    slot.value[0] = kind;
    if (data) slot.value.set(data, CHANNEL_RECORD.PREFIX_BYTES);
    link.outbound.commit();
    const h = link.outHeader;
    if (Atomics.load(h, CHANNEL_RING.READER_WAITING) !== 0) {
      Atomics.add(h, CHANNEL_RING.WAKE, 1);
      Atomics.notify(h, CHANNEL_RING.WAKE);
    }
    if (Atomics.load(h, CHANNEL_RING.WATCHED) !== 0) ringDoorbell(this.#env.doorbell);
    return Status.OK;
  }

  #putBlocking(link: Link, kind: number, data: Uint8Array | null): number {
    for (;;) {
      const status = this.#tryPut(link, kind, data);
      if (status !== Status.SHOULD_WAIT) return status;
      this.#blocked(() => link.outbound.waitWritable(recordBytes(data), FULL_RECHECK_MS));
    }
  }

  async #putAsync(link: Link, kind: number, data: Uint8Array | null): Promise<number> {
    for (;;) {
      const status = this.#tryPut(link, kind, data);
      if (status !== Status.SHOULD_WAIT) return status;
      await link.outbound.waitWritableAsync(recordBytes(data), FULL_RECHECK_MS);
    }
  }

  // ---- a request and its reply ----

  /**
   * Writes a request and reads the next message: the reply, from a peer that answers in
   * order (the fs protocol). On an unmapped end that is one channel.call, where a write and
   * a read took two round trips. Returns the write's failure, or what readWait returns.
   */
  call(data: Uint8Array, handles: readonly number[] = [], timeoutMs = Infinity): ReadResult {
    if (this.#link || timeoutMs <= 0) {
      const wrote = this.write(data, handles);
      return wrote === Status.OK
        ? this.readWait(timeoutMs)
        : { status: wrote as Exclude<Status, typeof Status.OK> };
    }
    return toWaitResult(
      this.#env.sys.channelCall(this.handle, data, handles, toWaitMs(timeoutMs)),
      undefined,
    );
  }

  /** As call, without blocking the worker; after any writeAsync still in flight. */
  async callAsync(
    data: Uint8Array,
    handles: readonly number[] = [],
    timeoutMs = Infinity,
  ): Promise<ReadResult> {
    if (this.#link || timeoutMs <= 0 || this.#writesInFlight > 0) {
      const wrote = await this.writeAsync(data, handles);
      return wrote === Status.OK
        ? this.readAsync(timeoutMs)
        : { status: wrote as Exclude<Status, typeof Status.OK> };
    }
    const r = await this.#env.sys.channelCallAsync(this.handle, data, handles, toWaitMs(timeoutMs));
    return toWaitResult(r, undefined);
  }

  // ---- reading ----

  /**
   * The next message, or SHOULD_WAIT / PEER_CLOSED / another status; never waits for one.
   * With `into`, a message that fits is copied there (message.data is a view of it, valid
   * until `into` is reused), so a reader in a loop allocates nothing per message.
   */
  read(into?: Uint8Array): ReadResult {
    const link = this.#link;
    if (!link) return this.#kernelRead(into);
    for (let skipUnmarked = false; ;) {
      const step = this.#next(link, skipUnmarked, into);
      if (typeof step === 'object') return step;
      const r = this.#kernelRead(into);
      if (r.status !== Status.SHOULD_WAIT) return r;
      if (step === FROM_KERNEL) skipUnmarked = true;
    }
  }

  /**
   * Spins until a read may find something (on a mapped end: a ring record, a message the
   * kernel queued, or the peer's close), for at most `ms`; whether it may. The thread does
   * nothing else meanwhile. An unmapped end cannot tell without a syscall: true at once.
   */
  pollFor(ms: number): boolean {
    return this.#link ? this.#spinFor(this.#link, ms) : true;
  }

  /** Blocks until a message (or a final status) is there, or `timeoutMs` passes (SHOULD_WAIT). */
  readWait(timeoutMs = Infinity, into?: Uint8Array): ReadResult {
    if (!this.#link && timeoutMs > 0)
      return toWaitResult(this.#env.sys.channelReadWait(this.handle, toWaitMs(timeoutMs)), into);
    const first = this.read(into);
    if (first.status !== Status.SHOULD_WAIT) return first;
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const left = deadline - performance.now();
      if (left <= 0) return { status: Status.SHOULD_WAIT };
      if (this.#link) this.#blocked(() => this.#waitRing(this.#link as Link, left));
      else this.#env.sys.objectWaitOne(this.handle, Signal.READABLE | Signal.PEER_CLOSED, toWaitMs(left));
      const r = this.read(into);
      if (r.status !== Status.SHOULD_WAIT) return r;
    }
  }

  /** As readWait, without blocking the worker; a timeout of 0 only looks. */
  async readAsync(timeoutMs = Infinity, into?: Uint8Array): Promise<ReadResult> {
    // Unmapped: one channel.read_wait, where a read, a wait and a read again took three calls.
    if (!this.#link && timeoutMs > 0)
      return toWaitResult(await this.#env.sys.channelReadWaitAsync(this.handle, toWaitMs(timeoutMs)), into);
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const r = await this.#readOnceAsync(into);
      const left = deadline - performance.now();
      if (r.status !== Status.SHOULD_WAIT || left <= 0) return r;
      if (this.#link) {
        if (this.#spinFor(this.#link, Math.min(left, ASYNC_READER_SPIN_MS))) continue;
        await this.#waitRingAsync(this.#link, left);
      } else
        await this.#env.sys.objectWaitOneAsync(
          this.handle,
          Signal.READABLE | Signal.PEER_CLOSED,
          toWaitMs(left),
        );
    }
  }

  async #readOnceAsync(into: Uint8Array | undefined): Promise<ReadResult> {
    const link = this.#link;
    if (!link) return this.#kernelReadAsync(into);
    for (let skipUnmarked = false; ;) {
      const step = this.#next(link, skipUnmarked, into);
      if (typeof step === 'object') return step;
      const r = await this.#kernelReadAsync(into);
      if (r.status !== Status.SHOULD_WAIT) return r;
      if (step === FROM_KERNEL) skipUnmarked = true;
    }
  }

  /**
   * One step of reading a mapped end: a message from the ring, a final status, or which
   * kernel read to make. Unmarked kernel messages precede every ring record; a MARKER
   * stands for the oldest marked one. A record of unknown kind is the peer's garbage
   * and is skipped; a ring the peer corrupted reads as the peer having closed. The
   * record is read in place and only its payload copied, once.
   */
  #next(
    link: Link,
    skipUnmarked: boolean,
    into: Uint8Array | undefined,
  ): ReadResult | typeof FROM_KERNEL | typeof FOR_MARKER {
    for (;;) {
      // Loaded before the ring: records written before the close are then all visible.
      const closed = Atomics.load(link.block, CHANNEL_BLOCK.PEER_CLOSED) !== 0;
      if (!skipUnmarked && Atomics.load(link.block, CHANNEL_BLOCK.UNMARKED) > 0) return FROM_KERNEL;
      const record = link.inbound.peek();
      if (!record.ok) return { status: Status.PEER_CLOSED };
      const bytes = record.value;
      if (bytes === null) return { status: closed ? Status.PEER_CLOSED : Status.SHOULD_WAIT };
      const kind = bytes.byteLength >= CHANNEL_RECORD.PREFIX_BYTES ? bytes[0] : 0;
      if (kind === CHANNEL_RECORD.DATA) {
        const data = copyOut(bytes.subarray(CHANNEL_RECORD.PREFIX_BYTES), into);
        link.inbound.release();
        const badge = Atomics.load(link.block, CHANNEL_BLOCK.PEER_BADGE) >>> 0;
        const rights = Atomics.load(link.block, CHANNEL_BLOCK.PEER_RIGHTS) >>> 0;
        return { status: Status.OK, message: { data, handles: NONE, badge, rights } };
      }
      link.inbound.release();
      if (kind === CHANNEL_RECORD.MARKER) return FOR_MARKER;
    }
  }

  /** Something may be there to read: a ring record, an unmarked message, the peer's close. */
  #readable(link: Link): boolean {
    if (Atomics.load(link.block, CHANNEL_BLOCK.UNMARKED) > 0) return true;
    if (Atomics.load(link.block, CHANNEL_BLOCK.PEER_CLOSED) !== 0) return true;
    const peeked = link.inbound.peek();
    return !peeked.ok || peeked.value !== null;
  }

  /** Spin, then sleep on WAKE (see the wake-up protocol in channel-ring.ts). */
  #waitRing(link: Link, timeoutMs: number): void {
    const h = link.inHeader;
    // Spin on TAIL (a writer bumps WAKE only for a sleeping reader) and on WAKE (the kernel's news).
    let tail = Atomics.load(h, RING_HEADER.TAIL);
    let seen = Atomics.load(h, CHANNEL_RING.WAKE);
    if (this.#readable(link)) return;
    for (let i = 0; i < READER_SPIN; i++) {
      if (Atomics.load(h, RING_HEADER.TAIL) === tail && Atomics.load(h, CHANNEL_RING.WAKE) === seen) continue;
      if (this.#readable(link)) return;
      tail = Atomics.load(h, RING_HEADER.TAIL);
      seen = Atomics.load(h, CHANNEL_RING.WAKE);
    }
    Atomics.store(h, CHANNEL_RING.READER_WAITING, 1);
    seen = Atomics.load(h, CHANNEL_RING.WAKE);
    if (!this.#readable(link)) Atomics.wait(h, CHANNEL_RING.WAKE, seen, timeoutMs);
    Atomics.store(h, CHANNEL_RING.READER_WAITING, 0);
  }

  /** Polls until something may be read, for at most `ms`; whether it may. */
  #spinFor(link: Link, ms: number): boolean {
    const until = performance.now() + ms;
    do if (this.#readable(link)) return true;
    while (performance.now() < until);
    return false;
  }

  async #waitRingAsync(link: Link, timeoutMs: number): Promise<void> {
    const h = link.inHeader;
    Atomics.store(h, CHANNEL_RING.READER_WAITING, 1);
    const seen = Atomics.load(h, CHANNEL_RING.WAKE);
    if (!this.#readable(link)) {
      const w = Atomics.waitAsync(h, CHANNEL_RING.WAKE, seen, timeoutMs);
      if (w.async) await w.value;
    }
    Atomics.store(h, CHANNEL_RING.READER_WAITING, 0);
  }

  #kernelRead(into: Uint8Array | undefined): ReadResult {
    return toReadResult(this.#env.sys.channelRead(this.handle), into);
  }

  async #kernelReadAsync(into: Uint8Array | undefined): Promise<ReadResult> {
    return toReadResult(await this.#env.sys.channelReadAsync(this.handle), into);
  }

  #blocked(wait: () => unknown): void {
    runBlocked(this.#env.control, wait);
  }
}

/**
 * Runs a wait with BLOCKED set in the domain's control block, so the watchdog counts the
 * domain as idle, not runaway, and the kernel does not count the time as CPU (control.ts).
 */
export function runBlocked(control: Int32Array<SharedArrayBuffer>, wait: () => unknown): void {
  const start = epochNow();
  Atomics.store(control, CONTROL.BLOCKED, blockedStamp(start));
  try {
    wait();
  } finally {
    Atomics.store(control, CONTROL.BLOCKED, 0);
    Atomics.add(control, CONTROL.BLOCKED_MS, Math.round(epochNow() - start));
  }
}

function toReadResult(
  r: { status: number; data?: Uint8Array; handles?: readonly number[]; badge?: number; rights?: number },
  into: Uint8Array | undefined,
): ReadResult {
  if (r.status !== Status.OK) return { status: r.status as Exclude<Status, typeof Status.OK> };
  const data = r.data ?? new Uint8Array(0);
  const message = {
    data: into ? copyOut(data, into) : data,
    handles: r.handles ?? NONE,
    badge: r.badge ?? 0,
    rights: r.rights ?? 0,
  };
  return { status: Status.OK, message };
}

/** channel.read_wait's answer as a read's: a timeout is SHOULD_WAIT, as readWait reports it. */
function toWaitResult(
  r: { status: number; data?: Uint8Array; handles?: readonly number[]; badge?: number; rights?: number },
  into: Uint8Array | undefined,
): ReadResult {
  return toReadResult(r.status === Status.TIMED_OUT ? { status: Status.SHOULD_WAIT } : r, into);
}

/** A private copy of `bytes`: in `into` when it fits, else newly allocated. */
function copyOut(bytes: Uint8Array, into: Uint8Array | undefined): Uint8Array {
  if (!into || into.byteLength < bytes.byteLength) return bytes.slice();
  into.set(bytes);
  return into.subarray(0, bytes.byteLength);
}

const epochNow = (): number => performance.timeOrigin + performance.now();

/** What a writer waits for on a full unmapped channel: room, or the reader's close. */
const ROOM = Signal.WRITABLE | Signal.PEER_CLOSED;

/** object.wait_one takes a finite timeout or -1 for none. */
function toWaitMs(ms: number): number {
  return Number.isFinite(ms) ? Math.max(0, Math.ceil(ms)) : -1;
}
