// Ordered writes on init's end of the host link without a round trip between them.
// Layer: apps. Channel.writeAsync submits a write only once the one before it has
// completed; but a domain's calls are served in the order it submits them, so order needs
// no waiting, only room: what is in flight waits in the syscall ring (LIMITS.SYSCALL_RING_BYTES)
// until the kernel takes it, and a submission that finds the ring full fails.
import { LIMITS } from '../../abi/limits.ts';

/** Bytes of messages in flight at once: one message of the largest size, or many small ones. */
export const LINK_IN_FLIGHT_BYTES = LIMITS.MESSAGE_BYTES;

export class LinkWriter {
  readonly #submit: (data: Uint8Array) => Promise<unknown>;
  readonly #waiting: { bytes: number; go: () => void }[] = [];
  #inFlight = 0;

  /** `submit` makes the call (it must submit before it returns, as the async stubs do). */
  constructor(submit: (data: Uint8Array) => Promise<unknown>) {
    this.#submit = submit;
  }

  /** Bytes submitted and not yet completed. */
  get inFlight(): number {
    return this.#inFlight;
  }

  /** Writes `data` after every write asked for before it; resolves when it has completed. */
  async write(data: Uint8Array): Promise<void> {
    const bytes = data.byteLength;
    if (this.#waiting.length > 0 || !this.#fits(bytes))
      await new Promise<void>((go) => this.#waiting.push({ bytes, go }));
    else this.#inFlight += bytes;
    try {
      await this.#submit(data);
    } finally {
      this.#inFlight -= bytes;
      this.#admit();
    }
  }

  /** A message fits if the room is there, or if nothing else is in flight (it cannot wait for more). */
  #fits(bytes: number): boolean {
    return this.#inFlight === 0 || this.#inFlight + bytes <= LINK_IN_FLIGHT_BYTES;
  }

  /** Lets waiting writes go, in order, while they fit; each is counted as it is let go. */
  #admit(): void {
    for (let next = this.#waiting[0]; next && this.#fits(next.bytes); next = this.#waiting[0]) {
      this.#waiting.shift();
      this.#inFlight += next.bytes;
      next.go();
    }
  }
}
