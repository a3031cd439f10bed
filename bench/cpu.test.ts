import { describe, expect, it } from 'vitest';
import { descendants, parseProcStat, ticksBetween, type ProcStat } from './cpu.ts';

// A real line's shape; the command name holds a space and a parenthesis.
const LINE =
  '4242 (Chrome_Child IO)) S 4200 4200 4200 0 -1 4194560 1000 0 0 0 37 12 0 0 20 0 19 0 5000 1 2 3';

describe('parseProcStat', () => {
  it('reads pid, name, parent and utime + stime, counting fields from the last parenthesis', () => {
    expect(parseProcStat(LINE)).toEqual({ pid: 4242, comm: 'Chrome_Child IO)', ppid: 4200, cpuTicks: 49 });
  });

  it('rejects what is not a stat line', () => {
    expect(parseProcStat('')).toBeNull();
    expect(parseProcStat('4242 no parentheses 1 2 3')).toBeNull();
    expect(parseProcStat('4242 (x) S 1 2')).toBeNull();
  });
});

const proc = (pid: number, ppid: number, cpuTicks = 0): ProcStat => ({ pid, ppid, comm: 'p', cpuTicks });

describe('descendants', () => {
  const table = [
    proc(1, 0),
    proc(10, 1),
    proc(11, 10),
    proc(12, 11),
    proc(13, 10),
    proc(20, 1),
    proc(21, 20),
  ];

  it('follows parent links down from the roots, roots included', () => {
    expect([...descendants(table, [10])].sort((a, b) => a - b)).toEqual([10, 11, 12, 13]);
  });

  it('ignores roots that are not running', () => {
    expect(descendants(table, [99]).size).toBe(0);
  });
});

describe('ticksBetween', () => {
  it('adds each process’s growth; a process that started in between counts in full', () => {
    const before = new Map([
      [1, 100],
      [2, 50],
    ]);
    const after = new Map([
      [1, 130],
      [2, 50],
      [3, 7],
    ]);
    expect(ticksBetween(before, after)).toBe(37);
  });

  it('never counts a reused pid as negative time', () => {
    expect(ticksBetween(new Map([[1, 500]]), new Map([[1, 20]]))).toBe(0);
  });
});
