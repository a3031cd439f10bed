// Reading what a Tessera bench driver reports: records in `bench:`/`bench+` lines of the
// system log. The writer, and the format, are in src/apps/bench/report.ts; keep the two
// in step. Pure, so unit tests run it in node. Lines come from the kernel and a domain,
// so every record is checked for shape before use.
import { fromLatencyLoop, fromSamples, type Measurement } from './figures.ts';

export type DriverRecord =
  | {
      readonly kind: 'latency';
      readonly name: string;
      readonly totalMs: number;
      readonly count: number;
      /** Per-round-trip times: [microseconds, how many], ascending. */
      readonly histogram: readonly (readonly [number, number])[];
    }
  | { readonly kind: 'samples'; readonly name: string; readonly unit: string; readonly samples: number[] }
  | { readonly kind: 'idle'; readonly holdMs: number; readonly domains: number }
  | { readonly kind: 'busy' }
  /** The driver holds still for `holdMs` while the page measures `name` outside the system. */
  | { readonly kind: 'hold'; readonly name: string; readonly holdMs: number }
  /** A figure the driver could not measure, and why. */
  | { readonly kind: 'missing'; readonly name: string; readonly reason: string }
  | { readonly kind: 'done' }
  | { readonly kind: 'error'; readonly message: string };

/** The longest record accepted, in characters: a bound on what a broken driver can make the page hold. */
const MAX_RECORD_CHARS = 1 << 20;

const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;
const isName = (v: unknown): v is string => typeof v === 'string' && /^[a-z0-9_]{1,64}$/.test(v);
const isPair = (v: unknown): v is [number, number] =>
  Array.isArray(v) && v.length === 2 && isNumber(v[0]) && Number.isSafeInteger(v[1]) && (v[1] as number) > 0;

/** Checks one parsed record; throws on anything but the shapes above. */
export function checkRecord(value: unknown): DriverRecord {
  if (typeof value !== 'object' || value === null) throw new TypeError('bench record: not an object');
  const r = value as Record<string, unknown>;
  const bad = (what: string): never => {
    throw new TypeError(`bench record ${String(r['kind'])}: ${what}`);
  };
  switch (r['kind']) {
    case 'latency': {
      const { name, totalMs, count, histogram } = r;
      if (!isName(name) || !isNumber(totalMs) || !Number.isSafeInteger(count) || (count as number) <= 0)
        return bad('name, totalMs or count');
      if (!Array.isArray(histogram) || !histogram.every(isPair)) return bad('histogram');
      if (histogram.reduce((n: number, [, c]) => n + c, 0) !== count) return bad('histogram does not add up');
      return { kind: 'latency', name, totalMs, count: count as number, histogram };
    }
    case 'samples': {
      const { name, unit, samples } = r;
      if (!isName(name) || typeof unit !== 'string' || unit === '') return bad('name or unit');
      if (!Array.isArray(samples) || samples.length === 0 || !samples.every(isNumber)) return bad('samples');
      return { kind: 'samples', name, unit, samples };
    }
    case 'idle': {
      const { holdMs, domains } = r;
      if (!isNumber(holdMs) || !isNumber(domains)) return bad('holdMs or domains');
      return { kind: 'idle', holdMs, domains };
    }
    case 'hold': {
      const { name, holdMs } = r;
      if (!isName(name) || !isNumber(holdMs)) return bad('name or holdMs');
      return { kind: 'hold', name, holdMs };
    }
    case 'missing': {
      const { name, reason } = r;
      if (!isName(name)) return bad('name');
      return { kind: 'missing', name, reason: String(reason) };
    }
    case 'busy':
    case 'done':
      return { kind: r['kind'] };
    case 'error':
      return { kind: 'error', message: String(r['message']) };
    default:
      return bad('unknown kind');
  }
}

/** Joins `bench+` pieces and parses each complete record. Feed it a driver's lines in order. */
export class RecordReader {
  #pending = '';

  /** The record this line completes; null for a line that is not a record's last piece, or no record. */
  push(line: string): DriverRecord | null {
    if (line.startsWith('bench+')) {
      this.#pending += line.slice(6);
      if (this.#pending.length > MAX_RECORD_CHARS) throw new RangeError('bench record too long');
      return null;
    }
    if (!line.startsWith('bench:')) return null;
    const json = this.#pending + line.slice(6);
    this.#pending = '';
    return checkRecord(JSON.parse(json));
  }
}

/**
 * A latency record as a figure, by the harness's rules (figures.ts): the mean is the
 * loop's total over the count; median and p99 come from the per-round-trip times.
 */
export function latencyMeasurement(
  record: Extract<DriverRecord, { kind: 'latency' }>,
  name: string,
  baseline: string | null,
): Measurement {
  const samplesMs = new Float64Array(record.count);
  let at = 0;
  for (const [us, n] of record.histogram) {
    samplesMs.fill(us / 1000, at, at + n);
    at += n;
  }
  return fromLatencyLoop({ name, baseline }, { totalMs: record.totalMs, samplesMs });
}

/** A samples record as a figure: plain mean, median and p99 over the samples. */
export const samplesMeasurement = (
  record: Extract<DriverRecord, { kind: 'samples' }>,
  baseline: string | null,
): Measurement => fromSamples({ name: record.name, unit: record.unit, baseline }, record.samples);
