// handle.* syscalls: close, duplicate, replace, revoke, mint.
// Layer: kernel. Argument checking only; the capability tree does the rest.
import { hasRights, Right, toRights } from '../../abi/rights.ts';
import { Status } from '../../abi/status.ts';
import { done, fail, install, lookup, type Handler, type SyscallContext } from './context.ts';

export const sysHandleClose: Handler = (ctx, [h]) => {
  const cap = ctx.caller.table.remove(h as number);
  if (!cap) return fail(Status.BAD_HANDLE);
  cap.object.abortObserversVia(cap, Status.CANCELED);
  cap.close();
  return done();
};

/** Shared by duplicate and mint: a child capability with fewer (or equal) rights. */
function derive(ctx: SyscallContext, h: number, wanted: number, badge: number | null) {
  const found = lookup(ctx, h, null, Right.DUPLICATE);
  if (!found.ok) return found.outcome;
  if (found.cap.object.pinned) return fail(Status.BAD_STATE);
  const rights = toRights(wanted);
  if (rights === null) return fail(Status.INVALID_ARGS);
  if (!hasRights(found.cap.rights, rights)) return fail(Status.ACCESS_DENIED);
  if (badge !== null && (badge === 0 || found.cap.badge !== 0))
    return fail(badge === 0 ? Status.INVALID_ARGS : Status.BAD_STATE);
  const child = found.cap.derive(rights, badge ?? found.cap.badge);
  const value = install(ctx, child);
  if (value === Status.LIMIT_EXCEEDED) return fail(value);
  ctx.kernel.audit.record(
    'grant',
    ctx.caller.pid,
    `${ctx.def.name} #${child.object.koid} rights ${rights} badge ${child.badge}`,
  );
  return done(value);
}

export const sysHandleDuplicate: Handler = (ctx, [h, rights]) =>
  derive(ctx, h as number, rights as number, null);

export const sysHandleMint: Handler = (ctx, [h, rights, badge]) =>
  derive(ctx, h as number, rights as number, badge as number);

export const sysHandleReplace: Handler = (ctx, [h, wanted]) => {
  const found = ctx.caller.table.lookup(h as number);
  if (!found.ok && found.status === Status.BAD_HANDLE) return fail(Status.BAD_HANDLE);
  if (found.ok && found.cap.object.pinned) return fail(Status.BAD_STATE); // kept, not consumed
  const cap = ctx.caller.table.remove(h as number);
  if (!cap) return fail(Status.BAD_HANDLE);
  cap.object.abortObserversVia(cap, Status.CANCELED); // the handle is consumed, as by close
  const rights = toRights(wanted as number);
  const status = !found.ok
    ? found.status
    : rights === null || !hasRights(cap.rights, rights)
      ? Status.INVALID_ARGS
      : Status.OK;
  if (status !== Status.OK || rights === null) {
    cap.close();
    return fail(status);
  }
  const child = cap.derive(rights);
  cap.close();
  const value = install(ctx, child);
  return value === Status.LIMIT_EXCEEDED ? fail(value) : done(value);
};

export const sysHandleRevoke: Handler = (ctx, [h]) => {
  const found = ctx.caller.table.lookup(h as number);
  if (!found.ok) return fail(found.status);
  const count = found.cap.revokeDescendants();
  ctx.kernel.audit.record('revoke', ctx.caller.pid, `#${found.cap.object.koid}: ${count} handle(s)`);
  return done(count);
};
