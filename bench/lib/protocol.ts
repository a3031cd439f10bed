// The contract between the node-side runner (bench/run.ts) and a benchmark page:
// the page publishes a BenchPage under BENCH_GLOBAL, and the runner calls run() once.

export const BENCH_GLOBAL = '__tesseraBench';

export interface BenchPage {
  readonly name: string;
  /** Runs every measurement of the benchmark. Resolves to Measurement[] (see figures.ts). */
  run(): Promise<unknown>;
}
