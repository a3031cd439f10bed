// What a syscall handler receives, and the one lookup every handler uses to turn a
// handle value into a checked capability, in the fixed error order
// BAD_HANDLE, (REVOKED), WRONG_TYPE, ACCESS_DENIED.
// Layer: kernel. Handlers are synchronous: to block, they park and return PARKED.
import type { LogLevel } from '../../abi/boot.ts';
import { objectTypeName, type ObjectType, type Priority } from '../../abi/objects.ts';
import { hasRights, rightsNames, type Rights } from '../../abi/rights.ts';
import { Status } from '../../abi/status.ts';
import type { ProcessState, SyscallDef } from '../../abi/sys.ts';
import type { WireValue } from '../../abi/syscall-codec.ts';
import type { Capability } from '../capability.ts';
import type { AuditLog } from '../objects/audit-log.ts';
import type { WatchList } from '../objects/channel.ts';
import type { Clock } from '../objects/timer.ts';
import type { Process } from '../process.ts';

/** The kernel as handlers see it. */
export interface KernelServices {
  readonly audit: AuditLog;
  readonly clock: Clock;
  /** Mapped channel ends someone waits on through the kernel (see objects/channel.ts). */
  readonly watchedChannels: WatchList;
  now(): number;
  log(source: string, level: LogLevel, message: string): void;
  spawn(request: SpawnRequest): Process | typeof Status.LIMIT_EXCEEDED;
  terminate(process: Process, state: ProcessState, code: number, reason: string): void;
  suspend(process: Process, suspended: boolean): void;
  processRows(root: Process): ProcessRow[];
}

export interface SpawnRequest {
  readonly parent: Process;
  readonly program: string;
  readonly name: string;
  readonly argv: readonly string[];
  readonly env: readonly string[];
  readonly priority: Priority;
  /** Moved into the child's table in order; owned by spawn from the call on. */
  readonly caps: readonly Capability[];
}

export interface ProcessRow {
  readonly pid: number;
  readonly name: string;
  readonly state: string;
  readonly parent: number;
  readonly priority: string;
  readonly cpu_ms: number;
  readonly handles: number;
  readonly memory_bytes: number;
}

export interface SyscallContext {
  readonly kernel: KernelServices;
  readonly caller: Process;
  readonly def: SyscallDef;
  readonly tag: number;
}

export const PARKED = Symbol('parked');
export type Outcome = { readonly status: number; readonly results?: readonly WireValue[] } | typeof PARKED;
export type Handler = (ctx: SyscallContext, args: readonly WireValue[]) => Outcome;

export const fail = (status: number): Outcome => ({ status });
export const done = (...results: WireValue[]): Outcome => ({ status: Status.OK, results });

export type Checked = { ok: true; cap: Capability } | { ok: false; outcome: Outcome };

/** Looks a handle up and checks its type and rights; denials are audited. */
export function lookup(
  ctx: SyscallContext,
  value: WireValue,
  type: ObjectType | null,
  need: Rights,
): Checked {
  const found = ctx.caller.table.lookup(value as number);
  if (!found.ok) return { ok: false, outcome: fail(found.status) };
  const cap = found.cap;
  if (type !== null && cap.object.type !== type) return { ok: false, outcome: fail(Status.WRONG_TYPE) };
  if (!hasRights(cap.rights, need)) {
    ctx.kernel.audit.record(
      'deny',
      ctx.caller.pid,
      `${ctx.def.name}: ${objectTypeName(cap.object.type)} #${cap.object.koid} lacks ${rightsNames((need & ~cap.rights) as Rights)}`,
    );
    return { ok: false, outcome: fail(Status.ACCESS_DENIED) };
  }
  return { ok: true, cap };
}

/** Installs a capability in the caller's table; on a full table the capability is closed. */
export function install(ctx: SyscallContext, cap: Capability): number | typeof Status.LIMIT_EXCEEDED {
  const h = ctx.caller.table.add(cap);
  if (h === Status.LIMIT_EXCEEDED) cap.close();
  return h;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Decodes UTF-8 from a domain; null if it is not valid UTF-8. */
export function text(bytes: WireValue): string | null {
  try {
    return utf8.decode(bytes as Uint8Array);
  } catch {
    return null;
  }
}
