import { describe, expect, it } from 'vitest';
import { formatPs, parsePsArgs, treeLayout } from './ps.ts';
import { row } from './test-rows.ts';

describe('parsePsArgs', () => {
  it('takes --tree, --forest, -f, -l and bundles', () => {
    expect(parsePsArgs([])).toEqual({ ok: true, value: { tree: false, long: false } });
    expect(parsePsArgs(['--tree'])).toEqual({ ok: true, value: { tree: true, long: false } });
    expect(parsePsArgs(['--forest', '-l'])).toEqual({ ok: true, value: { tree: true, long: true } });
    expect(parsePsArgs(['-lf'])).toEqual({ ok: true, value: { tree: true, long: true } });
    expect(parsePsArgs(['-l'])).toEqual({ ok: true, value: { tree: false, long: true } });
  });
  it.each(['-x', 'aux', '--tre', '-lx', '-'])('refuses %j', (a) => {
    const r = parsePsArgs([a]);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toContain(a);
  });
});

const prefixes = (rows: Parameters<typeof treeLayout>[0]): string[] =>
  treeLayout(rows).map((p) => `${p.prefix}${p.row.pid}`);

describe('treeLayout', () => {
  it('puts children under their parent with tree glyphs, siblings by pid', () => {
    const rows = [row(1, 0), row(5, 1), row(2, 1), row(3, 2), row(4, 2), row(6, 5)];
    expect(prefixes(rows)).toEqual(['1', '├─ 2', '│  ├─ 3', '│  └─ 4', '└─ 5', '   └─ 6']);
  });

  it('treats a row whose parent is not listed as a root', () => {
    expect(prefixes([row(7, 3), row(8, 7), row(9, 3)])).toEqual(['7', '└─ 8', '9']);
  });

  it('shows each row once when parents form a cycle', () => {
    // 2 → 3 → 2: neither has a listed root; both still appear, once each.
    const laid = prefixes([row(1, 0), row(2, 3), row(3, 2)]);
    expect(laid).toEqual(['1', '2', '└─ 3']);
  });

  it('treats a process that is its own parent as a root', () => {
    expect(prefixes([row(4, 4), row(5, 4)])).toEqual(['4', '└─ 5']);
  });

  it('lays out a deep chain without losing rows', () => {
    const chain = Array.from({ length: 200 }, (_, i) => row(i + 1, i));
    const laid = treeLayout(chain);
    expect(laid).toHaveLength(200);
    expect(laid[199]?.prefix).toBe(`${'   '.repeat(198)}└─ `);
  });

  it('is empty for no rows', () => {
    expect(treeLayout([])).toEqual([]);
  });
});

describe('formatPs', () => {
  const rows = [
    row(2, 1, { name: 'shell', cpuMs: 1234.4, memoryBytes: 2 * 1024 * 1024, handles: 12 }),
    row(1, 0, { name: 'init', state: 'running', cpuMs: 5, memoryBytes: 4096 }),
    row(3, 2, { name: 'ps', state: 'starting', priority: 'batch' }),
  ];

  it('prints the columns, flat and by pid', () => {
    expect(formatPs(rows, { tree: false, long: false })).toEqual([
      'PID  PPID  STATE     CPU(ms)   MEM  HANDLES  NAME',
      '  1     0  running         5  4.0K        3  init',
      '  2     1  running      1234  2.0M       12  shell',
      '  3     2  starting        0    0B        3  ps',
    ]);
  });

  it('indents the names in tree form', () => {
    const lines = formatPs(rows, { tree: true, long: false });
    expect(lines[0]).toMatch(/ NAME$/);
    expect(lines[1]).toMatch(/ init$/);
    expect(lines[2]).toMatch(/ └─ shell$/);
    expect(lines[3]).toMatch(/ {4}└─ ps$/);
  });

  it('adds the priority and exact bytes in long form', () => {
    const lines = formatPs(rows, { tree: false, long: true });
    expect(lines[0]).toBe('PID  PPID  STATE     PRI          CPU(ms)      MEM  HANDLES  NAME');
    expect(lines[2]).toBe('  2     1  running   interactive     1234  2097152       12  shell');
    expect(lines[3]).toContain('batch');
  });

  it('prints only the header for no rows', () => {
    expect(formatPs([], { tree: true, long: false })).toEqual([
      'PID  PPID  STATE  CPU(ms)  MEM  HANDLES  NAME',
    ]);
  });
});
