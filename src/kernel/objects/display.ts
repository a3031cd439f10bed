// Display: the host's screen, an OffscreenCanvas and a port to the host's display bridge
// (input, size changes, the automation and accessibility bridges; ADR 0017). Layer:
// kernel. Both can move to another thread only once, so the display is taken once: the
// process that maps it owns the screen for good, and nobody else ever can.
import type { HostDisplay } from '../../abi/boot.ts';
import { ObjectType } from '../../abi/objects.ts';
import { KernelObject } from '../object.ts';

export class Display extends KernelObject {
  readonly type = ObjectType.DISPLAY;
  /** The size the page booted with, CSS pixels. */
  readonly width: number;
  readonly height: number;
  #host: HostDisplay | null;

  constructor(host: HostDisplay) {
    super();
    this.#host = host;
    this.width = host.width;
    this.height = host.height;
  }

  /** The canvas and port, the first time; null ever after. */
  take(): HostDisplay | null {
    const host = this.#host;
    this.#host = null;
    return host;
  }
}
