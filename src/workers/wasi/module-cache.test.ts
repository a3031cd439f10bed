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
    expect(moduleByDigest('d1')).toBeNull();
    expect(knowsDigests()).toBe(false); // modules compiled so far came with no digest
    const first = await compileCached(hello(), scope, 'd1');
    expect(moduleByDigest('d1')).toBe(first.module);
    expect(knowsDigests()).toBe(true);
    // The same bytes read under another digest (another file, or after a rewrite) add it.
    await compileCached(hello(), scope, 'd2');
    expect(moduleByDigest('d2')).toBe(first.module);
    // Bytes read while the content changed come with no digest: nothing is remembered.
    await compileCached(hello(), scope, null);
    expect(moduleByDigest('')).toBeNull();
  });

  it('refuses bytes that are not a module', async () => {
    await expect(compileCached(new TextEncoder().encode('\0asm, not really'), scope)).rejects.toThrow(
      WebAssembly.CompileError,
    );
  });
});
