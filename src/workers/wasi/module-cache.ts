// Compiled WebAssembly modules, cached by the SHA-256 of their bytes: the bytes are kept
// in the origin's Cache Storage under a name made of the hash and compiled from there
// with compileStreaming, so the engine reuses its compiled code for the same bytes, in
// this page (another process running the same program) and after a reload. A worker
// that serves one process after another (ADR 0015) also keeps the last few modules it
// compiled in memory, which skips Cache Storage altogether. Layer: workers. The cache is
// keyed by content, so a changed program is a different entry.
//
// TRUST. A digest is only a spawner's word: the File handle it gives may lead to a server
// of its own that answers any digest for any bytes. So a digest is remembered for the
// spawner whose handle gave it and found only for that spawner (ADR 0033): a spawner that
// lies poisons its own lookups, never another's, and a spawner can be given a module by
// digest only if it once delivered the module's bytes itself.
export interface ModuleCacheScope {
  readonly caches?: CacheStorage;
  readonly crypto: Crypto;
}

/** The Cache Storage bucket and the URL prefix entries are kept under. */
export const MODULE_CACHE = { NAME: 'tessera-wasm-modules', PREFIX: '/.tessera/wasm/' } as const;

const hex = (buf: ArrayBuffer): string =>
  Array.from(new Uint8Array(buf), (b) => b.toString(16).padStart(2, '0')).join('');

/** A digest as one spawner (a process koid, from the kernel) vouched for it. */
export interface Vouched {
  readonly spawner: number;
  readonly digest: string;
}

const key = (v: Vouched): string => `${v.spawner}:${v.digest}`;

/**
 * Modules this worker compiled, with their bytes and the fs digests (file.digest) their
 * bytes were read under, each keyed by the spawner that gave it; most recently used last.
 */
const recent: { bytes: Uint8Array; hash: string; module: WebAssembly.Module; digests: Set<string> }[] = [];
const RECENT_MODULES = 8;
/** Vouched digests kept per module; the oldest goes first (a Set keeps insertion order). */
const DIGESTS_PER_MODULE = 32;

function remember(digests: Set<string>, vouched: Vouched): void {
  const k = key(vouched);
  digests.delete(k);
  digests.add(k);
  for (const old of digests) {
    if (digests.size <= DIGESTS_PER_MODULE) break;
    digests.delete(old);
  }
}

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
 * The module this worker compiled from bytes that `vouched.spawner`'s handle delivered
 * under the fs digest `vouched.digest`, if any: the store names content by its hash, so
 * the bytes need not even be read.
 */
export function moduleByDigest(vouched: Vouched): WebAssembly.Module | null {
  const k = key(vouched);
  const at = recent.findIndex((r) => r.digests.has(k));
  return at === -1 ? null : touch(at).module;
}

/** Whether this worker holds any module under a digest from `spawner` (moduleByDigest can hit). */
export const knowsDigests = (spawner: number): boolean => {
  const prefix = `${spawner}:`;
  return recent.some((r) => [...r.digests].some((d) => d.startsWith(prefix)));
};

/**
 * The module for `bytes`: one this worker compiled from the same bytes (compared byte
 * for byte, so no hash is computed), else from Cache Storage, else compiled now.
 * `vouched`, if given, is the fs digest the bytes were read under (unchanged from before
 * the first read to after the last) and the spawner whose handle they came through,
 * remembered for moduleByDigest.
 */
export async function compileCached(
  bytes: Uint8Array<ArrayBuffer>,
  scope: ModuleCacheScope,
  vouched: Vouched | null = null,
): Promise<{ module: WebAssembly.Module; hash: string; cached: boolean }> {
  const at = recent.findIndex((r) => same(r.bytes, bytes));
  if (at !== -1) {
    const hit = touch(at);
    if (vouched !== null) remember(hit.digests, vouched);
    return { module: hit.module, hash: hit.hash, cached: true };
  }
  const hash = hex(await scope.crypto.subtle.digest('SHA-256', bytes));
  const got = await compileThroughCache(bytes, hash, scope);
  recent.push({ bytes, hash, module: got.module, digests: new Set(vouched === null ? [] : [key(vouched)]) });
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
