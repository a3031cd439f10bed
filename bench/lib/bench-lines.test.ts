import { describe, expect, it } from 'vitest';
import { checkRecord, latencyMeasurement, RecordReader, samplesMeasurement } from './bench-lines.ts';

describe('RecordReader', () => {
  it('parses a one-line record and ignores other log lines', () => {
    const reader = new RecordReader();
    expect(reader.push('bench-ipc started')).toBeNull();
    expect(reader.push('bench:{"kind":"done"}')).toEqual({ kind: 'done' });
  });

  it('joins bench+ pieces until a bench: line ends the record', () => {
    const json = JSON.stringify({ kind: 'samples', name: 'spawn_exit_ms', unit: 'ms', samples: [1, 2, 3] });
    const reader = new RecordReader();
    expect(reader.push(`bench+${json.slice(0, 10)}`)).toBeNull();
    expect(reader.push(`bench+${json.slice(10, 20)}`)).toBeNull();
    expect(reader.push(`bench:${json.slice(20)}`)).toEqual(JSON.parse(json));
    expect(reader.push('bench:{"kind":"busy"}')).toEqual({ kind: 'busy' });
  });

  it('throws on a record that is not JSON', () => {
    expect(() => new RecordReader().push('bench:{"kind":')).toThrow();
  });
});

describe('checkRecord', () => {
  it('rejects unknown kinds, bad names and histograms that do not add up', () => {
    expect(() => checkRecord({ kind: 'nope' })).toThrow(/unknown kind/);
    expect(() => checkRecord({ kind: 'samples', name: 'Bad Name', unit: 'ms', samples: [1] })).toThrow();
    expect(() => checkRecord({ kind: 'samples', name: 'x_ms', unit: 'ms', samples: [] })).toThrow();
    expect(() =>
      checkRecord({ kind: 'latency', name: 'x_us', totalMs: 1, count: 3, histogram: [[5, 2]] }),
    ).toThrow(/add up/);
    expect(() =>
      checkRecord({ kind: 'latency', name: 'x_us', totalMs: 1, count: 2, histogram: [[5, 2.5]] }),
    ).toThrow(/histogram/);
  });

  it('accepts a hold with a name and a duration, and nothing less', () => {
    expect(checkRecord({ kind: 'hold', name: 'store_empty', holdMs: 2000 })).toEqual({
      kind: 'hold',
      name: 'store_empty',
      holdMs: 2000,
    });
    expect(() => checkRecord({ kind: 'hold', name: 'store_empty' })).toThrow(/holdMs/);
    expect(() => checkRecord({ kind: 'hold', name: 'Store Empty', holdMs: 1 })).toThrow(/name/);
  });

  it('accepts a missing figure with its reason', () => {
    expect(checkRecord({ kind: 'missing', name: 'readdir_10k_ms', reason: 'EIO' })).toEqual({
      kind: 'missing',
      name: 'readdir_10k_ms',
      reason: 'EIO',
    });
    expect(() => checkRecord({ kind: 'missing', name: '', reason: 'x' })).toThrow(/name/);
  });
});

describe('figures from records', () => {
  it('a latency record: the mean from the total, median and p99 from the histogram', () => {
    const record = checkRecord({
      kind: 'latency',
      name: 'null_syscall_rtt_us',
      totalMs: 0.9,
      count: 100,
      histogram: [
        [5, 90],
        [10, 9],
        [400, 1],
      ],
    });
    if (record.kind !== 'latency') throw new Error('not a latency record');
    expect(latencyMeasurement(record, 'x_rtt_us', 'sab_wait_rtt_us')).toEqual({
      name: 'x_rtt_us',
      unit: 'us',
      value: 9,
      median: 5,
      p99: 10,
      runs: 100,
      baseline: 'sab_wait_rtt_us',
    });
  });

  it('a samples record: plain statistics over the samples', () => {
    const record = checkRecord({ kind: 'samples', name: 'spawn_exit_ms', unit: 'ms', samples: [30, 10, 20] });
    if (record.kind !== 'samples') throw new Error('not a samples record');
    expect(samplesMeasurement(record, null)).toMatchObject({ value: 20, median: 20, p99: 30, runs: 3 });
  });
});
