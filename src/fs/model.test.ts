// Property test: random operation sequences against the store and against a plain model
// (a Map from path to file content or directory). After every operation the outcome
// (success or errno) must agree; after every fsync the store is reopened from its
// durable bytes alone and must still agree.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { utf8 } from './codec.ts';
import type { FileSystem } from './filesystem.ts';
import { MemoryBackend } from './memory-backend.ts';
import { O } from './open-file.ts';
import { dump, mount, unwrap } from './test-support.ts';

type Node = { readonly dir: true } | { readonly dir: false; readonly text: string };

/** The model: paths without leading slash; errors as POSIX would give them. */
class Model {
  readonly m = new Map<string, Node>();

  /** ENOENT/ENOTDIR if a component before the last is missing or a file. */
  parent(path: string): string | null {
    const parts = path.split('/');
    for (let i = 1; i < parts.length; i++) {
      const node = this.m.get(parts.slice(0, i).join('/'));
      if (node === undefined) return 'ENOENT';
      if (!node.dir) return 'ENOTDIR';
    }
    return null;
  }
  children(path: string): string[] {
    return [...this.m.keys()].filter((k) => k.startsWith(`${path}/`));
  }
  write(path: string, text: string, append: boolean): string | null {
    const node = this.m.get(path);
    const e = this.parent(path) ?? (node?.dir === true ? 'EISDIR' : null);
    if (e === null)
      this.m.set(path, { dir: false, text: (append && node?.dir === false ? node.text : '') + text });
    return e;
  }
  truncate(path: string, size: number): string | null {
    const node = this.m.get(path);
    const e = this.parent(path) ?? (node === undefined ? 'ENOENT' : node.dir ? 'EISDIR' : null);
    if (e === null && node?.dir === false)
      this.m.set(path, { dir: false, text: node.text.slice(0, size).padEnd(size, '\0') });
    return e;
  }
  mkdir(path: string): string | null {
    const e = this.parent(path) ?? (this.m.has(path) ? 'EEXIST' : null);
    if (e === null) this.m.set(path, { dir: true });
    return e;
  }
  remove(path: string, dir: boolean): string | null {
    const node = this.m.get(path);
    let e = this.parent(path) ?? (node === undefined ? 'ENOENT' : null);
    if (e === null && dir)
      e = node?.dir !== true ? 'ENOTDIR' : this.children(path).length > 0 ? 'ENOTEMPTY' : null;
    if (e === null && !dir && node?.dir === true) e = 'EISDIR';
    if (e === null) this.m.delete(path);
    return e;
  }
  rename(from: string, to: string): string | null {
    const src = this.m.get(from);
    const e = this.parent(from) ?? (src === undefined ? 'ENOENT' : this.parent(to));
    if (e !== null || src === undefined || from === to) return e;
    if (src.dir && to.startsWith(`${from}/`)) return 'EINVAL';
    const dst = this.m.get(to);
    if (dst !== undefined) {
      if (src.dir && !dst.dir) return 'ENOTDIR';
      if (!src.dir && dst.dir) return 'EISDIR';
      if (dst.dir && this.children(to).length > 0) return 'ENOTEMPTY';
    }
    const moved = [from, ...this.children(from)].map((k) => [k, this.m.get(k) as Node] as const);
    for (const [k] of moved) this.m.delete(k);
    for (const [k, v] of moved) this.m.set(to + k.slice(from.length), v);
    return null;
  }
  dump(): Map<string, string> {
    const keys = [...this.m.keys()].sort((a, b) =>
      a.split('/').join('\u0000') < b.split('/').join('\u0000') ? -1 : 1,
    );
    return new Map(
      keys.map((k) => [
        k,
        this.m.get(k)?.dir === false ? `f:${(this.m.get(k) as { text: string }).text}` : 'd',
      ]),
    );
  }
}

// Few names and shallow paths, so that operations collide often (most hit something).
const name = fc.constantFrom('a', 'b', 'c');
const path = fc.array(name, { minLength: 1, maxLength: 2 }).map((p) => p.join('/'));
const text = fc.string({ maxLength: 12 });
const op = fc.oneof(
  { arbitrary: fc.record({ k: fc.constant('write' as const), path, text, append: fc.boolean() }), weight: 3 },
  fc.record({ k: fc.constant('truncate' as const), path, size: fc.nat(20) }),
  { arbitrary: fc.record({ k: fc.constant('mkdir' as const), path }), weight: 3 },
  fc.record({ k: fc.constant('rmdir' as const), path }),
  fc.record({ k: fc.constant('unlink' as const), path }),
  { arbitrary: fc.record({ k: fc.constant('rename' as const), path, to: path }), weight: 3 },
  fc.record({ k: fc.constant('fsync' as const) }),
);
type Op = typeof op extends fc.Arbitrary<infer T> ? T : never;

function apply(fs: FileSystem, o: Exclude<Op, { k: 'fsync' }>): string | null {
  const v = fs.volume;
  const errno = (r: { ok: boolean; error?: { code: string } }) => (r.ok ? null : (r.error?.code ?? null));
  switch (o.k) {
    case 'write': {
      const f = v.open(o.path, O.WRONLY | O.CREAT | (o.append ? O.APPEND : O.TRUNC));
      if (!f.ok) return f.error.code;
      const w = f.value.write(utf8(o.text));
      f.value.close();
      return errno(w);
    }
    case 'truncate':
      return errno(v.truncate(o.path, o.size));
    case 'mkdir':
      return errno(v.mkdir(o.path));
    case 'rmdir':
      return errno(v.rmdir(o.path));
    case 'unlink':
      return errno(v.unlink(o.path));
    case 'rename':
      return errno(v.rename(o.path, o.to));
  }
}

function modelApply(m: Model, o: Exclude<Op, { k: 'fsync' }>): string | null {
  switch (o.k) {
    case 'write':
      return m.write(o.path, o.text, o.append);
    case 'truncate':
      return m.truncate(o.path, o.size);
    case 'mkdir':
      return m.mkdir(o.path);
    case 'rmdir':
      return m.remove(o.path, true);
    case 'unlink':
      return m.remove(o.path, false);
    case 'rename':
      return m.rename(o.path, o.to);
  }
}

describe('store against a model', () => {
  it('agrees on every outcome, before and after fsync + reopen', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 5, maxLength: 60, size: 'max' }), async (ops) => {
        let backend = new MemoryBackend();
        let fs = await mount(backend);
        const model = new Model();
        for (const o of ops) {
          if (o.k === 'fsync') {
            unwrap(await fs.fsync());
            backend = backend.afterCrash();
            fs = await mount(backend);
          } else {
            expect(apply(fs, o), JSON.stringify(o)).toBe(modelApply(model, o));
          }
          expect(dump(fs.volume)).toEqual(model.dump());
        }
      }),
      { numRuns: 300 },
    );
  });
});
