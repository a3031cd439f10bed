// Reading a host directory and writing a run's changes back: only differences are
// applied, removals included, and no entry can reach outside the directory.
import { mkdtemp, readFile, writeFile, mkdir, rm, readdir, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readTree, writeBack, type TreeEntry } from './host-tree.ts';

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

async function fixture(): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'tessera-tree-'));
  dirs.push(root);
  await mkdir(join(root, 'sub'));
  await writeFile(join(root, 'a.txt'), 'alpha');
  await writeFile(join(root, 'sub', 'b.txt'), 'beta');
  await symlink('a.txt', join(root, 'l'));
  return root;
}

const text = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('host trees', () => {
  it('reads files, directories and symlinks, parents first', async () => {
    const tree = await readTree(await fixture());
    expect(tree.map((e) => `${e.kind}:${e.path}`)).toEqual([
      'file:a.txt',
      'symlink:l',
      'dir:sub',
      'file:sub/b.txt',
    ]);
  });

  it('writes back new, changed and removed entries, and leaves the rest alone', async () => {
    const root = await fixture();
    const before = await readTree(root);
    const after: TreeEntry[] = [
      { kind: 'file', path: 'a.txt', data: text('ALPHA') },
      { kind: 'dir', path: 'sub' },
      { kind: 'dir', path: 'new' },
      { kind: 'file', path: 'new/c.txt', data: text('gamma') },
    ];
    expect(await writeBack(root, before, after)).toBe(5); // a.txt, l and sub/b.txt gone, new, new/c.txt
    expect(await readFile(join(root, 'a.txt'), 'utf8')).toBe('ALPHA');
    expect(await readFile(join(root, 'new', 'c.txt'), 'utf8')).toBe('gamma');
    expect((await readdir(root)).sort()).toEqual(['a.txt', 'new', 'sub']);
    expect(await readdir(join(root, 'sub'))).toEqual([]);
  });

  it('an unchanged tree changes nothing', async () => {
    const root = await fixture();
    const before = await readTree(root);
    expect(await writeBack(root, before, before)).toBe(0);
  });

  it('refuses an entry that climbs out of the directory', async () => {
    const root = await fixture();
    const before = await readTree(root);
    await expect(
      writeBack(root, before, [...before, { kind: 'file', path: '../escape', data: text('x') }]),
    ).rejects.toThrow(/outside/);
  });
});
