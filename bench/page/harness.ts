// Page side of every benchmark: publishes the benchmark for the runner to call
// (lib/protocol.ts), refuses to run without cross-origin isolation, and reports
// progress on the console, which the runner prints.
import type { Measurement } from '../lib/figures.ts';
import { BENCH_GLOBAL, type BenchPage } from '../lib/protocol.ts';

export type Progress = (message: string) => void;

/** Makes `run` callable by bench/run.ts. Call once, at the top level of the page's main.ts. */
export function defineBenchmark(name: string, run: (progress: Progress) => Promise<Measurement[]>): void {
  const page: BenchPage = {
    name,
    async run() {
      if (!crossOriginIsolated) {
        throw new Error(
          'page is not cross-origin isolated: SharedArrayBuffer is unavailable (COOP/COEP headers?)',
        );
      }
      const started = performance.now();
      const progress: Progress = (message) =>
        console.info(`${((performance.now() - started) / 1000).toFixed(1).padStart(6)} s  ${message}`);
      return run(progress);
    },
  };
  Object.defineProperty(globalThis, BENCH_GLOBAL, { value: page });
  document.title = `bench: ${name}`;
}
