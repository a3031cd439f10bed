// POSIX-shaped operations of the working layer: one test per documented behaviour and error.
import { beforeEach, describe, expect, it } from 'vitest';
import { utf8 } from './codec.ts';
import { MemoryBackend } from './memory-backend.ts';
import { O, Whence } from './open-file.ts';
import { code, dump, mount, readFile, unwrap, writeFile } from './test-support.ts';
import type { Volume } from './volume.ts';

let vol: Volume;
beforeEach(async () => {
  vol = (await mount(new MemoryBackend())).volume;
});

describe('open', () => {
  it('needs O_CREAT to create, and O_EXCL refuses an existing name (even a symlink)', () => {
    expect(code(vol.open('f', O.RDONLY))).toBe('ENOENT');
    unwrap(vol.open('f', O.WRONLY | O.CREAT | O.EXCL)).close();
    expect(code(vol.open('f', O.WRONLY | O.CREAT | O.EXCL))).toBe('EEXIST');
    unwrap(vol.symlink('nowhere', 'l'));
    expect(code(vol.open('l', O.WRONLY | O.CREAT | O.EXCL))).toBe('EEXIST');
  });

  it('O_CREAT through a dangling symlink creates its target', () => {
    unwrap(vol.symlink('target', 'l'));
    unwrap(vol.open('l', O.WRONLY | O.CREAT)).close();
    expect(unwrap(vol.stat('target')).type).toBe('file');
  });

  it('O_TRUNC empties, O_APPEND writes at the end on every write', () => {
    writeFile(vol, 'f', 'hello');
    const f = unwrap(vol.open('f', O.WRONLY | O.APPEND));
    unwrap(f.pwrite(utf8('!'), 0));
    unwrap(f.seek(0, Whence.SET));
    unwrap(f.write(utf8('?')));
    f.close();
    expect(readFile(vol, 'f')).toBe('hello!?');
    unwrap(vol.open('f', O.WRONLY | O.TRUNC)).close();
    expect(readFile(vol, 'f')).toBe('');
  });

  it('refuses to open a directory for writing, and bad access modes', () => {
    unwrap(vol.mkdir('d'));
    expect(code(vol.open('d', O.WRONLY))).toBe('EISDIR');
    expect(code(vol.open('d', O.ACCMODE))).toBe('EINVAL');
    expect(code(unwrap(vol.open('d', O.RDONLY)).read(new Uint8Array(1)))).toBe('EISDIR');
  });
});

describe('read and write', () => {
  it('reads and writes at the position, preads and pwrites anywhere, fills holes with zeros', () => {
    const f = unwrap(vol.open('f', O.RDWR | O.CREAT));
    unwrap(f.write(utf8('abc')));
    unwrap(f.pwrite(utf8('Z'), 5));
    const all = new Uint8Array(10);
    expect(unwrap(f.pread(all, 0))).toBe(6);
    expect([...all.subarray(0, 6)]).toEqual([97, 98, 99, 0, 0, 90]);
    unwrap(f.seek(1, Whence.SET));
    const two = new Uint8Array(2);
    expect(unwrap(f.read(two))).toBe(2);
    expect(unwrap(f.seek(0, Whence.CUR))).toBe(3);
    expect(unwrap(f.seek(-1, Whence.END))).toBe(5);
    expect(code(f.seek(-10, Whence.CUR))).toBe('EINVAL');
    expect(code(f.pread(two, -1))).toBe('EINVAL');
  });

  it('enforces the access mode and closed files with EBADF', () => {
    writeFile(vol, 'f', 'x');
    const r = unwrap(vol.open('f', O.RDONLY));
    expect(code(r.write(utf8('y')))).toBe('EBADF');
    const w = unwrap(vol.open('f', O.WRONLY));
    expect(code(w.read(new Uint8Array(1)))).toBe('EBADF');
    r.close();
    expect(code(r.read(new Uint8Array(1)))).toBe('EBADF');
  });

  it('truncates down and up (zeros), by path and by file', () => {
    writeFile(vol, 'f', 'abcdef');
    unwrap(vol.truncate('f', 2));
    unwrap(vol.truncate('f', 4));
    expect([...utf8(readFile(vol, 'f'))]).toEqual([97, 98, 0, 0]);
    expect(code(vol.truncate('f', -1))).toBe('EINVAL');
    unwrap(vol.mkdir('d'));
    expect(code(vol.truncate('d', 0))).toBe('EISDIR');
  });

  it('keeps an unlinked file readable while it is open', () => {
    writeFile(vol, 'f', 'still here');
    const f = unwrap(vol.open('f', O.RDONLY));
    unwrap(vol.unlink('f'));
    const out = new Uint8Array(10);
    expect(unwrap(f.read(out))).toBe(10);
    expect(unwrap(f.stat()).nlink).toBe(0);
  });
});

describe('stat and times', () => {
  it('reports real timestamps: writes move mtime and ctime, utimes sets them', () => {
    writeFile(vol, 'f', 'a');
    const before = unwrap(vol.stat('f'));
    writeFile(vol, 'f', 'bb');
    const after = unwrap(vol.stat('f'));
    expect(after.size).toBe(2);
    expect(after.mtime).toBeGreaterThan(before.mtime);
    expect(after.ctime).toBeGreaterThan(before.ctime);
    unwrap(vol.utimes('f', 1000, 2000));
    const set = unwrap(vol.stat('f'));
    expect([set.atime, set.mtime]).toEqual([1000, 2000]);
    expect(set.ctime).toBeGreaterThan(after.ctime);
  });

  it('creating a name updates the directory mtime', () => {
    unwrap(vol.mkdir('d'));
    const before = unwrap(vol.stat('d')).mtime;
    writeFile(vol, 'd/f', '');
    expect(unwrap(vol.stat('d')).mtime).toBeGreaterThan(before);
  });
});

describe('directories', () => {
  it('mkdir, readdir (sorted), rmdir with ENOTEMPTY, ENOTDIR and EEXIST', () => {
    unwrap(vol.mkdir('d'));
    writeFile(vol, 'd/b', '');
    unwrap(vol.mkdir('d/a'));
    expect(unwrap(vol.readdir('d'))).toEqual([
      { name: 'a', type: 'dir', ino: unwrap(vol.stat('d/a')).ino },
      { name: 'b', type: 'file', ino: unwrap(vol.stat('d/b')).ino },
    ]);
    expect(code(vol.mkdir('d'))).toBe('EEXIST');
    expect(code(vol.mkdir('d/.'))).toBe('EEXIST');
    expect(code(vol.rmdir('d'))).toBe('ENOTEMPTY');
    expect(code(vol.rmdir('d/b'))).toBe('ENOTDIR');
    expect(code(vol.readdir('d/b'))).toBe('ENOTDIR');
    expect(code(vol.mkdir('d/b/c'))).toBe('ENOTDIR');
    expect(code(vol.mkdir('x/y'))).toBe('ENOENT');
    unwrap(vol.rmdir('d/a'));
    expect(code(vol.rmdir('d/a'))).toBe('ENOENT');
    expect(code(vol.rmdir('/'))).toBe('EINVAL');
  });

  it('unlink refuses directories and missing names', () => {
    unwrap(vol.mkdir('d'));
    expect(code(vol.unlink('d'))).toBe('EISDIR');
    expect(code(vol.unlink('nope'))).toBe('ENOENT');
  });
});

describe('rename', () => {
  beforeEach(() => {
    unwrap(vol.mkdir('d'));
    unwrap(vol.mkdir('e'));
    unwrap(vol.mkdir('full'));
    writeFile(vol, 'full/x', 'x');
    writeFile(vol, 'f', 'F');
    writeFile(vol, 'g', 'G');
  });

  it('moves a file and replaces an existing file', () => {
    unwrap(vol.rename('f', 'd/f2'));
    expect(readFile(vol, 'd/f2')).toBe('F');
    unwrap(vol.rename('d/f2', 'g'));
    expect(readFile(vol, 'g')).toBe('F');
    expect(code(vol.stat('d/f2'))).toBe('ENOENT');
  });

  it('replaces an empty directory, refuses a non-empty one', () => {
    unwrap(vol.rename('d', 'e'));
    expect(code(vol.stat('d'))).toBe('ENOENT');
    expect(code(vol.rename('e', 'full'))).toBe('ENOTEMPTY');
  });

  it('refuses file onto directory, directory onto file, and a move into its own subtree', () => {
    expect(code(vol.rename('f', 'd'))).toBe('EISDIR');
    expect(code(vol.rename('d', 'f'))).toBe('ENOTDIR');
    expect(code(vol.rename('full', 'full/sub'))).toBe('EINVAL');
    unwrap(vol.mkdir('full/sub'));
    expect(code(vol.rename('full', 'full/sub/deeper'))).toBe('EINVAL');
    expect(code(vol.rename('.', 'z'))).toBe('EINVAL');
  });

  it('refuses a file to a name ending in "/", taken or not, and changes nothing', () => {
    const before = dump(vol);
    expect(code(vol.rename('f', 'new/'))).toBe('ENOTDIR');
    expect(code(vol.rename('f', 'g/'))).toBe('ENOTDIR');
    expect(code(vol.rename('f/', 'new'))).toBe('ENOTDIR');
    expect(dump(vol)).toEqual(before);
    unwrap(vol.rename('d/', 'd2/'));
    expect(unwrap(vol.stat('d2')).type).toBe('dir');
  });

  it('renaming a name onto itself, or onto another link of the same file, does nothing', () => {
    const before = dump(vol);
    unwrap(vol.rename('f', 'f'));
    unwrap(vol.link('f', 'f2'));
    unwrap(vol.rename('f', 'f2'));
    expect(readFile(vol, 'f')).toBe('F');
    expect(dump(vol)).toEqual(new Map([...before, ['f2', 'f:F']]));
  });

  it('moves a directory with its contents, and `..` follows it', () => {
    unwrap(vol.rename('full', 'd/moved'));
    expect(readFile(vol, 'd/moved/x')).toBe('x');
    expect(unwrap(vol.stat('d/moved/..')).ino).toBe(unwrap(vol.stat('d')).ino);
  });
});

describe('links', () => {
  it('symlinks: readlink, following, EINVAL on a non-link, ELOOP on a loop', () => {
    writeFile(vol, 'f', 'F');
    unwrap(vol.symlink('f', 'l'));
    expect(unwrap(vol.readlink('l'))).toBe('f');
    expect(readFile(vol, 'l')).toBe('F');
    expect(unwrap(vol.stat('l', false)).type).toBe('symlink');
    expect(code(vol.readlink('f'))).toBe('EINVAL');
    unwrap(vol.symlink('b', 'a'));
    unwrap(vol.symlink('a', 'b'));
    expect(code(vol.stat('a'))).toBe('ELOOP');
    expect(code(vol.symlink('', 'empty'))).toBe('ENOENT');
  });

  it('hard links share content and count links', () => {
    writeFile(vol, 'f', 'one');
    unwrap(vol.link('f', 'h'));
    writeFile(vol, 'h', 'two');
    expect(readFile(vol, 'f')).toBe('two');
    expect(unwrap(vol.stat('f')).nlink).toBe(2);
    unwrap(vol.unlink('f'));
    expect(unwrap(vol.stat('h')).nlink).toBe(1);
    unwrap(vol.mkdir('d'));
    expect(code(vol.link('d', 'd2'))).toBe('EPERM');
    expect(code(vol.link('h', 'h'))).toBe('EEXIST');
  });
});

describe('confinement', () => {
  it('.. at the root stays at the root; absolute symlinks resolve from the root', () => {
    writeFile(vol, 'top', 'T');
    unwrap(vol.mkdir('d'));
    expect(readFile(vol, '../../top')).toBe('T');
    expect(readFile(vol, 'd/../../../top')).toBe('T');
    unwrap(vol.symlink('/top', 'd/abs'));
    unwrap(vol.symlink('../../../../top', 'd/up'));
    expect(readFile(vol, 'd/abs')).toBe('T');
    expect(readFile(vol, 'd/up')).toBe('T');
    expect(unwrap(vol.stat('/..')).ino).toBe(unwrap(vol.stat('/')).ino);
  });

  it('refuses long names and paths, and the empty path', () => {
    expect(code(vol.mkdir('n'.repeat(256)))).toBe('ENAMETOOLONG');
    expect(code(vol.stat('a/'.repeat(2049)))).toBe('ENAMETOOLONG');
    expect(code(vol.stat(''))).toBe('ENOENT');
    writeFile(vol, 'f', '');
    expect(code(vol.stat('f/'))).toBe('ENOTDIR');
  });
});
