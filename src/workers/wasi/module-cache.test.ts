// The compiled-module cache: the same bytes give the same Module without compiling again;
// different bytes, even of the same length, never do.
import { readFileSync } from 'node:fs';
import { webcrypto } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { compileCached, knowsDigests, moduleByDigest } from './module-cache.ts';

const scope = { crypto: webcrypto as unknown as Crypto };
const hello = () => new Uint8Array(readFileSync('build/wasi/hello.wasm'));

describe('compileCached', () => {
  it('compiles once per content and hands the same Module back', async () => {
    const compile = vi.spyOn(WebAssembly, 'compile');
    const first = await compileCached(hello(), scope);
    const again = await compileCached(hello(), scope);
    expect(again.module).toBe(first.module);
    expect(again).toMatchObject({ cached: true, hash: first.hash });
    expect(first.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(compile).toHaveBeenCalledTimes(first.cached ? 0 : 1);
    compile.mockRestore();
  });

  it('bytes of the same length that differ are a different module', async () => {
    const a = hello();
    const b = hello();
    // A custom section's last byte: still a valid module, different content.
    const custom = Uint8Array.of(0, 5, 1, 0x78, 1, 2, 3);
    const withA = new Uint8Array([...a, ...custom]);
    const withB = new Uint8Array([...b, ...custom.slice(0, -1), 4]);
    const ma = await compileCached(withA, scope);
    const mb = await compileCached(withB, scope);
    expect(mb.module).not.toBe(ma.module);
    expect(mb.hash).not.toBe(ma.hash);
  });

  it('finds a module by the fs digest it was read under, and only that digest', async () => {
    const init = (digest: string) => ({ spawner: 1, digest });
    expect(moduleByDigest(init('d1'))).toBeNull();
    expect(knowsDigests(1)).toBe(false); // modules compiled so far came with no digest
    const first = await compileCached(hello(), scope, init('d1'));
    expect(moduleByDigest(init('d1'))).toBe(first.module);
    expect(knowsDigests(1)).toBe(true);
    // The same bytes read under another digest (another file, or after a rewrite) add it.
    await compileCached(hello(), scope, init('d2'));
    expect(moduleByDigest(init('d2'))).toBe(first.module);
    // Bytes read while the content changed come with no digest: nothing is remembered.
    await compileCached(hello(), scope, null);
    expect(moduleByDigest(init(''))).toBeNull();
  });

  it("keeps each spawner's digests to itself: a lying spawner poisons only its own lookups", async () => {
    const honest = await compileCached(hello(), scope, { spawner: 10, digest: 'hello-digest' });
    // Another spawner never gets a module by digest alone, even the right digest: it must
    // have delivered the bytes itself first.
    expect(knowsDigests(20)).toBe(false);
    expect(moduleByDigest({ spawner: 20, digest: 'hello-digest' })).toBeNull();
    // A hostile spawner's own server answers the honest digest for bytes of its choosing.
    const custom = Uint8Array.of(0, 6, 1, 0x65, 1, 2, 3, 4);
    const evil = await compileCached(new Uint8Array([...hello(), ...custom]), scope, {
      spawner: 20,
      digest: 'hello-digest',
    });
    expect(evil.module).not.toBe(honest.module);
    expect(moduleByDigest({ spawner: 20, digest: 'hello-digest' })).toBe(evil.module);
    // The honest spawner still gets what its own handles delivered.
    expect(moduleByDigest({ spawner: 10, digest: 'hello-digest' })).toBe(honest.module);
  });

  it('bounds the digests kept for one module', async () => {
    for (let spawner = 100; spawner < 200; spawner++)
      await compileCached(hello(), scope, { spawner, digest: 'many' });
    expect(moduleByDigest({ spawner: 199, digest: 'many' })).not.toBeNull();
    expect(moduleByDigest({ spawner: 100, digest: 'many' })).toBeNull();
  });

  it('refuses bytes that are not a module', async () => {
    await expect(compileCached(new TextEncoder().encode('\0asm, not really'), scope)).rejects.toThrow(
      WebAssembly.CompileError,
    );
  });
});
