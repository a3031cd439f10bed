// ObjectStore.getChunks: neighbouring chunks come in one backend read, each still checked.
import { describe, expect, it } from 'vitest';
import type { Backend, BlockFile } from './backend.ts';
import { Errno } from './errors.ts';
import { Kind } from './format.ts';
import type { Hash } from './hash.ts';
import { MemoryBackend } from './memory-backend.ts';
import { ObjectStore, objectHash } from './object-store.ts';
import { code, random, unwrap } from './test-support.ts';

/** A backend whose files count their reads. */
function counting(inner: Backend): { backend: Backend; reads: () => number } {
  let reads = 0;
  const wrap = (f: BlockFile): BlockFile => ({
    read: (into, at) => (reads++, f.read(into, at)),
    write: (data, at) => f.write(data, at),
    truncate: (size) => f.truncate(size),
    flush: () => f.flush(),
    size: () => f.size(),
    close: () => f.close(),
  });
  const backend: Backend = {
    open: async (name, options) => {
      const f = await inner.open(name, options);
      return f === null ? null : wrap(f);
    },
    list: () => inner.list(),
    remove: (name) => inner.remove(name),
  };
  return { backend, reads: () => reads };
}

/** A store holding `n` chunks of 50 KB, published; their hashes and bytes. */
async function stored(n: number) {
  const disk = new MemoryBackend();
  const store = unwrap(await ObjectStore.open(disk));
  const chunks = Array.from({ length: n }, (_, i) => random(50_000, i + 1));
  const hashes: Hash[] = [];
  for (const c of chunks) {
    const h = await objectHash(Kind.CHUNK, c);
    unwrap(await store.stage(Kind.CHUNK, h, c));
    hashes.push(h);
  }
  unwrap(store.publish(hashes[0] as Hash));
  return { disk, chunks, hashes };
}

describe('getChunks', () => {
  it('reads neighbouring chunks with one backend read and returns each exactly', async () => {
    const { disk, chunks, hashes } = await stored(20);
    const { backend, reads } = counting(disk);
    const store = unwrap(await ObjectStore.open(backend));
    const before = reads();
    const got = store.getChunks([...hashes].reverse());
    expect(reads() - before).toBe(1);
    expect(got.size).toBe(20);
    hashes.forEach((h, i) => expect(got.get(h)).toEqual(chunks[i]));
  });

  it('splits a span longer than 2 MiB', async () => {
    const { disk, hashes } = await stored(60); // 3 MB
    const { backend, reads } = counting(disk);
    const store = unwrap(await ObjectStore.open(backend));
    const before = reads();
    expect(store.getChunks(hashes).size).toBe(60);
    expect(reads() - before).toBe(2);
  });

  it('leaves out a damaged chunk, an unknown hash and an object of another kind', async () => {
    const { disk, chunks, hashes } = await stored(5);
    const pack = (await disk.list()).find((n) => n.startsWith('pack-')) ?? '';
    const file = await disk.open(pack, { create: false });
    const image = new Uint8Array(file?.size() ?? 0);
    file?.read(image, 0);
    const needle = (chunks[2] as Uint8Array).subarray(0, 32);
    const at = image.findIndex((_, i) => needle.every((b, k) => image[i + k] === b));
    expect(at).toBeGreaterThan(0);
    file?.write(new Uint8Array([(image[at + 100] as number) ^ 0xff]), at + 100);
    const store = unwrap(await ObjectStore.open(disk));
    const commit = new Uint8Array(10);
    const commitHash = await objectHash(Kind.COMMIT, commit);
    unwrap(await store.stage(Kind.COMMIT, commitHash, commit));
    const got = store.getChunks([...hashes, commitHash, '0f'.repeat(32) as Hash]);
    expect([...got.keys()].sort()).toEqual(hashes.filter((_, i) => i !== 2).sort());
    expect(code(store.get(hashes[2] as Hash, Kind.CHUNK))).toBe(Errno.EIO);
  });
});
