// Timing loops for the bench driver. Layer: apps. The same method as the benchmark
// harness (bench/lib/timing.ts), which apps may not import: per-iteration times for
// median and p99, and the batch total for an exact mean despite the 5 µs clock.

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

/** Milliseconds `body` takes. */
export function timeOnce(body: () => void): number {
  const start = performance.now();
  body();
  return performance.now() - start;
}

/** Lets the domain's event loop run (its heartbeat, which the kernel's watchdog watches). */
export const breathe = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));
