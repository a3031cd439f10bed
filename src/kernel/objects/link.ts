// Link: two ends, each holding one of an entangled pair of MessagePorts (ADR 0020). What
// rings cannot carry, such as ImageBitmaps, goes straight from one mapped end to the
// other; the kernel only decides who gets each port. Layer: kernel. A port moves to
// another thread once, so each end is taken once; an end nobody took is closed when the
// last capability to it goes.
import { ObjectType } from '../../abi/objects.ts';
import { KernelObject } from '../object.ts';

/** The part of a MessagePort the kernel uses; the grant carries the port itself. */
export interface LinkPort {
  close(): void;
}

export class LinkEnd extends KernelObject {
  readonly type = ObjectType.LINK;
  #port: LinkPort | null;
  #peer: LinkEnd | null = null;

  private constructor(port: LinkPort) {
    super();
    this.#port = port;
  }

  /** Both ends of a new link; `ports` makes the entangled pair (a MessageChannel's). */
  static pair(ports: () => readonly [LinkPort, LinkPort]): [LinkEnd, LinkEnd] {
    const [p0, p1] = ports();
    const a = new LinkEnd(p0);
    const b = new LinkEnd(p1);
    a.#peer = b;
    b.#peer = a;
    return [a, b];
  }

  override get related(): number {
    return this.#peer?.koid ?? 0;
  }

  /** The port, the first time; null ever after. */
  take(): LinkPort | null {
    const port = this.#port;
    this.#port = null;
    return port;
  }

  protected override lastCapabilityClosed(): void {
    this.take()?.close();
    if (this.#peer) this.#peer.#peer = null;
    this.#peer = null;
  }
}
