import { describe, expect, it } from 'vitest';
import { catLine, catText, echoFrame, fromPercentile } from './terminal-echo.ts';

describe('echoFrame', () => {
  it('takes the one frame drawn after the key was sent', () => {
    expect(echoFrame(100, [50, 90, 112.5])).toEqual({ kind: 'drawn', ms: 12.5 });
  });
  it('is none while nothing was drawn after the send', () => {
    expect(echoFrame(100, [50, 100])).toEqual({ kind: 'none' });
    expect(echoFrame(100, [])).toEqual({ kind: 'none' });
  });
  it('refuses to guess when several frames were drawn after the send', () => {
    expect(echoFrame(100, [99, 101, 117])).toEqual({ kind: 'ambiguous', frames: 2 });
  });
});

describe('fromPercentile', () => {
  it('reports the percentile as the value, with median, p99 and the count', () => {
    const samples = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(fromPercentile({ name: 'x_ms_p95', unit: 'ms', baseline: 'y' }, samples, 95)).toEqual({
      name: 'x_ms_p95',
      unit: 'ms',
      baseline: 'y',
      value: 95,
      median: 50.5,
      p99: 99,
      runs: 100,
    });
  });
});

describe('catText', () => {
  const text = (d: Uint8Array): string => new TextDecoder().decode(d);
  it('lines are 80 bytes with the newline', () => {
    expect(catLine(1)).toHaveLength(79);
    expect(catLine(1).startsWith('line 0000001 abc')).toBe(true);
  });
  it('fills exactly the size in whole lines and names the last', () => {
    const { data, lastLine } = catText(800);
    expect(data).toHaveLength(800);
    expect(text(data).split('\n')).toHaveLength(11);
    expect(lastLine).toBe(catLine(10));
    expect(text(data).endsWith(`${catLine(10)}\n`)).toBe(true);
  });
  it('cuts the last line short and still ends with a newline', () => {
    const { data, lastLine } = catText(85);
    expect(text(data)).toBe(`${catLine(1)}\n${catLine(2).slice(0, 4)}\n`);
    expect(lastLine).toBe('line');
  });
  it('10 MiB ends with a newline', () => {
    const { data } = catText(10 << 20);
    expect(data.at(-1)).toBe(0x0a);
  });
});
