import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildFigures, type Measurement } from './lib/figures.ts';
import { formatNumber } from './lib/format.ts';
import { formatTable, writeResults } from './report.ts';

const measurements: Measurement[] = [
  {
    name: 'postmessage_rtt_us',
    unit: 'us',
    value: 160.5,
    median: 150,
    p99: 320,
    runs: 20000,
    baseline: null,
  },
  {
    name: 'sab_wait_rtt_us',
    unit: 'us',
    value: 68.25,
    median: 65,
    p99: 120,
    runs: 20000,
    baseline: 'postmessage_rtt_us',
  },
];
const figures = buildFigures(measurements, { chromium: '156.0.8078.79', date: '2026-11-22T03:00:00.000Z' });

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('result file', () => {
  it('is a JSON array of figures with exactly the documented fields', async () => {
    const root = mkdtempSync(join(tmpdir(), 'tessera-report-test-'));
    dirs.push(root);
    const dir = join(root, 'results');
    const path = await writeResults(dir, 'demo', figures);
    expect(path).toBe(join(dir, 'demo.json'));
    const data = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>[];
    expect(data).toHaveLength(2);
    for (const f of data) {
      expect(Object.keys(f).sort()).toEqual(
        ['baseline', 'chromium', 'date', 'median', 'name', 'p99', 'ratio', 'runs', 'unit', 'value'].sort(),
      );
      expect(new Date(f['date'] as string).toISOString()).toBe(f['date']);
    }
    expect(data[0]).toMatchObject({ name: 'postmessage_rtt_us', baseline: null, ratio: null });
    expect(data[1]).toMatchObject({
      baseline: { name: 'postmessage_rtt_us', value: 160.5 },
      ratio: 68.25 / 160.5,
      chromium: '156.0.8078.79',
    });
  });
});

describe('table', () => {
  it('shows name, value, unit, median, p99, baseline and ratio, with - for references', () => {
    const lines = formatTable(figures).split('\n');
    expect(lines[0]?.split(/\s+/)).toEqual(['name', 'value', 'unit', 'median', 'p99', 'baseline', 'ratio']);
    expect(lines[2]?.split(/\s+/)).toEqual(['postmessage_rtt_us', '160.5', 'us', '150', '320', '-', '-']);
    expect(lines[3]?.split(/\s+/)).toEqual([
      'sab_wait_rtt_us',
      '68.25',
      'us',
      '65',
      '120',
      'postmessage_rtt_us',
      '0.4252',
    ]);
    // Columns line up: each row's unit starts under the header's "unit".
    const unitColumn = lines[0]?.indexOf(' unit ');
    expect(lines.slice(2).map((l) => l.indexOf(' us '))).toEqual([unitColumn, unitColumn]);
  });

  it('numbers: grouped whole numbers from 1000, four significant digits below', () => {
    expect(formatNumber(4_098_836.4)).toBe('4,098,836');
    expect(formatNumber(1234.5)).toBe('1,235');
    expect(formatNumber(84.6842)).toBe('84.68');
    expect(formatNumber(0.056681)).toBe('0.05668');
    expect(formatNumber(5)).toBe('5');
  });
});
