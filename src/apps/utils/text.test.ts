import { describe, expect, it } from 'vitest';
import { envValue, fit, humanBytes, printable, table } from './text.ts';

describe('printable', () => {
  it('replaces C0, DEL and C1 controls so a name cannot move the cursor', () => {
    expect(printable('evil\x1b[2Jname\n\x7f\u009b')).toBe('evil?[2Jname???');
  });
  it('keeps ordinary and non-ASCII text', () => {
    expect(printable('shell — ünïcode ✓')).toBe('shell — ünïcode ✓');
  });
});

describe('table', () => {
  it('pads columns to the widest cell and leaves the last unpadded', () => {
    expect(
      table([
        ['A', 'BB', 'C'],
        ['aaa', 'b', 'c'],
      ]),
    ).toEqual(['A    BB  C', 'aaa  b   c']);
  });
  it('right-aligns the columns asked for', () => {
    expect(
      table(
        [
          ['N', 'x'],
          ['100', 'y'],
        ],
        [true],
      ),
    ).toEqual(['  N  x', '100  y']);
  });
  it('trims trailing space and copes with no rows', () => {
    expect(table([['a', '']])).toEqual(['a']);
    expect(table([])).toEqual([]);
  });
});

describe('fit', () => {
  it('cuts lines to the width', () => {
    expect(fit('abcdef', 3)).toBe('abc');
    expect(fit('ab', 3)).toBe('ab');
    expect(fit('ab', 0)).toBe('');
  });
});

describe('humanBytes', () => {
  it('uses 1024-based units with one decimal below 10', () => {
    expect(humanBytes(0)).toBe('0B');
    expect(humanBytes(512)).toBe('512B');
    expect(humanBytes(4096)).toBe('4.0K');
    expect(humanBytes(12 * 1024 * 1024)).toBe('12M');
    expect(humanBytes(1.5 * 1024 ** 3)).toBe('1.5G');
    expect(humanBytes(2 * 1024 ** 5)).toBe('2048T');
  });
  it('shows ? for what is not a size', () => {
    expect(humanBytes(-1)).toBe('?');
    expect(humanBytes(NaN)).toBe('?');
    expect(humanBytes(Infinity)).toBe('?');
  });
});

describe('envValue', () => {
  it('finds NAME=value, the last one winning', () => {
    expect(envValue(['A=1', 'COLUMNS=80', 'COLUMNS=100'], 'COLUMNS')).toBe('100');
    expect(envValue(['AB=1'], 'A')).toBeUndefined();
    expect(envValue(['X='], 'X')).toBe('');
  });
});
