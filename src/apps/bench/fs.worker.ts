// bench-fs: the fs benchmark's driver, run as pid 1 by bench/fs (init = "bench-fs"). It
// spawns the fs program on a fresh channel and measures it through the client API
// (src/workers/fs-client.ts), from another domain, as any program sees it; it reports raw
// samples as log lines (report.ts) and holds still while the page measures the store's
// OPFS files. Layer: apps. Figures and method: bench/README.md, "fs".
import { FsOpen } from '../../abi/fs-protocol.ts';
import { Priority } from '../../abi/objects.ts';
import type { DomainContext } from '../../workers/domain.ts';
import { FsDirectory, type FsFile, type FsReply } from '../../workers/fs-client.ts';
import { check } from './channel.ts';
import { programHandleIndex } from './programs.ts';
import { report, startDriver } from './report.ts';
import { breathe } from './timing.ts';

declare const self: DedicatedWorkerGlobalScope;

const MIB = 1 << 20;

/** Sizes from issue 4, "Benchmarks"; the raw OPFS baseline uses the same (bench/fs/main.ts). */
const SIZES = {
  seqBytes: 64 * MIB,
  io: 64 * 1024,
  smallFiles: 10_000,
  smallBytes: 4096,
  /** Timed stat() calls per sample. */
  statChunk: 1_000,
} as const;

const RUNS = {
  /**
   * Runs of the 10 000 dir.write_file creates: on two busy cores one run gave 2 500 or
   * 6 800 files/s from one run to the next, so the figure is the median of three.
   */
  smallCreate: 3,
  readdir: { warmup: 1, measured: 5 },
  snapshot: { warmup: 1, measured: 5 },
} as const;

/** How long the driver holds still while the page sums the store's files. */
const HOLD_MS = 2_000;

const O = FsOpen;

function value<T>(r: FsReply<T>, what: string): T {
  if (!r.ok) throw new Error(`${what}: errno ${r.error}`);
  return r.value;
}

/**
 * Spawns the fs program on a fresh channel and returns the root Directory it serves. The
 * driver never passes a handle on, so its handles are mapped once in steady use, as any
 * such program's would be (FsClientOptions).
 */
function mount(ctx: DomainContext): FsDirectory {
  const c = ctx.sys.channelCreate();
  check(c.status, 'channel.create');
  const program = ctx.handles[programHandleIndex('fs', 'bench-fs')] ?? 0;
  const spawned = ctx.sys.processSpawn(program, 'fs', '', '', Priority.INTERACTIVE, [c.end1 ?? 0]);
  check(spawned.status, 'process.spawn fs');
  return new FsDirectory(ctx.channel(c.end0 ?? 0), (h) => ctx.channel(h), { mapChannel: ctx.mapChannel });
}

/** `bytes` of xorshift noise: nothing in it repeats, so only a second copy can deduplicate. */
function noise(bytes: number, seed: number): Uint8Array {
  const words = new Uint32Array(bytes / 4);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < words.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    words[i] = x >>> 0;
  }
  return new Uint8Array(words.buffer);
}

/** Closes a File handle; the server lets the object go when it sees PEER_CLOSED. */
const close = (ctx: DomainContext, f: FsFile): void =>
  check(ctx.sys.handleClose(f.channel.handle).status, 'handle.close');

const mibs = (bytes: number, ms: number): number => bytes / MIB / (ms / 1000);

/**
 * One read of the program's size (SIZES.io) into a fresh buffer, as a POSIX program does
 * it: a reply carries at most FS_IO_MAX bytes, so it loops over short reads. A read that
 * is not short is its own fresh buffer (the client gives each reply one), as the raw
 * baseline's is.
 */
async function readFull(f: FsFile, count: number, what: string): Promise<Uint8Array> {
  const first = value(await f.read(count), what);
  if (first.length === count) return first;
  if (first.length === 0) throw new Error(`${what}: end of file after 0 of ${count} bytes`);
  const into = new Uint8Array(count);
  into.set(first);
  for (let at = first.length; at < count;) {
    const got = value(await f.read(count - at), what);
    if (got.length === 0) throw new Error(`${what}: end of file after ${at} of ${count} bytes`);
    into.set(got, at);
    at += got.length;
  }
  return into;
}

/** Writes `data` to a new file at `path` in SIZES.io pieces, then syncs; milliseconds for all of it. */
async function writeFile(
  ctx: DomainContext,
  root: FsDirectory,
  path: string,
  data: Uint8Array,
): Promise<number> {
  const start = performance.now();
  const f = value(await root.open(path, O.WRONLY | O.CREAT | O.EXCL), `create ${path}`);
  // The client sends a 64 KiB write as requests of at most FS_IO_MAX bytes.
  for (let at = 0; at < data.length; at += SIZES.io) {
    const n = value(await f.write(data.subarray(at, at + SIZES.io)), `write ${path}`);
    if (n !== SIZES.io) throw new Error(`write ${path}: short write of ${n} bytes`);
  }
  value(await f.sync(), `sync ${path}`);
  const ms = performance.now() - start;
  close(ctx, f);
  return ms;
}

/** Reads `path` back in SIZES.io pieces and checks it against `data`; milliseconds for the reads. */
async function readFile(
  ctx: DomainContext,
  root: FsDirectory,
  path: string,
  data: Uint8Array,
): Promise<number> {
  const pieces: Uint8Array[] = [];
  const start = performance.now();
  const f = value(await root.open(path, O.RDONLY), `open ${path}`);
  for (let at = 0; at < data.length; at += SIZES.io) pieces.push(await readFull(f, SIZES.io, `read ${path}`));
  const ms = performance.now() - start;
  close(ctx, f);
  pieces.forEach((piece, p) => {
    const at = p * SIZES.io;
    for (let i = 0; i < piece.length; i++)
      if (piece[i] !== data[at + i])
        throw new Error(`read ${path}: byte ${at + i} differs from what was written`);
  });
  return ms;
}

/** Lets the page measure the store from outside (report.ts, 'hold'), then goes on. */
async function hold(ctx: DomainContext, name: string): Promise<void> {
  report(ctx, { kind: 'hold', name, holdMs: HOLD_MS });
  await new Promise((resolve) => setTimeout(resolve, HOLD_MS));
  report(ctx, { kind: 'busy' });
}

/** Bytes the store takes, by its own account (dir.usage), with nothing left unsynced. */
async function stored(root: FsDirectory): Promise<number> {
  const u = value(await root.usage(), 'usage');
  if (u.unsynced !== 0) throw new Error(`usage: ${u.unsynced} bytes unsynced after a sync`);
  return u.stored;
}

/**
 * Sequential write+sync, a second identical copy (dedup), then sequential read. The
 * store's size is taken before and after each write, by its usage and, from outside, by
 * the page (a hold).
 */
async function sequential(ctx: DomainContext, root: FsDirectory): Promise<void> {
  const data = noise(SIZES.seqBytes, 0x7e55e7a);
  value(await root.sync(), 'sync');
  const empty = await stored(root);
  await hold(ctx, 'store_empty');
  const writeMs = await writeFile(ctx, root, 'seq', data);
  const rate = (ms: number): number[] => [mibs(data.length, ms)];
  report(ctx, { kind: 'samples', name: 'seq_write_fsync_mibs', unit: 'MiB/s', samples: rate(writeMs) });
  const one = await stored(root);
  await hold(ctx, 'store_one_copy');
  const copyMs = await writeFile(ctx, root, 'seq-copy', data);
  report(ctx, { kind: 'samples', name: 'seq_write_copy_mibs', unit: 'MiB/s', samples: rate(copyMs) });
  const two = await stored(root);
  await hold(ctx, 'store_two_copies');
  report(ctx, { kind: 'samples', name: 'dedup_growth', unit: 'x', samples: [(two - one) / (one - empty)] });
  const readMs = await readFile(ctx, root, 'seq', data);
  report(ctx, { kind: 'samples', name: 'seq_read_mibs', unit: 'MiB/s', samples: rate(readMs) });
}

const smallName = (i: number, dir = 'small'): string => `${dir}/f${String(i).padStart(5, '0')}`;

/**
 * SIZES.smallFiles files of SIZES.smallBytes, then one sync, two ways: each file with one
 * dir.write_file (FsDirectory.writeFile, O_CREAT | O_EXCL), as the client API makes a
 * small file (small_create_per_s, RUNS.smallCreate runs; the last, in small/, stays for
 * the later figures), and each with
 * open(O_CREAT | O_EXCL), write, close, as a POSIX program does
 * (small_create_open_write_close_per_s, in small-posix/).
 */
async function smallCreates(ctx: DomainContext, root: FsDirectory): Promise<void> {
  const data = noise(SIZES.smallBytes * SIZES.smallFiles, 0x5a11);
  const piece = (i: number): Uint8Array => data.subarray(i * SIZES.smallBytes, (i + 1) * SIZES.smallBytes);
  /** Files per second of one run in `dir` (made first), sync included. */
  const timed = async (dir: string, create: (path: string, bytes: Uint8Array) => Promise<void>) => {
    value(await root.mkdir(dir), `mkdir ${dir}`);
    const start = performance.now();
    for (let i = 0; i < SIZES.smallFiles; i++) await create(smallName(i, dir), piece(i));
    value(await root.sync(), 'sync');
    return SIZES.smallFiles / ((performance.now() - start) / 1000);
  };
  const writeFile = async (path: string, bytes: Uint8Array): Promise<void> => {
    const n = value(await root.writeFile(path, bytes, O.CREAT | O.EXCL), `create ${path}`);
    if (n !== bytes.length) throw new Error(`create ${path}: short write of ${n} bytes`);
  };
  const rates: number[] = [];
  // The last run's directory, small/, stays for the later figures; the others go (untimed).
  for (let run = RUNS.smallCreate - 1; run >= 0; run--) {
    const dir = run === 0 ? 'small' : `small-${run}`;
    rates.push(await timed(dir, writeFile));
    await breathe();
    if (run === 0) continue;
    for (let i = 0; i < SIZES.smallFiles; i++)
      value(await root.unlink(smallName(i, dir)), `unlink in ${dir}`);
    value(await root.rmdir(dir), `rmdir ${dir}`);
  }
  report(ctx, { kind: 'samples', name: 'small_create_per_s', unit: 'files/s', samples: rates });
  await breathe();
  const posix = await timed('small-posix', async (path, bytes) => {
    const f = value(await root.open(path, O.WRONLY | O.CREAT | O.EXCL), `create ${path}`);
    value(await f.write(bytes), `write ${path}`);
    close(ctx, f);
  });
  report(ctx, {
    kind: 'samples',
    name: 'small_create_open_write_close_per_s',
    unit: 'files/s',
    samples: [posix],
  });
}

/** stat() of every small file, one sample per SIZES.statChunk calls. */
async function stats(ctx: DomainContext, root: FsDirectory): Promise<void> {
  const rates: number[] = [];
  for (let done = 0; done < SIZES.smallFiles; done += SIZES.statChunk) {
    const start = performance.now();
    for (let i = done; i < done + SIZES.statChunk; i++) {
      const st = value(await root.stat(smallName(i)), `stat ${smallName(i)}`);
      if (st.size !== SIZES.smallBytes) throw new Error(`stat ${smallName(i)}: size ${st.size}`);
    }
    rates.push(SIZES.statChunk / ((performance.now() - start) / 1000));
  }
  report(ctx, { kind: 'samples', name: 'stat_per_s', unit: 'ops/s', samples: rates });
}

/** Runs `body` warm-up + measured times; milliseconds of each measured run. */
async function repeat(
  runs: { warmup: number; measured: number },
  body: (run: number) => Promise<void>,
): Promise<number[]> {
  const samples: number[] = [];
  for (let run = 0; run < runs.warmup + runs.measured; run++) {
    const start = performance.now();
    await body(run);
    const ms = performance.now() - start;
    if (run >= runs.warmup) samples.push(ms);
    await breathe();
  }
  return samples;
}

/**
 * A readdir of the 10 000-file directory: the client fetches it in message-sized pages.
 * A failure is reported as a missing figure, never as a number.
 */
async function readdir(ctx: DomainContext, root: FsDirectory): Promise<void> {
  try {
    const samples = await repeat(RUNS.readdir, async () => {
      const entries = value(await root.readdir('small'), 'readdir small');
      if (entries.length !== SIZES.smallFiles) throw new Error(`readdir small: ${entries.length} entries`);
    });
    report(ctx, { kind: 'samples', name: 'readdir_10k_ms', unit: 'ms', samples });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    report(ctx, { kind: 'missing', name: 'readdir_10k_ms', reason });
  }
}

/**
 * Snapshots of the store holding the 10 000-file tree. Before each (untimed) one of the
 * small files is rewritten, so every snapshot commits a changed tree rather than naming
 * the commit of the last sync.
 */
async function snapshots(ctx: DomainContext, root: FsDirectory): Promise<void> {
  const change = noise(SIZES.smallBytes, 0x5a9);
  const samples: number[] = [];
  for (let run = 0; run < RUNS.snapshot.warmup + RUNS.snapshot.measured; run++) {
    const f = value(await root.open(smallName(run), O.WRONLY), `open ${smallName(run)}`);
    value(await f.pwrite(change, 0), `pwrite ${smallName(run)}`);
    close(ctx, f);
    const start = performance.now();
    value(await root.snapshot(`bench-${run}`), `snapshot bench-${run}`);
    const ms = performance.now() - start;
    if (run >= RUNS.snapshot.warmup) samples.push(ms);
    await breathe();
  }
  report(ctx, { kind: 'samples', name: 'snapshot_10k_ms', unit: 'ms', samples });
}

async function run(ctx: DomainContext): Promise<void> {
  const root = mount(ctx);
  await sequential(ctx, root);
  await smallCreates(ctx, root);
  await stats(ctx, root);
  await snapshots(ctx, root);
  await readdir(ctx, root);
  report(ctx, { kind: 'done' });
}

startDriver(run, self);
