// Timer: a one-shot deadline that asserts FIRED. Layer: kernel.
// The kernel's event loop runs the host timer; the timer is cancelled when the last
// capability to it closes, so an abandoned timer never fires into nothing.
import { ObjectType, Signal } from '../../abi/objects.ts';
import { KernelObject } from '../object.ts';

export interface Clock {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(id: unknown): void;
}

export class Timer extends KernelObject {
  readonly type = ObjectType.TIMER;
  readonly #clock: Clock;
  #pending: unknown = null;

  constructor(clock: Clock) {
    super();
    this.#clock = clock;
  }

  /** Arms for `delayMs` from now (clearing FIRED); a negative delay only cancels. */
  set(delayMs: number): void {
    this.#cancel();
    this.updateSignals(Signal.FIRED, 0);
    if (delayMs < 0) return;
    this.#pending = this.#clock.setTimeout(() => {
      this.#pending = null;
      this.updateSignals(0, Signal.FIRED);
    }, delayMs);
  }

  #cancel(): void {
    if (this.#pending !== null) this.#clock.clearTimeout(this.#pending);
    this.#pending = null;
  }

  protected override lastCapabilityClosed(): void {
    this.#cancel();
  }
}
