// Large directories stored as shards: the cut (shard.ts), the objects a commit writes,
// what reading a damaged index gives, and stores of format 1.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Errno } from './errors.ts';
import { Kind } from './format.ts';
import { MemoryBackend } from './memory-backend.ts';
import { ObjectStore, objectHash } from './object-store.ts';
import { decodeShards, encodeShards, encodeTree, EntryType, type TreeEntry } from './objects.ts';
import { readDir } from './reach.ts';
import { isBoundary, nameHash, SHARD, shardEnds } from './shard.ts';
import { code, dump, mount, readFile, unwrap, writeFile } from './test-support.ts';
import type { Volume } from './volume.ts';
import { ZERO_HASH, type Hash } from './hash.ts';

function fnv1aOfUtf8(name: string): number {
  let h = 0x811c9dc5;
  for (const b of new TextEncoder().encode(name)) h = Math.imul(h ^ b, 0x01000193) >>> 0;
  return h;
}

const names = (n: number, prefix = 'f'): string[] =>
  Array.from({ length: n }, (_, i) => `${prefix}${String(i).padStart(5, '0')}`);

/** Shards as the names they hold. */
function cut(sorted: readonly string[]): string[][] {
  let at = 0;
  return shardEnds(sorted).map((end) => sorted.slice(at, (at = end)));
}

describe('the cut', () => {
  it('hashes a name as FNV-1a of its UTF-8 bytes, lone surrogates as U+FFFD', () => {
    for (const s of ['', 'a', 'é', '日本', '😀', '\ud800', 'x\udc00y', '\ud83d']) {
      expect(nameHash(s)).toBe(fnv1aOfUtf8(s));
    }
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (s) => nameHash(s) === fnv1aOfUtf8(s)));
  });

  it('keeps a small directory whole and bounds every shard of a large one', () => {
    expect(shardEnds(names(SHARD.MIN_DIR_ENTRIES - 1))).toEqual([SHARD.MIN_DIR_ENTRIES - 1]);
    expect(shardEnds([])).toEqual([0]);
    const ends = shardEnds(names(10_000));
    expect(ends.length).toBeGreaterThan(10);
    expect(ends[ends.length - 1]).toBe(10_000);
    let start = 0;
    for (const end of ends) {
      expect(end - start).toBeGreaterThan(0);
      expect(end - start).toBeLessThanOrEqual(SHARD.MAX_ENTRIES);
      start = end;
    }
  });

  it('cuts names without a natural boundary at MAX_ENTRIES', () => {
    const picked = names(20_000, 'n')
      .filter((n) => !isBoundary(n))
      .slice(0, 2500);
    expect(shardEnds(picked)).toEqual([SHARD.MAX_ENTRIES, 2 * SHARD.MAX_ENTRIES, 2500]);
  });

  it('moves only the shard a new name falls in', () => {
    const before = names(5000);
    const after = [...before, 'f02500a'].sort();
    const old = new Set(cut(before).map((s) => s.join('/')));
    const changed = cut(after).filter((s) => !old.has(s.join('/')));
    expect(changed).toHaveLength(1);
    expect(changed[0]).toContain('f02500a');
  });
});

/** A directory `d` of `n` small files, made durable. */
async function bigDir(n: number) {
  const backend = new MemoryBackend();
  const fs = await mount(backend);
  writeFile(fs.volume, 'first', 'a commit, so the next one writes the second superblock slot');
  unwrap(await fs.fsync());
  unwrap(fs.volume.mkdir('d'));
  for (const name of names(n)) writeFile(fs.volume, `d/${name}`, name);
  unwrap(await fs.fsync());
  return { backend, fs };
}

const grown = async (fs: { usage(): { storedBytes: number } }, change: () => Promise<unknown>) => {
  const before = fs.usage().storedBytes;
  await change();
  return fs.usage().storedBytes - before;
};

describe('a sharded directory in the store', () => {
  it('writes one shard and the index when one entry changes, and reads back whole', async () => {
    const { backend, fs } = await bigDir(3000);
    const growth = await grown(fs, async () => {
      writeFile(fs.volume, 'd/f01234', 'changed');
      unwrap(await fs.fsync());
    });
    // The directory is 3000 entries of ~80 bytes (240 KB); a shard holds ~128 of them.
    expect(growth).toBeLessThan(24 * 1024);
    const again = (await mount(backend)).volume;
    expect(dump(again)).toEqual(dump(fs.volume));
    expect(readFile(again, 'd/f01234')).toBe('changed');
  });

  it('agrees with the working layer after creates, unlinks, renames and a subdirectory', async () => {
    const { backend, fs } = await bigDir(2500);
    const vol: Volume = fs.volume;
    for (let i = 0; i < 2500; i += 97) unwrap(vol.unlink(`d/f${String(i).padStart(5, '0')}`));
    for (let i = 0; i < 40; i++) writeFile(vol, `d/new${i}`, `n${i}`);
    unwrap(vol.rename('d/f00001', 'd/zz-renamed'));
    unwrap(vol.rename('d/f00002', 'd/f00003'));
    unwrap(vol.mkdir('d/sub'));
    writeFile(vol, 'd/sub/inner', 'deep');
    unwrap(await fs.snapshot('edited'));
    const expected = dump(vol);
    expect(dump((await mount(backend)).volume)).toEqual(expected);
    // A change below a shard's subdirectory rewrites that shard too.
    writeFile(vol, 'd/sub/inner', 'deeper');
    unwrap(await fs.fsync());
    const again = await mount(backend);
    expect(readFile(again.volume, 'd/sub/inner')).toBe('deeper');
    const diff = unwrap(again.diff('edited', 'edited'));
    expect(diff).toEqual({ added: [], removed: [], modified: [] });
  });

  it('diffs, restores and survives gc', async () => {
    const { backend, fs } = await bigDir(2000);
    unwrap(await fs.snapshot('one'));
    writeFile(fs.volume, 'd/f00500', 'edited');
    unwrap(fs.volume.unlink('d/f01500'));
    writeFile(fs.volume, 'd/added', 'a');
    unwrap(await fs.snapshot('two'));
    const diff = unwrap(fs.diff('one', 'two'));
    expect(diff.added).toEqual(['d/added']);
    expect(diff.removed).toEqual(['d/f01500']);
    expect(diff.modified).toContain('d/f00500');
    unwrap(await fs.restore('one'));
    unwrap(await fs.deleteSnapshot('two'));
    unwrap(await fs.gc());
    const again = await mount(backend);
    expect(readFile(again.volume, 'd/f00500')).toBe('f00500');
    expect(readFile(again.volume, 'd/f01500')).toBe('f01500');
    expect(dump(again.volume)).toEqual(dump(fs.volume));
  });

  it('stores the same entries as the same objects, whatever order they were made in', async () => {
    const fs = await mount(new MemoryBackend(), { now: () => 1_700_000_000_000 });
    unwrap(fs.volume.mkdir('a'));
    unwrap(fs.volume.mkdir('b'));
    for (const name of names(2000)) writeFile(fs.volume, `a/${name}`, name);
    unwrap(await fs.fsync());
    writeFile(fs.volume, 'second', 'commit: the superblock has both slots now');
    unwrap(await fs.fsync());
    const growth = await grown(fs, async () => {
      for (const name of names(2000).reverse()) writeFile(fs.volume, `b/${name}`, name);
      unwrap(await fs.fsync());
    });
    expect(growth).toBeLessThan(1024); // a new root tree, a commit and refs
  });
});

describe('reading a damaged shard index', () => {
  const entry = (name: string): TreeEntry => ({
    name,
    type: EntryType.FILE,
    mode: 0o644,
    size: 0,
    atime: 0,
    mtime: 0,
    ctime: 0,
    linkId: 0,
    hash: ZERO_HASH,
  });

  async function stageTree(store: ObjectStore, entries: TreeEntry[]): Promise<Hash> {
    const bytes = encodeTree(entries);
    const hash = await objectHash(Kind.TREE, bytes);
    unwrap(await store.stage(Kind.TREE, hash, bytes));
    return hash;
  }

  async function index(store: ObjectStore, shards: { hash: Hash; count: number }[]): Promise<Hash> {
    const bytes = encodeShards(shards);
    const hash = await objectHash(Kind.SHARDS, bytes);
    unwrap(await store.stage(Kind.SHARDS, hash, bytes));
    return hash;
  }

  it('is EIO for a wrong count or names out of order across shards, and reads a good one', async () => {
    const store = unwrap(await ObjectStore.open(new MemoryBackend()));
    const ab = await stageTree(store, [entry('a'), entry('b')]);
    const cd = await stageTree(store, [entry('c'), entry('d')]);
    const good = await index(store, [
      { hash: ab, count: 2 },
      { hash: cd, count: 2 },
    ]);
    const dir = unwrap(readDir(store, good));
    expect(dir.entries.map((e) => e.name)).toEqual(['a', 'b', 'c', 'd']);
    expect(dir.shards?.map((s) => s.names)).toEqual([
      ['a', 'b'],
      ['c', 'd'],
    ]);
    const miscounted = await index(store, [
      { hash: ab, count: 3 },
      { hash: cd, count: 2 },
    ]);
    expect(code(readDir(store, miscounted))).toBe(Errno.EIO);
    const unordered = await index(store, [
      { hash: cd, count: 2 },
      { hash: ab, count: 2 },
    ]);
    expect(code(readDir(store, unordered))).toBe(Errno.EIO);
  });

  it('refuses an index of fewer than two shards or an empty shard', () => {
    const h = ZERO_HASH;
    expect(decodeShards(encodeShards([{ hash: h, count: 3 }]))).toBeNull();
    expect(
      decodeShards(
        encodeShards([
          { hash: h, count: 3 },
          { hash: h, count: 0 },
        ]),
      ),
    ).toBeNull();
    expect(decodeShards(encodeShards([{ hash: h, count: 3 }]).subarray(0, 10))).toBeNull();
  });
});

describe('format 1', () => {
  it('opens a store whose superblock and packs say format 1', async () => {
    const backend = new MemoryBackend();
    const fs = await mount(backend);
    writeFile(fs.volume, 'old', 'format one');
    unwrap(await fs.fsync());
    writeFile(fs.volume, 'old', 'still format one');
    unwrap(await fs.fsync()); // both slots written
    const version1 = new Uint8Array([1, 0]);
    const sb = await backend.open('superblock', { create: false });
    sb?.write(version1, 4);
    sb?.write(version1, 16384 + 4);
    for (const name of await backend.list()) {
      if (name.startsWith('pack-')) (await backend.open(name, { create: false }))?.write(version1, 4);
    }
    expect(readFile((await mount(backend)).volume, 'old')).toBe('still format one');
  });
});
