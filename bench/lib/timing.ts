// Timing loops shared by benchmark pages and workers. performance.now() has 5 µs
// resolution in Chromium here, so each loop records both per-sample times (for
// median and p99) and the batch total (for an exact mean).

/** One timed loop: the time between consecutive iterations, and their sum. Milliseconds. */
export interface TimedLoop {
  readonly totalMs: number;
  readonly samplesMs: Float64Array;
}

/** Runs `body` `count` times, timing each call. One clock read per iteration. */
export function timeLoop(count: number, body: (i: number) => void): TimedLoop {
  const samplesMs = new Float64Array(count);
  const start = performance.now();
  let last = start;
  for (let i = 0; i < count; i++) {
    body(i);
    const now = performance.now();
    samplesMs[i] = now - last;
    last = now;
  }
  return { totalMs: last - start, samplesMs };
}

/** As timeLoop, awaiting each call before starting the next. */
export async function timeLoopAsync(count: number, body: (i: number) => Promise<void>): Promise<TimedLoop> {
  const samplesMs = new Float64Array(count);
  const start = performance.now();
  let last = start;
  for (let i = 0; i < count; i++) {
    await body(i);
    const now = performance.now();
    samplesMs[i] = now - last;
    last = now;
  }
  return { totalMs: last - start, samplesMs };
}

/**
 * Runs `once` `warmups` times and discards the results, then `runs` times and returns
 * those results in order. Runs are sequential, never overlapping.
 */
export async function warmThenMeasure<T>(
  warmups: number,
  runs: number,
  once: () => Promise<T>,
): Promise<T[]> {
  for (let i = 0; i < warmups; i++) await once();
  const results: T[] = [];
  for (let i = 0; i < runs; i++) results.push(await once());
  return results;
}
