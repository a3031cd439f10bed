// The store end to end over the memory backend: durability across reopen, snapshots,
// diff, restore, gc and quota.
import { describe, expect, it } from 'vitest';
import { MemoryBackend } from './memory-backend.ts';
import { O } from './open-file.ts';
import {
  code,
  dump,
  mount,
  random,
  readBytes,
  readFile,
  sameBytes,
  unwrap,
  writeFile,
} from './test-support.ts';

describe('durability', () => {
  it('keeps what was fsynced and drops what was not', async () => {
    const backend = new MemoryBackend();
    const fs = await mount(backend);
    writeFile(fs.volume, 'kept', 'yes');
    unwrap(await fs.fsync());
    writeFile(fs.volume, 'lost', 'no');
    const again = await mount(backend.afterCrash());
    expect(dump(again.volume)).toEqual(new Map([['kept', 'f:yes']]));
  });

  it('round-trips large files (many chunks), metadata, symlinks and hard links', async () => {
    const backend = new MemoryBackend();
    const fs = await mount(backend);
    const big = random(1_000_000, 7);
    unwrap(fs.volume.mkdir('d', 0o700));
    writeFile(fs.volume, 'd/big', big);
    unwrap(fs.volume.symlink('../d/big', 'd/link'));
    unwrap(fs.volume.link('d/big', 'hard'));
    unwrap(fs.volume.utimes('hard', 5, 6));
    const stat = unwrap(fs.volume.stat('d/big'));
    unwrap(await fs.fsync());
    const again = (await mount(backend)).volume;
    expect(sameBytes(readBytes(again, 'd/link'), big)).toBe(true);
    expect(unwrap(again.stat('d')).mode).toBe(0o700);
    const { ino: _a, ...reloaded } = unwrap(again.stat('d/big'));
    const { ino: _b, ...original } = stat;
    expect(reloaded).toEqual({ ...original, atime: 5, mtime: 6, ctime: reloaded.ctime });
    writeFile(again, 'hard', 'shared');
    expect(readFile(again, 'd/big')).toBe('shared');
    expect(unwrap(again.stat('hard')).nlink).toBe(2);
  });

  it('stores the same content once (dedup), and an edit in the middle adds little', async () => {
    const backend = new MemoryBackend();
    const fs = await mount(backend);
    const data = random(2_000_000, 3);
    writeFile(fs.volume, 'a', data);
    unwrap(await fs.fsync());
    const once = fs.usage().storedBytes;
    writeFile(fs.volume, 'b', data);
    const edited = new Uint8Array(data.length + 3);
    edited.set(data.subarray(0, 1_000_000));
    edited.set([1, 2, 3], 1_000_000);
    edited.set(data.subarray(1_000_000), 1_000_003);
    writeFile(fs.volume, 'c', edited);
    unwrap(await fs.fsync());
    expect(fs.usage().storedBytes - once).toBeLessThan(400_000);
  });

  it('refuses a store written by a newer format, and a damaged one', async () => {
    const backend = new MemoryBackend();
    const fs = await mount(backend);
    writeFile(fs.volume, 'f', 'x');
    unwrap(await fs.fsync()); // slot 0
    writeFile(fs.volume, 'f', 'y');
    unwrap(await fs.fsync()); // slot 1
    const file = await backend.open('superblock', { create: false });
    file?.write(new Uint8Array([0xff]), 16384 + 40);
    expect(readFile((await mount(backend)).volume, 'f')).toBe('x');
    file?.write(new Uint8Array([0xff]), 40);
    const { FileSystem } = await import('./filesystem.ts');
    expect(code(await FileSystem.open(backend))).toBe('EIO');
    file?.write(new Uint8Array([9, 0]), 4);
    const newer = await FileSystem.open(backend);
    expect(!newer.ok && newer.error.message).toMatch(/newer than this build/);
  });
});

describe('snapshots', () => {
  async function withHistory() {
    const backend = new MemoryBackend();
    const fs = await mount(backend);
    writeFile(fs.volume, 'a', 'a1');
    writeFile(fs.volume, 'b', 'b1');
    unwrap(fs.volume.mkdir('d'));
    writeFile(fs.volume, 'd/x', 'x1');
    unwrap(await fs.snapshot('one'));
    writeFile(fs.volume, 'a', 'a2');
    unwrap(fs.volume.unlink('b'));
    writeFile(fs.volume, 'd/y', 'y2');
    writeFile(fs.volume, 'c', 'c2');
    unwrap(await fs.snapshot('two', 'second'));
    return { backend, fs };
  }

  it('lists snapshots and opens one read-only as it was', async () => {
    const { fs } = await withHistory();
    expect(unwrap(fs.snapshots()).map((s) => [s.name, s.message])).toEqual([
      ['one', 'snapshot one'],
      ['two', 'second'],
    ]);
    const old = unwrap(fs.openSnapshot('one'));
    expect(dump(old)).toEqual(
      new Map([
        ['a', 'f:a1'],
        ['b', 'f:b1'],
        ['d', 'd'],
        ['d/x', 'f:x1'],
      ]),
    );
    expect(code(old.open('a', O.WRONLY))).toBe('EROFS');
    expect(code(old.mkdir('z'))).toBe('EROFS');
    expect(code(fs.openSnapshot('nope'))).toBe('ENOENT');
    expect(code(await fs.snapshot('one'))).toBe('EEXIST');
    expect(code(await fs.snapshot('a/b'))).toBe('EINVAL');
  });

  it('diffs two snapshots', async () => {
    const { fs } = await withHistory();
    expect(unwrap(fs.diff('one', 'two'))).toEqual({ added: ['c', 'd/y'], removed: ['b'], modified: ['a'] });
    expect(unwrap(fs.diff('two', 'two'))).toEqual({ added: [], removed: [], modified: [] });
  });

  it('restores a snapshot as a new commit, keeping history, durably', async () => {
    const { backend, fs } = await withHistory();
    writeFile(fs.volume, 'unsaved', 'u');
    unwrap(await fs.restore('one'));
    expect(readFile(fs.volume, 'a')).toBe('a1');
    const messages = unwrap(fs.history()).map((h) => h.commit.message);
    expect(messages).toEqual(['restore one', 'fsync', 'second', 'snapshot one']);
    const again = await mount(backend);
    expect(dump(again.volume)).toEqual(dump(fs.volume));
  });

  it('gc frees overwritten data, keeps every snapshot readable, and a deleted snapshot can go', async () => {
    const { backend, fs } = await withHistory();
    for (let i = 0; i < 5; i++) {
      writeFile(fs.volume, 'scratch', random(300_000, i));
      unwrap(await fs.fsync());
    }
    const freed = unwrap(await fs.gc());
    expect(freed).toBeGreaterThan(4 * 300_000);
    expect(unwrap(await fs.gc())).toBe(0);
    const again = await mount(backend);
    expect(readFile(unwrap(again.openSnapshot('one')), 'b')).toBe('b1');
    expect(sameBytes(readBytes(again.volume, 'scratch'), random(300_000, 4))).toBe(true);
    unwrap(await again.deleteSnapshot('two'));
    expect(unwrap(await again.gc())).toBeGreaterThan(0);
    expect(readFile(unwrap(again.openSnapshot('one')), 'd/x')).toBe('x1');
  });

  it('gc keeps the content of a file that is unlinked but still open', async () => {
    const fs = await mount(new MemoryBackend());
    writeFile(fs.volume, 'f', random(100_000, 1));
    unwrap(await fs.fsync());
    const open = unwrap(fs.volume.open('f', O.RDONLY));
    unwrap(fs.volume.unlink('f'));
    unwrap(await fs.fsync());
    unwrap(await fs.gc());
    const out = new Uint8Array(100_000);
    unwrap(open.pread(out, 0));
    expect(sameBytes(out, random(100_000, 1))).toBe(true);
  });
});

describe('quota', () => {
  it('fails a write that would pass the quota with ENOSPC and writes none of it', async () => {
    const backend = new MemoryBackend();
    const fs = await mount(backend, { quotaBytes: 400_000 });
    writeFile(fs.volume, 'small', random(100_000, 1));
    unwrap(await fs.fsync());
    const f = unwrap(fs.volume.open('big', O.WRONLY | O.CREAT));
    expect(code(f.write(random(300_000, 2)))).toBe('ENOSPC');
    expect(unwrap(f.stat()).size).toBe(0);
    expect(code(fs.volume.truncate('small', 10_000_000))).toBe('ENOSPC');
    expect(unwrap(fs.volume.stat('small')).size).toBe(100_000);
    unwrap(await fs.fsync());
    const usage = fs.usage();
    expect(usage.storedBytes).toBeLessThanOrEqual(400_000);
    expect(usage.storedBytes).toBe(backend.totalBytes());
  });
});
