// Raw OPFS worker: the fs benchmark's platform baselines (lib/opfs-ops.ts), measured
// with the origin private file system's sync access handle in a dedicated worker, the
// same primitive the fs server stores its files with. Everything lives under one
// directory the page names and removes afterwards.
import type { OpfsOps } from '../lib/opfs-ops.ts';
import { serve } from './serve.ts';

/** `bytes` of xorshift noise (bytes a multiple of 4). */
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

const SEED = 0x0bf5;

async function directory(name: string): Promise<FileSystemDirectoryHandle> {
  const root = await navigator.storage.getDirectory();
  return root.getDirectoryHandle(name, { create: true });
}

async function seqWrite({ dir, file, bytes, io }: OpfsOps['seq-write']['args']): Promise<number> {
  const data = noise(bytes, SEED);
  const d = await directory(dir);
  const start = performance.now();
  const h = await (await d.getFileHandle(file, { create: true })).createSyncAccessHandle();
  for (let at = 0; at < bytes; at += io) {
    const n = h.write(data.subarray(at, at + io), { at });
    if (n !== io) throw new Error(`short write of ${n} bytes at ${at}`);
  }
  h.flush();
  const ms = performance.now() - start;
  h.close();
  return ms;
}

async function seqRead({ dir, file, bytes, io }: OpfsOps['seq-read']['args']): Promise<number> {
  const d = await directory(dir);
  const pieces: Uint8Array[] = [];
  const start = performance.now();
  const h = await (await d.getFileHandle(file)).createSyncAccessHandle();
  // A fresh buffer per read, kept, as the fs client gets one per reply.
  for (let at = 0; at < bytes; at += io) {
    const piece = new Uint8Array(io);
    const n = h.read(piece, { at });
    if (n !== io) throw new Error(`short read of ${n} bytes at ${at}`);
    pieces.push(piece);
  }
  const ms = performance.now() - start;
  h.close();
  const data = noise(bytes, SEED);
  pieces.forEach((piece, p) => {
    for (let i = 0; i < io; i++)
      if (piece[i] !== data[p * io + i]) throw new Error(`byte ${p * io + i} differs from what was written`);
  });
  return ms;
}

async function smallCreate({ dir, count, bytes }: OpfsOps['small-create']['args']): Promise<number> {
  const d = await directory(dir);
  const data = noise(bytes * count, SEED + 1);
  const start = performance.now();
  for (let i = 0; i < count; i++) {
    const h = await (await d.getFileHandle(`f${i}`, { create: true })).createSyncAccessHandle();
    h.write(data.subarray(i * bytes, (i + 1) * bytes), { at: 0 });
    h.close();
  }
  return performance.now() - start;
}

async function remove({ dir }: OpfsOps['remove']['args']): Promise<null> {
  const root = await navigator.storage.getDirectory();
  try {
    await root.removeEntry(dir, { recursive: true });
  } catch (e) {
    if (!(e instanceof DOMException && e.name === 'NotFoundError')) throw e;
  }
  return null;
}

serve<OpfsOps>({
  'seq-write': seqWrite,
  'seq-read': seqRead,
  'small-create': smallCreate,
  remove,
});
