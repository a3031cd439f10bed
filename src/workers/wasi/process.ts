// Runs a WASI preview-1 command in this domain: Tessera fds over the handles the domain
// was given, the shim's import table with Tessera's entries over it, then `_start`.
// Layer: workers. The module is untrusted code confined to what its fds reach; a trap
// or a bad module is an error for the caller (the domain then crashes and is reaped).
import { Status } from '../../abi/status.ts';
import { WASI } from '@bjorn3/browser_wasi_shim';
import type { DomainContext } from '../domain.ts';
import { FsSync } from '../fs-sync.ts';
import { DirFd, type FdFactory } from './dir-fd.ts';
import type { TesseraFd } from './fd.ts';
import { FileFd } from './file-fd.ts';
import { installImports } from './imports.ts';
import { DIR_RIGHTS, FILE_RIGHTS, wasiRightsOf } from './rights.ts';
import { StreamFd } from './stream-fd.ts';
import { FsRight } from '../../abi/fs-protocol.ts';
import { hasRights, toRights } from '../../abi/rights.ts';

/** What a WASI process is started with; handles are this domain's and are the command's from then on. */
export interface WasiSpec {
  readonly module: WebAssembly.Module;
  readonly args: readonly string[];
  readonly env: readonly string[];
  /** Channel ends for fds 0, 1 and 2 (0: none, the fd is closed). */
  readonly stdio: readonly [number, number, number];
  /** Directory handles, preopened as fds 3, 4, … under these guest paths. */
  readonly preopens: readonly { readonly path: string; readonly handle: number }[];
}

function factory(ctx: DomainContext): FdFactory {
  const closer = (handle: number) => (): void => void ctx.sys.handleClose(handle);
  const make: FdFactory = {
    file: (h, base, inh, flags) => new FileFd(new FsSync(ctx.channel(h)), closer(h), base, inh, flags),
    dir: (h, base, inh) => new DirFd(new FsSync(ctx.channel(h)), make, closer(h), { base, inheriting: inh }),
  };
  return make;
}

interface Preopen {
  readonly handle: number;
  readonly rights: { base: bigint; inheriting: bigint };
}

/**
 * A preopened Directory handle as the command gets it: without FsRight.CHROOT (swapped
 * for one without it, so that a path or symlink out of the directory is ENOTCAPABLE, as
 * preview 1 says, rather than resolved from it), and the WASI rights it confers, from the
 * rights the kernel says it holds.
 */
function preopen(ctx: DomainContext, handle: number): Preopen {
  const info = ctx.sys.objectInfo(handle);
  const held = info.status === Status.OK ? toRights(info.rights ?? 0) : null;
  // Without INSPECT the handle's rights cannot be read: offer all, the server still enforces its own.
  const allowed = held === null ? DIR_RIGHTS | FILE_RIGHTS : wasiRightsOf(held);
  const rights = { base: DIR_RIGHTS & allowed, inheriting: (DIR_RIGHTS | FILE_RIGHTS) & allowed };
  if (held === null || !hasRights(held, FsRight.CHROOT)) return { handle, rights };
  const swapped = ctx.sys.handleReplace(handle, held & ~FsRight.CHROOT);
  // Only a handle that is not there (or mapped) fails without being consumed; keep it then.
  return { handle: swapped.status === Status.OK ? (swapped.replacement ?? handle) : handle, rights };
}

/** Builds the fd table: stdio streams, then the preopened directories. */
export function fdTable(ctx: DomainContext, spec: WasiSpec): (TesseraFd | undefined)[] {
  const closer = (handle: number) => (): void => void ctx.sys.handleClose(handle);
  const stream = (h: number, writer: boolean): StreamFd | undefined =>
    h === 0 ? undefined : new StreamFd(ctx.channel(h), writer, closer(h));
  const make = factory(ctx);
  return [
    stream(spec.stdio[0], false),
    stream(spec.stdio[1], true),
    stream(spec.stdio[2], true),
    ...spec.preopens.map((p) => {
      const { handle, rights } = preopen(ctx, p.handle);
      return new DirFd(new FsSync(ctx.channel(handle)), make, closer(handle), rights, p.path);
    }),
  ];
}

/**
 * Runs the command to completion: its exit status (proc_exit's, or 0 when _start returns).
 * For a domain that exits when this returns: the handles behind the fds still open then
 * are left to the process's exit, which closes every handle in one kernel pass (closing
 * each here cost a syscall apiece, on every command's way out).
 */
export function runWasi(ctx: DomainContext, spec: WasiSpec): number {
  const fds = fdTable(ctx, spec);
  // debug: false, or the shim logs some calls to the console (its default is true).
  const w = new WASI([...spec.args], [...spec.env], fds as TesseraFd[], { debug: false });
  installImports(w, { sys: ctx.sys, blocked: ctx.blocked });
  const instance = new WebAssembly.Instance(spec.module, { wasi_snapshot_preview1: w.wasiImport });
  const exports = instance.exports as { memory?: unknown; _start?: unknown };
  if (!(exports.memory instanceof WebAssembly.Memory) || typeof exports._start !== 'function')
    throw new Error('not a WASI command: it must export memory and _start');
  return w.start(instance as unknown as Parameters<WASI['start']>[0]);
}
