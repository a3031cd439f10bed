// port.* syscalls: create, bind, wait. Layer: kernel.
import { ALL_SIGNALS, DEFAULT_RIGHTS, ObjectType, Signal } from '../../abi/objects.ts';
import { Right } from '../../abi/rights.ts';
import { Status } from '../../abi/status.ts';
import { Capability } from '../capability.ts';
import type { Observer } from '../object.ts';
import { Port } from '../objects/port.ts';
import { done, fail, install, lookup, PARKED, type Handler } from './context.ts';

export const sysPortCreate: Handler = (ctx) => {
  const h = install(ctx, Capability.root(new Port(), DEFAULT_RIGHTS[ObjectType.PORT]));
  return h === Status.LIMIT_EXCEEDED ? fail(h) : done(h);
};

export const sysPortBind: Handler = (ctx, [p, h, signals, key]) => {
  const port = lookup(ctx, p as number, ObjectType.PORT, Right.WRITE);
  if (!port.ok) return port.outcome;
  const watched = lookup(ctx, h as number, null, Right.WAIT);
  if (!watched.ok) return watched.outcome;
  const mask = signals as number;
  if (mask === 0 || (mask & ~ALL_SIGNALS) !== 0 || watched.cap.object === port.cap.object)
    return fail(Status.INVALID_ARGS);
  const status = (port.cap.object as Port).bind(watched.cap, mask, key as number);
  return status === Status.OK ? done() : fail(status);
};

/** Takes a packet, or parks until one arrives, the timeout passes, or the port handle dies. */
export const sysPortWait: Handler = (ctx, [p, timeout]) => {
  const found = lookup(ctx, p as number, ObjectType.PORT, Right.READ);
  if (!found.ok) return found.outcome;
  const ms = timeout as number;
  if (Number.isNaN(ms)) return fail(Status.INVALID_ARGS);
  const port = found.cap.object as Port;
  const ready = port.take();
  if (ready) return done(ready.key, ready.signals);

  const { caller, kernel, def, tag } = ctx;
  let timer: unknown = null;
  const finish = (status: number, results: number[]): void => {
    if (timer !== null) kernel.clock.clearTimeout(timer);
    timer = null;
    caller.complete(def, tag, status, results, kernel.now());
  };
  const observer: Observer = {
    mask: Signal.READABLE,
    capability: found.cap,
    fire: () => {
      const packet = port.take();
      // Another waiter on the same port may have taken it first: watch again.
      if (packet) finish(Status.OK, [packet.key, packet.signals]);
      else port.observe(observer);
    },
    abort: (status) => finish(status, []),
  };
  port.observe(observer);
  caller.park(tag, { cancel: () => port.unobserve(observer) }, kernel.now());
  if (ms >= 0)
    timer = kernel.clock.setTimeout(() => {
      timer = null;
      port.unobserve(observer);
      finish(Status.TIMED_OUT, []);
    }, ms);
  return PARKED;
};
