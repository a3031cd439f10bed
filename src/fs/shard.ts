// Where a large directory's sorted entries are cut into shards (docs/fs.md, "Shards").
// Layer: fs. A directory of at least SHARD.MIN_DIR_ENTRIES entries is stored as a SHARDS
// index over TREE objects of consecutive entries, so a commit that changes one entry
// writes one shard and the index instead of the whole directory (docs/adr/0027).
//
// The cut depends only on the names, never on what happened before: a shard ends after
// a name whose mixed FNV-1a hash has its high BOUNDARY_BITS bits zero, or when it reaches
// MAX_ENTRIES. The same set of entries always gives the same objects (dedup holds), and
// adding or removing a name moves at most the boundaries of the shard it falls in (a
// forced cut can shift the ones after it, up to the next natural boundary).

import type { Hash } from './hash.ts';

/** One shard of a stored directory: a TREE object and the names it holds, in order. */
export interface StoredShard {
  readonly hash: Hash;
  readonly names: readonly string[];
}

/** Part of format 2, as the hash below is: changing either changes which objects a directory is. */
export const SHARD = {
  /** Fewer entries than this: one TREE object, as a small directory always was. */
  MIN_DIR_ENTRIES: 1024,
  /**
   * A boundary after about one name in 2^7: shards of ~128 entries (~10 KiB). A run of
   * 1024 names without one, which MAX_ENTRIES cuts, then comes about once in 3000 shards.
   */
  BOUNDARY_BITS: 7,
  /** No shard holds more, whatever the names (an adversary can pick names without boundaries). */
  MAX_ENTRIES: 1024,
} as const;

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

const step = (h: number, byte: number): number => Math.imul(h ^ byte, FNV_PRIME) >>> 0;

/** FNV-1a (32 bits) of the UTF-8 bytes of `name`, computed without encoding it. */
export function nameHash(name: string): number {
  let h = FNV_OFFSET;
  for (let i = 0; i < name.length; i++) {
    let c = name.charCodeAt(i);
    if (c < 0x80) {
      h = step(h, c);
      continue;
    }
    if (c >= 0xd800 && c < 0xdc00 && i + 1 < name.length) {
      const low = name.charCodeAt(i + 1);
      if (low >= 0xdc00 && low < 0xe000) {
        c = 0x10000 + ((c - 0xd800) << 10) + (low - 0xdc00);
        i++;
      }
    }
    if (c >= 0xd800 && c < 0xe000) c = 0xfffd; // a lone surrogate encodes as U+FFFD
    if (c < 0x800) {
      h = step(step(h, 0xc0 | (c >> 6)), 0x80 | (c & 0x3f));
    } else if (c < 0x10000) {
      h = step(step(step(h, 0xe0 | (c >> 12)), 0x80 | ((c >> 6) & 0x3f)), 0x80 | (c & 0x3f));
    } else {
      h = step(step(h, 0xf0 | (c >> 18)), 0x80 | ((c >> 12) & 0x3f));
      h = step(step(h, 0x80 | ((c >> 6) & 0x3f)), 0x80 | (c & 0x3f));
    }
  }
  return h;
}

/**
 * MurmurHash3's 32-bit finalizer. FNV-1a alone mixes the last bytes poorly into the high
 * bits: names that differ in their last digit cluster, which left runs of 1700 sequential
 * names ("f01000", "f01001", ...) without a boundary in 100 000. Mixed, the longest is ~850.
 */
function fmix32(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Whether a shard ends after `name`: the high BOUNDARY_BITS bits of its mixed hash are zero. */
export const isBoundary = (name: string): boolean =>
  fmix32(nameHash(name)) >>> (32 - SHARD.BOUNDARY_BITS) === 0;

/**
 * The end index (exclusive) of each shard of `names` (sorted): the last is names.length.
 * A directory below MIN_DIR_ENTRIES is one shard.
 */
export function shardEnds(names: readonly string[]): number[] {
  if (names.length < SHARD.MIN_DIR_ENTRIES) return [names.length];
  const ends: number[] = [];
  let start = 0;
  for (let i = 0; i < names.length; i++) {
    if (isBoundary(names[i] as string) || i + 1 - start === SHARD.MAX_ENTRIES) {
      ends.push(i + 1);
      start = i + 1;
    }
  }
  if (start < names.length) ends.push(names.length);
  return ends;
}
