// The domain's end of its syscall transport: encodes calls, submits them and waits for
// completions. Layer: workers. Trusts the kernel's completions (the kernel is
// the trusted base) but still decodes them strictly, and treats a bad one as fatal.
//
// Blocking calls (call) park the worker in Atomics.wait after a short spin; async calls
// (callAsync) are completed by one pump that waits with Atomics.waitAsync. Completions
// can come back out of order (a parked wait finishes after later calls), so both paths
// match them by tag. A blocking call made while async calls are outstanding delivers
// their completions too; the ring counts both waits (ring-wait.ts), so the kernel goes
// on waking the pump after the blocking call returns, and an idle domain's pump sleeps
// until a completion comes instead of polling.
import { ringDoorbell } from '../abi/doorbell.ts';
import type { RingConsumer, RingProducer } from '../abi/ring.ts';
import { completionTag, decodeCompletion, encodeCall, type WireValue } from '../abi/syscall-codec.ts';
import type { SyscallDef } from '../abi/sys.ts';

export interface Completion {
  readonly status: number;
  readonly results: readonly WireValue[];
}

/**
 * How syscall records reach the kernel and completions come back. The ring transport
 * below is the only one today; a postMessage (or JSPI) transport for pages without
 * cross-origin isolation implements the same five calls.
 */
export interface SyscallTransport {
  /** Queues a record; false when there is no room now. Throws if the transport is broken. */
  trySubmit(record: Uint8Array): boolean;
  /** Blocks until a record of `bytes` fits. */
  waitSubmittable(bytes: number): void;
  /** The next completion, or null. */
  nextCompletion(): Uint8Array | null;
  /** Blocks until a completion may be there. */
  waitCompletion(): void;
  /** Resolves when a completion may be there, or after `timeoutMs`. */
  waitCompletionAsync(timeoutMs: number): Promise<void>;
}

/** Syscalls over the domain's ring pair, ringing the kernel's doorbell after each submission. */
export function ringTransport(
  submissions: RingProducer,
  completions: RingConsumer,
  doorbell: SharedArrayBuffer,
): SyscallTransport {
  const bell = new Int32Array(doorbell);
  return {
    trySubmit: (record) => {
      const written = fatal(submissions.tryWrite(record));
      if (written) ringDoorbell(bell);
      return written;
    },
    waitSubmittable: (bytes) => void fatal(submissions.waitWritable(bytes, Infinity)),
    nextCompletion: () => fatal(completions.tryRead()),
    waitCompletion: () => void fatal(completions.waitReadable(Infinity)),
    waitCompletionAsync: async (timeoutMs) => void fatal(await completions.waitReadableAsync(timeoutMs)),
  };
}

export class SyscallClient {
  readonly #transport: SyscallTransport;
  readonly #waiting = new Map<number, { def: SyscallDef; resolve: (c: Completion) => void }>();
  readonly #arrived = new Map<number, Uint8Array>();
  #nextTag = 1;
  #pumping = false;

  constructor(transport: SyscallTransport) {
    this.#transport = transport;
  }

  /** Makes a call and blocks the worker until it completes. */
  call(def: SyscallDef, args: readonly WireValue[]): Completion {
    const tag = this.#submit(def, args, true);
    for (;;) {
      const record = this.#arrived.get(tag);
      if (record) {
        this.#arrived.delete(tag);
        return this.#decode(def, record);
      }
      this.#transport.waitCompletion();
      this.#collect();
    }
  }

  /** Makes a call without blocking the worker. */
  callAsync(def: SyscallDef, args: readonly WireValue[]): Promise<Completion> {
    return new Promise((resolve) => {
      const tag = this.#submit(def, args, false);
      this.#waiting.set(tag, { def, resolve });
      void this.#pump();
    });
  }

  /** Submits a call that never completes (process.exit) and does not wait for it. */
  post(def: SyscallDef, args: readonly WireValue[]): void {
    this.#submit(def, args, true);
  }

  #submit(def: SyscallDef, args: readonly WireValue[], block: boolean): number {
    const tag = this.#nextTag;
    this.#nextTag = (this.#nextTag % 0xffffffff) + 1;
    const record = encodeCall(def, tag, args);
    while (!this.#transport.trySubmit(record)) {
      if (!block) throw new Error('syscall ring full; too many calls in flight');
      this.#transport.waitSubmittable(record.byteLength);
    }
    return tag;
  }

  /** Reads every completion in the ring; hands async ones to their promises. */
  #collect(): void {
    for (;;) {
      const record = this.#transport.nextCompletion();
      if (record === null) return;
      const tag = completionTag(record);
      const waiter = this.#waiting.get(tag);
      if (waiter) {
        this.#waiting.delete(tag);
        waiter.resolve(this.#decode(waiter.def, record));
      } else this.#arrived.set(tag, record);
    }
  }

  async #pump(): Promise<void> {
    if (this.#pumping) return;
    this.#pumping = true;
    try {
      while (this.#waiting.size > 0) {
        this.#collect();
        if (this.#waiting.size > 0) await this.#transport.waitCompletionAsync(Infinity);
      }
    } finally {
      this.#pumping = false;
    }
  }

  #decode(def: SyscallDef, record: Uint8Array): Completion {
    const decoded = decodeCompletion(def, record);
    if (!decoded.ok) throw new Error(`kernel sent a malformed completion for ${def.name}: ${decoded.error}`);
    return decoded.value;
  }
}

/** A ring error on the kernel's rings means the domain cannot go on. */
function fatal<T>(result: { ok: true; value: T } | { ok: false; error: { detail: string } }): T {
  if (!result.ok) throw new Error(`syscall ring broken: ${result.error.detail}`);
  return result.value;
}
