// What the kernel posts to a domain after its bootstrap: things rings cannot carry, such
// as the SharedArrayBuffer of a mapped Memory or the rings of a mapped channel.
// Layer: workers. The kernel is trusted, but a message that does not decode is still
// refused loudly.
import {
  decodeDisplayGrant,
  decodeLinkGrant,
  decodeMemoryGrant,
  type DisplayGrant,
  type LinkGrant,
} from '../abi/boot.ts';
import { decodeChannelGrant, type ChannelGrant } from '../abi/channel-ring.ts';

/** Grants by kind: what arrived and is not taken yet, and who waits for what. */
class Mailbox<T> {
  readonly #ready = new Map<number, T[]>();
  readonly #waiters = new Map<number, ((value: T) => void)[]>();

  put(koid: number, value: T): void {
    const waiter = this.#waiters.get(koid)?.shift();
    if (waiter) waiter(value);
    else this.#ready.set(koid, [...(this.#ready.get(koid) ?? []), value]);
  }

  take(koid: number): Promise<T> {
    const ready = this.#ready.get(koid)?.shift();
    if (ready !== undefined) return Promise.resolve(ready);
    return new Promise((resolve) => this.#waiters.set(koid, [...(this.#waiters.get(koid) ?? []), resolve]));
  }
}

export class KernelInbox {
  readonly #memory = new Mailbox<SharedArrayBuffer>();
  readonly #channels = new Mailbox<ChannelGrant>();
  readonly #displays = new Mailbox<DisplayGrant>();
  readonly #links = new Mailbox<LinkGrant>();

  /** Called with every message the kernel posts after the bootstrap. */
  deliver(data: unknown): void {
    const memory = decodeMemoryGrant(data);
    if (memory.ok) return this.#memory.put(memory.value.koid, memory.value.buffer);
    const channel = decodeChannelGrant(data);
    if (channel.ok) return this.#channels.put(channel.value.koid, channel.value);
    const display = decodeDisplayGrant(data);
    if (display.ok) return this.#displays.put(display.value.koid, display.value);
    const link = decodeLinkGrant(data);
    if (link.ok) return this.#links.put(link.value.koid, link.value);
    throw new Error(
      `unexpected message from the kernel: ${memory.error}; ${channel.error}; ${display.error}; ${link.error}`,
    );
  }

  /** The next buffer granted for Memory `koid`, now or when it arrives. */
  take(koid: number): Promise<SharedArrayBuffer> {
    return this.#memory.take(koid);
  }

  /** The canvas and port granted for Display `koid`, now or when they arrive. */
  takeDisplay(koid: number): Promise<DisplayGrant> {
    return this.#displays.take(koid);
  }

  /** The port granted for link end `koid`, now or when it arrives. */
  takeLink(koid: number): Promise<LinkGrant> {
    return this.#links.take(koid);
  }

  /** The rings granted for channel end `koid`, now or when they arrive. */
  takeChannel(koid: number): Promise<ChannelGrant> {
    return this.#channels.take(koid);
  }
}
