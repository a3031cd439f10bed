import { describe, expect, it } from 'vitest';
import { absolute, expandPathname, type GlobEntry, type GlobFs } from './glob.ts';

/** A tree from paths; a path ending in '/' is a directory. */
function tree(paths: readonly string[]): GlobFs & { listed: string[] } {
  const dirs = new Map<string, GlobEntry[]>([['/', []]]);
  for (const p of paths) {
    const dir = p.endsWith('/');
    const parts = p.replace(/\/$/, '').split('/');
    for (let i = 0; i < parts.length; i++) {
      const parent = `/${parts.slice(0, i).join('/')}`;
      const here = `/${parts.slice(0, i + 1).join('/')}`;
      const isDir = i < parts.length - 1 || dir;
      const list = dirs.get(parent) ?? [];
      dirs.set(parent, list);
      if (!list.some((e) => e.name === parts[i])) list.push({ name: parts[i] ?? '', dir: isDir });
      if (isDir && !dirs.has(here)) dirs.set(here, []);
    }
  }
  const listed: string[] = [];
  return {
    listed,
    list: (path) => {
      listed.push(path);
      return Promise.resolve(dirs.get(path) ?? null);
    },
  };
}

const fs = tree(['a.c', 'b.c', 'c.h', '.hidden.c', 'src/x.c', 'src/y.c', 'src/sub/', 'docs/x.c', 'bin/cat']);

describe('expandPathname', () => {
  it('matches names in the working directory, sorted', async () => {
    expect(await expandPathname('*.c', '/', fs)).toEqual(['a.c', 'b.c']);
    expect(await expandPathname('?.h', '/', fs)).toEqual(['c.h']);
    expect(await expandPathname('[ab].c', '/', fs)).toEqual(['a.c', 'b.c']);
  });

  it('matches hidden names only with a leading dot', async () => {
    expect(await expandPathname('.*.c', '/', fs)).toEqual(['.hidden.c']);
    expect(await expandPathname('*', '/', fs)).not.toContain('.hidden.c');
  });

  it('walks components, relative to the cwd and absolute', async () => {
    expect(await expandPathname('*/x.c', '/', fs)).toEqual(['docs/x.c', 'src/x.c']);
    expect(await expandPathname('src/*.c', '/', fs)).toEqual(['src/x.c', 'src/y.c']);
    expect(await expandPathname('*.c', '/src', fs)).toEqual(['x.c', 'y.c']);
    expect(await expandPathname('/bin/c*', '/src', fs)).toEqual(['/bin/cat']);
    expect(await expandPathname('../*.h', '/src', fs)).toEqual(['../c.h']);
  });

  it('keeps only paths whose literal tail exists', async () => {
    expect(await expandPathname('*/y.c', '/', fs)).toEqual(['src/y.c']);
  });

  it('matches directories only with a trailing slash', async () => {
    expect(await expandPathname('*/', '/', fs)).toEqual(['bin/', 'docs/', 'src/']);
    expect(await expandPathname('src/*/', '/', fs)).toEqual(['src/sub/']);
  });

  it('gives nothing when nothing matches or there is no pattern', async () => {
    expect(await expandPathname('*.rs', '/', fs)).toEqual([]);
    expect(await expandPathname('nowhere/*', '/', fs)).toEqual([]);
    expect(await expandPathname('a.c', '/', fs)).toEqual([]);
  });

  it('treats escaped glob characters as literal', async () => {
    const star = tree(['*.c', 'a.c']);
    expect(await expandPathname('\\*.c', '/', star)).toEqual([]);
    expect(await expandPathname('\\**', '/', star)).toEqual(['*.c']);
  });

  it('lists only the directories a pattern needs', async () => {
    const t = tree(['deep/er/x', 'deep/er/y', 'other/z']);
    expect(await expandPathname('deep/er/*', '/', t)).toEqual(['deep/er/x', 'deep/er/y']);
    expect(t.listed).toEqual(['/deep/er']);
  });
});

describe('absolute', () => {
  it('normalises against the cwd', () => {
    expect(absolute('a/../b/./c', '/x')).toBe('/x/b/c');
    expect(absolute('/../..', '/x')).toBe('/');
    expect(absolute('.', '/')).toBe('/');
  });
});
