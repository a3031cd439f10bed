// Flow control for host-exchange streams (host-protocol.ts): a sender may have WINDOW
// chunks of a stream unacknowledged, and the receiver returns credit as it consumes
// them, in batches of half a window. Layer: abi: pure bookkeeping, shared by the page
// and init; whoever owns the link sends the `credit` messages these ask for.
import { HOST_PROTOCOL } from './host-protocol.ts';

const BATCH = HOST_PROTOCOL.WINDOW / 2;

/** The sending side of one stream. */
export class SendWindow {
  #credit: number = HOST_PROTOCOL.WINDOW;
  readonly #waiters: ((open: boolean) => void)[] = [];
  #closed = false;

  /** Resolves true once a chunk may be sent (taking one credit), false if the stream was closed. */
  take(): Promise<boolean> {
    if (this.#closed) return Promise.resolve(false);
    if (this.#credit > 0) {
      this.#credit--;
      return Promise.resolve(true);
    }
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  /** The receiver returned `count` credits. A receiver that gives more than it owes only hurts itself. */
  grant(count: number): void {
    this.#credit = Math.min(this.#credit + count, 64 * HOST_PROTOCOL.WINDOW);
    while (this.#credit > 0 && this.#waiters.length > 0) {
      this.#credit--;
      this.#waiters.shift()?.(true);
    }
  }

  /** Ends the stream for the sender: every waiting and later take() resolves false. */
  close(): void {
    this.#closed = true;
    for (const w of this.#waiters.splice(0)) w(false);
  }
}

/** The receiving side of one stream. */
export class ReceiveWindow {
  /** Chunks the sender may still send. */
  #open: number = HOST_PROTOCOL.WINDOW;
  #owed = 0;

  /** Counts a chunk that arrived; false if the sender went past its window (a protocol error). */
  received(): boolean {
    if (this.#open === 0) return false;
    this.#open--;
    return true;
  }

  /** Counts a chunk the receiver is done with; returns how many credits to send now (0: none yet). */
  consumed(): number {
    this.#owed++;
    if (this.#owed < BATCH) return 0;
    const n = this.#owed;
    this.#owed = 0;
    this.#open += n;
    return n;
  }
}
