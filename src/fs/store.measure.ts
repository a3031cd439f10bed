// Measures the store's own share of the fs benchmark's figures, without IPC: a FileSystem
// on the in-memory backend, driven as bench-fs drives the server (64 MiB in 64 KiB writes
// then fsync, reads back in 64 KiB, 10 000 files of 4 KiB then one fsync, stat, snapshots
// of the 10 000-file tree). Layer: fs (a tool, not part of the store; the memory backend
// keeps an undo log, so writes cost more than on OPFS). Run: npx tsx src/fs/store.measure.ts
import { FileSystem } from './filesystem.ts';
import { MemoryBackend } from './memory-backend.ts';
import { O } from './open-file.ts';
import { unwrap } from './test-support.ts';

const MIB = 1 << 20;
const IO = 64 * 1024;
const FILES = 10_000;

function noise(bytes: number, seed: number): Uint8Array {
  const words = new Uint32Array(bytes / 4);
  let x = seed;
  for (let i = 0; i < words.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    words[i] = x >>> 0;
  }
  return new Uint8Array(words.buffer);
}

async function time(label: string, work: () => unknown, per?: (ms: number) => string): Promise<void> {
  const start = performance.now();
  await work();
  const ms = performance.now() - start;
  console.log(`${label.padEnd(28)} ${ms.toFixed(1).padStart(8)} ms  ${per?.(ms) ?? ''}`);
}

const fs = unwrap(await FileSystem.open(new MemoryBackend()));
const vol = fs.volume;
const data = noise(64 * MIB, 0x7e55e7a);
const rate = (ms: number): string => `${(data.length / MIB / (ms / 1000)).toFixed(0)} MiB/s`;
for (const name of ['seq', 'seq-copy']) {
  const f = unwrap(vol.open(name, O.WRONLY | O.CREAT | O.EXCL));
  await time(
    `${name}: 64 KiB writes`,
    () => {
      for (let at = 0; at < data.length; at += IO) unwrap(f.write(data.subarray(at, at + IO)));
    },
    rate,
  );
  await time(`${name}: fsync`, async () => unwrap(await fs.fsync()), rate);
  f.close();
}
const r = unwrap(vol.open('seq', O.RDONLY));
const into = new Uint8Array(IO);
await time(
  'seq: 64 KiB reads',
  () => {
    while (unwrap(r.read(into)) > 0);
  },
  rate,
);
r.close();
unwrap(vol.mkdir('small'));
const small = noise(4096 * FILES, 0x5a11);
const name = (i: number): string => `small/f${String(i).padStart(5, '0')}`;
const perSecond = (n: number) => (ms: number) => `${(n / (ms / 1000)).toFixed(0)}/s`;
await time(
  '10k creates of 4 KiB',
  () => {
    for (let i = 0; i < FILES; i++) {
      const f = unwrap(vol.open(name(i), O.WRONLY | O.CREAT | O.EXCL));
      unwrap(f.write(small.subarray(i * 4096, (i + 1) * 4096)));
      f.close();
    }
  },
  perSecond(FILES),
);
await time('fsync of them', async () => unwrap(await fs.fsync()), perSecond(FILES));
await time(
  '10k stat',
  () => {
    for (let i = 0; i < FILES; i++) unwrap(vol.stat(name(i)));
  },
  perSecond(FILES),
);
for (let run = 0; run < 4; run++) {
  const f = unwrap(vol.open(name(run), O.WRONLY));
  unwrap(f.pwrite(small.subarray(0, 4096), 0));
  f.close();
  await time(`snapshot of the 10k tree`, async () => unwrap(await fs.snapshot(`s${run}`)));
}
