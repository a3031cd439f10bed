// object.* syscalls: info, wait_one, signal, and the parking that blocking calls share. Layer: kernel.
import { LIMITS } from '../../abi/limits.ts';
import { ALL_SIGNALS, USER_SIGNALS } from '../../abi/objects.ts';
import { Right } from '../../abi/rights.ts';
import { Status } from '../../abi/status.ts';
import type { Capability } from '../capability.ts';
import type { Observer } from '../object.ts';
import { done, fail, lookup, PARKED, type Handler, type Outcome, type SyscallContext } from './context.ts';

export const sysObjectInfo: Handler = (ctx, [h]) => {
  const found = lookup(ctx, h as number, null, Right.INSPECT);
  if (!found.ok) return found.outcome;
  const { object, rights, badge } = found.cap;
  return done(object.type, object.koid, rights, badge, object.related);
};

export const sysObjectSignal: Handler = (ctx, [h, clear, set]) => {
  const found = lookup(ctx, h as number, null, Right.SIGNAL);
  if (!found.ok) return found.outcome;
  if (((clear as number) | (set as number)) & ~USER_SIGNALS) return fail(Status.INVALID_ARGS);
  found.cap.object.signalUser(clear as number, set as number);
  return done();
};

/** Parks until a signal in the mask, the timeout, or the handle's revocation or close. */
export const sysObjectWaitOne: Handler = (ctx, [h, signals, timeout]) => {
  const found = lookup(ctx, h as number, null, Right.WAIT);
  if (!found.ok) return found.outcome;
  const mask = signals as number;
  const ms = timeout as number;
  if (mask === 0 || (mask & ~ALL_SIGNALS) !== 0 || Number.isNaN(ms)) return fail(Status.INVALID_ARGS);
  const { object } = found.cap;
  return parkUntil(ctx, found.cap, mask, ms, {
    attempt: (s) => done(s),
    timedOut: () => ({ status: Status.TIMED_OUT, results: [object.signals] }),
    aborted: (status) => ({ status, results: [0] }),
  });
};

/** What a parked call answers: when a signal comes, when its timeout passes, when its handle goes. */
export interface ParkedCall {
  /** The outcome with these signals asserted, or null to go on waiting (a wake-up that finds nothing). */
  attempt(signals: number): Outcome | null;
  timedOut(): Outcome;
  /** The handle was revoked (REVOKED) or closed, replaced or moved (CANCELED). */
  aborted(status: number): Outcome;
}

/**
 * Answers at once if `call.attempt` has an outcome with the object's signals now; else
 * parks the caller until a signal in `mask` gives one, `ms` passes (a negative timeout,
 * or one over LIMITS.TIMER_MS, waits forever), or the handle `cap` goes. The blocking
 * calls that wait for a state (object.wait_one, channel.read_wait, process.wait) share it.
 */
export function parkUntil(
  ctx: SyscallContext,
  cap: Capability,
  mask: number,
  ms: number,
  call: ParkedCall,
): Outcome {
  const { object } = cap;
  object.syncSignals();
  const now = (object.signals & mask) !== 0 ? call.attempt(object.signals) : null;
  if (now !== null) return now;

  const { caller, kernel, def, tag } = ctx;
  let timer: unknown = null;
  let firing = false;
  const finish = (outcome: Outcome): void => {
    if (outcome === PARKED) throw new Error('kernel panic: a parked call answered PARKED');
    if (timer !== null) kernel.clock.clearTimeout(timer);
    timer = null;
    caller.complete(def, tag, outcome.status, outcome.results ?? [], kernel.now());
  };
  const observer: Observer = {
    mask,
    capability: cap,
    fire: (s) => {
      if (firing) throw new Error(`kernel panic: ${def.name} is woken by signals that give it nothing`);
      const outcome = call.attempt(s);
      if (outcome !== null) return finish(outcome);
      // Nothing after all (another handle's reader took it): wait again.
      firing = true;
      try {
        if (!object.observe(observer)) finish({ status: Status.LIMIT_EXCEEDED, results: [] });
      } finally {
        firing = false;
      }
    },
    abort: (status) => finish(call.aborted(status)),
  };
  if (!object.observe(observer)) return fail(Status.LIMIT_EXCEEDED);
  caller.park(
    tag,
    {
      cancel: () => {
        object.unobserve(observer);
        if (timer !== null) kernel.clock.clearTimeout(timer);
      },
    },
    kernel.now(),
  );
  if (ms >= 0 && ms <= LIMITS.TIMER_MS)
    timer = kernel.clock.setTimeout(() => {
      timer = null;
      object.unobserve(observer);
      finish(call.timedOut());
    }, ms);
  return PARKED;
}
