// Tar export and import (tar.ts, tar-format.ts): round trips, damaged and hostile
// archives, confinement to a view, and a cross-check against the system's `tar`.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { utf8 } from './codec.ts';
import type { FileSystem } from './filesystem.ts';
import { MemoryBackend } from './memory-backend.ts';
import { encodeEnd, encodeEntry, type TarEntry } from './tar-format.ts';
import { exportTar, exportTarParts, importFiles, importTar } from './tar.ts';
import { code, dump, mount, readFile, sameBytes, unwrap, writeFile } from './test-support.ts';
import type { Volume } from './volume.ts';

const LONG = `${'long-directory-name-'.repeat(4)}/${'n'.repeat(200)}.txt`;
const BIG = Uint8Array.from({ length: 70_000 }, (_, i) => (i * 7919) % 251);

let fs: FileSystem;
let vol: Volume;
beforeEach(async () => {
  fs = await mount(new MemoryBackend());
  vol = fs.volume;
});

/** A tree with every kind of entry the store holds, odd times and modes. */
function populate(v: Volume): void {
  for (const d of ['src', 'src/empty', 'héllo', 'long-directory-name-'.repeat(4)]) unwrap(v.mkdir(d, 0o750));
  writeFile(v, 'src/a.txt', 'alpha');
  writeFile(v, 'src/zero', '');
  writeFile(v, 'src/block', new Uint8Array(512).fill(1));
  writeFile(v, 'src/big.bin', BIG);
  writeFile(v, 'héllo/日本.txt', 'unicode');
  writeFile(v, LONG, 'long name');
  unwrap(v.open('src/private', 0o101, 0o600)).close();
  unwrap(v.symlink('a.txt', 'src/rel'));
  unwrap(v.symlink('/src/a.txt', 'abs'));
  unwrap(v.symlink(`${'t'.repeat(150)}/x`, 'longlink'));
  unwrap(v.link('src/a.txt', 'hard'));
  unwrap(v.utimes('src/a.txt', 1_234_567_890_123, 1_234_567_890_123));
  unwrap(v.utimes('src/big.bin', -1500, -1500));
  unwrap(v.utimes('src/empty', 86_400_000, 86_400_000));
}

/** Type, mode, size, mtime (not for symlinks, whose times tar cannot set) and nlink of every path. */
function meta(v: Volume): Map<string, string> {
  const out = new Map<string, string>();
  for (const path of dump(v).keys()) {
    const s = unwrap(v.stat(path, false));
    out.set(
      path,
      `${s.type} ${s.mode.toString(8)} ${s.size} ${s.type === 'symlink' ? '-' : s.mtime} ${s.nlink}`,
    );
  }
  return out;
}

function archive(entries: TarEntry[]): Uint8Array {
  const parts = entries.flatMap(encodeEntry);
  const n = parts.reduce((a, p) => a + p.length, 0);
  const out = new Uint8Array(n + encodeEnd(n).length);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const file = (path: string, text = 'x'): TarEntry => ({
  kind: 'file',
  path,
  mode: 0o644,
  mtime: 0,
  data: utf8(text),
});

describe('round trip', () => {
  it('export then import into an empty store gives the same tree, contents, times, links', async () => {
    populate(vol);
    const tar = unwrap(exportTar(vol));
    expect(tar.length % 10240).toBe(0);
    const other = (await mount(new MemoryBackend())).volume;
    const stats = unwrap(importTar(other, tar));
    expect(stats).toEqual({ files: 8, dirs: 4, symlinks: 3, bytes: 5 + 512 + 70_000 + 7 + 9 });
    expect(dump(other)).toEqual(dump(vol));
    expect(meta(other)).toEqual(meta(vol));
    expect(unwrap(other.stat('hard')).ino).toBe(unwrap(other.stat('src/a.txt')).ino);
  });

  it('exports a subdirectory under a prefix, and a snapshot as it was', async () => {
    populate(vol);
    unwrap(await fs.snapshot('s'));
    writeFile(vol, 'src/a.txt', 'changed');
    const sub = (await mount(new MemoryBackend())).volume;
    unwrap(importTar(sub, unwrap(exportTar(vol, 'src', 'copy'))));
    expect(readFile(sub, 'copy/a.txt')).toBe('changed');
    expect(readFile(sub, 'copy/rel')).toBe('changed');
    const old = (await mount(new MemoryBackend())).volume;
    unwrap(importTar(old, unwrap(exportTar(unwrap(fs.openSnapshot('s'))))));
    expect(readFile(old, 'src/a.txt')).toBe('alpha');
    expect(exportTarParts(vol, 'src/a.txt').ok).toBe(false);
  });

  it('imports into a view, and over existing files without leaving temporaries', () => {
    unwrap(vol.mkdir('home'));
    writeFile(vol, 'home/a', 'old');
    const view = unwrap(vol.openDir('home'));
    unwrap(importTar(view, archive([file('a', 'new'), file('d/e/f', 'deep')])));
    expect(dump(vol)).toEqual(
      new Map([
        ['home', 'd'],
        ['home/a', 'f:new'],
        ['home/d', 'd'],
        ['home/d/e', 'd'],
        ['home/d/e/f', 'f:deep'],
      ]),
    );
  });
});

describe('damaged and hostile archives are refused, with nothing written', () => {
  function refused(bytes: Uint8Array, errno: string, words: RegExp): void {
    const r = importTar(vol, bytes);
    expect(code(r)).toBe(errno);
    if (!r.ok) expect(r.error.message).toMatch(words);
    expect(dump(vol).size).toBe(0);
  }

  it('a corrupted header fails its checksum', () => {
    const tar = archive([file('a'), file('b')]);
    tar[1027] = (tar[1027] as number) ^ 1;
    refused(tar, 'EINVAL', /checksum/);
  });

  it('a truncated archive: inside a member, or without the end marker', () => {
    const tar = archive([file('a', 'y'.repeat(2000)), file('b')]);
    refused(tar.subarray(0, 1500), 'EINVAL', /truncated/);
    refused(tar.subarray(0, 3072), 'EINVAL', /truncated/);
    refused(new Uint8Array(100), 'EINVAL', /truncated/);
  });

  it('absolute names and `..` are refused, also in hard-link targets', () => {
    refused(archive([file('ok'), file('/etc/passwd')]), 'EINVAL', /absolute/);
    refused(archive([file('ok'), file('../up')]), 'EINVAL', /climbs/);
    refused(archive([file('a/../../up')]), 'EINVAL', /climbs/);
    refused(
      archive([file('a'), { kind: 'hardlink', path: 'h', mtime: 0, target: '../a' }]),
      'EINVAL',
      /climbs/,
    );
    refused(
      archive([{ kind: 'hardlink', path: 'h', mtime: 0, target: 'elsewhere' }]),
      'EINVAL',
      /earlier file/,
    );
  });

  it('a symlink, then a file written through it', () => {
    const link = (target: string): TarEntry => ({ kind: 'symlink', path: 'l', mtime: 0, target });
    for (const target of ['/', '../..', '.', 'sub'])
      refused(archive([link(target), file('l/evil')]), 'EINVAL', /"l".*through|through.*"l"/);
    refused(archive([file('f'), file('f/g')]), 'EINVAL', /"f".*through|through.*"f"/);
    refused(archive([file('d/g'), file('d')]), 'EINVAL', /"d" is a file.*through it/);
  });

  it('devices and fifos are not supported', () => {
    const tar = archive([file('dev')]);
    tar[156] = '3'.charCodeAt(0);
    let sum = 0;
    tar.subarray(0, 512).forEach((b, i) => (sum += i >= 148 && i < 156 ? 32 : b));
    tar.set(utf8(`${sum.toString(8).padStart(6, '0')}\0 `), 148);
    refused(tar, 'ENOTSUP', /type "3"/);
  });

  it('clashes with the directory and the quota are found before writing', async () => {
    unwrap(vol.mkdir('d'));
    writeFile(vol, 'f', 'keep');
    const before = dump(vol);
    expect(code(importTar(vol, archive([file('new'), file('d')])))).toBe('EISDIR');
    expect(code(importTar(vol, archive([file('new'), file('f/x')])))).toBe('ENOTDIR');
    expect(
      code(importTar(vol, archive([file('new'), { kind: 'dir', path: 'f', mode: 0o755, mtime: 0 }]))),
    ).toBe('EEXIST');
    expect(dump(vol)).toEqual(before);
    const small = (await mount(new MemoryBackend(), { quotaBytes: 100_000 })).volume;
    const big: TarEntry = { kind: 'file', path: 'big', mode: 0o644, mtime: 0, data: BIG };
    expect(code(importTar(small, archive([file('a'), big])))).toBe('ENOSPC');
    expect(dump(small).size).toBe(0);
  });
});

describe('a write that fails after the checks', () => {
  it('keeps the entries before it, leaves no partial file or temporary, and says so', () => {
    const empty: TarEntry = { kind: 'symlink', path: 'd/l', mtime: 0, target: '' };
    const r = importTar(vol, archive([file('d/a', 'first'), empty, file('d/z')]));
    expect(code(r)).toBe('ENOENT');
    if (!r.ok) expect(r.error.message).toMatch(/the 1 entries before it were written, nothing of "d\/l"/);
    expect(dump(vol)).toEqual(
      new Map([
        ['d', 'd'],
        ['d/a', 'f:first'],
      ]),
    );
  });
});

describe('confinement', () => {
  it('an import into a view cannot leave it, even through symlinks it finds there', () => {
    unwrap(vol.mkdir('outside'));
    unwrap(vol.mkdir('jail'));
    unwrap(vol.symlink('/', 'jail/root'));
    unwrap(vol.symlink('../outside', 'jail/up'));
    const view = unwrap(vol.openDir('jail'));
    unwrap(
      importTar(
        view,
        archive([
          file('root/outside/a'),
          file('up/b'),
          { kind: 'symlink', path: 'x', mtime: 0, target: '/etc' },
        ]),
      ),
    );
    expect(unwrap(vol.readdir('outside'))).toEqual([]);
    expect(readFile(vol, 'jail/outside/a')).toBe('x');
    expect(readFile(vol, 'jail/outside/b')).toBe('x');
    expect(unwrap(vol.readlink('jail/x'))).toBe('/etc');
  });
});

describe('importFiles', () => {
  it('writes host files with their times, creating directories', () => {
    const stats = unwrap(
      importFiles(vol, [
        { path: 'photos/cat.png', data: BIG, mtime: 1_600_000_000_456 },
        { path: './notes.txt', data: utf8('hi'), mtime: 5 },
      ]),
    );
    expect(stats).toEqual({ files: 2, dirs: 1, symlinks: 0, bytes: 70_002 });
    expect(unwrap(vol.stat('photos/cat.png')).mtime).toBe(1_600_000_000_456);
    expect(readFile(vol, 'notes.txt')).toBe('hi');
  });

  it('refuses paths that would leave the directory', () => {
    for (const path of ['/abs', '../up', 'a/../../b', '.'])
      expect(
        code(
          importFiles(vol, [
            { path: 'fine', data: utf8('x'), mtime: 0 },
            { path, data: utf8(''), mtime: 0 },
          ]),
        ),
      ).toBe('EINVAL');
    expect(dump(vol).size).toBe(0);
  });
});

// GNU tar reads what we write and writes what we read. Skipped where no `tar` is installed.
const hasTar = spawnSync('tar', ['--version']).status === 0;

describe.skipIf(!hasTar)('the system tar (skipped: no `tar` binary on this machine)', () => {
  function tmp(): string {
    return mkdtempSync(join(tmpdir(), 'tessera-tar-'));
  }

  it('lists and extracts our archives: long and non-ASCII names, symlinks, hard links, times', () => {
    populate(vol);
    const dir = tmp();
    try {
      writeFileSync(join(dir, 'x.tar'), unwrap(exportTar(vol)));
      const list = spawnSync('tar', ['-tvf', join(dir, 'x.tar')], { encoding: 'utf8' });
      expect(list.status, list.stderr).toBe(0);
      expect(list.stdout).toContain(LONG);
      expect(list.stdout).toContain('src/rel -> a.txt');
      expect(list.stdout).toContain('src/a.txt link to hard');
      mkdirSync(join(dir, 'out'));
      const x = spawnSync('tar', ['-xf', join(dir, 'x.tar'), '-C', join(dir, 'out')], { encoding: 'utf8' });
      expect(x.status, x.stderr).toBe(0);
      const out = (p: string): string => join(dir, 'out', p);
      expect(sameBytes(readFileSync(out('src/big.bin')), BIG)).toBe(true);
      expect(readFileSync(out('héllo/日本.txt'), 'utf8')).toBe('unicode');
      expect(readFileSync(out(LONG), 'utf8')).toBe('long name');
      expect(readlinkSync(out('longlink'))).toBe(`${'t'.repeat(150)}/x`);
      expect(statSync(out('hard')).ino).toBe(statSync(out('src/a.txt')).ino);
      expect(statSync(out('src/a.txt')).mtimeMs).toBe(1_234_567_890_123);
      expect(statSync(out('src/private')).mode & 0o777).toBe(0o600);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('imports archives it makes, in pax and GNU formats', () => {
    const dir = tmp();
    try {
      mkdirSync(join(dir, 'in', 'sub'), { recursive: true });
      writeFileSync(join(dir, 'in', 'sub', 'f.txt'), 'from the host');
      writeFileSync(join(dir, 'in', `${'g'.repeat(180)}.txt`), 'long');
      for (const format of ['pax', 'gnu']) {
        const file = join(dir, `${format}.tar`);
        const c = spawnSync('tar', [`--format=${format}`, '-cf', file, '-C', join(dir, 'in'), '.']);
        expect(c.status).toBe(0);
        const v = unwrap(vol.openDir('/'));
        unwrap(vol.mkdir(format));
        unwrap(importTar(unwrap(v.openDir(format)), readFileSync(file)));
        expect(readFile(vol, `${format}/sub/f.txt`)).toBe('from the host');
        expect(readFile(vol, `${format}/${'g'.repeat(180)}.txt`)).toBe('long');
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
