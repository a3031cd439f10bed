// ps, kill, snap and caps wired to their syscalls (top is in top-run.ts). Layer: apps.
// Each takes the arguments after argv[0] and returns the exit status: 0, 1 when the
// operation failed, 2 for a usage error.
import { FS_IO_MAX, FsOpen } from '../../abi/fs-protocol.ts';
import { Status, statusName } from '../../abi/status.ts';
import { FsDirectory } from '../../workers/fs-client.ts';
import { capLine } from './caps.ts';
import { FIRST_EXTRA, STDOUT, type Io } from './io.ts';
import { handlesByPid, noSuchProcess, parseKillArgs } from './kill.ts';
import { formatPs, parsePsArgs, PS_USAGE } from './ps.ts';
import { decodeRows, type ProcessRow } from './rows.ts';
import {
  decodeDiff,
  decodeSnapshots,
  formatDiff,
  formatSnapshots,
  parseSnapArgs,
  snapError,
} from './snap.ts';

/** process.list on the handle at FIRST_EXTRA, decoded; an error message when that fails. */
export async function listProcesses(
  io: Io,
  tool: string,
): Promise<{ rows: ProcessRow[] } | { error: string }> {
  const root = io.handle(FIRST_EXTRA);
  if (root === 0) return { error: `${tool}: no process handle to list (it is given by the shell)` };
  const r = await io.ctx.sys.processListAsync(root);
  if (r.status !== Status.OK) return { error: `${tool}: process.list: ${statusName(r.status)}` };
  const decoded = decodeRows(r.table ?? '');
  if (!decoded.ok) return { error: `${tool}: ${decoded.error}` };
  if (decoded.value.dropped > 0)
    io.ctx.log('warn', `${tool}: ${decoded.value.dropped} malformed process rows dropped`);
  return { rows: [...decoded.value.rows] };
}

export async function ps(io: Io, args: readonly string[]): Promise<number> {
  const options = parsePsArgs(args);
  if (!options.ok) return io.fail(`${options.error}\n${PS_USAGE}`, 2);
  const listed = await listProcesses(io, 'ps');
  if ('error' in listed) return io.fail(listed.error);
  await io.lines(formatPs(listed.rows, options.value));
  return 0;
}

export async function kill(io: Io, args: readonly string[]): Promise<number> {
  const pids = parseKillArgs(args);
  if (!pids.ok) return io.fail(pids.error, 2);
  const handles = io.ctx.handles.slice(FIRST_EXTRA).filter((h) => h !== 0);
  const infos = await Promise.all(
    handles.map(async (handle) => {
      const info = await io.ctx.sys.processInfoAsync(handle);
      return { handle, pid: info.status === Status.OK ? (info.pid ?? null) : null };
    }),
  );
  const byPid = handlesByPid(infos);
  let status = 0;
  for (const pid of pids.value) {
    const handle = byPid.get(pid);
    const killed = handle === undefined ? null : (await io.ctx.sys.processKillAsync(handle)).status;
    if (killed === Status.OK) continue;
    status = 1;
    if (killed === null) await io.fail(noSuchProcess(pid));
    else if (killed === Status.BAD_STATE) await io.fail(`kill: ${pid}: the process has already ended`);
    else await io.fail(`kill: ${pid}: ${statusName(killed)}`);
  }
  return status;
}

export async function caps(io: Io, args: readonly string[]): Promise<number> {
  if (args.length > 0) return io.fail('usage: caps', 2);
  const lines: string[] = [];
  for (const [index, handle] of io.ctx.handles.entries()) {
    if (handle !== 0) lines.push(capLine(index, await io.ctx.sys.objectInfoAsync(handle)));
  }
  await io.lines(lines);
  return 0;
}

export async function snap(io: Io, args: readonly string[]): Promise<number> {
  const command = parseSnapArgs(args, io.env('PWD') ?? '/');
  if (!command.ok) return io.fail(command.error, 2);
  const root = io.handle(FIRST_EXTRA);
  if (root === 0) return io.fail('snap: no store directory (it is given by the shell)');
  const dir = new FsDirectory(io.ctx.channel(root), (h) => io.ctx.channel(h));
  const c = command.value;
  switch (c.op) {
    case 'create': {
      const r = await dir.snapshot(c.name);
      return r.ok ? 0 : io.fail(snapError('create', c.name, r.error));
    }
    case 'restore': {
      const r = await dir.restore(c.name);
      return r.ok ? 0 : io.fail(snapError('restore', c.name, r.error));
    }
    case 'list': {
      const r = await dir.snapshots();
      if (!r.ok) return io.fail(snapError('list', 'the store', r.error));
      await io.lines(formatSnapshots(decodeSnapshots(r.value)));
      return 0;
    }
    case 'diff': {
      const r = await dir.diff(c.from, c.to);
      if (!r.ok) return io.fail(snapError('diff', `${c.from} ${c.to}`, r.error));
      await io.lines(formatDiff(decodeDiff(r.value)));
      return 0;
    }
    case 'cat':
      return snapCat(io, dir, c.path, c.name);
  }
}

/** The file's bytes as snapshot `name` holds them, to stdout; closes what it opened. */
async function snapCat(io: Io, root: FsDirectory, path: string, name: string): Promise<number> {
  const at = await root.openSnapshot(name);
  if (!at.ok) return io.fail(snapError('cat', name, at.error));
  const opened: number[] = [at.value.channel.handle];
  try {
    const file = await at.value.open(path, FsOpen.RDONLY);
    if (!file.ok) return await io.fail(snapError('cat', `${path}@${name}`, file.error));
    opened.push(file.value.channel.handle);
    for (;;) {
      const chunk = await file.value.read(FS_IO_MAX);
      if (!chunk.ok) return await io.fail(snapError('cat', `${path}@${name}`, chunk.error));
      if (chunk.value.byteLength === 0) return 0;
      if ((await io.writeBytes(STDOUT, chunk.value)) !== Status.OK) return 1;
    }
  } finally {
    for (const h of opened) await io.ctx.sys.handleCloseAsync(h);
  }
}
