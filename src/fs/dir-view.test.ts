// Directory views (dir-view.ts): every path operation confined to a directory inode.
// Escape attempts of every kind, the view following its directory, and a fast-check
// property: random operations through a view of /a/b never change anything outside it.
import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import { utf8 } from './codec.ts';
import type { DirView } from './dir-view.ts';
import type { FileSystem } from './filesystem.ts';
import { MemoryBackend } from './memory-backend.ts';
import { O } from './open-file.ts';
import { code, mount, readFile, unwrap, writeFile } from './test-support.ts';
import type { Volume } from './volume.ts';

let fs: FileSystem;
let vol: Volume;
let view: DirView;

/** /x/secret, /a/file, /a/b/in, /a/b/c/deep; the view is rooted at /a/b. */
async function setup(): Promise<void> {
  fs = await mount(new MemoryBackend());
  vol = fs.volume;
  for (const d of ['x', 'a', 'a/b', 'a/b/c']) unwrap(vol.mkdir(d));
  writeFile(vol, 'x/secret', 'outside');
  writeFile(vol, 'a/file', 'parent');
  writeFile(vol, 'a/b/in', 'inside');
  writeFile(vol, 'a/b/c/deep', 'deeper');
  view = unwrap(vol.openDir('a/b'));
}
beforeEach(setup);

/** Writes through the view: O_CREAT|O_TRUNC, like test-support's writeFile. */
function viewWrite(v: DirView, path: string, text: string): void {
  const f = unwrap(v.open(path, O.WRONLY | O.CREAT | O.TRUNC));
  unwrap(f.write(utf8(text)));
  f.close();
}

describe('a view is its directory', () => {
  it('resolves relative and absolute paths from its directory', () => {
    const root = unwrap(vol.stat('a/b')).ino;
    for (const p of ['/', '.', '..', '../..', '/../../..', 'c/../..', './c/..'])
      expect(unwrap(view.stat(p)).ino).toBe(root);
    expect(readFile(vol, 'a/b/in')).toBe('inside');
    viewWrite(view, '/in', 'changed');
    expect(readFile(vol, 'a/b/in')).toBe('changed');
    expect(unwrap(view.readdir('/')).map((e) => e.name)).toEqual(['c', 'in']);
  });

  it('supports every operation: open flags, mkdir, rmdir, unlink, rename, symlink, link, times, truncate', () => {
    unwrap(view.open('n', O.WRONLY | O.CREAT | O.EXCL)).close();
    expect(code(view.open('n', O.WRONLY | O.CREAT | O.EXCL))).toBe('EEXIST');
    const f = unwrap(view.open('in', O.WRONLY | O.APPEND));
    unwrap(f.write(utf8('!')));
    f.close();
    expect(readFile(vol, 'a/b/in')).toBe('inside!');
    unwrap(view.open('in', O.WRONLY | O.TRUNC)).close();
    expect(unwrap(view.stat('in')).size).toBe(0);
    unwrap(view.mkdir('d'));
    unwrap(view.rename('n', 'd/m'));
    unwrap(view.symlink('d/m', 's'));
    expect(unwrap(view.readlink('s'))).toBe('d/m');
    unwrap(view.link('d/m', 'h'));
    expect(unwrap(view.stat('h')).nlink).toBe(2);
    unwrap(view.truncate('s', 3));
    expect(unwrap(view.stat('d/m')).size).toBe(3);
    unwrap(view.utimes('d/m', 5, 6));
    expect(unwrap(view.stat('h')).mtime).toBe(6);
    unwrap(view.unlink('h'));
    unwrap(view.unlink('s'));
    unwrap(view.unlink('d/m'));
    unwrap(view.rmdir('d'));
    expect(unwrap(vol.readdir('a/b')).map((e) => e.name)).toEqual(['c', 'in']);
  });
});

describe('renameat and linkat across two views', () => {
  it('moves and links between two directories, each path confined to its own view', async () => {
    const other = unwrap(vol.openDir('x'));
    const before = unwrap(vol.stat('a/b/in')).ino;
    unwrap(view.rename('in', 'moved', other));
    expect(unwrap(vol.stat('x/moved')).ino).toBe(before);
    expect(code(vol.stat('a/b/in'))).toBe('ENOENT');
    unwrap(other.link('moved', 'back', view));
    expect(readFile(vol, 'a/b/back')).toBe('inside');
    expect(unwrap(vol.stat('x/moved')).nlink).toBe(2);
    // `to` resolves in the target view: its `..` stays there, and a way out is refused by a strict one.
    unwrap(other.rename('moved', '../../kept', view));
    expect(readFile(vol, 'a/b/kept')).toBe('inside');
    expect(code(view.rename('kept', '../up', other.refusingEscapes()))).toBe('ENOTCAPABLE');
    expect(readFile(vol, 'a/b/kept')).toBe('inside');
    // rename(2)'s own rules still hold: a directory into its own subtree is EINVAL.
    expect(code(view.rename('c', 'inner', unwrap(view.openDir('c'))))).toBe('EINVAL');
    // Views of two volumes never meet.
    const elsewhere = unwrap((await mount(new MemoryBackend())).volume.openDir('.'));
    expect(code(view.rename('kept', 'k', elsewhere))).toBe('EXDEV');
    expect(code(view.link('kept', 'k', elsewhere))).toBe('EXDEV');
    expect(readFile(vol, 'a/b/kept')).toBe('inside');
  });
});

describe('escape attempts', () => {
  it('`..` stops at the view: reads miss, creations land inside', () => {
    expect(code(view.open('../../x/secret', O.RDONLY))).toBe('ENOENT');
    expect(code(view.stat('../file'))).toBe('ENOENT');
    unwrap(view.mkdir('../../escape'));
    viewWrite(view, 'c/../../../file', 'mine');
    expect(unwrap(vol.readdir('a/b')).map((e) => e.name)).toEqual(['c', 'escape', 'file', 'in']);
    expect(readFile(vol, 'a/file')).toBe('parent');
    expect(code(vol.stat('escape'))).toBe('ENOENT');
  });

  it('absolute paths start at the view', () => {
    expect(code(view.stat('/x/secret'))).toBe('ENOENT');
    expect(code(view.open('/a/file', O.RDONLY))).toBe('ENOENT');
    viewWrite(view, '/top', 't');
    expect(readFile(vol, 'a/b/top')).toBe('t');
    expect(code(vol.stat('top'))).toBe('ENOENT');
  });

  it('absolute and relative symlinks, made inside or outside the view, cannot leave it', () => {
    unwrap(view.symlink('/x', 'abs'));
    unwrap(view.symlink('../../x', 'rel'));
    unwrap(vol.symlink('/x/secret', 'a/b/planted'));
    unwrap(vol.symlink('../../../x', 'a/b/c/up'));
    for (const p of ['abs/secret', 'rel/secret', 'planted', 'c/up/secret'])
      expect(code(view.open(p, O.RDONLY))).toBe('ENOENT');
    expect(code(view.open('abs/new', O.WRONLY | O.CREAT))).toBe('ENOENT');
    unwrap(view.mkdir('x'));
    viewWrite(view, 'planted', 'through the link');
    expect(readFile(vol, 'a/b/x/secret')).toBe('through the link');
    expect(readFile(vol, 'x/secret')).toBe('outside');
    expect(unwrap(view.openDir('c/up')).dir.ino).toBe(unwrap(vol.stat('a/b/x')).ino);
  });

  it('a view refusing escapes answers ENOTCAPABLE for every way out, and resolves the rest', () => {
    const strict = view.refusingEscapes();
    unwrap(view.symlink('/x', 'abs'));
    unwrap(view.symlink('..', 'up'));
    unwrap(view.symlink('c/..', 'inside'));
    unwrap(vol.symlink('../..', 'a/b/c/up2'));
    const before = unwrap(vol.readdir('a/b')).map((e) => e.name);
    for (const p of ['/in', '..', 'c/../..', 'abs', 'abs/secret', 'up', 'up/file', 'c/up2', 'c/up2/x'])
      expect(code(strict.stat(p))).toBe('ENOTCAPABLE');
    expect(code(strict.mkdir('up/new'))).toBe('ENOTCAPABLE');
    expect(code(strict.open('abs/new', O.WRONLY | O.CREAT))).toBe('ENOTCAPABLE');
    expect(code(strict.openDir('up'))).toBe('ENOTCAPABLE');
    expect(code(unwrap(strict.openDir('c')).stat('up2'))).toBe('ENOTCAPABLE'); // its subviews refuse too
    expect(unwrap(vol.readdir('a/b')).map((e) => e.name)).toEqual(before);
    // Links and paths that stay inside resolve; a final link is not followed unless asked.
    expect(unwrap(strict.stat('inside')).ino).toBe(unwrap(vol.stat('a/b')).ino);
    expect(unwrap(strict.stat('c/..')).ino).toBe(unwrap(vol.stat('a/b')).ino);
    expect(unwrap(strict.stat('abs', false)).type).toBe('symlink');
    expect(readFile(vol, 'a/b/in')).toBe('inside');
    // The view it came from still resolves them from its directory.
    expect(unwrap(view.stat('up')).ino).toBe(unwrap(vol.stat('a/b')).ino);
  });

  it('symlink loops answer ELOOP', () => {
    unwrap(view.symlink('self', 'self'));
    unwrap(view.symlink('two', 'one'));
    unwrap(view.symlink('/one', 'two'));
    for (const p of ['self', 'one', 'two/x']) expect(code(view.stat(p))).toBe('ELOOP');
  });

  it('rename cannot move anything into or out of the parent, nor move the view itself', () => {
    unwrap(view.rename('in', '../in2'));
    unwrap(view.rename('/in2', '../../../in3'));
    expect(unwrap(vol.readdir('a/b')).map((e) => e.name)).toEqual(['c', 'in3']);
    expect(code(view.rename('../file', 'stolen'))).toBe('ENOENT');
    for (const p of ['.', '..', '/', 'c/../..']) expect(code(view.rename(p, 'moved'))).toBe('EINVAL');
    expect(code(view.rmdir('/'))).toBe('EINVAL');
    expect(code(view.rename('c', 'c/inner'))).toBe('EINVAL');
  });

  it('a sub-view opened from a view is confined to the subdirectory', () => {
    unwrap(view.symlink('/', 'c/root'));
    const sub = unwrap(view.openDir('c'));
    expect(unwrap(sub.readdir('..')).map((e) => e.name)).toEqual(['deep', 'root']);
    expect(code(sub.stat('/in'))).toBe('ENOENT');
    expect(unwrap(sub.openDir('root/..')).dir.ino).toBe(sub.dir.ino);
    expect(code(view.openDir('in'))).toBe('ENOTDIR');
    expect(code(view.openDir('../../x'))).toBe('ENOENT');
  });
});

describe('the view follows its directory', () => {
  it('stays valid, and confined, when the directory is renamed elsewhere', () => {
    unwrap(vol.rename('a/b', 'x/moved'));
    viewWrite(view, 'new', 'n');
    expect(readFile(vol, 'x/moved/new')).toBe('n');
    expect(code(view.stat('../secret'))).toBe('ENOENT');
    expect(unwrap(view.stat('..')).ino).toBe(unwrap(vol.stat('x/moved')).ino);
  });

  it('answers ENOENT once the directory is removed, or replaced by a rename', () => {
    const sub = unwrap(view.openDir('c'));
    unwrap(vol.unlink('a/b/c/deep'));
    unwrap(vol.rmdir('a/b/c'));
    expect(code(sub.stat('.'))).toBe('ENOENT');
    expect(code(sub.mkdir('again'))).toBe('ENOENT');
    unwrap(vol.mkdir('a/b/e'));
    const e = unwrap(view.openDir('e'));
    unwrap(vol.mkdir('a/b/f'));
    unwrap(vol.rename('a/b/f', 'a/b/e'));
    expect(code(e.open('x', O.WRONLY | O.CREAT))).toBe('ENOENT');
  });

  it('is read-only in a snapshot and answers EBADF after a restore', async () => {
    unwrap(await fs.snapshot('s'));
    const snap = unwrap(unwrap(fs.openSnapshot('s')).openDir('a/b'));
    expect(readFile(vol, 'a/b/in')).toBe('inside');
    expect(code(snap.mkdir('d'))).toBe('EROFS');
    expect(unwrap(snap.readdir('.')).map((e) => e.name)).toEqual(['c', 'in']);
    unwrap(await fs.restore('s'));
    expect(code(view.stat('in'))).toBe('EBADF');
    expect(unwrap(fs.volume.openDir('a/b')).readdir('.').ok).toBe(true);
  });
});

/** Every path outside `skip`, with its type, metadata and content or target. */
function outside(v: Volume, skip: string, dir = '', out = new Map<string, string>()): Map<string, string> {
  const s = unwrap(v.stat(dir === '' ? '/' : dir, false));
  out.set(dir, `${s.type} ${s.ino} ${s.mode} ${s.nlink} ${s.size} ${s.atime} ${s.mtime} ${s.ctime}`);
  if (dir === skip) return out;
  for (const e of unwrap(v.readdir(dir === '' ? '/' : dir))) {
    const path = dir === '' ? e.name : `${dir}/${e.name}`;
    if (e.type === 'dir') outside(v, skip, path, out);
    else {
      const ls = unwrap(v.stat(path, false));
      const body = e.type === 'symlink' ? unwrap(v.readlink(path)) : readFile(v, path);
      out.set(path, `${e.type} ${ls.ino} ${ls.nlink} ${ls.mtime} ${ls.ctime} ${body}`);
    }
  }
  return out;
}

const NAMES = ['.', '..', 'c', 'in', 'n', 'x', 'secret', 'file', 'b', 'a', 'l'];
const arbPath = fc
  .tuple(fc.boolean(), fc.array(fc.constantFrom(...NAMES), { minLength: 1, maxLength: 4 }))
  .map(([abs, parts]) => (abs ? '/' : '') + parts.join('/'));
const arbTarget = fc.constantFrom('/', '..', '../..', '../../x', '/x/secret', '../../a/file', 'c', 'l');
const arbOp = fc.oneof(
  fc.tuple(fc.constant('write'), arbPath),
  fc.tuple(fc.constant('append'), arbPath),
  fc.tuple(fc.constant('mkdir'), arbPath),
  fc.tuple(fc.constant('rmdir'), arbPath),
  fc.tuple(fc.constant('unlink'), arbPath),
  fc.tuple(fc.constant('truncate'), arbPath),
  fc.tuple(fc.constant('utimes'), arbPath),
  fc.tuple(fc.constant('rename'), arbPath, arbPath),
  fc.tuple(fc.constant('link'), arbPath, arbPath),
  fc.tuple(fc.constant('symlink'), arbTarget, arbPath),
  fc.tuple(fc.constant('subview'), arbPath, arbPath),
);

/** Applies one operation through `v`; failures are expected and ignored. */
function apply(v: DirView, op: readonly string[]): void {
  const [kind, p, q = ''] = op as [string, string, string?];
  const file = (flags: number): void => {
    const f = v.open(p, flags);
    if (f.ok) {
      f.value.write(utf8('w'));
      f.value.close();
    }
  };
  if (kind === 'write') file(O.WRONLY | O.CREAT | O.TRUNC);
  else if (kind === 'append') file(O.WRONLY | O.CREAT | O.APPEND);
  else if (kind === 'mkdir') v.mkdir(p);
  else if (kind === 'rmdir') v.rmdir(p);
  else if (kind === 'unlink') v.unlink(p);
  else if (kind === 'truncate') v.truncate(p, 1);
  else if (kind === 'utimes') v.utimes(p, 1, 2);
  else if (kind === 'rename') v.rename(p, q);
  else if (kind === 'link') v.link(p, q);
  else if (kind === 'symlink') v.symlink(p, q);
  else {
    const sub = v.openDir(p);
    if (sub.ok) apply(sub.value, ['write', q]);
  }
}

describe('property: a view of /a/b changes nothing outside /a/b', () => {
  it('holds for random operation sequences, symlinks to the outside planted first', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(arbOp, { maxLength: 25 }), async (ops) => {
        await setup();
        unwrap(vol.symlink('../../x', 'a/b/l'));
        unwrap(vol.symlink('/a/file', 'a/b/c/l'));
        const before = outside(vol, 'a/b');
        for (const op of ops) apply(view, op);
        const after = outside(vol, 'a/b');
        // The view's own directory may change (its entries, times); nothing else may.
        before.delete('a/b');
        after.delete('a/b');
        expect(after).toEqual(before);
      }),
      { numRuns: 150 },
    );
  });
});
