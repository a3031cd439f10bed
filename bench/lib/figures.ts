// What benchmarks report. A page returns Measurements (its numbers plus the name of
// the figure each is compared with); the runner turns them into Figures, the shape of
// bench/results/NAME.json (BRIEF §8), resolving baselines within the same run. Pure.
import { summarize } from './stats.ts';
import type { TimedLoop } from './timing.ts';

export interface Measurement {
  readonly name: string;
  readonly unit: string;
  /** Mean over the measured run; the warm-up run is never included. */
  readonly value: number;
  readonly median: number;
  readonly p99: number;
  /** How many samples (round trips, spawns, repetitions) median and p99 come from. */
  readonly runs: number;
  /** The measurement in the same run this one is compared with; null for a reference. */
  readonly baseline: string | null;
}

/** One entry of bench/results/NAME.json. `ratio` is value / baseline.value. */
export interface Figure {
  readonly name: string;
  readonly unit: string;
  readonly value: number;
  readonly median: number;
  readonly p99: number;
  readonly baseline: { readonly name: string; readonly value: number } | null;
  readonly ratio: number | null;
  readonly runs: number;
  /** Browser version, from Playwright's browser.version(). */
  readonly chromium: string;
  /** ISO-8601 start time of the run. */
  readonly date: string;
}

export interface RunInfo {
  readonly chromium: string;
  readonly date: string;
}

/** What a figure is, before it is measured. */
type Spec = Pick<Measurement, 'name' | 'unit' | 'baseline'>;

/**
 * Latency from one timed loop, in microseconds: the mean is the batch total over the
 * count (exact despite the coarse clock); median and p99 come from per-sample times.
 */
export function fromLatencyLoop(spec: Omit<Spec, 'unit'>, loop: TimedLoop): Measurement {
  const samples = loop.samplesMs.map((ms) => ms * 1000);
  const { count, median, p99 } = summarize(samples);
  return { ...spec, unit: 'us', value: (loop.totalMs * 1000) / count, median, p99, runs: count };
}

/** A figure from repeated independent samples (throughputs, spawn times): plain mean. */
export function fromSamples(spec: Spec, samples: ArrayLike<number>): Measurement {
  const { count, mean, median, p99 } = summarize(samples);
  return { ...spec, value: mean, median, p99, runs: count };
}

/**
 * Resolves each measurement's baseline by name within the same run. Throws on a
 * duplicate name, a missing or self baseline, a baseline in another unit, or a
 * baseline value of zero, so no file is ever written with a meaningless ratio.
 */
export function buildFigures(measurements: readonly Measurement[], info: RunInfo): Figure[] {
  const byName = new Map<string, Measurement>();
  for (const m of measurements) {
    if (byName.has(m.name)) throw new Error(`figure ${m.name} is reported twice`);
    byName.set(m.name, m);
  }
  return measurements.map((m) => {
    const base = m.baseline === null ? null : byName.get(m.baseline);
    if (base === undefined) throw new Error(`figure ${m.name}: baseline ${m.baseline} is not in this run`);
    if (base !== null) {
      if (base.name === m.name) throw new Error(`figure ${m.name} is its own baseline`);
      if (base.unit !== m.unit)
        throw new Error(`figure ${m.name} (${m.unit}) vs ${base.name} (${base.unit})`);
      if (base.value === 0) throw new Error(`figure ${m.name}: baseline ${base.name} is zero`);
    }
    return {
      name: m.name,
      unit: m.unit,
      value: m.value,
      median: m.median,
      p99: m.p99,
      baseline: base === null ? null : { name: base.name, value: base.value },
      ratio: base === null ? null : m.value / base.value,
      runs: m.runs,
      chromium: info.chromium,
      date: info.date,
    };
  });
}

function field<T>(o: Record<string, unknown>, key: string, ok: (v: unknown) => v is T, what: string): T {
  const v = o[key];
  if (!ok(v)) throw new TypeError(`measurement ${String(o['name'])}: ${key} is not ${what}`);
  return v;
}

const isString = (v: unknown): v is string => typeof v === 'string' && v.length > 0;
const isFinite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isCount = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) > 0;
const isBaseline = (v: unknown): v is string | null => v === null || isString(v);

/** Checks what a benchmark page returned (it arrives from the browser as unknown). */
export function parseMeasurements(data: unknown): Measurement[] {
  if (!Array.isArray(data) || data.length === 0) throw new TypeError('a benchmark must return measurements');
  return data.map((item: unknown) => {
    if (typeof item !== 'object' || item === null) throw new TypeError('a measurement is not an object');
    const o = item as Record<string, unknown>;
    return {
      name: field(o, 'name', isString, 'a name'),
      unit: field(o, 'unit', isString, 'a unit'),
      value: field(o, 'value', isFinite, 'a finite number'),
      median: field(o, 'median', isFinite, 'a finite number'),
      p99: field(o, 'p99', isFinite, 'a finite number'),
      runs: field(o, 'runs', isCount, 'a positive integer'),
      baseline: field(o, 'baseline', isBaseline, 'a name or null'),
    };
  });
}
