// KernelObject: what every kernel object shares — an id, a type, signal bits, the
// observers waiting for them, and a count of the capabilities that reach it.
// Layer: kernel. Objects never see raw ABI values: handlers decode and check first.
import { LIMITS } from '../abi/limits.ts';
import { USER_SIGNALS, type ObjectType } from '../abi/objects.ts';
import type { Capability } from './capability.ts';

/** Someone waiting for signals on an object, through a particular capability. */
export interface Observer {
  readonly mask: number;
  /** The capability the wait came through; revoking it cancels the wait. */
  readonly capability: Capability;
  /** Called once with the object's signals when one in `mask` is asserted. */
  fire(signals: number): void;
  /** Ends the wait without the signals (REVOKED, CANCELED); the caller has unobserved it. */
  abort(status: number): void;
}

let nextKoid = 1;

export abstract class KernelObject {
  abstract readonly type: ObjectType;
  readonly koid = nextKoid++;
  #signals = 0;
  readonly #observers = new Set<Observer>();
  #capabilities = 0;

  get signals(): number {
    return this.#signals;
  }

  /**
   * A pinned object has exactly one handle, in one process, for good: no handle to it may
   * be derived, replaced or moved (a mapped channel end, ADR 0008).
   */
  get pinned(): boolean {
    return false;
  }

  /** The koid of a related object: a channel end's peer, a process's parent. */
  get related(): number {
    return 0;
  }

  /** Clears then sets signal bits, and fires every observer now satisfied. */
  protected updateSignals(clear: number, set: number): void {
    const next = (this.#signals & ~clear) | set;
    if (next === this.#signals) return;
    this.#signals = next;
    for (const o of [...this.#observers]) {
      if ((o.mask & next) !== 0) {
        this.#observers.delete(o);
        o.fire(next);
      }
    }
  }

  /** object.signal: changes user signals only; other bits are ignored. */
  signalUser(clear: number, set: number): void {
    this.updateSignals(clear & USER_SIGNALS, set & USER_SIGNALS);
  }

  /** Fires at once if already satisfied; false when the object has too many observers. */
  observe(observer: Observer): boolean {
    this.syncSignals();
    if ((observer.mask & this.#signals) !== 0) {
      observer.fire(this.#signals);
      return true;
    }
    if (this.#observers.size >= LIMITS.OBSERVERS_PER_OBJECT) return false;
    this.#observers.add(observer);
    return true;
  }

  /**
   * Brings signals that depend on shared memory up to date (a mapped channel's ring);
   * called before any wait looks at them.
   */
  syncSignals(): void {}

  get observerCount(): number {
    return this.#observers.size;
  }

  unobserve(observer: Observer): void {
    this.#observers.delete(observer);
  }

  /** Ends every wait that came through `cap` (it was revoked or closed) with `status`. */
  abortObserversVia(cap: Capability, status: number): void {
    for (const o of [...this.#observers]) {
      if (o.capability !== cap) continue;
      this.#observers.delete(o);
      o.abort(status);
    }
  }

  capabilityOpened(): void {
    this.#capabilities++;
  }

  capabilityClosed(): void {
    if (--this.#capabilities === 0) this.lastCapabilityClosed();
  }

  get capabilityCount(): number {
    return this.#capabilities;
  }

  /** Called when nothing reaches the object any more. */
  protected lastCapabilityClosed(): void {}
}
