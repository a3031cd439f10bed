// The contract between the node-side runner (bench/run.ts) and a benchmark page:
// the page publishes a BenchPage under BENCH_GLOBAL, and the runner calls run() once.
// The runner in turn offers the page hooks for what a page cannot measure itself
// (RUNNER_HOOKS; page side: page/runner.ts, node side: browser.ts).

export const BENCH_GLOBAL = '__tesseraBench';

export interface BenchPage {
  readonly name: string;
  /** Runs every measurement of the benchmark. Resolves to Measurement[] (see figures.ts). */
  run(): Promise<unknown>;
}

/**
 * Functions the runner installs on every benchmark page (Playwright's exposeFunction)
 * before it loads. Each returns a promise that settles in node.
 *
 * BROWSER_CPU(ms): CPU time used by the whole browser (every Chromium process: browser,
 * renderers, GPU, utilities) over the next `ms` milliseconds, measured from /proc by
 * the runner (bench/cpu.ts). Resolves to a CpuUsage.
 */
export const RUNNER_HOOKS = {
  BROWSER_CPU: '__tesseraRunnerBrowserCpu',
} as const;

export interface CpuUsage {
  /** CPU time, all processes and threads together, in ms. */
  readonly cpuMs: number;
  /** The interval actually measured, in ms (a little longer than asked for). */
  readonly wallMs: number;
  /** How many browser processes there were at the end. */
  readonly processes: number;
  /** The granularity of cpuMs (one clock tick), in ms. */
  readonly resolutionMs: number;
}
