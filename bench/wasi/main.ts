// wasi benchmark page: spawn-to-exit of a hello-world WASI program as a Tessera process
// (the real system in a same-origin frame, through its tessera.proc.run), against two
// bare baselines in the same page: a fresh worker running the compiled module with the
// shim each time, and one reused worker re-running it. Figures: bench/README.md, "wasi".
import type { TesseraApi } from '../../src/abi/automation.ts';
import { encodeTar } from '../../src/abi/tar.ts';
import { fromSamples } from '../lib/figures.ts';
import { defineBenchmark } from '../page/harness.ts';
import { Recorder } from '../page/platform.ts';

const RUNS = { warm: 20, bare: 20 } as const;

/** The real system, booted in a frame as a user's page boots it. */
async function bootFramed(): Promise<TesseraApi> {
  const frame = document.createElement('iframe');
  frame.src = '/index.html';
  document.body.append(frame);
  await new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
  const api = (frame.contentWindow as (Window & { tessera?: TesseraApi }) | null)?.tessera;
  if (!api) throw new Error('the framed page has no window.tessera');
  await api.ready;
  return api;
}

const bareWorker = () =>
  new Worker(new URL('../worker/wasi-bare.worker.ts', import.meta.url), { type: 'module' });

function runIn(worker: Worker, module: WebAssembly.Module): Promise<number> {
  return new Promise((resolve, reject) => {
    worker.onmessage = (e: MessageEvent<{ code: number }>) => resolve(e.data.code);
    worker.onerror = (e) => reject(new Error(`bare worker failed: ${e.message}`));
    worker.postMessage(module);
  });
}

defineBenchmark('wasi', async (progress) => {
  const record = new Recorder(progress);
  const t = await bootFramed();
  const got = await fetch('/__bench-programs/hello.wasm');
  if (!got.ok) throw new Error('build/wasi/hello.wasm is missing: run npm run build:wasi');
  const bytes = new Uint8Array(await got.arrayBuffer());
  await t.files.import(
    'bench',
    encodeTar([
      { header: { kind: 'file', path: 'hello.wasm', mode: 0o755, mtime: 0, target: '' }, data: bytes },
    ]),
  );
  const spawn = async (): Promise<number> => {
    const r = await t.proc.run({ program: 'bench/hello.wasm', argv: ['hello'] });
    if (r.exitCode !== 0) throw new Error(`hello exited ${r.exitCode}`);
    return r.ms;
  };

  const cold = await spawn();
  record.add(
    fromSamples({ name: 'hello_spawn_exit_cold_ms', unit: 'ms', baseline: null }, Float64Array.of(cold)),
  );

  const module = await WebAssembly.compile(bytes);
  const fresh = new Float64Array(RUNS.bare);
  for (let i = 0; i < fresh.length; i++) {
    const start = performance.now();
    const w = bareWorker();
    await runIn(w, module);
    fresh[i] = performance.now() - start;
    w.terminate();
  }
  record.add(fromSamples({ name: 'bare_fresh_worker_ms', unit: 'ms', baseline: null }, fresh));

  const reused = bareWorker();
  await runIn(reused, module);
  const again = new Float64Array(RUNS.bare);
  for (let i = 0; i < again.length; i++) {
    const start = performance.now();
    await runIn(reused, module);
    again[i] = performance.now() - start;
  }
  reused.terminate();
  record.add(fromSamples({ name: 'bare_reused_worker_ms', unit: 'ms', baseline: null }, again));

  await spawn();
  const warm = new Float64Array(RUNS.warm);
  for (let i = 0; i < warm.length; i++) warm[i] = await spawn();
  record.add(
    fromSamples({ name: 'hello_spawn_exit_warm_ms', unit: 'ms', baseline: 'bare_reused_worker_ms' }, warm),
  );
  record.add(
    fromSamples(
      { name: 'hello_spawn_exit_warm_vs_fresh_ms', unit: 'ms', baseline: 'bare_fresh_worker_ms' },
      warm,
    ),
  );
  return record.results;
});
