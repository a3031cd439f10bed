// Compiled WebAssembly modules, cached by the SHA-256 of their bytes: the bytes are kept
// in the origin's Cache Storage under a name made of the hash and compiled from there
// with compileStreaming, so the engine reuses its compiled code for the same bytes, in
// this page (another process running the same program) and after a reload. Layer:
// workers. The cache is keyed by content, so a changed program is a different entry.
export interface ModuleCacheScope {
  readonly caches?: CacheStorage;
  readonly crypto: Crypto;
}

/** The Cache Storage bucket and the URL prefix entries are kept under. */
export const MODULE_CACHE = { NAME: 'tessera-wasm-modules', PREFIX: '/.tessera/wasm/' } as const;

const hex = (buf: ArrayBuffer): string =>
  Array.from(new Uint8Array(buf), (b) => b.toString(16).padStart(2, '0')).join('');

/** The module for `bytes`: from the cache if the same bytes were compiled before, else compiled now. */
export async function compileCached(
  bytes: Uint8Array<ArrayBuffer>,
  scope: ModuleCacheScope,
): Promise<{ module: WebAssembly.Module; hash: string; cached: boolean }> {
  const hash = hex(await scope.crypto.subtle.digest('SHA-256', bytes));
  const storage = scope.caches;
  if (!storage) return { module: await WebAssembly.compile(bytes), hash, cached: false };
  const cache = await storage.open(MODULE_CACHE.NAME);
  const key = `${MODULE_CACHE.PREFIX}${hash}.wasm`;
  let hit = await cache.match(key);
  const cached = hit !== undefined;
  if (!hit) {
    await cache.put(key, new Response(bytes, { headers: { 'content-type': 'application/wasm' } }));
    hit = await cache.match(key);
  }
  if (!hit) return { module: await WebAssembly.compile(bytes), hash, cached: false };
  return { module: await WebAssembly.compileStreaming(hit), hash, cached };
}
