// channel.* syscalls: create, write, write_marked, read, read_wait, call, map. Layer: kernel.
// Handles sent in a message move: checked all together first, taken out of the
// sender's table only once the write has succeeded, so a failed write moves nothing.
// A mapped end is pinned to its process: its handles never move (ADR 0008).
import { LIMITS } from '../../abi/limits.ts';
import { DEFAULT_RIGHTS, objectTypeName, ObjectType, Signal } from '../../abi/objects.ts';
import { Right, rights } from '../../abi/rights.ts';
import { Status } from '../../abi/status.ts';
import { Capability } from '../capability.ts';
import { ChannelEnd } from '../objects/channel.ts';
import type { Process } from '../process.ts';
import {
  done,
  fail,
  install,
  lookup,
  PARKED,
  type Handler,
  type Outcome,
  type SyscallContext,
} from './context.ts';
import { parkUntil } from './object.ts';

export const sysChannelCreate: Handler = (ctx) => {
  if (ctx.caller.table.size + 2 > LIMITS.HANDLES_PER_PROCESS) return fail(Status.LIMIT_EXCEEDED);
  const [a, b] = ChannelEnd.pair();
  const rights = DEFAULT_RIGHTS[ObjectType.CHANNEL];
  return done(install(ctx, Capability.root(a, rights)), install(ctx, Capability.root(b, rights)));
};

/**
 * Checks every handle to be sent; returns their capabilities or the failure. `carrier`
 * lists koids that may not travel: both ends of the channel written to (an end queued
 * in its own queue would keep itself alive forever).
 */
export function checkTransfers(
  ctx: SyscallContext,
  values: readonly number[],
  carrier: readonly number[] | null,
): Capability[] | Outcome {
  if (new Set(values).size !== values.length) return fail(Status.INVALID_ARGS);
  const caps: Capability[] = [];
  for (const value of values) {
    const found = lookup(ctx, value, null, Right.TRANSFER);
    if (!found.ok) return found.outcome;
    if (carrier?.includes(found.cap.object.koid)) return fail(Status.INVALID_ARGS);
    if (found.cap.object.pinned) return fail(Status.BAD_STATE);
    caps.push(found.cap);
  }
  return caps;
}

/** Takes checked handles out of the caller's table (ending its waits through them); audits the move. */
export function takeTransfers(ctx: SyscallContext, values: readonly number[], to: string): void {
  for (const value of values) {
    const cap = ctx.caller.table.remove(value);
    if (cap) {
      cap.object.abortObserversVia(cap, Status.CANCELED);
      const what = `${objectTypeName(cap.object.type)} #${cap.object.koid}`;
      ctx.kernel.audit.record('transfer', ctx.caller.pid, `${what} -> ${to}`);
    }
  }
}

function write(marked: boolean): Handler {
  return (ctx, [h, data, handles]) => {
    const found = lookup(ctx, h as number, ObjectType.CHANNEL, Right.WRITE);
    if (!found.ok) return found.outcome;
    const bytes = data as Uint8Array;
    const values = handles as readonly number[];
    if (bytes.byteLength > LIMITS.MESSAGE_BYTES || values.length > LIMITS.MESSAGE_HANDLES)
      return fail(Status.INVALID_ARGS);
    const end = found.cap.object as ChannelEnd;
    const caps = checkTransfers(ctx, values, [end.koid, end.related]);
    if (!Array.isArray(caps)) return caps as Outcome;
    const { badge, rights } = found.cap;
    const status = end.write({ data: bytes, caps, badge, rights, marked });
    if (status !== Status.OK) return fail(status);
    takeTransfers(ctx, values, `channel #${end.related}`);
    return done();
  };
}

export const sysChannelWrite: Handler = write(false);
export const sysChannelWriteMarked: Handler = write(true);

export const sysChannelRead: Handler = (ctx, [h]) => {
  const found = lookup(ctx, h as number, ObjectType.CHANNEL, Right.READ);
  if (!found.ok) return found.outcome;
  return readOne(ctx, found.cap.object as ChannelEnd);
};

/** Takes the oldest message into the caller's table; SHOULD_WAIT, PEER_CLOSED or LIMIT_EXCEEDED otherwise. */
function readOne(ctx: SyscallContext, end: ChannelEnd): Outcome {
  const message = end.peek();
  if (typeof message === 'number') return fail(message);
  if (ctx.caller.table.size + message.caps.length > LIMITS.HANDLES_PER_PROCESS)
    return fail(Status.LIMIT_EXCEEDED);
  end.take();
  const values = message.caps.map((cap) => ctx.caller.table.add(cap) as number);
  return done(message.data, values, message.badge, message.rights);
}

/** channel.read that parks while the channel is empty: one call where a reader made three. */
export const sysChannelReadWait: Handler = (ctx, [h, timeout]) => {
  const found = lookup(ctx, h as number, ObjectType.CHANNEL, rights(Right.READ, Right.WAIT));
  if (!found.ok) return found.outcome;
  const ms = timeout as number;
  if (Number.isNaN(ms)) return fail(Status.INVALID_ARGS);
  const end = found.cap.object as ChannelEnd;
  // A mapped end's READABLE also counts ring records, which only its reader can take.
  if (end.mapping) return fail(Status.BAD_STATE);
  return parkUntil(ctx, found.cap, Signal.READABLE | Signal.PEER_CLOSED, ms, {
    attempt: () => {
      const r = readOne(ctx, end);
      return r !== PARKED && r.status === Status.SHOULD_WAIT ? null : r;
    },
    timedOut: () => fail(Status.TIMED_OUT),
    aborted: (status) => fail(status),
  });
};

/** channel.write then channel.read_wait: a request and its reply in one call. */
export const sysChannelCall: Handler = (ctx, [h, data, handles, timeout]) => {
  const found = lookup(ctx, h as number, ObjectType.CHANNEL, rights(Right.WRITE, Right.READ, Right.WAIT));
  if (!found.ok) return found.outcome;
  if (Number.isNaN(timeout as number)) return fail(Status.INVALID_ARGS);
  if ((found.cap.object as ChannelEnd).mapping) return fail(Status.BAD_STATE);
  const wrote = sysChannelWrite(ctx, [h as number, data as Uint8Array, handles as readonly number[]]);
  if (wrote === PARKED || wrote.status !== Status.OK) return wrote;
  return sysChannelReadWait(ctx, [h as number, timeout as number]);
};

/** Distinct channel ends pinned to `process`. */
function mappedBy(process: Process): number {
  const ends = new Set<ChannelEnd>();
  for (const [, cap] of process.table.entries())
    if (cap.object instanceof ChannelEnd && cap.object.mapping?.holder === process) ends.add(cap.object);
  return ends.size;
}

export const sysChannelMap: Handler = (ctx, [h]) => {
  const found = lookup(ctx, h as number, ObjectType.CHANNEL, rights(Right.READ, Right.WRITE));
  if (!found.ok) return found.outcome;
  const end = found.cap.object as ChannelEnd;
  // Pinning is only sound if the handle mapped is the end's only capability: then no other
  // process (or queued message) reaches the end, and no one can revoke it.
  if (end.mapping || end.capabilityCount !== 1) return fail(Status.BAD_STATE);
  if (mappedBy(ctx.caller) >= LIMITS.MAPPED_CHANNELS) return fail(Status.LIMIT_EXCEEDED);
  const grant = end.map(ctx.caller, found.cap, ctx.kernel.watchedChannels);
  if (typeof grant === 'number') return fail(grant);
  // Posted before the completion is written, so it is queued when the call returns.
  ctx.caller.post(grant);
  ctx.kernel.audit.record(
    'grant',
    ctx.caller.pid,
    `channel #${end.koid} mapped (pinned to pid ${ctx.caller.pid})`,
  );
  return done(end.koid);
};
