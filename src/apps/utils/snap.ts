// snap: its subcommands' arguments and output — snapshots listed, diffs as +/-/M lines,
// PATH@NAME operands resolved against $PWD. Layer: apps (pure). What the fs server
// answers is decoded again here, since a list is printed field by field.
import { FsErrno } from '../../abi/fs-protocol.ts';
import { err, ok, type Result } from '../../abi/result.ts';
import { printable, table } from './text.ts';

export const SNAP_USAGE = [
  'usage: snap create NAME',
  '       snap list',
  '       snap diff FROM TO',
  '       snap restore NAME',
  '       snap cat PATH@NAME',
].join('\n');

export type SnapCommand =
  | { readonly op: 'create'; readonly name: string }
  | { readonly op: 'list' }
  | { readonly op: 'diff'; readonly from: string; readonly to: string }
  | { readonly op: 'restore'; readonly name: string }
  | { readonly op: 'cat'; readonly path: string; readonly name: string };

const ARITY: Readonly<Record<string, number>> = { create: 1, list: 0, diff: 2, restore: 1, cat: 1 };

export function parseSnapArgs(args: readonly string[], pwd = '/'): Result<SnapCommand> {
  const [op, ...rest] = args;
  if (op === undefined) return err(SNAP_USAGE);
  const arity = ARITY[op];
  if (arity === undefined) return err(`snap: unknown subcommand '${op}'\n${SNAP_USAGE}`);
  if (rest.length !== arity) return err(`snap ${op}: wrong number of operands\n${SNAP_USAGE}`);
  if (rest.some((a) => a === '')) return err(`snap ${op}: empty operand`);
  const [a = '', b = ''] = rest;
  switch (op) {
    case 'create':
    case 'restore':
      return ok({ op, name: a });
    case 'list':
      return ok({ op });
    case 'diff':
      return ok({ op, from: a, to: b });
    default: {
      const at = a.lastIndexOf('@');
      if (at <= 0 || at === a.length - 1) return err(`snap cat: '${a}' is not PATH@SNAPSHOT`);
      return ok({ op: 'cat', path: resolvePath(pwd, a.slice(0, at)), name: a.slice(at + 1) });
    }
  }
}

/** `path` made absolute against `cwd`, with '.', '..' and repeated slashes folded away. */
export function resolvePath(cwd: string, path: string): string {
  const parts: string[] = [];
  for (const c of `${path.startsWith('/') ? '' : cwd}/${path}`.split('/')) {
    if (c === '' || c === '.') continue;
    if (c === '..') parts.pop();
    else parts.push(c);
  }
  return `/${parts.join('/')}`;
}

const ERRNO_NAMES = new Map<number, string>(Object.entries(FsErrno).map(([n, v]) => [v, n]));

/** "ENOENT" for 44; "errno 99" for one not in the table. */
export const errnoName = (errno: number): string => ERRNO_NAMES.get(errno) ?? `errno ${errno}`;

/** What an errno means for a snapshot request, for the message after the name. */
const SNAP_ERRNO_TEXT: Readonly<Record<number, string>> = {
  [FsErrno.ENOENT]: 'no such snapshot or file',
  [FsErrno.EEXIST]: 'a snapshot by that name exists',
  [FsErrno.EINVAL]: 'not a valid snapshot name',
  [FsErrno.ENOTCAPABLE]: 'this handle may not do that',
  [FsErrno.EISDIR]: 'is a directory',
  [FsErrno.ENOSPC]: 'the store is full',
};

/** `snap restore: old: ENOENT (no such snapshot or file)`. */
export function snapError(op: string, subject: string, errno: number): string {
  const text = SNAP_ERRNO_TEXT[errno];
  return `snap ${op}: ${subject}: ${errnoName(errno)}${text ? ` (${text})` : ''}`;
}

export interface SnapshotInfo {
  readonly name: string;
  readonly time: number;
  readonly message: string;
}

/** The server's list, checked; entries without a name, a time or a message are dropped. */
export function decodeSnapshots(v: unknown): SnapshotInfo[] {
  if (!Array.isArray(v)) return [];
  return v.flatMap((e: unknown) => {
    if (typeof e !== 'object' || e === null) return [];
    const { name, time, message } = e as Record<string, unknown>;
    if (typeof name !== 'string' || typeof time !== 'number' || typeof message !== 'string') return [];
    return [{ name, time, message }];
  });
}

const isoTime = (ms: number): string => {
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? '?' : d.toISOString();
};

/** NAME TIME MESSAGE, oldest first; a line saying so when there are none. */
export function formatSnapshots(list: readonly SnapshotInfo[]): string[] {
  if (list.length === 0) return ['no snapshots'];
  const sorted = [...list].sort((a, b) => a.time - b.time || (a.name < b.name ? -1 : 1));
  const rows = sorted.map((s) => [printable(s.name), isoTime(s.time), printable(s.message)]);
  return table([['NAME', 'TIME', 'MESSAGE'], ...rows]);
}

export interface SnapDiff {
  readonly added: readonly string[];
  readonly removed: readonly string[];
  readonly modified: readonly string[];
}

const stringList = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : [];

export function decodeDiff(v: unknown): SnapDiff {
  const o = typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : {};
  return {
    added: stringList(o['added']),
    removed: stringList(o['removed']),
    modified: stringList(o['modified']),
  };
}

/** `+ path`, `- path`, `M path`, by path; nothing when the snapshots are the same. */
export function formatDiff(d: SnapDiff): string[] {
  const lines: [string, string][] = [
    ...d.added.map((p): [string, string] => [p, '+']),
    ...d.removed.map((p): [string, string] => [p, '-']),
    ...d.modified.map((p): [string, string] => [p, 'M']),
  ];
  lines.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return lines.map(([p, mark]) => `${mark} ${printable(p)}`);
}
