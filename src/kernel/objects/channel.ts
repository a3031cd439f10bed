// Channel: a bidirectional message pipe of two ends. Each end queues the messages its
// peer wrote through the kernel; messages carry bytes and capabilities (moved, not
// copied). A mapped end also has an inbound channel ring its peer's holder writes
// bytes-only messages into directly (ADR 0008); the kernel only makes the rings, keeps
// the end's block up to date and reads ring counters to compute READABLE.
// Layer: kernel. Called only by syscall handlers, with checked arguments.
//
// Lifecycle: ChannelEnd.pair() makes both ends. When the last capability to an end
// closes, the end is gone: its queued messages (and the capabilities in them) are
// closed, and the peer asserts PEER_CLOSED and loses WRITABLE.
import { CHANNEL_BLOCK, CHANNEL_RING, type ChannelGrant } from '../../abi/channel-ring.ts';
import { LIMITS } from '../../abi/limits.ts';
import { ObjectType, Signal } from '../../abi/objects.ts';
import { Ring, RING_HEADER } from '../../abi/ring.ts';
import { Status } from '../../abi/status.ts';
import type { Capability } from '../capability.ts';
import { KernelObject } from '../object.ts';
import type { Process } from '../process.ts';

export interface Message {
  readonly data: Uint8Array;
  /** Moved capabilities, owned by the message until read. */
  readonly caps: readonly Capability[];
  /** Badge and rights of the handle the message was written through. */
  readonly badge: number;
  readonly rights: number;
  /** Written with channel.write_marked: the reader finds it through a ring MARKER. */
  readonly marked: boolean;
}

/** Who mapped an end; the kernel keeps one per mapped end. */
export interface ChannelMapping {
  /** The process the end is pinned to. */
  readonly holder: Process;
  /** Badge and rights of the mapped handle: what ring messages from this end carry. */
  readonly badge: number;
  readonly rights: number;
  /** Shared with the holder only. */
  readonly block: Int32Array<SharedArrayBuffer>;
}

/** Ends whose inbound ring someone waits on through the kernel; the serve loop refreshes them. */
export type WatchList = Set<ChannelEnd>;

export class ChannelEnd extends KernelObject {
  readonly type = ObjectType.CHANNEL;
  #peer: ChannelEnd | null = null;
  readonly #queue: Message[] = [];
  /** Unmarked messages in #queue; mirrored into the block while mapped. */
  #unmarked = 0;
  /** The ring the peer's holder writes into and this end's holder reads; made at the first map. */
  #inbound: Ring | null = null;
  #inboundHeader: Int32Array | null = null;
  #mapping: ChannelMapping | null = null;
  #watch: WatchList | null = null;

  static pair(): [ChannelEnd, ChannelEnd] {
    const a = new ChannelEnd();
    const b = new ChannelEnd();
    a.#peer = b;
    b.#peer = a;
    a.updateSignals(0, Signal.WRITABLE);
    b.updateSignals(0, Signal.WRITABLE);
    return [a, b];
  }

  override get related(): number {
    return this.#peer?.koid ?? 0;
  }

  get queued(): number {
    return this.#queue.length;
  }

  override get pinned(): boolean {
    return this.#mapping !== null;
  }

  /** The mapping this end is pinned by, if any. */
  get mapping(): ChannelMapping | null {
    return this.#mapping;
  }

  /** Shared memory this end's mapping accounts for: its inbound ring and its block; 0 if unmapped. */
  get mappedBytes(): number {
    if (!this.#mapping || !this.#inbound) return 0;
    return this.#inbound.buffer.byteLength + this.#mapping.block.byteLength;
  }

  /**
   * Pins this end to `holder` and returns what to post it. The caller has checked that
   * `via` is the end's only capability, in `holder`'s table, and that `holder` has room
   * for another mapping.
   */
  map(
    holder: Process,
    via: { readonly badge: number; readonly rights: number },
    watch: WatchList,
  ): ChannelGrant | typeof Status.PEER_CLOSED | typeof Status.BAD_STATE {
    const peer = this.#peer;
    if (!peer) return Status.PEER_CLOSED;
    if (this.#mapping) return Status.BAD_STATE;
    if (!this.#inbound) {
      this.#setInbound(Ring.create(LIMITS.CHANNEL_RING_BYTES));
      peer.#setInbound(Ring.create(LIMITS.CHANNEL_RING_BYTES));
    }
    const block = new Int32Array(new SharedArrayBuffer(CHANNEL_BLOCK.WORDS * 4));
    Atomics.store(block, CHANNEL_BLOCK.UNMARKED, this.#unmarked);
    Atomics.store(block, CHANNEL_BLOCK.PEER_BADGE, peer.#mapping?.badge ?? 0);
    Atomics.store(block, CHANNEL_BLOCK.PEER_RIGHTS, peer.#mapping?.rights ?? 0);
    const { badge, rights } = via;
    this.#mapping = { holder, badge, rights, block };
    this.#watch = watch;
    // Ring messages from this end are written through the mapped handle: its badge and rights.
    if (peer.#mapping) {
      Atomics.store(peer.#mapping.block, CHANNEL_BLOCK.PEER_BADGE, badge);
      Atomics.store(peer.#mapping.block, CHANNEL_BLOCK.PEER_RIGHTS, rights);
    }
    this.refreshSignals();
    return {
      kind: 'channel',
      koid: this.koid,
      inbound: (this.#inbound as Ring).buffer,
      outbound: (peer.#inbound as Ring).buffer,
      block: block.buffer,
    };
  }

  #setInbound(ring: Ring): void {
    this.#inbound = ring;
    this.#inboundHeader = new Int32Array(ring.buffer, 0, RING_HEADER.BYTES / 4);
  }

  /** Queues on the peer. On failure nothing is consumed: the caller keeps `message.caps`. */
  write(message: Message): typeof Status.OK | typeof Status.PEER_CLOSED | typeof Status.SHOULD_WAIT {
    const peer = this.#peer;
    if (!peer) return Status.PEER_CLOSED;
    if (peer.#queue.length >= LIMITS.QUEUED_MESSAGES) return Status.SHOULD_WAIT;
    for (const cap of message.caps) cap.holder = null;
    peer.#queue.push(message);
    if (!message.marked) peer.#setUnmarked(peer.#unmarked + 1);
    peer.refreshSignals();
    if (peer.#queue.length >= LIMITS.QUEUED_MESSAGES) this.updateSignals(Signal.WRITABLE, 0);
    return Status.OK;
  }

  /** The oldest message without taking it, or why there is none. */
  peek(): Message | typeof Status.SHOULD_WAIT | typeof Status.PEER_CLOSED {
    const message = this.#queue[0];
    if (message) return message;
    return this.#peer ? Status.SHOULD_WAIT : Status.PEER_CLOSED;
  }

  /** Removes the message peek() returned; the caller now owns its capabilities. */
  take(): void {
    const message = this.#queue.shift();
    if (message && !message.marked) this.#setUnmarked(this.#unmarked - 1);
    this.refreshSignals();
    if (this.#peer && this.#queue.length < LIMITS.QUEUED_MESSAGES)
      this.#peer.updateSignals(0, Signal.WRITABLE);
  }

  #setUnmarked(count: number): void {
    this.#unmarked = count;
    if (!this.#mapping || !this.#inboundHeader) return;
    Atomics.store(this.#mapping.block, CHANNEL_BLOCK.UNMARKED, count);
    wake(this.#inboundHeader);
  }

  /**
   * Recomputes READABLE. Unmapped: a message is queued. Mapped: an unmarked message is
   * queued or the inbound ring holds a record (marked messages are reached through
   * their markers, so they alone do not make the end readable).
   */
  refreshSignals(): void {
    const readable = this.#mapping ? this.#unmarked > 0 || this.#ringHasRecords() : this.#queue.length > 0;
    if (readable) this.updateSignals(0, Signal.READABLE);
    else this.updateSignals(Signal.READABLE, 0);
  }

  #ringHasRecords(): boolean {
    const h = this.#inboundHeader;
    // Untrusted counters, used only as a hint: a lying writer only gets spurious wake-ups.
    return h !== null && Atomics.load(h, RING_HEADER.TAIL) !== Atomics.load(h, RING_HEADER.HEAD);
  }

  /**
   * A wait through the kernel on a mapped end needs to hear of ring records: the writer
   * rings the doorbell while WATCHED is set, and the serve loop refreshes watched ends.
   */
  override syncSignals(): void {
    if (!this.#mapping || !this.#inboundHeader) return;
    Atomics.store(this.#inboundHeader, CHANNEL_RING.WATCHED, 1);
    this.#watch?.add(this);
    this.refreshSignals();
  }

  /** Called by the serve loop for a watched end; false once nobody waits (the end leaves the list). */
  refreshWatched(): boolean {
    if (this.observerCount === 0 || !this.#mapping || !this.#inboundHeader) {
      if (this.#inboundHeader) Atomics.store(this.#inboundHeader, CHANNEL_RING.WATCHED, 0);
      return false;
    }
    this.refreshSignals();
    return true;
  }

  protected override lastCapabilityClosed(): void {
    const peer = this.#peer;
    this.#peer = null;
    for (const message of this.#queue.splice(0)) for (const cap of message.caps) cap.close();
    this.#unmarked = 0;
    this.#watch?.delete(this);
    this.#mapping = null;
    this.updateSignals(Signal.READABLE | Signal.WRITABLE, 0);
    if (peer) {
      peer.#peer = null;
      peer.updateSignals(Signal.WRITABLE, Signal.PEER_CLOSED);
      if (peer.#mapping && peer.#inboundHeader) {
        Atomics.store(peer.#mapping.block, CHANNEL_BLOCK.PEER_CLOSED, 1);
        wake(peer.#inboundHeader);
      }
      // A peer blocked on this end's full inbound ring looks at its block again.
      if (this.#inboundHeader) Atomics.notify(this.#inboundHeader, RING_HEADER.HEAD);
    }
  }
}

/** Tells a ring's reader to look again (see the wake-up protocol in channel-ring.ts). */
function wake(header: Int32Array): void {
  Atomics.add(header, CHANNEL_RING.WAKE, 1);
  Atomics.notify(header, CHANNEL_RING.WAKE);
}
