// display.* syscalls: map. Layer: kernel.
import type { DisplayGrant } from '../../abi/boot.ts';
import { ObjectType } from '../../abi/objects.ts';
import { Right } from '../../abi/rights.ts';
import { Status } from '../../abi/status.ts';
import type { Display } from '../objects/display.ts';
import { done, fail, lookup, type Handler } from './context.ts';

export const sysDisplayMap: Handler = (ctx, [h]) => {
  const found = lookup(ctx, h as number, ObjectType.DISPLAY, Right.MAP);
  if (!found.ok) return found.outcome;
  const display = found.cap.object as Display;
  const host = display.take();
  if (host === null) return fail(Status.BAD_STATE);
  // Posted (the canvas and port moved) before the completion is written, as memory.map does.
  const grant: DisplayGrant = { kind: 'display', koid: display.koid, ...host };
  ctx.caller.post(grant, [host.canvas, host.port]);
  return done(display.koid, display.width, display.height);
};
