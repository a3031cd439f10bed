import { describe, expect, it } from 'vitest';
import { timeLoop, timeLoopAsync, warmThenMeasure } from './timing.ts';

describe('timing loops', () => {
  it('timeLoop runs the body once per sample, and the samples add up to the total', () => {
    const seen: number[] = [];
    const loop = timeLoop(50, (i) => {
      seen.push(i);
      const until = performance.now() + 0.05;
      while (performance.now() < until);
    });
    expect(seen).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(loop.samplesMs).toHaveLength(50);
    expect(loop.samplesMs.every((s) => s >= 0.05)).toBe(true);
    expect(loop.samplesMs.reduce((a, b) => a + b, 0)).toBeCloseTo(loop.totalMs, 9);
  });

  it('timeLoopAsync waits for each call before the next', async () => {
    let running = 0;
    let overlapped = false;
    const loop = await timeLoopAsync(5, async () => {
      overlapped ||= running > 0;
      running++;
      await new Promise((r) => setTimeout(r, 2));
      running--;
    });
    expect(overlapped).toBe(false);
    expect(loop.totalMs).toBeGreaterThanOrEqual(5 * 1.5);
  });

  it('warmThenMeasure discards the warm-up runs', async () => {
    let n = 0;
    const results = await warmThenMeasure(2, 3, () => Promise.resolve(++n));
    expect(results).toEqual([3, 4, 5]);
  });
});
