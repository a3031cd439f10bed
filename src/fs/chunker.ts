// Content-defined chunking (FastCDC-style gear hash with normalized chunking) of a
// file's bytes into the store's content chunks. Layer: fs. Pure: the same bytes always
// give the same boundaries, on every machine and in every version of format 1, so that
// dedup works across sessions (the gear table comes from a fixed seed).
// Chosen over fixed-size chunks by measurement: docs/adr/0007-fs-store-format.md.

export const CHUNK = {
  MIN: 16 * 1024,
  /** Expected size; boundaries are normalized around it. */
  AVG: 64 * 1024,
  MAX: 256 * 1024,
} as const;

// The gear hash shifts left by one per byte, so bit k depends on the last k+1 bytes:
// the masks use the top bits. 18 bits before AVG (harder to match), 14 after (easier).
const MASK_SMALL = 0xffffc000;
const MASK_LARGE = 0xfffc0000;

/** splitmix32 from a fixed seed: part of the format (changing it moves every boundary). */
const GEAR = (() => {
  const t = new Uint32Array(256);
  let s = 0x7e55e7a1;
  for (let i = 0; i < 256; i++) {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    t[i] = (z ^ (z >>> 16)) >>> 0;
  }
  return t;
})();

/** Length of the first chunk of `data` (all of it if it is short). */
function cutPoint(data: Uint8Array, start: number): number {
  const left = data.length - start;
  if (left <= CHUNK.MIN) return left;
  const end = Math.min(left, CHUNK.MAX);
  const normal = Math.min(end, CHUNK.AVG);
  let h = 0;
  let i = CHUNK.MIN;
  for (; i < normal; i++) {
    h = ((h << 1) + (GEAR[data[start + i] as number] as number)) >>> 0;
    if ((h & MASK_SMALL) === 0) return i + 1;
  }
  for (; i < end; i++) {
    h = ((h << 1) + (GEAR[data[start + i] as number] as number)) >>> 0;
    if ((h & MASK_LARGE) === 0) return i + 1;
  }
  return end;
}

/** Chunk lengths covering `data` exactly, each in [1, CHUNK.MAX]; none for empty data. */
export function chunkLengths(data: Uint8Array): number[] {
  const out: number[] = [];
  for (let at = 0; at < data.length;) {
    const n = cutPoint(data, at);
    out.push(n);
    at += n;
  }
  return out;
}

/** Fixed-size chunking, kept only for the measurement that chose CDC. */
export function fixedLengths(data: Uint8Array, size: number = CHUNK.AVG): number[] {
  const out: number[] = [];
  for (let at = 0; at < data.length; at += size) out.push(Math.min(size, data.length - at));
  return out;
}
