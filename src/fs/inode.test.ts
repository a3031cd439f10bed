// Reading and warming clean content through a ChunkSource: which chunks each touches.
import { describe, expect, it } from 'vitest';
import { ok } from '../abi/result.ts';
import type { Hash } from './hash.ts';
import { type ChunkSource, type Content, readContent, warmContent } from './inode.ts';

/** Three chunks of 10 bytes (a, b, c); records each single fetch and each prefetch. */
function source(cached: string[] = []): {
  src: ChunkSource;
  fetched: string[];
  prefetched: string[][];
  content: Content;
} {
  const chunks = new Map<string, Uint8Array>(
    ['a', 'b', 'c'].map((name, k) => [name, new Uint8Array(10).fill(k + 1)]),
  );
  const inMemory = new Set(cached);
  const fetched: string[] = [];
  const prefetched: string[][] = [];
  const src: ChunkSource = {
    chunkList: () => ok(['a', 'b', 'c'].map((hash) => ({ hash: hash as Hash, length: 10 }))),
    chunk: (hash) => {
      fetched.push(hash);
      return ok(chunks.get(hash) ?? new Uint8Array(0));
    },
    cached: (hash) => inMemory.has(hash),
    prefetch: (hashes) => {
      prefetched.push([...hashes]);
      for (const h of hashes) inMemory.add(h);
    },
  };
  return { src, fetched, prefetched, content: { kind: 'clean', hash: 'manifest' as Hash, size: 30 } };
}

describe('warmContent', () => {
  it('fetches the chunks a read of the same span would, in one prefetch', () => {
    for (const [pos, end] of [
      [5, 15],
      [0, 10],
      [10, 11],
      [25, 100],
      [0, 30],
    ] as const) {
      const warm = source();
      warmContent(warm.src, warm.content, pos, end);
      const read = source();
      readContent(read.src, read.content, new Uint8Array(end - pos), pos);
      expect(warm.prefetched).toEqual([read.fetched]);
      expect(warm.fetched).toEqual([]);
    }
  });

  it('fetches the whole window when the span is not in memory, and nothing when it is', () => {
    const cold = source();
    warmContent(cold.src, cold.content, 0, 5, 25);
    expect(cold.prefetched).toEqual([['a', 'b', 'c']]);
    const warm = source(['a']);
    warmContent(warm.src, warm.content, 0, 5, 25);
    expect(warm.prefetched).toEqual([]);
    const half = source(['a']);
    warmContent(half.src, half.content, 5, 15, 30);
    expect(half.prefetched).toEqual([['a', 'b', 'c']]);
  });

  it('fetches nothing past the end, for an empty span, or for content in memory', () => {
    const s = source();
    warmContent(s.src, s.content, 30, 40);
    warmContent(s.src, s.content, 12, 12, 30);
    warmContent(s.src, { kind: 'dirty', bytes: new Uint8Array(30), size: 30 }, 0, 30);
    expect(s.prefetched).toEqual([]);
    expect(s.fetched).toEqual([]);
  });
});
