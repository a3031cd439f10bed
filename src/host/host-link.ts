// The host link's page side: bytes to and from pid 1, through the kernel worker, which
// relays them over a channel (ADR 0011). Layer: host. What arrives was decoded by
// boot.ts as a KernelReport and is still the system's untrusted bytes; listeners are
// Disposables so that whoever stops listening lets go of them.
import type { HostLinkMessage, KernelReport } from '../abi/boot.ts';
import { LIMITS } from '../abi/limits.ts';
import { err, ok, type Result } from '../abi/result.ts';

export interface Disposable {
  dispose(): void;
}

/** The reports that belong to the link. */
export type HostLinkReport = Extract<KernelReport, { kind: 'host' | 'host-closed' | 'host-refused' }>;

export const isHostLinkReport = (r: KernelReport): r is HostLinkReport =>
  r.kind === 'host' || r.kind === 'host-closed' || r.kind === 'host-refused';

class Listeners<T> {
  readonly #set = new Set<(value: T) => void>();

  add(listener: (value: T) => void): Disposable {
    this.#set.add(listener);
    return { dispose: () => void this.#set.delete(listener) };
  }

  fire(value: T): void {
    for (const l of [...this.#set]) l(value);
  }
}

export class HostLink {
  #post: ((message: HostLinkMessage) => void) | null = null;
  #closed = false;
  readonly #messages = new Listeners<Uint8Array>();
  readonly #closes = new Listeners<void>();
  readonly #refusals = new Listeners<string>();

  /** Connects the link to the kernel worker; boot.ts calls it once the worker exists. */
  attach(post: (message: HostLinkMessage) => void): void {
    this.#post = post;
  }

  /** Whether pid 1 has closed its end: nothing more goes either way. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Sends one message (copied); fails if there is no link or the message is too large. */
  send(data: Uint8Array): Result<void> {
    if (this.#closed) return err('the host link is closed');
    if (!this.#post) return err('the system has not started');
    if (data.byteLength > LIMITS.MESSAGE_BYTES)
      return err(`a host message of ${data.byteLength} bytes; the limit is ${LIMITS.MESSAGE_BYTES}`);
    this.#post({ kind: 'host', data });
    return ok(undefined);
  }

  /** Each message pid 1 writes. */
  onMessage(listener: (data: Uint8Array) => void): Disposable {
    return this.#messages.add(listener);
  }

  /** pid 1 closed its end (or ended). Fired once. */
  onClose(listener: () => void): Disposable {
    return this.#closes.add(listener);
  }

  /** The kernel did not deliver a message, and why. */
  onRefused(listener: (reason: string) => void): Disposable {
    return this.#refusals.add(listener);
  }

  /** Called by boot.ts with every link report from the kernel worker. */
  dispatch(report: HostLinkReport): void {
    if (report.kind === 'host') this.#messages.fire(report.data);
    else if (report.kind === 'host-refused') this.#refusals.fire(report.reason);
    else if (!this.#closed) {
      this.#closed = true;
      this.#closes.fire();
    }
  }
}
