// The domain's end of its syscall rings: encodes calls, rings the kernel's doorbell and
// waits for completions. Layer: workers. Trusts the kernel's completions (the kernel is
// the trusted base) but still decodes them strictly, and treats a bad one as fatal.
//
// Blocking calls (call) park the worker in Atomics.wait after a short spin; async calls
// (callAsync) are completed by one pump that waits with Atomics.waitAsync. Completions
// can come back out of order (a parked wait finishes after later calls), so both paths
// match them by tag. A blocking call made while async calls are outstanding delivers
// their completions too; the pump re-checks at least every PUMP_RECHECK_MS so a wake-up
// consumed by a blocking call cannot strand it.
import { ringDoorbell } from '../abi/doorbell.ts';
import type { RingConsumer, RingProducer } from '../abi/ring.ts';
import { completionTag, decodeCompletion, encodeCall, type WireValue } from '../abi/syscall-codec.ts';
import type { SyscallDef } from '../abi/sys.ts';

export interface Completion {
  readonly status: number;
  readonly results: readonly WireValue[];
}

const PUMP_RECHECK_MS = 50;

export class SyscallClient {
  readonly #submissions: RingProducer;
  readonly #completions: RingConsumer;
  readonly #bell: Int32Array<SharedArrayBuffer>;
  readonly #waiting = new Map<number, { def: SyscallDef; resolve: (c: Completion) => void }>();
  readonly #arrived = new Map<number, Uint8Array>();
  #nextTag = 1;
  #pumping = false;

  constructor(submissions: RingProducer, completions: RingConsumer, doorbell: SharedArrayBuffer) {
    this.#submissions = submissions;
    this.#completions = completions;
    this.#bell = new Int32Array(doorbell);
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
      fatal(this.#completions.waitReadable(Infinity));
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

  #submit(def: SyscallDef, args: readonly WireValue[], block: boolean): number {
    const tag = this.#nextTag;
    this.#nextTag = (this.#nextTag % 0xffffffff) + 1;
    const record = encodeCall(def, tag, args);
    while (!fatal(this.#submissions.tryWrite(record))) {
      if (!block) throw new Error('syscall ring full; too many calls in flight');
      fatal(this.#submissions.waitWritable(record.byteLength, Infinity));
    }
    ringDoorbell(this.#bell);
    return tag;
  }

  /** Reads every completion in the ring; hands async ones to their promises. */
  #collect(): void {
    for (;;) {
      const record = fatal(this.#completions.tryRead());
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
        if (this.#waiting.size > 0) fatal(await this.#completions.waitReadableAsync(PUMP_RECHECK_MS));
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
