// A domain's control block: a small SharedArrayBuffer the kernel and one domain share,
// for what the kernel must see without a syscall. Layer: abi.
//
// HEARTBEAT is bumped by the domain runtime from its event loop every HEARTBEAT_MS. A
// domain whose heartbeat stops while it is neither parked in the kernel nor blocked in a
// wait the runtime declared (BLOCKED != 0) is running code that never yields: the
// watchdog's definition of a runaway. The words are written by the domain and so are
// hints, never authority: a hostile domain can fake them, which only hides its own
// runaway from the report or its own CPU time from process.list and its quota (which
// acts only at syscalls, so a domain that avoids them escapes it anyway); the CPU it
// burns is its own worker thread's.

export const CONTROL = {
  HEARTBEAT: 0,
  /**
   * 0, or while the runtime blocks in a wait of its own (a channel ring): when it began,
   * as blockedStamp() of the shared clock. Never 0 while blocked.
   */
  BLOCKED: 1,
  /** Milliseconds the runtime has spent blocked in such waits, in all (mod 2^32). */
  BLOCKED_MS: 2,
  WORDS: 4,
} as const;

const STAMP_MOD = 2 ** 31;

/**
 * A BLOCKED value for `epochMs` (milliseconds on the shared epoch,
 * performance.timeOrigin + performance.now()): the time mod 2^31, never 0.
 */
export const blockedStamp = (epochMs: number): number => Math.floor(epochMs) % STAMP_MOD || 1;

/** Milliseconds from a BLOCKED stamp to `epochMs` (right for blocks shorter than ~24 days). */
export const blockedFor = (stamp: number, epochMs: number): number =>
  (((Math.floor(epochMs) - stamp) % STAMP_MOD) + STAMP_MOD) % STAMP_MOD;

/** How often the runtime beats; the watchdog allows several missed beats. */
export const HEARTBEAT_MS = 500;

export const isControlBlock = (value: unknown): value is SharedArrayBuffer =>
  value instanceof SharedArrayBuffer && value.byteLength === CONTROL.WORDS * 4;
