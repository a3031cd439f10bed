import { describe, expect, it } from 'vitest';
import {
  batchFrame,
  interval,
  paintFrame,
  parseTopArgs,
  screenFromEnv,
  topKeys,
  topLines,
  type Sample,
} from './top.ts';
import { row } from './test-rows.ts';

const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('parseTopArgs', () => {
  it('defaults to interactive, forever, every second', () => {
    expect(parseTopArgs([])).toEqual({ ok: true, value: { iterations: null, batch: false, delayMs: 1000 } });
  });
  it('takes -b, -n N and -d SECONDS', () => {
    expect(parseTopArgs(['-b', '-n', '3', '-d', '0.5'])).toEqual({
      ok: true,
      value: { iterations: 3, batch: true, delayMs: 500 },
    });
  });
  it.each([
    [['-n']],
    [['-n', '0']],
    [['-n', '-1']],
    [['-n', 'x']],
    [['-n', '1.5']],
    [['-d', '0.01']],
    [['-d', '99999']],
    [['-d', 'soon']],
    [['-d']],
    [['-x']],
    [['extra']],
  ])('refuses %j', (args) => {
    expect(parseTopArgs(args).ok).toBe(false);
  });
});

const sample = (at: number, ...rows: ReturnType<typeof row>[]): Sample => ({ at, rows });

describe('interval', () => {
  it('gives each process its share of one core and sorts the busiest first', () => {
    const prev = sample(0, row(1, 0, { cpuMs: 100 }), row(2, 1, { cpuMs: 50 }));
    const next = sample(1000, row(1, 0, { cpuMs: 150 }), row(2, 1, { cpuMs: 350 }));
    const iv = interval(prev, next, 4);
    expect(iv.usage.map((u) => [u.row.pid, u.cpu])).toEqual([
      [2, 30],
      [1, 5],
    ]);
    expect(iv.wallMs).toBe(1000);
    // 350 ms of 4 cores' 4000 ms.
    expect(iv.total).toBeCloseTo(8.75);
  });

  it('counts a new process all its CPU time, and a counter that fell as none', () => {
    const prev = sample(0, row(1, 0, { cpuMs: 500 }));
    const next = sample(500, row(1, 0, { cpuMs: 100 }), row(9, 1, { cpuMs: 50 }));
    const iv = interval(prev, next, 1);
    expect(iv.usage.map((u) => [u.row.pid, u.cpu])).toEqual([
      [9, 10],
      [1, 0],
    ]);
    expect(iv.total).toBe(10);
  });

  it('caps shares at 100 and is 0 over an empty or backwards interval', () => {
    const prev = sample(0, row(1, 0));
    expect(interval(prev, sample(10, row(1, 0, { cpuMs: 50 })), 1).usage[0]?.cpu).toBe(100);
    expect(interval(prev, sample(10, row(1, 0, { cpuMs: 50 })), 1).total).toBe(100);
    const still = interval(sample(5, row(1, 0)), sample(5, row(1, 0, { cpuMs: 9 })), 1);
    expect([still.total, still.usage[0]?.cpu]).toEqual([0, 0]);
    expect(interval(sample(9, row(1, 0)), sample(5, row(1, 0, { cpuMs: 9 })), 1).total).toBe(0);
  });

  it('breaks ties by total CPU time, then pid', () => {
    const prev = sample(0, row(3, 0), row(1, 0), row(2, 0));
    const next = sample(1000, row(3, 0, { cpuMs: 0 }), row(1, 0), row(2, 0));
    expect(interval(prev, next, 1).usage.map((u) => u.row.pid)).toEqual([1, 2, 3]);
    const busy = sample(1000, row(3, 0), row(1, 0), row(2, 0, { cpuMs: 1 }));
    expect(
      interval(sample(1000, row(3, 0), row(1, 0), row(2, 0, { cpuMs: 1 })), busy, 1).usage[0]?.row.pid,
    ).toBe(2);
  });
});

describe('topLines', () => {
  const iv = interval(
    sample(0, row(1, 0, { name: 'init' }), row(2, 1, { name: 'shell', state: 'suspended' })),
    sample(
      1000,
      row(1, 0, { name: 'init', cpuMs: 10 }),
      row(2, 1, { name: 'shell', state: 'suspended', cpuMs: 250 }),
    ),
    2,
  );

  it('heads the frame with the counts and the total, then the busiest rows', () => {
    expect(topLines(iv, 2, null)).toEqual([
      'top - 2 processes, 1 running - CPU 13.0% of 2 cores',
      '',
      'PID  STATE      %CPU  CPU(ms)  MEM  HANDLES  NAME',
      '  2  suspended  25.0      250   0B        3  shell',
      '  1  running     1.0       10   0B        3  init',
    ]);
  });

  it('says core for one', () => {
    expect(topLines(iv, 1, null)[0]).toMatch(/of 1 core$/);
  });

  it('fits the screen: as many rows as there are lines, each cut to the width', () => {
    const lines = topLines(iv, 2, { cols: 20, rows: 4 });
    expect(lines).toHaveLength(4);
    expect(lines.every((l) => l.length <= 20)).toBe(true);
    expect(lines[3]).toBe('  2  suspended  25.0');
  });

  it('shows the header alone on a tiny screen', () => {
    expect(topLines(iv, 2, { cols: 80, rows: 1 })).toEqual([
      'top - 2 processes, 1 running - CPU 13.0% of 2 cores',
    ]);
  });
});

describe('frames', () => {
  it('paints from home, clearing each line and what is below, without a final newline', () => {
    expect(paintFrame(['a', 'b'])).toBe('\x1b[Ha\x1b[K\nb\x1b[K\x1b[J');
  });
  it('prints batch frames as plain lines with a blank line after', () => {
    expect(batchFrame(['a', 'b'])).toBe('a\nb\n\n');
  });
});

describe('topKeys', () => {
  it('quits on q, Q and a Ctrl-C byte, even after other keys', () => {
    expect(topKeys(bytes('q'))).toBe('quit');
    expect(topKeys(bytes('Q'))).toBe('quit');
    expect(topKeys(bytes('x\x03'))).toBe('quit');
    expect(topKeys(bytes(' q'))).toBe('quit');
  });
  it('redraws on space and Ctrl-L, ignores the rest', () => {
    expect(topKeys(bytes(' '))).toBe('redraw');
    expect(topKeys(bytes('\x0c'))).toBe('redraw');
    expect(topKeys(bytes('x\x1b[A'))).toBeNull();
    expect(topKeys(new Uint8Array())).toBeNull();
  });
});

describe('screenFromEnv', () => {
  it('reads COLUMNS and LINES', () => {
    expect(screenFromEnv('100', '30')).toEqual({ cols: 100, rows: 30 });
  });
  it.each([
    [undefined, '30'],
    ['100', undefined],
    ['0', '30'],
    ['100', '1001'],
    ['wide', '30'],
    ['1.5', '30'],
  ])('is null for COLUMNS=%j LINES=%j', (c, l) => {
    expect(screenFromEnv(c, l)).toBeNull();
  });
});
