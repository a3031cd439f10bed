// process.* syscalls: spawn, exit, kill, info, wait, suspend, resume, list, set_quota. Layer: kernel.
import { LIMITS } from '../../abi/limits.ts';
import { DEFAULT_RIGHTS, isPriority, ObjectType, Signal } from '../../abi/objects.ts';
import { Right, rights } from '../../abi/rights.ts';
import { Status } from '../../abi/status.ts';
import { ProcessState } from '../../abi/sys.ts';
import { Capability } from '../capability.ts';
import type { Program } from '../objects/program.ts';
import type { Process } from '../process.ts';
import { checkTransfers, takeTransfers } from './channel.ts';
import {
  done,
  fail,
  install,
  lookup,
  PARKED,
  text,
  type Handler,
  type Outcome,
  type SyscallContext,
} from './context.ts';
import { parkUntil } from './object.ts';

/** NUL-separated UTF-8 strings; null if not valid UTF-8. */
function strings(bytes: Uint8Array): string[] | null {
  if (bytes.byteLength === 0) return [];
  const all = text(bytes);
  return all === null ? null : all.split('\0');
}

export const sysProcessSpawn: Handler = (
  ctx,
  [program, nameBytes, argvBytes, envBytes, priority, handles],
) => {
  const found = lookup(ctx, program as number, ObjectType.PROGRAM, Right.EXECUTE);
  if (!found.ok) return found.outcome;
  const name = text(nameBytes as Uint8Array);
  const argv = strings(argvBytes as Uint8Array);
  const env = strings(envBytes as Uint8Array);
  const p = priority as number;
  const size = (argvBytes as Uint8Array).byteLength + (envBytes as Uint8Array).byteLength;
  if (name === null || name === '' || name.length > LIMITS.NAME_LENGTH || argv === null || env === null)
    return fail(Status.INVALID_ARGS);
  if (size > LIMITS.SPAWN_ARGS_BYTES || !isPriority(p) || p < ctx.caller.priority)
    return fail(Status.INVALID_ARGS);
  const values = handles as readonly number[];
  const caps = checkTransfers(ctx, values, null);
  if (!Array.isArray(caps)) return caps as Outcome;
  if (ctx.caller.table.size >= LIMITS.HANDLES_PER_PROCESS) return fail(Status.LIMIT_EXCEEDED);
  const request = {
    parent: ctx.caller,
    program: (found.cap.object as Program).name,
    name,
    argv,
    env,
    priority: p,
    caps,
  };
  const child = ctx.kernel.spawn(request);
  if (child === Status.LIMIT_EXCEEDED) return fail(child);
  takeTransfers(ctx, values, `pid ${child.pid}`);
  const handle = install(ctx, Capability.root(child, DEFAULT_RIGHTS[ObjectType.PROCESS]));
  return done(handle, child.pid);
};

export const sysProcessExit: Handler = (ctx, [code]) => {
  ctx.kernel.terminate(ctx.caller, ProcessState.EXITED, code as number, `exited with ${String(code)}`);
  return PARKED;
};

/** Looks up a process handle that needs MANAGE and a process that is still alive. */
function managed(
  ctx: SyscallContext,
  h: number,
): { ok: true; process: Process } | { ok: false; outcome: Outcome } {
  const found = lookup(ctx, h, ObjectType.PROCESS, Right.MANAGE);
  if (!found.ok) return found;
  const process = found.cap.object as Process;
  return process.alive ? { ok: true, process } : { ok: false, outcome: fail(Status.BAD_STATE) };
}

export const sysProcessKill: Handler = (ctx, [h]) => {
  const m = managed(ctx, h as number);
  if (!m.ok) return m.outcome;
  ctx.kernel.terminate(m.process, ProcessState.KILLED, -9, `killed by pid ${ctx.caller.pid}`);
  return m.process === ctx.caller ? PARKED : done();
};

const suspendOrResume =
  (suspend: boolean): Handler =>
  (ctx, [h]) => {
    const m = managed(ctx, h as number);
    if (!m.ok) return m.outcome;
    if ((m.process.state === ProcessState.SUSPENDED) === suspend) return fail(Status.BAD_STATE);
    ctx.kernel.suspend(m.process, suspend);
    return done();
  };

export const sysProcessSuspend = suspendOrResume(true);
export const sysProcessResume = suspendOrResume(false);

export const sysProcessInfo: Handler = (ctx, [h]) => {
  const found = lookup(ctx, h as number, ObjectType.PROCESS, Right.INSPECT);
  if (!found.ok) return found.outcome;
  const process = found.cap.object as Process;
  return done(process.pid, process.state, process.exitCode);
};

/** Waits for the end and reports it: object.wait_one for TERMINATED and process.info in one call. */
export const sysProcessWait: Handler = (ctx, [h, timeout]) => {
  const found = lookup(ctx, h as number, ObjectType.PROCESS, rights(Right.WAIT, Right.INSPECT));
  if (!found.ok) return found.outcome;
  const ms = timeout as number;
  if (Number.isNaN(ms)) return fail(Status.INVALID_ARGS);
  const process = found.cap.object as Process;
  return parkUntil(ctx, found.cap, Signal.TERMINATED, ms, {
    attempt: () => done(process.state, process.exitCode),
    timedOut: () => fail(Status.TIMED_OUT),
    aborted: (status) => fail(status),
  });
};

export const sysProcessList: Handler = (ctx, [h]) => {
  const found = lookup(ctx, h as number, ObjectType.PROCESS, Right.INSPECT);
  if (!found.ok) return found.outcome;
  const rows = ctx.kernel.processRows(found.cap.object as Process);
  return done(new TextEncoder().encode(JSON.stringify(rows)));
};

export const sysProcessSetQuota: Handler = (ctx, [h, percent]) => {
  const m = managed(ctx, h as number);
  if (!m.ok) return m.outcome;
  const p = percent as number;
  if (p < 1 || p > 100) return fail(Status.INVALID_ARGS);
  m.process.cpuQuotaPercent = p;
  return done();
};
