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
import { type ChunkRef, decodeManifest, decodeTree, type TreeEntry } from './objects.ts';
import { Volume, type VolumeHooks } from './volume.ts';

/** Reads content through the store, keeping the last chunk read (sequential reads hit it). */
export function storeChunks(store: ObjectStore): ChunkSource {
  let last: { hash: Hash; bytes: Uint8Array } | null = null;
  return {
    chunkList(hash: Hash, size: number): FsResult<readonly ChunkRef[]> {
      if (hash === ZERO_HASH) return ok([]);
      if (store.kindOf(hash) === Kind.CHUNK) return ok([{ hash, length: size }]);
      const m = store.get(hash, Kind.MANIFEST);
      if (!m.ok) return m;
      const list = decodeManifest(m.value);
      if (list === null) return fail(Errno.EIO, `manifest ${hash.slice(0, 12)} is malformed`);
      return ok(list);
    },
    chunk(hash: Hash): FsResult<Uint8Array> {
      if (last?.hash === hash) return ok(last.bytes);
      const bytes = store.get(hash, Kind.CHUNK);
      if (bytes.ok) last = { hash, bytes: bytes.value };
      return bytes;
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
  const bytes = store.get(hash, Kind.TREE);
  if (!bytes.ok) return bytes;
  const entries = decodeTree(bytes.value);
  if (entries === null) return fail(Errno.EIO, `tree ${hash.slice(0, 12)} is malformed`);
  for (const e of entries) {
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
