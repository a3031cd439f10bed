// Benchmark runner: `npm run bench` runs every benchmark, `npm run bench -- NAME…`
// the named ones. A benchmark is a folder bench/NAME/ with an index.html page; its
// figures go to bench/results/NAME.json and are printed as a table. See README.md.
import { existsSync, readdirSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { openSession } from './browser.ts';
import { buildFigures } from './lib/figures.ts';
import { formatTable, writeResults } from './report.ts';

const BENCH_DIR = import.meta.dirname;
const RESULTS_DIR = join(BENCH_DIR, 'results');

const available = readdirSync(BENCH_DIR, { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(BENCH_DIR, d.name, 'index.html')))
  .map((d) => d.name)
  .sort();

const requested = process.argv.slice(2);
const unknown = requested.filter((name) => !available.includes(name));
if (unknown.length > 0) {
  process.stderr.write(`unknown benchmark: ${unknown.join(', ')}\navailable: ${available.join(', ')}\n`);
  process.exit(2);
}

/** Other work on the machine skews every figure, spinning ones most; say how busy it is. */
function describeLoad(): string {
  const [load = 0] = loadavg();
  const busy = load >= 0.5 ? ' (busy: other processes compete for the cores; expect noisy figures)' : '';
  return `load average ${load.toFixed(2)} on ${availableParallelism()} CPUs${busy}`;
}

const chosen = requested.length > 0 ? requested : available;
const session = await openSession(resolve(BENCH_DIR, '..'), chosen);
process.stdout.write(`Chromium ${session.chromium}\n`);
let failures = 0;
try {
  for (const name of chosen) {
    const date = new Date().toISOString();
    process.stdout.write(`\n== ${name}\n${describeLoad()}\n`);
    try {
      const measurements = await session.run(name, (line) => process.stdout.write(`[${name}] ${line}\n`));
      const figures = buildFigures(measurements, { chromium: session.chromium, date });
      const path = await writeResults(RESULTS_DIR, name, figures);
      process.stdout.write(`\n${formatTable(figures)}\n\nwrote ${path}\n`);
    } catch (error) {
      failures++;
      process.stderr.write(
        `benchmark ${name} failed: ${error instanceof Error ? error.message : String(error)}\n`,
      );
    }
  }
} finally {
  await session.close();
}
process.exitCode = failures === 0 ? 0 : 1;
