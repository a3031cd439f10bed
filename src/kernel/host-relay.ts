// The host link's kernel side: a channel whose one end pid 1 holds and whose other end
// the kernel keeps, relaying bytes between it and the page (ADR 0011). Layer: kernel.
// Trusts neither side: what the domain writes is passed on only if it is bytes alone
// (a message with handles is dropped, its handles closed), and what the page sends was
// decoded and bounded by the kernel worker and is copied before it is queued.
//
// Lifecycle: create() makes the pair; the domain's end goes to pid 1 at spawn. The relay
// observes its end for READABLE and PEER_CLOSED and drains it synchronously each time,
// as the kernel's handlers do. Page messages are written into the channel; while its
// queue is full they wait here (at most LIMITS.HOST_LINK_QUEUED) for WRITABLE. When pid
// 1's end closes, the page is told once ('host-closed') and everything held is dropped.
import type { KernelReport, LogLevel } from '../abi/boot.ts';
import { LIMITS } from '../abi/limits.ts';
import { DEFAULT_RIGHTS, ObjectType, Signal } from '../abi/objects.ts';
import { Status } from '../abi/status.ts';
import { Capability } from './capability.ts';
import { ChannelEnd } from './objects/channel.ts';

/** Where the relay sends what it has for the page, and its log lines. */
export interface HostRelayPort {
  report(report: KernelReport): void;
  log(level: LogLevel, message: string): void;
}

export class HostRelay {
  readonly #cap: Capability;
  readonly #end: ChannelEnd;
  readonly #port: HostRelayPort;
  readonly #held: Uint8Array[] = [];
  #closed = false;
  #waitingWritable = false;

  private constructor(cap: Capability, port: HostRelayPort) {
    this.#cap = cap;
    this.#end = cap.object as ChannelEnd;
    this.#port = port;
  }

  /** A relay and the capability to give pid 1 (the other end, default channel rights). */
  static create(port: HostRelayPort): { relay: HostRelay; domainEnd: Capability } {
    const [mine, theirs] = ChannelEnd.pair();
    const rights = DEFAULT_RIGHTS[ObjectType.CHANNEL];
    const relay = new HostRelay(Capability.root(mine, rights), port);
    relay.#watchReadable();
    return { relay, domainEnd: Capability.root(theirs, rights) };
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Messages waiting for room in the channel. */
  get held(): number {
    return this.#held.length;
  }

  /** A message from the page, already decoded and within LIMITS.MESSAGE_BYTES; copied here. */
  deliver(data: Uint8Array): void {
    if (this.#closed) return this.#refuse('the host link is closed');
    const copy = data.slice();
    if (this.#held.length > 0 || this.#end.write(message(copy)) === Status.SHOULD_WAIT) {
      if (this.#held.length >= LIMITS.HOST_LINK_QUEUED)
        return this.#refuse(`the host link is full (${LIMITS.HOST_LINK_QUEUED} messages held)`);
      this.#held.push(copy);
      this.#watchWritable();
    }
  }

  /** The kernel is stopping: lets go of the end (pid 1 sees PEER_CLOSED) and drops what it holds. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#held.length = 0;
    this.#cap.close();
  }

  #refuse(reason: string): void {
    this.#port.log('warn', `host link: refused a message from the page: ${reason}`);
    this.#port.report({ kind: 'host-refused', reason });
  }

  #watchReadable(): void {
    this.#end.observe({
      mask: Signal.READABLE | Signal.PEER_CLOSED,
      capability: this.#cap,
      fire: () => this.#drain(),
      abort: () => undefined,
    });
  }

  /** Relays every queued message; then waits again, or reports the close. */
  #drain(): void {
    for (;;) {
      const next = this.#end.peek();
      if (next === Status.SHOULD_WAIT) return this.#watchReadable();
      if (next === Status.PEER_CLOSED) return this.#peerClosed();
      this.#end.take();
      if (next.caps.length > 0) {
        for (const cap of next.caps) cap.close();
        this.#port.log(
          'warn',
          `host link: dropped a message with ${next.caps.length} handle(s); the link carries bytes only`,
        );
      } else this.#port.report({ kind: 'host', data: next.data });
    }
  }

  #peerClosed(): void {
    if (this.#closed) return;
    this.#closed = true;
    const dropped = this.#held.splice(0).length;
    this.#cap.close();
    this.#port.log(
      'info',
      `host link: pid 1 closed its end${dropped > 0 ? `; ${dropped} held message(s) dropped` : ''}`,
    );
    this.#port.report({ kind: 'host-closed' });
  }

  #watchWritable(): void {
    if (this.#waitingWritable) return;
    this.#waitingWritable = true;
    this.#end.observe({
      mask: Signal.WRITABLE | Signal.PEER_CLOSED,
      capability: this.#cap,
      fire: () => {
        this.#waitingWritable = false;
        this.#flush();
      },
      abort: () => undefined,
    });
  }

  /** Writes held messages while the channel takes them. */
  #flush(): void {
    while (!this.#closed && this.#held.length > 0) {
      const status = this.#end.write(message(this.#held[0] as Uint8Array));
      if (status === Status.SHOULD_WAIT) return this.#watchWritable();
      if (status === Status.PEER_CLOSED) return; // the readable watch reports the close
      this.#held.shift();
    }
  }
}

const message = (data: Uint8Array) => ({ data, caps: [], badge: 0, rights: 0, marked: false });
