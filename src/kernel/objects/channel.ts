// Channel: a bidirectional message pipe of two ends. Each end queues the messages its
// peer wrote; messages carry bytes and capabilities (moved, not copied).
// Layer: kernel. Called only by syscall handlers, with checked arguments.
//
// Lifecycle: ChannelEnd.pair() makes both ends. When the last capability to an end
// closes, the end is gone: its queued messages (and the capabilities in them) are
// closed, and the peer asserts PEER_CLOSED and loses WRITABLE.
import { LIMITS } from '../../abi/limits.ts';
import { ObjectType, Signal } from '../../abi/objects.ts';
import { Status } from '../../abi/status.ts';
import type { Capability } from '../capability.ts';
import { KernelObject } from '../object.ts';

export interface Message {
  readonly data: Uint8Array;
  /** Moved capabilities, owned by the message until read. */
  readonly caps: readonly Capability[];
  /** Badge of the handle the message was written through. */
  readonly badge: number;
}

export class ChannelEnd extends KernelObject {
  readonly type = ObjectType.CHANNEL;
  #peer: ChannelEnd | null = null;
  readonly #queue: Message[] = [];

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

  /** Queues on the peer. On failure nothing is consumed: the caller keeps `message.caps`. */
  write(message: Message): typeof Status.OK | typeof Status.PEER_CLOSED | typeof Status.SHOULD_WAIT {
    const peer = this.#peer;
    if (!peer) return Status.PEER_CLOSED;
    if (peer.#queue.length >= LIMITS.QUEUED_MESSAGES) return Status.SHOULD_WAIT;
    for (const cap of message.caps) cap.holder = null;
    peer.#queue.push(message);
    peer.updateSignals(0, Signal.READABLE);
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
    this.#queue.shift();
    if (this.#queue.length === 0) this.updateSignals(Signal.READABLE, 0);
    if (this.#peer && this.#queue.length < LIMITS.QUEUED_MESSAGES)
      this.#peer.updateSignals(0, Signal.WRITABLE);
  }

  protected override lastCapabilityClosed(): void {
    const peer = this.#peer;
    this.#peer = null;
    for (const message of this.#queue.splice(0)) for (const cap of message.caps) cap.close();
    this.updateSignals(Signal.READABLE | Signal.WRITABLE, 0);
    if (peer) {
      peer.#peer = null;
      peer.updateSignals(Signal.WRITABLE, Signal.PEER_CLOSED);
    }
  }
}
