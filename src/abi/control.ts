// A domain's control block: a small SharedArrayBuffer the kernel and one domain share,
// for what the kernel must see without a syscall. Layer: abi.
//
// HEARTBEAT is bumped by the domain runtime from its event loop every HEARTBEAT_MS. A
// domain whose heartbeat stops while it is neither parked in the kernel nor blocked in a
// wait the runtime declared (BLOCKED != 0) is running code that never yields: the
// watchdog's definition of a runaway. The words are written by the domain and so are
// hints, never authority: a hostile domain can fake them, which only hides its own
// runaway from the report; the CPU it burns is its own worker thread's.

export const CONTROL = {
  HEARTBEAT: 0,
  BLOCKED: 1,
  WORDS: 4,
} as const;

/** How often the runtime beats; the watchdog allows several missed beats. */
export const HEARTBEAT_MS = 100;

export const isControlBlock = (value: unknown): value is SharedArrayBuffer =>
  value instanceof SharedArrayBuffer && value.byteLength === CONTROL.WORDS * 4;
