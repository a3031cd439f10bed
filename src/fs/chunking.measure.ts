// Measures fixed-size against content-defined chunking for the store: dedup after an
// insert of a few bytes in the middle of a file, and throughput (chunk only; chunk and
// hash). Layer: fs (a tool, not part of the store). Run: npx tsx src/fs/chunking.measure.ts
import { chunkLengths, fixedLengths } from './chunker.ts';
import { sha256 } from './hash.ts';

const MiB = 1024 * 1024;

function randomBytes(n: number): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i += 65536) crypto.getRandomValues(b.subarray(i, i + 65536));
  return b;
}

function pieces(data: Uint8Array, lengths: number[]): Uint8Array[] {
  let at = 0;
  return lengths.map((n) => data.subarray(at, (at += n)));
}

async function hashes(data: Uint8Array, lengths: number[]): Promise<string[]> {
  return Promise.all(pieces(data, lengths).map((p) => sha256(p)));
}

async function dedup(name: string, chunker: (d: Uint8Array) => number[], v1: Uint8Array, v2: Uint8Array) {
  const l1 = chunker(v1);
  const l2 = chunker(v2);
  const seen = new Set(await hashes(v1, l1));
  const h2 = await hashes(v2, l2);
  const newBytes = h2.reduce((sum, h, i) => sum + (seen.has(h) ? 0 : (l2[i] as number)), 0);
  console.log(
    `${name.padEnd(10)} chunks ${l1.length}, mean ${(v1.length / l1.length / 1024).toFixed(1)} KiB; ` +
      `after the edit ${(newBytes / 1024).toFixed(0)} KiB new of ${(v2.length / MiB).toFixed(0)} MiB ` +
      `(${((1 - newBytes / v2.length) * 100).toFixed(2)}% reused)`,
  );
}

async function throughput(name: string, chunker: (d: Uint8Array) => number[], data: Uint8Array) {
  let chunkMs = Infinity;
  let bothMs = Infinity;
  for (let rep = 0; rep < 3; rep++) {
    const t0 = performance.now();
    const lengths = chunker(data);
    const t1 = performance.now();
    await hashes(data, lengths);
    const t2 = performance.now();
    chunkMs = Math.min(chunkMs, t1 - t0);
    bothMs = Math.min(bothMs, t2 - t0);
  }
  const rate = (ms: number) => (data.length / MiB / (ms / 1000)).toFixed(0);
  console.log(`${name.padEnd(10)} chunk ${rate(chunkMs)} MiB/s, chunk+sha256 ${rate(bothMs)} MiB/s`);
}

const v1 = randomBytes(64 * MiB);
const middle = v1.length / 2 + 12345;
const v2 = new Uint8Array(v1.length + 7);
v2.set(v1.subarray(0, middle));
v2.set([1, 2, 3, 4, 5, 6, 7], middle);
v2.set(v1.subarray(middle), middle + 7);

await dedup('fixed 64K', (d) => fixedLengths(d), v1, v2);
await dedup('cdc 64K', chunkLengths, v1, v2);
await throughput('fixed 64K', (d) => fixedLengths(d), v1);
await throughput('cdc 64K', chunkLengths, v1);
