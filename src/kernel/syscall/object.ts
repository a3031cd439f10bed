// object.* syscalls: info, wait_one, signal. Layer: kernel.
import { LIMITS } from '../../abi/limits.ts';
import { ALL_SIGNALS, USER_SIGNALS } from '../../abi/objects.ts';
import { Right } from '../../abi/rights.ts';
import { Status } from '../../abi/status.ts';
import type { Observer } from '../object.ts';
import { done, fail, lookup, PARKED, type Handler } from './context.ts';

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
  object.syncSignals();
  if ((object.signals & mask) !== 0) return done(object.signals);

  const { caller, kernel, def, tag } = ctx;
  let timer: unknown = null;
  const finish = (status: number, observed: number): void => {
    if (timer !== null) kernel.clock.clearTimeout(timer);
    timer = null;
    caller.complete(def, tag, status, [observed], kernel.now());
  };
  const observer: Observer = {
    mask,
    capability: found.cap,
    fire: (s) => finish(Status.OK, s),
    abort: (status) => finish(status, 0),
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
      finish(Status.TIMED_OUT, object.signals);
    }, ms);
  return PARKED;
};
