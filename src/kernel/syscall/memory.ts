// memory.* syscalls: create, map. Layer: kernel.
import type { MemoryGrant } from '../../abi/boot.ts';
import { LIMITS } from '../../abi/limits.ts';
import { DEFAULT_RIGHTS, ObjectType } from '../../abi/objects.ts';
import { Right, rights } from '../../abi/rights.ts';
import { Status } from '../../abi/status.ts';
import { Capability } from '../capability.ts';
import { Memory } from '../objects/memory.ts';
import { done, fail, install, lookup, type Handler } from './context.ts';

export const sysMemoryCreate: Handler = (ctx, [size]) => {
  const bytes = size as number;
  if (bytes < 1 || bytes > LIMITS.MEMORY_BYTES) return fail(Status.INVALID_ARGS);
  const h = install(ctx, Capability.root(new Memory(bytes), DEFAULT_RIGHTS[ObjectType.MEMORY]));
  return h === Status.LIMIT_EXCEEDED ? fail(h) : done(h);
};

export const sysMemoryMap: Handler = (ctx, [h]) => {
  const found = lookup(ctx, h as number, ObjectType.MEMORY, rights(Right.MAP, Right.WRITE));
  if (!found.ok) return found.outcome;
  const memory = found.cap.object as Memory;
  // Posted before the completion is written, so it is queued when the call returns.
  const grant: MemoryGrant = { kind: 'memory', koid: memory.koid, buffer: memory.buffer };
  ctx.caller.post(grant);
  return done(memory.koid, memory.size);
};
