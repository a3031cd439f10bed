// Port: a queue of packets, each saying that a watched object asserted signals; how a
// server waits on many handles at once. Layer: kernel.
// Bindings are one-shot observers on the watched objects; the port asserts READABLE
// while packets are queued. Packets past LIMITS.PORT_PACKETS are refused at bind time,
// so a port never holds more than it promised.
import { LIMITS } from '../../abi/limits.ts';
import { ObjectType, Signal } from '../../abi/objects.ts';
import { Status } from '../../abi/status.ts';
import type { Capability } from '../capability.ts';
import { KernelObject, type Observer } from '../object.ts';

export interface Packet {
  readonly key: number;
  readonly signals: number;
}

export class Port extends KernelObject {
  readonly type = ObjectType.PORT;
  readonly #packets: Packet[] = [];
  /** Live bindings and the object each watches. */
  readonly #bindings = new Map<Observer, KernelObject>();

  /** Watches `via`'s object for `mask`, once. LIMIT_EXCEEDED if the port could overflow. */
  bind(via: Capability, mask: number, key: number): typeof Status.OK | typeof Status.LIMIT_EXCEEDED {
    if (this.#packets.length + this.#bindings.size >= LIMITS.PORT_PACKETS) return Status.LIMIT_EXCEEDED;
    const target = via.object;
    const deliver = (signals: number): void => {
      this.#bindings.delete(observer);
      this.#packets.push({ key, signals });
      this.updateSignals(0, Signal.READABLE);
    };
    const observer: Observer = {
      mask,
      capability: via,
      fire: deliver,
      abort: () => deliver(Signal.REVOKED),
    };
    this.#bindings.set(observer, target);
    if (!target.observe(observer)) {
      this.#bindings.delete(observer);
      return Status.LIMIT_EXCEEDED;
    }
    return Status.OK;
  }

  /** The oldest packet, or null. */
  take(): Packet | null {
    const packet = this.#packets.shift() ?? null;
    if (this.#packets.length === 0) this.updateSignals(Signal.READABLE, 0);
    return packet;
  }

  protected override lastCapabilityClosed(): void {
    this.#packets.length = 0;
    for (const [observer, target] of this.#bindings) target.unobserve(observer);
    this.#bindings.clear();
  }
}
