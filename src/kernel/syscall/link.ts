// link.* syscalls: create, map (ADR 0020). Layer: kernel.
import type { LinkGrant } from '../../abi/boot.ts';
import { LIMITS } from '../../abi/limits.ts';
import { DEFAULT_RIGHTS, ObjectType } from '../../abi/objects.ts';
import { Right } from '../../abi/rights.ts';
import { Status } from '../../abi/status.ts';
import { Capability } from '../capability.ts';
import { LinkEnd, type LinkPort } from '../objects/link.ts';
import { done, fail, install, lookup, type Handler } from './context.ts';

const messageChannel = (): readonly [LinkPort, LinkPort] => {
  const { port1, port2 } = new MessageChannel();
  return [port1, port2];
};

export const sysLinkCreate: Handler = (ctx) => {
  if (ctx.caller.table.size + 2 > LIMITS.HANDLES_PER_PROCESS) return fail(Status.LIMIT_EXCEEDED);
  const [a, b] = LinkEnd.pair(messageChannel);
  const rights = DEFAULT_RIGHTS[ObjectType.LINK];
  return done(install(ctx, Capability.root(a, rights)), install(ctx, Capability.root(b, rights)));
};

export const sysLinkMap: Handler = (ctx, [h]) => {
  const found = lookup(ctx, h as number, ObjectType.LINK, Right.MAP);
  if (!found.ok) return found.outcome;
  const end = found.cap.object as LinkEnd;
  const port = end.take();
  if (port === null) return fail(Status.BAD_STATE);
  // Posted (the port moved) before the completion is written, as display.map does.
  const grant: LinkGrant = { kind: 'link', koid: end.koid, port };
  ctx.caller.post(grant, [port]);
  return done(end.koid);
};
