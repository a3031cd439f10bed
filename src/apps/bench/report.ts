// How the bench driver hands results to the benchmark page: as lines in the system log
// (debug.log), which the kernel forwards to the page with the driver's name as source.
// Layer: apps. The page side is bench/lib/bench-lines.ts; keep the two in step.
//
// A record is a JSON object (ASCII only: other characters are \u-escaped). One that
// fits goes out as the line `bench:JSON`; a longer one is cut into pieces, each but the
// last sent as `bench+PIECE`, the last as `bench:PIECE`. The kernel keeps a domain's
// lines in order, so the page joins pieces until a `bench:` line ends the record.
import { startDomain, type DomainContext, type DomainScope } from '../../workers/domain.ts';

/** Characters per line after the prefix; a log line may be 1024 bytes. */
const PIECE = 1000;

/** What the driver reports. Samples are raw; the page computes the statistics. */
export type BenchRecord =
  /** A latency loop: its total time and a histogram of per-round-trip times (µs -> count). */
  | { kind: 'latency'; name: string; totalMs: number; count: number; histogram: [number, number][] }
  /** Independent samples (rates per stream, spawn times). */
  | { kind: 'samples'; name: string; unit: string; samples: number[] }
  /** The system is idle from now for `holdMs` (resident domains parked); then 'busy'. */
  | { kind: 'idle'; holdMs: number; domains: number }
  | { kind: 'busy' }
  /**
   * The driver holds still for `holdMs` so the page can measure something outside the
   * system (the store's OPFS files, named by `name`); then 'busy'.
   */
  | { kind: 'hold'; name: string; holdMs: number }
  /** A figure that could not be measured, and why: the page says so and writes the others. */
  | { kind: 'missing'; name: string; reason: string }
  | { kind: 'done' }
  | { kind: 'error'; message: string };

const ascii = (json: string): string =>
  json.replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

export function report(ctx: DomainContext, record: BenchRecord): void {
  const json = ascii(JSON.stringify(record));
  for (let at = 0; at < json.length; at += PIECE) {
    const last = at + PIECE >= json.length;
    ctx.log('info', `${last ? 'bench:' : 'bench+'}${json.slice(at, at + PIECE)}`);
  }
}

/** Per-sample times of a loop, in ms, as a histogram of microseconds (0.001 µs steps). */
export function histogram(samplesMs: Float64Array): [number, number][] {
  const counts = new Map<number, number>();
  for (const ms of samplesMs) {
    const us = Math.round(ms * 1e6) / 1000;
    counts.set(us, (counts.get(us) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => a[0] - b[0]);
}

/**
 * Runs a benchmark driver as a domain: `run` reports its figures; an error is reported as
 * an `error` record (the page fails the run with it) and then crashes the domain.
 */
export function startDriver(run: (ctx: DomainContext) => Promise<void>, scope: DomainScope): void {
  startDomain(async (ctx) => {
    try {
      await run(ctx);
      return 0;
    } catch (error) {
      report(ctx, { kind: 'error', message: error instanceof Error ? error.message : String(error) });
      throw error;
    }
  }, scope);
}
