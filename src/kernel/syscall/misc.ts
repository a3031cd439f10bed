// timer.*, sched.yield, audit.read and debug.log. Layer: kernel.
import { LOG_LEVELS } from '../../abi/boot.ts';
import { LIMITS } from '../../abi/limits.ts';
import { DEFAULT_RIGHTS, ObjectType } from '../../abi/objects.ts';
import { Right } from '../../abi/rights.ts';
import { Status } from '../../abi/status.ts';
import { Capability } from '../capability.ts';
import type { AuditLog } from '../objects/audit-log.ts';
import { Timer } from '../objects/timer.ts';
import { done, fail, install, lookup, text, type Handler } from './context.ts';

const LOG_MESSAGE_MAX = 1024;

export const sysTimerCreate: Handler = (ctx) => {
  const h = install(ctx, Capability.root(new Timer(ctx.kernel.clock), DEFAULT_RIGHTS[ObjectType.TIMER]));
  return h === Status.LIMIT_EXCEEDED ? fail(h) : done(h);
};

export const sysTimerSet: Handler = (ctx, [h, delay]) => {
  const found = lookup(ctx, h as number, ObjectType.TIMER, Right.WRITE);
  if (!found.ok) return found.outcome;
  const ms = delay as number;
  if (!(ms <= LIMITS.TIMER_MS)) return fail(Status.INVALID_ARGS); // NaN too
  (found.cap.object as Timer).set(ms);
  return done();
};

/** Served means scheduled: the scheduler only reaches this when the caller may run. */
export const sysSchedYield: Handler = () => done();

export const sysAuditRead: Handler = (ctx, [h, after]) => {
  const found = lookup(ctx, h as number, ObjectType.AUDIT, Right.READ);
  if (!found.ok) return found.outcome;
  const entries = (found.cap.object as AuditLog).since(after as number);
  return done(new TextEncoder().encode(JSON.stringify(entries)));
};

export const sysDebugLog: Handler = (ctx, [level, message]) => {
  const bytes = message as Uint8Array;
  const line = text(bytes);
  const name = LOG_LEVELS[level as number];
  if (line === null || name === undefined || bytes.byteLength > LOG_MESSAGE_MAX)
    return fail(Status.INVALID_ARGS);
  ctx.kernel.log(ctx.caller.name, name, line);
  return done();
};
