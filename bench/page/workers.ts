// Page-side worker helpers for benchmarks: timing worker spawns, and relaying
// messages between two workers through the main thread.

/**
 * Spawns `count` workers one after another with `spawn`, each timed from the call
 * until its first message and terminated right after. Milliseconds per spawn.
 * `spawn` must contain the `new Worker(new URL(...), ...)` itself, so Vite sees it.
 */
export async function timeSpawns(spawn: () => Worker, count: number): Promise<Float64Array> {
  const times = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const start = performance.now();
    const worker = spawn();
    try {
      await new Promise<void>((resolve, reject) => {
        worker.onmessage = () => resolve();
        worker.onerror = (e) => reject(new Error(`spawned worker failed: ${e.message}`));
      });
      times[i] = performance.now() - start;
    } finally {
      worker.terminate();
    }
  }
  return times;
}

/** Forwards every message `relayed` accepts from a to b and from b to a, until the returned stop() is called. */
export function relayBetween(a: Worker, b: Worker, relayed: (data: unknown) => boolean): () => void {
  const toB = (e: MessageEvent<unknown>): void => {
    if (relayed(e.data)) b.postMessage(e.data);
  };
  const toA = (e: MessageEvent<unknown>): void => {
    if (relayed(e.data)) a.postMessage(e.data);
  };
  a.addEventListener('message', toB);
  b.addEventListener('message', toA);
  return () => {
    a.removeEventListener('message', toB);
    b.removeEventListener('message', toA);
  };
}
