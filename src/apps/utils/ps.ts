// ps: the process table as columns, flat (by pid) or as a tree (children under their
// parent, with pstree's glyphs). Layer: apps (pure); rows come decoded from rows.ts.
import { err, ok, type Result } from '../../abi/result.ts';
import type { ProcessRow } from './rows.ts';
import { humanBytes, table } from './text.ts';

export interface PsOptions {
  readonly tree: boolean;
  /** Long format: the scheduling class and memory in exact bytes as well. */
  readonly long: boolean;
}

export const PS_USAGE = 'usage: ps [--tree|-f] [-l]';

export function parsePsArgs(args: readonly string[]): Result<PsOptions> {
  let tree = false;
  let long = false;
  for (const a of args) {
    if (a === '--tree' || a === '--forest' || a === '-f') tree = true;
    else if (a === '-l' || a === '--long') long = true;
    else if (/^-[fl]+$/.test(a)) {
      tree ||= a.includes('f');
      long ||= a.includes('l');
    } else return err(`ps: unknown option '${a}'`);
  }
  return ok({ tree, long });
}

/** A row and the glyphs that go before its name. */
export interface Placed {
  readonly row: ProcessRow;
  readonly prefix: string;
}

const byPid = (a: ProcessRow, b: ProcessRow): number => a.pid - b.pid;

/**
 * Rows in tree order: each root (a row whose parent is not listed) followed by its
 * descendants depth first, siblings by pid. A row that a cycle of parents keeps from any
 * root is placed as a root of its own, so every row is shown exactly once.
 */
export function treeLayout(rows: readonly ProcessRow[]): Placed[] {
  const pids = new Set(rows.map((r) => r.pid));
  const children = new Map<number, ProcessRow[]>();
  for (const r of rows) {
    const list = children.get(r.parent) ?? [];
    list.push(r);
    children.set(r.parent, list);
  }
  const placed: Placed[] = [];
  const done = new Set<number>();
  const visit = (row: ProcessRow, prefix: string, childPrefix: string): void => {
    done.add(row.pid);
    placed.push({ row, prefix });
    const kids = (children.get(row.pid) ?? []).filter((k) => !done.has(k.pid)).sort(byPid);
    kids.forEach((k, i) => {
      const last = i === kids.length - 1;
      // Checked again: a kid may have been reached through a sibling's subtree meanwhile.
      if (!done.has(k.pid))
        visit(k, childPrefix + (last ? '└─ ' : '├─ '), childPrefix + (last ? '   ' : '│  '));
    });
  };
  const roots = rows.filter((r) => r.parent === r.pid || !pids.has(r.parent)).sort(byPid);
  for (const r of roots) if (!done.has(r.pid)) visit(r, '', '');
  for (const r of [...rows].sort(byPid)) if (!done.has(r.pid)) visit(r, '', '');
  return placed;
}

/** The ps table's lines, header first. */
export function formatPs(rows: readonly ProcessRow[], options: PsOptions): string[] {
  const placed = options.tree ? treeLayout(rows) : [...rows].sort(byPid).map((row) => ({ row, prefix: '' }));
  const header = [
    'PID',
    'PPID',
    'STATE',
    ...(options.long ? ['PRI'] : []),
    'CPU(ms)',
    'MEM',
    'HANDLES',
    'NAME',
  ];
  const body = placed.map(({ row, prefix }) => [
    String(row.pid),
    String(row.parent),
    row.state,
    ...(options.long ? [row.priority] : []),
    String(Math.round(row.cpuMs)),
    options.long ? String(row.memoryBytes) : humanBytes(row.memoryBytes),
    String(row.handles),
    prefix + row.name,
  ]);
  const right = header.map((h) => ['PID', 'PPID', 'CPU(ms)', 'MEM', 'HANDLES'].includes(h));
  return table([header, ...body], right);
}
