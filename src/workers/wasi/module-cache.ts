// Compiled WebAssembly modules, cached by the SHA-256 of their bytes: the bytes are kept
// in the origin's Cache Storage under a name made of the hash and compiled from there
// with compileStreaming, so the engine reuses its compiled code for the same bytes, in
// this page (another process running the same program) and after a reload. A worker
// that serves one process after another (ADR 0015) also keeps the last few modules it
// compiled in memory, which skips Cache Storage altogether. Layer: workers. The cache is
// keyed by content, so a changed program is a different entry.
export interface ModuleCacheScope {
  readonly caches?: CacheStorage;
  readonly crypto: Crypto;
}

/** The Cache Storage bucket and the URL prefix entries are kept under. */
export const MODULE_CACHE = { NAME: 'tessera-wasm-modules', PREFIX: '/.tessera/wasm/' } as const;

const hex = (buf: ArrayBuffer): string =>
  Array.from(new Uint8Array(buf), (b) => b.toString(16).padStart(2, '0')).join('');

/**
 * Modules this worker compiled, with their bytes and the fs digests (file.digest) their
 * bytes were read under, most recently used last.
 */
const recent: { bytes: Uint8Array; hash: string; module: WebAssembly.Module; digests: Set<string> }[] = [];
const RECENT_MODULES = 8;

/** Byte equality, four bytes at a time where both are aligned (BigInt words would allocate). */
function same(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  const words = a.byteLength >>> 2;
  let i = 0;
  if (a.byteOffset % 4 === 0 && b.byteOffset % 4 === 0) {
    const wa = new Uint32Array(a.buffer, a.byteOffset, words);
    const wb = new Uint32Array(b.buffer, b.byteOffset, words);
    for (; i < words; i++) if (wa[i] !== wb[i]) return false;
    i = words * 4;
  }
  for (; i < a.byteLength; i++) if (a[i] !== b[i]) return false;
  return true;
}

function touch(at: number): (typeof recent)[number] {
  const [hit] = recent.splice(at, 1) as [(typeof recent)[number]];
  recent.push(hit);
  return hit;
}

/**
 * The module this worker compiled from a file whose fs digest was `digest`, if any: the
 * store names content by its hash, so the bytes need not even be read. Digests are only
 * as good as the server that gives them; the loader takes them from the store's fs
 * server, which it trusts for the bytes anyway.
 */
export function moduleByDigest(digest: string): WebAssembly.Module | null {
  const at = recent.findIndex((r) => r.digests.has(digest));
  return at === -1 ? null : touch(at).module;
}

/** Whether this worker holds any module under an fs digest (moduleByDigest can hit). */
export const knowsDigests = (): boolean => recent.some((r) => r.digests.size > 0);

/**
 * The module for `bytes`: one this worker compiled from the same bytes (compared byte
 * for byte, so no hash is computed), else from Cache Storage, else compiled now.
 * `digest`, if given, is the fs digest the bytes were read under (unchanged from before
 * the first read to after the last), remembered for moduleByDigest.
 */
export async function compileCached(
  bytes: Uint8Array<ArrayBuffer>,
  scope: ModuleCacheScope,
  digest: string | null = null,
): Promise<{ module: WebAssembly.Module; hash: string; cached: boolean }> {
  const at = recent.findIndex((r) => same(r.bytes, bytes));
  if (at !== -1) {
    const hit = touch(at);
    if (digest !== null) hit.digests.add(digest);
    return { module: hit.module, hash: hit.hash, cached: true };
  }
  const hash = hex(await scope.crypto.subtle.digest('SHA-256', bytes));
  const got = await compileThroughCache(bytes, hash, scope);
  recent.push({ bytes, hash, module: got.module, digests: new Set(digest === null ? [] : [digest]) });
  if (recent.length > RECENT_MODULES) recent.shift();
  return got;
}

async function compileThroughCache(
  bytes: Uint8Array<ArrayBuffer>,
  hash: string,
  scope: ModuleCacheScope,
): Promise<{ module: WebAssembly.Module; hash: string; cached: boolean }> {
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
