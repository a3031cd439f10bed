// Spin-then-sleep waiting for ring endpoints: the sleeping half of the wake-up protocol
// that ring.ts documents. Layer: abi. Trusts only the endpoint's own validated check;
// every wait ends by its deadline whatever the peer writes.
import type { Result } from './result.ts';
import type { RingError } from './ring-layout.ts';

/** What an endpoint waits for, and where it sleeps. */
export interface WaitCondition {
  readonly header: Int32Array;
  /** This side's waiting-flag word. */
  readonly flag: number;
  /** The peer's counter word: the futex this side sleeps on. */
  readonly word: number;
  /**
   * Whether the condition holds. When it does not, it has just loaded `word` (after the
   * caller raised `flag`), and `seen()` returns the raw value it loaded.
   */
  readonly ready: () => Result<boolean, RingError>;
  readonly seen: () => number;
  /**
   * How many waits on this condition are in flight in this thread (an event loop's
   * waitUntil and a blocking call made under it). The flag word holds this count, so a
   * wait that ends never lowers the flag under one that still sleeps. Private to the
   * endpoint: the flag is only ever stored from it, never read back.
   */
  waiters: number;
}

/**
 * Polls before the first Atomics.wait. An Atomics.load costs about 20 ns (measured in Node
 * on the 2-vCPU CI VM), so this spins some 20–30 µs: about one ~33 µs wake-up, which is
 * the most a spin can save.
 */
export const RING_DEFAULT_SPIN = 1000;

type Clock = { readonly now: () => number };
const perf = (globalThis as { performance?: Clock }).performance;
const now: () => number = perf ? () => perf.now() : () => Date.now();

export function checkTimeout(timeoutMs: number): void {
  if (!(timeoutMs >= 0))
    throw new RangeError(`timeout must be a non-negative number of ms, got ${timeoutMs}`);
}

/** Counts this wait in and raises the flag. Flag first, check second: see ring.ts. */
function raise(c: WaitCondition): void {
  c.waiters++;
  Atomics.store(c.header, c.flag, c.waiters);
}

/** Counts this wait out; the flag falls to 0 only when no other wait still sleeps. */
function settle(c: WaitCondition, r: Result<boolean, RingError>): Result<boolean, RingError> {
  c.waiters--;
  Atomics.store(c.header, c.flag, c.waiters);
  return r;
}

/**
 * Blocks the calling thread until `c` holds (ok(true)), the timeout passes (ok(false)) or
 * the check finds corruption. Spins `spin` polls first. Not for the window's main thread,
 * where Atomics.wait throws.
 */
export function blockUntil(c: WaitCondition, spin: number, timeoutMs: number): Result<boolean, RingError> {
  const first = c.ready();
  if (!first.ok || first.value || timeoutMs === 0) return first;
  const spun = spinOn(c, spin);
  if (spun !== null) return spun;
  const deadline = now() + timeoutMs;
  raise(c);
  for (;;) {
    const r = c.ready();
    const left = deadline - now();
    if (!r.ok || r.value || left <= 0) return settle(c, r);
    Atomics.wait(c.header, c.word, c.seen(), left);
  }
}

/**
 * Polls the peer's counter word itself (one Atomics.load a poll) and runs the full check
 * only when the word has changed; null if `spin` polls pass with the condition unmet.
 */
function spinOn(c: WaitCondition, spin: number): Result<boolean, RingError> | null {
  let seen = c.seen();
  for (let i = 0; i < spin; i++) {
    if (Atomics.load(c.header, c.word) === seen) continue;
    const r = c.ready();
    if (!r.ok || r.value) return r;
    seen = c.seen();
  }
  return null;
}

/** As blockUntil, but sleeps with Atomics.waitAsync and never spins: for event loops. */
export async function waitUntil(c: WaitCondition, timeoutMs: number): Promise<Result<boolean, RingError>> {
  const first = c.ready();
  if (!first.ok || first.value || timeoutMs === 0) return first;
  const deadline = now() + timeoutMs;
  raise(c);
  for (;;) {
    const r = c.ready();
    const left = deadline - now();
    if (!r.ok || r.value || left <= 0) return settle(c, r);
    const w = Atomics.waitAsync(c.header, c.word, c.seen(), left);
    if (w.async) await w.value;
  }
}
