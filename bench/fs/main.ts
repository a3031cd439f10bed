// fs benchmark page: Tessera's fs server, measured through its client API from another
// domain, against the raw OPFS sync access handle, all in one page run. The page
// measures the raw baselines in its own dedicated worker (worker/opfs.worker.ts), then
// boots the kernel with the built-in driver bench-fs as pid 1 (src/apps/bench/fs.worker.ts),
// sums the store's OPFS files whenever the driver holds still, and turns everything into
// figures. Figure names, baselines and method: bench/README.md, "fs".
import { type DriverRecord, samplesMeasurement } from '../lib/bench-lines.ts';
import { fromSamples, type Measurement } from '../lib/figures.ts';
import type { OpfsOps } from '../lib/opfs-ops.ts';
import { defineBenchmark, type Progress } from '../page/harness.ts';
import { Recorder } from '../page/platform.ts';
import { WorkerClient } from '../page/rpc-client.ts';
import { TesseraRun } from '../page/tessera.ts';

/** The fs server's OPFS directory (src/fs/server.worker.ts); emptied before the kernel boots. */
const STORE_DIRECTORY = 'tessera-fs';
/** Where the raw baseline keeps its files; removed after use. */
const RAW_DIRECTORY = 'tessera-bench-opfs';

const MIB = 1 << 20;

/** As bench-fs measures (src/apps/bench/fs.worker.ts). */
const SIZES = { seqBytes: 64 * MIB, io: 64 * 1024, smallFiles: 10_000, smallBytes: 4096 } as const;

const RAW_RUNS = { seq: { warmup: 1, measured: 3 }, smallWarmupFiles: 1_000 } as const;

/** Each Tessera figure and the raw figure of this run it is compared with. */
const BASELINES: Readonly<Record<string, string>> = {
  seq_write_fsync_mibs: 'opfs_seq_write_flush_mibs',
  seq_write_copy_mibs: 'opfs_seq_write_flush_mibs',
  seq_read_mibs: 'opfs_seq_read_mibs',
  small_create_per_s: 'opfs_small_create_per_s',
  small_create_open_write_close_per_s: 'opfs_small_create_per_s',
};

const mibs = (bytes: number, ms: number): number => bytes / MIB / (ms / 1000);

/**
 * The figure "write the same 64 MiB twice: storage growth factor" is what the store
 * holds after both writes over what it held after the first, each less the empty
 * store: (two − empty) / (one − empty), ≈ 1 with dedup and ≈ 2 without. bench-fs
 * (src/apps/bench/fs.worker.ts) reports only what the second copy added,
 * (two − one) / (one − empty), from the store's usage; that is the factor less one.
 */
function driverRecord(r: Extract<DriverRecord, { kind: 'samples' }>): Measurement {
  if (r.name !== 'dedup_growth') return samplesMeasurement(r, BASELINES[r.name] ?? null);
  return fromSamples(
    { name: r.name, unit: r.unit, baseline: null },
    r.samples.map((added) => 1 + added),
  );
}

async function removeDirectory(name: string): Promise<void> {
  const root = await navigator.storage.getDirectory();
  try {
    await root.removeEntry(name, { recursive: true });
  } catch (e) {
    if (!(e instanceof DOMException && e.name === 'NotFoundError')) throw e;
  }
}

/** Bytes in every file under `dir`, as OPFS reports each file's size. */
async function directoryBytes(dir: FileSystemDirectoryHandle): Promise<number> {
  let bytes = 0;
  for await (const entry of dir.values()) {
    if (entry instanceof FileSystemDirectoryHandle) bytes += await directoryBytes(entry);
    else if (entry instanceof FileSystemFileHandle) bytes += (await entry.getFile()).size;
  }
  return bytes;
}

async function storeBytes(): Promise<number> {
  const root = await navigator.storage.getDirectory();
  return directoryBytes(await root.getDirectoryHandle(STORE_DIRECTORY));
}

/** The raw OPFS figures, in a dedicated worker of their own. */
async function rawBaselines(record: Recorder, progress: Progress): Promise<void> {
  const worker = new Worker(new URL('../worker/opfs.worker.ts', import.meta.url), {
    type: 'module',
    name: 'opfs',
  });
  const opfs = new WorkerClient<OpfsOps>(worker, 'opfs worker');
  const dir = RAW_DIRECTORY;
  try {
    await opfs.call('remove', { dir });
    const { warmup, measured } = RAW_RUNS.seq;
    const writes: number[] = [];
    const reads: number[] = [];
    for (let run = 0; run < warmup + measured; run++) {
      const file = { dir, file: `seq-${run}`, bytes: SIZES.seqBytes, io: SIZES.io };
      const writeMs = await opfs.call('seq-write', file);
      const readMs = await opfs.call('seq-read', file);
      if (run >= warmup) {
        writes.push(mibs(SIZES.seqBytes, writeMs));
        reads.push(mibs(SIZES.seqBytes, readMs));
      }
    }
    record.add(fromSamples({ name: 'opfs_seq_write_flush_mibs', unit: 'MiB/s', baseline: null }, writes));
    record.add(fromSamples({ name: 'opfs_seq_read_mibs', unit: 'MiB/s', baseline: null }, reads));
    // Each step named as it starts: the measured small creates stalled (no CPU, no progress)
    // in 3 of 10 runs. They reused the directory just removed recursively, so each step now
    // works in a directory of its own; that this was the cause is a guess.
    progress('raw: removing the sequential files');
    await opfs.call('remove', { dir });
    const warm = `${dir}-warm`;
    const small = `${dir}-small`;
    progress('raw: small creates, warm-up');
    await opfs.call('small-create', { dir: warm, count: RAW_RUNS.smallWarmupFiles, bytes: SIZES.smallBytes });
    await opfs.call('remove', { dir: warm });
    progress('raw: small creates, measured');
    const ms = await opfs.call('small-create', {
      dir: small,
      count: SIZES.smallFiles,
      bytes: SIZES.smallBytes,
    });
    record.add(
      fromSamples({ name: 'opfs_small_create_per_s', unit: 'files/s', baseline: null }, [
        SIZES.smallFiles / (ms / 1000),
      ]),
    );
    await opfs.call('remove', { dir: small });
  } finally {
    opfs.terminate();
  }
}

/** Runs bench-fs as pid 1 on an empty store and records its figures and the store's sizes. */
async function tessera(record: Recorder, progress: Progress): Promise<void> {
  await removeDirectory(STORE_DIRECTORY);
  const sizes = new Map<string, number>();
  const run = new TesseraRun('bench-fs', progress);
  try {
    for (;;) {
      const { record: r } = await run.next();
      if (r.kind === 'done') break;
      if (r.kind === 'samples') record.add(driverRecord(r));
      else if (r.kind === 'missing') progress(`MISSING ${r.name}: ${r.reason}`);
      else if (r.kind === 'hold') {
        const bytes = await storeBytes();
        const measuredBy = performance.now();
        progress(`${r.name}: ${bytes} bytes in OPFS "${STORE_DIRECTORY}"`);
        sizes.set(r.name, bytes);
        const next = await run.next();
        if (next.record.kind !== 'busy' || next.at < measuredBy)
          throw new Error('bench-fs went on before the page had measured the store');
      }
    }
  } finally {
    run.terminate();
  }
  const [empty, one, two] = ['store_empty', 'store_one_copy', 'store_two_copies'].map((n) => sizes.get(n));
  if (empty === undefined || one === undefined || two === undefined || one <= empty)
    throw new Error('bench-fs did not hold for the three store measurements');
  // The same growth factor as dedup_growth, from the files OPFS holds rather than the store's usage.
  record.add(
    fromSamples({ name: 'dedup_growth_opfs_files', unit: 'x', baseline: null }, [
      (two - empty) / (one - empty),
    ]),
  );
}

defineBenchmark('fs', async (progress) => {
  const record = new Recorder(progress);
  await rawBaselines(record, progress);
  await tessera(record, progress);
  return record.results;
});
