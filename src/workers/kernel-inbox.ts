// What the kernel posts to a domain after its bootstrap: things rings cannot carry, such
// as the SharedArrayBuffer of a mapped Memory. Layer: workers. The kernel is trusted, but
// a message that does not decode is still refused loudly.
import { decodeMemoryGrant } from '../abi/boot.ts';

export class KernelInbox {
  readonly #buffers = new Map<number, SharedArrayBuffer[]>();
  readonly #waiters = new Map<number, ((buffer: SharedArrayBuffer) => void)[]>();

  /** Called with every message the kernel posts after the bootstrap. */
  deliver(data: unknown): void {
    const grant = decodeMemoryGrant(data);
    if (!grant.ok) throw new Error(`unexpected message from the kernel: ${grant.error}`);
    const { koid, buffer } = grant.value;
    const waiter = this.#waiters.get(koid)?.shift();
    if (waiter) waiter(buffer);
    else this.#buffers.set(koid, [...(this.#buffers.get(koid) ?? []), buffer]);
  }

  /** The next buffer granted for `koid`, now or when it arrives. */
  take(koid: number): Promise<SharedArrayBuffer> {
    const ready = this.#buffers.get(koid)?.shift();
    if (ready) return Promise.resolve(ready);
    return new Promise((resolve) => this.#waiters.set(koid, [...(this.#waiters.get(koid) ?? []), resolve]));
  }
}
