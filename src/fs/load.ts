// Reading a committed tree back into a working layer (a Volume), and the ChunkSource
// through which a volume reads clean file content out of the store. Layer: fs. Trees
// are loaded whole at mount (names and metadata, not file content): a commit then costs
// a walk of memory. Entries sharing a non-zero link id become one inode (hard links).
import { ok } from '../abi/result.ts';
import { Errno, fail, type FsResult } from './errors.ts';
import { Kind } from './format.ts';
import { ZERO_HASH, type Hash } from './hash.ts';
import type { ChunkSource, Inode } from './inode.ts';
import type { ObjectStore } from './object-store.ts';
import { type ChunkRef, decodeManifest, type TreeEntry } from './objects.ts';
import { readDir } from './reach.ts';
import { Volume, type VolumeHooks } from './volume.ts';

/** Decoded chunk lists kept (manifests are re-read by every read of a large file otherwise). */
const CHUNK_LISTS_KEPT = 64;
/** Bytes of chunk payloads kept: a sequential reader's neighbourhood, and files read again. */
const CHUNK_BYTES_KEPT = 8 * 1024 * 1024;

/**
 * A map that forgets its least recently used entries past `limit` in total `weight`.
 * Safe for store objects: they are immutable, named by their hash, and checked (CRC)
 * when first read.
 */
class Lru<V> {
  readonly #map = new Map<Hash, V>();
  readonly #limit: number;
  readonly #weigh: (v: V) => number;
  #weight = 0;

  constructor(limit: number, weigh: (v: V) => number) {
    this.#limit = limit;
    this.#weigh = weigh;
  }

  get(key: Hash): V | undefined {
    const v = this.#map.get(key);
    if (v !== undefined) {
      this.#map.delete(key);
      this.#map.set(key, v);
    }
    return v;
  }

  /** Whether `key` is kept (without making it recently used). */
  has(key: Hash): boolean {
    return this.#map.has(key);
  }

  set(key: Hash, v: V): void {
    if (this.#map.has(key)) return;
    this.#map.set(key, v);
    this.#weight += this.#weigh(v);
    for (const [k, old] of this.#map) {
      if (this.#weight <= this.#limit || k === key) break;
      this.#map.delete(k);
      this.#weight -= this.#weigh(old);
    }
  }
}

/** Reads content through the store, keeping recent chunk lists and chunks in memory. */
export function storeChunks(store: ObjectStore): ChunkSource {
  const lists = new Lru<readonly ChunkRef[]>(CHUNK_LISTS_KEPT, () => 1);
  const chunks = new Lru<Uint8Array>(CHUNK_BYTES_KEPT, (b) => b.length);
  return {
    chunkList(hash: Hash, size: number): FsResult<readonly ChunkRef[]> {
      if (hash === ZERO_HASH) return ok([]);
      if (store.kindOf(hash) === Kind.CHUNK) return ok([{ hash, length: size }]);
      const kept = lists.get(hash);
      if (kept !== undefined) return ok(kept);
      const m = store.get(hash, Kind.MANIFEST);
      if (!m.ok) return m;
      const list = decodeManifest(m.value);
      if (list === null) return fail(Errno.EIO, `manifest ${hash.slice(0, 12)} is malformed`);
      lists.set(hash, list);
      return ok(list);
    },
    chunk(hash: Hash): FsResult<Uint8Array> {
      const kept = chunks.get(hash);
      if (kept !== undefined) return ok(kept);
      const bytes = store.get(hash, Kind.CHUNK);
      if (bytes.ok) chunks.set(hash, bytes.value);
      return bytes;
    },
    cached: (hash: Hash): boolean => chunks.has(hash),
    prefetch(hashes: readonly Hash[]): void {
      const wanted = hashes.filter((h) => h !== ZERO_HASH && !chunks.has(h));
      if (wanted.length === 0) return;
      for (const [hash, bytes] of store.getChunks(wanted)) chunks.set(hash, bytes);
    },
  };
}

function newNode(vol: Volume, e: TreeEntry, links: Map<number, Inode>): Inode {
  const shared = e.linkId === 0 ? undefined : links.get(e.linkId);
  if (shared !== undefined) {
    shared.nlink++;
    return shared;
  }
  const node = vol.newInode(e.type, e.mode, { kind: 'clean', hash: e.hash, size: e.size });
  node.atime = e.atime;
  node.mtime = e.mtime;
  node.ctime = e.ctime;
  if (e.linkId !== 0) {
    node.linkId = e.linkId;
    vol.noteLinkId(e.linkId);
    links.set(e.linkId, node);
  }
  return node;
}

function loadDir(
  store: ObjectStore,
  vol: Volume,
  dir: Inode,
  hash: Hash,
  links: Map<number, Inode>,
): FsResult<void> {
  const stored = readDir(store, hash);
  if (!stored.ok) return stored;
  for (const e of stored.value.entries) {
    const node = newNode(vol, e, links);
    if (node.entries !== null) {
      if (node.nlink > 1) return fail(Errno.EIO, `tree ${hash.slice(0, 12)} links a directory twice`);
      node.parent = dir;
      const sub = loadDir(store, vol, node, e.hash, links);
      if (!sub.ok) return sub;
    }
    (dir.entries as Map<string, Inode>).set(e.name, node);
  }
  dir.treeHash = hash;
  dir.builtAt = vol.generation;
  dir.shards = stored.value.shards;
  return ok(undefined);
}

/** A volume holding the tree `root` (ZERO_HASH: an empty root directory). */
export function loadVolume(
  store: ObjectStore,
  root: Hash,
  hooks: VolumeHooks,
  readOnly: boolean,
): FsResult<Volume> {
  const vol = new Volume(storeChunks(store), hooks, readOnly);
  if (root === ZERO_HASH) return ok(vol);
  const loaded = loadDir(store, vol, vol.root, root, new Map());
  return loaded.ok ? ok(vol) : loaded;
}
