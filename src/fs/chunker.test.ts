// Content-defined chunking: boundaries cover the input, respect the bounds, and follow
// the content (an insert moves only the chunks around it).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chunkLengths, CHUNK } from './chunker.ts';

function pseudoRandom(n: number, seed: number): Uint8Array {
  const b = new Uint8Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) b[i] = (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) >>> 24;
  return b;
}

describe('chunkLengths', () => {
  it('covers the input exactly with chunks within [MIN, MAX] (the last may be shorter)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_500_000 }), fc.integer(), (n, seed) => {
        const lengths = chunkLengths(pseudoRandom(n, seed));
        expect(lengths.reduce((a, b) => a + b, 0)).toBe(n);
        lengths.slice(0, -1).forEach((l) => expect(l >= CHUNK.MIN && l <= CHUNK.MAX).toBe(true));
        expect(lengths.every((l) => l > 0 && l <= CHUNK.MAX)).toBe(true);
      }),
      { numRuns: 20 },
    );
  });

  it('keeps boundaries after an insert, shifted by its length', () => {
    const data = pseudoRandom(2_000_000, 1);
    const edited = new Uint8Array(data.length + 5);
    edited.set(data.subarray(0, 1_000_000));
    edited.set([9, 9, 9, 9, 9], 1_000_000);
    edited.set(data.subarray(1_000_000), 1_000_005);
    const ends = (ls: number[]) =>
      ls.map(
        (
          (s) => (l: number) =>
            (s += l)
        )(0),
      );
    const before = new Set(ends(chunkLengths(data)));
    const after = ends(chunkLengths(edited));
    const shifted = after.filter((e) => e > 1_000_005 + CHUNK.MAX).map((e) => e - 5);
    expect(shifted.length).toBeGreaterThan(3);
    expect(shifted.every((e) => before.has(e))).toBe(true);
    expect(after.filter((e) => e < 1_000_000).every((e) => before.has(e))).toBe(true);
  });
});
