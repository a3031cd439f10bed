// The kernel's doorbell: one SharedArrayBuffer of Int32 words shared by the kernel and
// every domain. A domain that submits a syscall bumps COUNTER and, if the kernel said it
// is sleeping, notifies. Layer: abi.
//
// No lost wake-ups: the domain publishes its record (ring TAIL store), then adds to
// COUNTER, then loads KERNEL_SLEEPING; the kernel stores KERNEL_SLEEPING, then loads
// COUNTER and sleeps only on the value it loaded. With sequentially consistent atomics
// one of the two loads sees the other side's store. A domain can only make the kernel
// scan more often; it cannot keep the kernel from sleeping on its own account for long,
// because the kernel serves rings in bounded batches between waits.

export const DOORBELL = {
  COUNTER: 0,
  KERNEL_SLEEPING: 1,
  WORDS: 2,
} as const;

/** Called by a domain after publishing a submission. */
export function ringDoorbell(bell: Int32Array<SharedArrayBuffer>): void {
  Atomics.add(bell, DOORBELL.COUNTER, 1);
  if (Atomics.load(bell, DOORBELL.KERNEL_SLEEPING) !== 0) Atomics.notify(bell, DOORBELL.COUNTER, 1);
}

export const isDoorbell = (value: unknown): value is SharedArrayBuffer =>
  value instanceof SharedArrayBuffer && value.byteLength === DOORBELL.WORDS * 4;
