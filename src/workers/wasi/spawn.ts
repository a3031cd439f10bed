// Starting a WASI command as a child process, for spawners (init serving `tessera run`,
// the shell): the `wasi` loader is spawned with the module's File handle, three pipes
// for stdio and the preopened Directory handles. Layer: workers. The child is untrusted:
// what comes back on its pipes is only bytes, and its exit status is the kernel's word.
import { concatBytes } from '../../abi/bytes.ts';
import { LIMITS } from '../../abi/limits.ts';
import { Priority } from '../../abi/objects.ts';
import { Status, statusName } from '../../abi/status.ts';
import type { DomainContext } from '../domain.ts';
import type { Channel } from '../channel.ts';
import { loaderArgs } from './loader-args.ts';

export interface WasiCommand {
  /** A Program handle on the `wasi` loader. */
  readonly loader: number;
  /** A File handle on the module (moved to the child). */
  readonly module: number;
  /**
   * The module's digest as the open of `module` was answered (FsFile.openedDigest), if
   * known: a loader that ran it for this spawner before then starts it without asking
   * the fs server again (ADR 0033).
   */
  readonly moduleDigest?: string;
  readonly argv: readonly string[];
  readonly env: readonly string[];
  /** Directory handles (moved to the child), preopened at these guest paths. */
  readonly preopens: readonly { readonly path: string; readonly handle: number }[];
  readonly priority?: Priority;
}

/** A started command: its Process handle and this side of its three pipes (none when stdio was given). */
export interface WasiChild {
  readonly process: number;
  readonly pid: number;
  readonly stdin: Channel;
  readonly stdout: Channel;
  readonly stderr: Channel;
}

export interface WasiProcess {
  readonly process: number;
  readonly pid: number;
}

const NUL = '\0';

/** Spawns the command on the stdio it names; on failure every handle it was given has been closed. */
export async function spawnWasiOn(
  ctx: DomainContext,
  /** stdio: the child's stdin, stdout and stderr as channel ends (a pty, pipes), moved to it. */
  cmd: WasiCommand & { readonly stdio: readonly [number, number, number] },
): Promise<WasiProcess> {
  const handles = [cmd.module, ...cmd.stdio, ...cmd.preopens.map((p) => p.handle)];
  const spawned = await ctx.sys.processSpawnAsync(
    cmd.loader,
    commandName(cmd.argv),
    loaderArgs(
      cmd.preopens.map((p) => p.path),
      cmd.argv,
      cmd.moduleDigest,
    ).join(NUL),
    cmd.env.join(NUL),
    cmd.priority ?? Priority.INTERACTIVE,
    handles,
  );
  if (spawned.status !== Status.OK) {
    for (const h of handles) void ctx.sys.handleCloseAsync(h);
    throw new Error(`process.spawn: ${statusName(spawned.status)}`);
  }
  return { process: spawned.process ?? 0, pid: spawned.pid ?? 0 };
}

const commandName = (argv: readonly string[]): string =>
  ((argv[0] ?? 'wasi').split('/').pop() || 'wasi').slice(0, LIMITS.NAME_LENGTH);

/** A command's three pipes (stdin, stdout, stderr): this side's ends and the child's. */
export interface StdioPipes {
  readonly ours: readonly [number, number, number];
  readonly theirs: readonly [number, number, number];
}

/** Creates the three pipes of a command's stdio; on failure none is left open. */
export async function createPipes(ctx: DomainContext): Promise<StdioPipes> {
  // Asked for together: the kernel answers all three in one pass.
  const created = await Promise.all([0, 1, 2].map(() => ctx.sys.channelCreateAsync()));
  const failed = created.find((c) => c.status !== Status.OK);
  if (failed) {
    for (const c of created) for (const end of [c.end0, c.end1]) if (end) void ctx.sys.handleCloseAsync(end);
    throw new Error(`channel.create: ${statusName(failed.status)}`);
  }
  const [a, b, c] = created.map((p): [number, number] => [p.end0 ?? 0, p.end1 ?? 0]) as [
    [number, number],
    [number, number],
    [number, number],
  ];
  return { ours: [a[0], b[0], c[0]], theirs: [a[1], b[1], c[1]] };
}

/** Closes both sides of pipes that no child was given. */
export function closePipes(ctx: DomainContext, pipes: StdioPipes): void {
  for (const end of [...pipes.ours, ...pipes.theirs]) void ctx.sys.handleCloseAsync(end);
}

/**
 * Spawns the command on `pipes` (by default made now; a spawner may ask for them while it
 * opens the module, so that the kernel and the fs server work at once). On failure every
 * handle it was given, the pipes' included, has been closed or moved.
 */
export async function spawnWasi(
  ctx: DomainContext,
  cmd: WasiCommand,
  pipes: Promise<StdioPipes> = createPipes(ctx),
): Promise<WasiChild> {
  const given = [cmd.module, ...cmd.preopens.map((p) => p.handle)];
  const made = await pipes.catch((error: unknown) => {
    for (const h of given) void ctx.sys.handleCloseAsync(h);
    throw error;
  });
  const [inOurs, outOurs, errOurs] = made.ours;
  const argv = loaderArgs(
    cmd.preopens.map((p) => p.path),
    cmd.argv,
    cmd.moduleDigest,
  ).join(NUL);
  const handles = [cmd.module, ...made.theirs, ...cmd.preopens.map((p) => p.handle)];
  const spawned = await ctx.sys.processSpawnAsync(
    cmd.loader,
    commandName(cmd.argv),
    argv,
    cmd.env.join(NUL),
    cmd.priority ?? Priority.INTERACTIVE,
    handles,
  );
  if (spawned.status !== Status.OK) {
    for (const h of [...made.ours, ...handles]) void ctx.sys.handleCloseAsync(h);
    throw new Error(`process.spawn: ${statusName(spawned.status)}`);
  }
  return {
    process: spawned.process ?? 0,
    pid: spawned.pid ?? 0,
    stdin: ctx.channel(inOurs),
    stdout: ctx.channel(outOurs),
    stderr: ctx.channel(errOurs),
  };
}

/**
 * Calls `sink` with every byte the child writes to `pipe`, in order, until it closes its
 * end. After the first chunk (passed on alone, so a one-write program waits for nothing
 * more), the messages already queued behind each one are joined to it, up to `batchBytes`:
 * a child writing a line per write(2) then costs the sink one call per batch, not per line.
 */
export async function drain(
  pipe: Channel,
  sink: (bytes: Uint8Array) => void | Promise<void>,
  batchBytes = 0,
): Promise<void> {
  for (let first = true; ; first = false) {
    const r = await pipe.readAsync();
    if (r.status !== Status.OK) return;
    const parts = [r.message.data];
    let size = r.message.data.byteLength;
    let ended = false;
    while (!first && size < batchBytes) {
      const more = await pipe.readAsync(0);
      if (more.status === Status.SHOULD_WAIT) break;
      if (more.status !== Status.OK) {
        ended = true;
        break;
      }
      parts.push(more.message.data);
      size += more.message.data.byteLength;
    }
    await sink(parts.length === 1 ? r.message.data : concatBytes(parts));
    if (ended) return;
  }
}

/** Waits for the child to end: its exit status (process.wait: the wait and the status in one call). */
export async function exitStatus(ctx: DomainContext, process: number): Promise<number> {
  for (;;) {
    const w = await ctx.sys.processWaitAsync(process, -1);
    if (w.status === Status.OK) return w.exit_code ?? 0;
    if (w.status !== Status.TIMED_OUT) throw new Error(`waiting for the child: ${statusName(w.status)}`);
  }
}
