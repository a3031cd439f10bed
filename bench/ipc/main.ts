// ipc benchmark page: Tessera's kernel IPC, measured from inside real domains, against
// the platform primitives it is built on, all in one page run. The page measures the
// platform baselines itself (page/platform.ts), then boots the kernel with the built-in
// driver bench-ipc as pid 1 (src/apps/bench/ipc.worker.ts) and turns what it reports
// into figures. Idle CPU comes from the runner's CPU hook (page/runner.ts).
// Figure names, baselines and method: bench/README.md, "ipc".
import type { Measurement } from '../lib/figures.ts';
import { latencyMeasurement, samplesMeasurement } from '../lib/bench-lines.ts';
import { fromSamples } from '../lib/figures.ts';
import { defineBenchmark, type Progress } from '../page/harness.ts';
import {
  helloWorker,
  PeerPair,
  portRtt,
  portStream,
  Recorder,
  ringStream,
  sabRtt,
  spawnTime,
} from '../page/platform.ts';
import { browserCpu, percentOfCore } from '../page/runner.ts';
import { TesseraRun } from '../page/tessera.ts';

/** Each Tessera figure and the platform figure of this run it is compared with. */
const BASELINES: Readonly<Record<string, string>> = {
  null_syscall_rtt_us: 'sab_wait_rtt_us',
  channel_rtt_us: 'sab_hybrid_rtt_us',
  channel_kernel_rtt_us: 'sab_hybrid_rtt_us',
  channel_64b_msgs: 'sab_ring_64b_msgs',
  channel_4k_msgs: 'sab_ring_4k_msgs',
  channel_kernel_4k_msgs: 'sab_ring_4k_msgs',
  channel_handle_transfer_msgs: 'postmessage_64b_msgs',
  spawn_exit_ms: 'worker_spawn_ms',
};

const IDLE = {
  /** Resident idle workers (bare) or domains (Tessera). */
  count: 5,
  /** Let spawning settle before measuring. */
  settleMs: 1_000,
  measureMs: 5_000,
} as const;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Browser CPU over IDLE.measureMs, in percent of one core, once things have settled. */
async function idleCpu(progress: Progress, what: string): Promise<number> {
  await sleep(IDLE.settleMs);
  const usage = await browserCpu(IDLE.measureMs);
  progress(
    `${what}: ${usage.cpuMs} ms CPU in ${Math.round(usage.wallMs)} ms over ${usage.processes} browser processes`,
  );
  return percentOfCore(usage);
}

/** The same measurement with bare module workers that said hello and sit in their event loop. */
async function bareIdle(progress: Progress): Promise<Measurement> {
  const workers = Array.from({ length: IDLE.count }, helloWorker);
  try {
    await Promise.all(
      workers.map(
        (w) =>
          new Promise<void>((resolve, reject) => {
            w.onmessage = () => resolve();
            w.onerror = (e) => reject(new Error(`idle worker failed: ${e.message}`));
          }),
      ),
    );
    const percent = await idleCpu(progress, `${IDLE.count} bare idle workers`);
    return fromSamples({ name: 'worker_idle_cpu_percent', unit: '%', baseline: null }, [percent]);
  } finally {
    for (const w of workers) w.terminate();
  }
}

async function platformBaselines(record: Recorder): Promise<void> {
  const peers = new PeerPair();
  try {
    await record.measure(() => portRtt(peers, null));
    await record.measure(() => sabRtt(peers, 'wait', null));
    await record.measure(() => sabRtt(peers, 'hybrid', null));
    for (const size of ['64b', '4k'] as const) {
      await record.measure(() => portStream(peers, size, null));
      await record.measure(() => ringStream(peers, size, null));
    }
  } finally {
    peers.terminate();
  }
  await record.measure(() => spawnTime(null));
}

/** Runs bench-ipc as pid 1 and records its figures, measuring CPU while it holds the system idle. */
async function tessera(record: Recorder, progress: Progress): Promise<void> {
  const run = new TesseraRun('bench-ipc', progress);
  try {
    for (;;) {
      const { record: r } = await run.next();
      if (r.kind === 'done') return;
      if (r.kind === 'latency') {
        record.add(latencyMeasurement(r, r.name, BASELINES[r.name] ?? null));
        if (r.name === 'null_syscall_rtt_us')
          record.add(latencyMeasurement(r, 'null_syscall_vs_hybrid_rtt_us', 'sab_hybrid_rtt_us'));
      } else if (r.kind === 'samples') record.add(samplesMeasurement(r, BASELINES[r.name] ?? null));
      else if (r.kind === 'idle') {
        const percent = await idleCpu(progress, `Tessera: kernel, pid 1 parked, ${r.domains} idle domains`);
        const measuredBy = performance.now();
        const next = await run.next();
        if (next.record.kind !== 'busy' || next.at < measuredBy)
          throw new Error('bench-ipc stopped idling before the CPU measurement ended');
        record.add(
          fromSamples({ name: 'idle_cpu_percent', unit: '%', baseline: 'worker_idle_cpu_percent' }, [
            percent,
          ]),
        );
      }
    }
  } finally {
    run.terminate();
  }
}

defineBenchmark('ipc', async (progress) => {
  const record = new Recorder(progress);
  // Idle first on both sides, each right after its workers started, so that neither
  // window holds the tail of an earlier measurement (terminated workers, GC).
  record.add(await bareIdle(progress));
  await tessera(record, progress);
  await platformBaselines(record);
  return record.results;
});
