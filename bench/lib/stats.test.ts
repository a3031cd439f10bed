import { describe, expect, it } from 'vitest';
import { mean, median, percentile, summarize } from './stats.ts';

describe('stats', () => {
  it('mean is the arithmetic mean', () => {
    expect(mean([1, 2, 3, 10])).toBe(4);
    expect(mean(new Float64Array([0.5]))).toBe(0.5);
  });

  it('median takes the middle value, or the mean of the two middle values', () => {
    expect(median([9, 1, 5])).toBe(5);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([7])).toBe(7);
  });

  it('p99 is the nearest-rank percentile: an observed value', () => {
    const oneToHundred = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentile(oneToHundred, 99)).toBe(99);
    expect(percentile(oneToHundred, 50)).toBe(50);
    expect(percentile(oneToHundred, 100)).toBe(100);
    const thousand = Array.from({ length: 1000 }, (_, i) => i + 1);
    expect(percentile(thousand, 99)).toBe(990);
    // Fewer than 100 samples: p99 is the maximum.
    expect(percentile([3, 8, 1, 5, 2], 99)).toBe(8);
  });

  it('a tail of slow samples moves p99 but not the median', () => {
    const samples = [...Array<number>(980).fill(5), ...Array<number>(20).fill(400)];
    const s = summarize(samples);
    expect(s).toEqual({ count: 1000, mean: 12.9, median: 5, p99: 400 });
  });

  it('sorts numerically, not as strings, and leaves the input alone', () => {
    const input = [100, 20, 3];
    expect(median(input)).toBe(20);
    expect(input).toEqual([100, 20, 3]);
  });

  it('rejects empty sample sets, non-finite samples and impossible percentiles', () => {
    expect(() => mean([])).toThrow(RangeError);
    expect(() => median([])).toThrow(RangeError);
    expect(() => summarize([1, Number.NaN])).toThrow(/sample 1/);
    expect(() => mean([1, Number.POSITIVE_INFINITY])).toThrow(RangeError);
    expect(() => percentile([1], 0)).toThrow(RangeError);
    expect(() => percentile([1], 101)).toThrow(RangeError);
  });
});
