// Node side of the benchmark runner: writes bench/results/NAME.json and renders the
// table printed after each benchmark.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Figure } from './lib/figures.ts';
import { formatNumber } from './lib/format.ts';

/** Writes `figures` as NAME.json in `dir` (created if missing); returns the file's path. */
export async function writeResults(dir: string, name: string, figures: readonly Figure[]): Promise<string> {
  await mkdir(dir, { recursive: true });
  const path = join(dir, `${name}.json`);
  await writeFile(path, `${JSON.stringify(figures, null, 2)}\n`);
  return path;
}

const COLUMNS = ['name', 'value', 'unit', 'median', 'p99', 'baseline', 'ratio'] as const;
const RIGHT_ALIGNED = new Set<string>(['value', 'median', 'p99', 'ratio']);

/** A plain-text table: name, value, unit, median, p99, baseline name, ratio ('-' for references). */
export function formatTable(figures: readonly Figure[]): string {
  const rows = figures.map((f) => ({
    name: f.name,
    value: formatNumber(f.value),
    unit: f.unit,
    median: formatNumber(f.median),
    p99: formatNumber(f.p99),
    baseline: f.baseline?.name ?? '-',
    ratio: f.ratio === null ? '-' : formatNumber(f.ratio),
  }));
  const widths = COLUMNS.map((c) => Math.max(c.length, ...rows.map((r) => r[c].length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, i) => {
        const width = widths[i] ?? 0;
        return RIGHT_ALIGNED.has(COLUMNS[i] ?? '') ? cell.padStart(width) : cell.padEnd(width);
      })
      .join('  ')
      .trimEnd();
  return [
    line(COLUMNS),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map((r) => line(COLUMNS.map((c) => r[c]))),
  ].join('\n');
}
