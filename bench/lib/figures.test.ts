import { describe, expect, it } from 'vitest';
import {
  buildFigures,
  fromLatencyLoop,
  fromSamples,
  parseMeasurements,
  type Measurement,
} from './figures.ts';

const info = { chromium: '156.0.8078.79', date: '2026-11-22T03:00:00.000Z' };

const m = (name: string, value: number, baseline: string | null, unit = 'us'): Measurement => ({
  name,
  unit,
  value,
  median: value,
  p99: value * 2,
  runs: 10,
  baseline,
});

describe('buildFigures', () => {
  it('resolves baselines by name within the run and computes ratio = value / baseline.value', () => {
    const figures = buildFigures([m('fast', 20, 'slow'), m('slow', 160, null)], info);
    expect(figures[0]).toEqual({
      name: 'fast',
      unit: 'us',
      value: 20,
      median: 20,
      p99: 40,
      baseline: { name: 'slow', value: 160 },
      ratio: 0.125,
      runs: 10,
      chromium: info.chromium,
      date: info.date,
    });
  });

  it('gives a reference figure a null baseline and a null ratio', () => {
    const [ref] = buildFigures([m('ref', 5, null)], info);
    expect(ref?.baseline).toBeNull();
    expect(ref?.ratio).toBeNull();
  });

  it('keeps the order the page reported', () => {
    const names = buildFigures([m('b', 1, null), m('a', 2, 'b'), m('c', 3, 'a')], info).map((f) => f.name);
    expect(names).toEqual(['b', 'a', 'c']);
  });

  it('refuses a missing, self, zero or other-unit baseline and duplicate names', () => {
    expect(() => buildFigures([m('x', 1, 'nope')], info)).toThrow(/baseline nope is not in this run/);
    expect(() => buildFigures([m('x', 1, 'x')], info)).toThrow(/its own baseline/);
    expect(() => buildFigures([m('x', 1, 'z'), m('z', 0, null)], info)).toThrow(/zero/);
    expect(() => buildFigures([m('x', 1, 'z'), m('z', 2, null, 'ms')], info)).toThrow(/us.*ms/);
    expect(() => buildFigures([m('x', 1, null), m('x', 2, null)], info)).toThrow(/twice/);
  });
});

describe('measurements', () => {
  it('latency: mean from the batch total, median and p99 from samples, in microseconds', () => {
    // A 5 µs clock: most samples read 0 or 0.005 ms, yet the batch total is exact.
    const samplesMs = new Float64Array([0, 0.005, 0, 0.005, 0, 0, 0.005, 0, 0.1, 0]);
    const got = fromLatencyLoop({ name: 'rtt', baseline: null }, { totalMs: 0.013, samplesMs });
    expect(got.unit).toBe('us');
    expect(got.value).toBeCloseTo(1.3, 10);
    expect(got.median).toBe(0);
    expect(got.p99).toBeCloseTo(100, 10);
    expect(got.runs).toBe(10);
  });

  it('samples: mean, median and p99 across repetitions', () => {
    const got = fromSamples({ name: 'rate', unit: 'msgs/s', baseline: 'other' }, [100, 300, 200]);
    expect(got).toEqual({
      name: 'rate',
      unit: 'msgs/s',
      value: 200,
      median: 200,
      p99: 300,
      runs: 3,
      baseline: 'other',
    });
  });
});

describe('parseMeasurements', () => {
  it('accepts what a page returns', () => {
    const data: unknown = JSON.parse(JSON.stringify([m('a', 1, null), m('b', 2, 'a')]));
    expect(parseMeasurements(data)).toEqual([m('a', 1, null), m('b', 2, 'a')]);
  });

  it('rejects anything else, naming the field', () => {
    expect(() => parseMeasurements(undefined)).toThrow(/must return measurements/);
    expect(() => parseMeasurements([])).toThrow(/must return measurements/);
    expect(() => parseMeasurements([null])).toThrow(/not an object/);
    expect(() => parseMeasurements([{ ...m('a', 1, null), value: Number.NaN }])).toThrow(/a: value/);
    expect(() => parseMeasurements([{ ...m('a', 1, null), runs: 0 }])).toThrow(/runs/);
    expect(() => parseMeasurements([{ ...m('a', 1, null), baseline: 7 }])).toThrow(/baseline/);
    expect(() => parseMeasurements([{ ...m('a', 1, null), unit: '' }])).toThrow(/unit/);
  });
});
