// Spin-then-wait signalling on shared Int32 cells: the one waiting primitive behind
// the bare-SAB baselines (ping-pong, ring). Blocking uses Atomics.wait, so waiting
// works in workers (and node), never on a page's main thread.
//
// Protocol: a waiter owns a `sleeping` cell. It sets it before its last check and
// blocks; a signaller stores the new value first, then notifies only if the waiter's
// cell is set. All Atomics operations are sequentially consistent, so either the
// waiter sees the new value or the signaller sees the flag: no wake-up is lost.

/** Polls before blocking: 0 blocks at once ("wait"); the notes' hybrid uses 2000. */
export const SPIN_WAIT = 0;
export const SPIN_HYBRID = 2000;

/**
 * Returns view[index] as soon as it differs from `current`: polls up to `spin` times,
 * then blocks with the `sleeping` cell set. Only one waiter may use a `sleeping` cell.
 */
export function awaitChange(
  view: Int32Array,
  index: number,
  current: number,
  sleeping: number,
  spin: number,
): number {
  for (let i = 0; i < spin; i++) {
    const v = Atomics.load(view, index);
    if (v !== current) return v;
  }
  Atomics.store(view, sleeping, 1);
  let v = Atomics.load(view, index);
  while (v === current) {
    Atomics.wait(view, index, current);
    v = Atomics.load(view, index);
  }
  Atomics.store(view, sleeping, 0);
  return v;
}

/** Stores `value` and wakes the waiter whose `sleeping` cell is set, if any. */
export function publish(view: Int32Array, index: number, value: number, sleeping: number): void {
  Atomics.store(view, index, value);
  if (Atomics.load(view, sleeping) !== 0) Atomics.notify(view, index);
}
