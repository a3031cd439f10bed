// Writing the working layer into the store as trees (the first half of fsync): hash and
// stage every dirty file's chunks, then every changed directory's tree, bottom up.
// Layer: fs. Nothing in the volume changes until the caller has published; then
// `settle` marks what was written clean. The volume is `busy` in between, so no change
// can slip in after its bytes were captured.
import { ok } from '../abi/result.ts';
import { chunkLengths } from './chunker.ts';
import type { FsResult } from './errors.ts';
import { Kind } from './format.ts';
import { ZERO_HASH, type Hash } from './hash.ts';
import type { Inode } from './inode.ts';
import { type ObjectStore, objectHash } from './object-store.ts';
import { compareNames, encodeManifest, encodeShards, encodeTree, type TreeEntry } from './objects.ts';
import { shardEnds, type StoredShard } from './shard.ts';
import type { Volume } from './volume.ts';

/** What a successful publish makes true in the volume. */
export interface Written {
  readonly root: Hash;
  readonly generation: number;
  readonly files: Map<Inode, Hash>;
  readonly trees: Map<Inode, { readonly hash: Hash; readonly shards: readonly StoredShard[] | null }>;
}

/** Whether `child`'s entry in `dir` differs from when dir's tree was last written. */
function entryChanged(dir: Inode, child: Inode, changed: Set<Inode>): boolean {
  return child.changedAt > dir.builtAt || child.content.kind === 'dirty' || changed.has(child);
}

/**
 * Directories whose tree must be written again: never written, changed since, or holding
 * a child that changed. Computed once per commit, post-order, so a commit is O(tree).
 */
function changedDirs(dir: Inode, out: Set<Inode>): Set<Inode> {
  let changed = dir.treeHash === null || dir.changedAt > dir.builtAt;
  for (const child of (dir.entries as Map<string, Inode>).values()) {
    if (child.entries !== null) changedDirs(child, out);
    if (entryChanged(dir, child, out)) changed = true;
  }
  if (changed) out.add(dir);
  return out;
}

/** Dirty files and symlinks directly in the changed directories (each inode once). */
function dirtyFiles(changed: Set<Inode>): Set<Inode> {
  const out = new Set<Inode>();
  for (const dir of changed) {
    for (const child of (dir.entries as Map<string, Inode>).values()) {
      if (child.entries === null && child.content.kind === 'dirty') out.add(child);
    }
  }
  return out;
}

/** One dirty file cut into chunks, and the chunks' hashes once computed. */
interface Cut {
  readonly file: Inode;
  readonly pieces: Uint8Array[];
  hashes: Hash[];
}

/** Bytes and digests in flight at once while hashing (WebCrypto runs them concurrently). */
const HASH_BATCH_BYTES = 16 * 1024 * 1024;
const HASH_BATCH_COUNT = 4096;

/**
 * The hashes of every piece, issued in concurrent batches: awaiting digests one by one
 * costs a round trip to the crypto thread each, which dominates for many small files.
 */
async function hashPieces(pieces: readonly Uint8Array[]): Promise<Hash[]> {
  const out: Hash[] = [];
  for (let i = 0; i < pieces.length;) {
    const batch: Promise<Hash>[] = [];
    for (
      let bytes = 0;
      i < pieces.length && bytes < HASH_BATCH_BYTES && batch.length < HASH_BATCH_COUNT;
      i++
    ) {
      const p = pieces[i] as Uint8Array;
      bytes += p.length;
      batch.push(objectHash(Kind.CHUNK, p));
    }
    out.push(...(await Promise.all(batch)));
  }
  return out;
}

/** Cuts every file into chunks and hashes all of them together. */
async function cutAndHash(files: Iterable<Inode>): Promise<Cut[]> {
  const cuts: Cut[] = [];
  for (const file of files) {
    const c = file.content;
    if (c.kind !== 'dirty' || c.size === 0) {
      if (c.kind === 'dirty') cuts.push({ file, pieces: [], hashes: [] });
      continue;
    }
    const bytes = c.bytes.subarray(0, c.size);
    let at = 0;
    cuts.push({ file, pieces: chunkLengths(bytes).map((n) => bytes.subarray(at, (at += n))), hashes: [] });
  }
  const hashes = await hashPieces(cuts.flatMap((c) => c.pieces));
  let at = 0;
  for (const c of cuts) c.hashes = hashes.slice(at, (at += c.pieces.length));
  return cuts;
}

/** Stages one file's hashed chunks; its hash (a chunk, a manifest, or ZERO_HASH if empty). */
async function stageContent(store: ObjectStore, cut: Cut): Promise<FsResult<Hash>> {
  const { pieces, hashes } = cut;
  if (pieces.length === 0) return ok(ZERO_HASH);
  for (let i = 0; i < pieces.length; i++) {
    const staged = await store.stage(Kind.CHUNK, hashes[i] as Hash, pieces[i] as Uint8Array);
    if (!staged.ok) return staged;
  }
  if (pieces.length === 1) return ok(hashes[0] as Hash);
  const manifest = encodeManifest(
    hashes.map((hash, i) => ({ hash, length: (pieces[i] as Uint8Array).length })),
  );
  return stageObject(store, Kind.MANIFEST, manifest);
}

function entryOf(name: string, n: Inode, hash: Hash): TreeEntry {
  const { type, mode, size, atime, mtime, ctime } = n;
  return { name, type, mode, size, atime, mtime, ctime, linkId: n.nlink > 1 ? n.linkId : 0, hash };
}

async function stageObject(store: ObjectStore, kind: Kind, bytes: Uint8Array): Promise<FsResult<Hash>> {
  const hash = await objectHash(kind, bytes);
  const staged = await store.stage(kind, hash, bytes);
  return staged.ok ? ok(hash) : staged;
}

/** The entry `child` has in its directory's tree; a directory's own tree is staged first. */
async function childEntry(
  store: ObjectStore,
  name: string,
  child: Inode,
  w: Written,
  changed: Set<Inode>,
): Promise<FsResult<TreeEntry>> {
  if (child.entries === null) {
    const hash = w.files.get(child) ?? (child.content.kind === 'clean' ? child.content.hash : ZERO_HASH);
    return ok(entryOf(name, child, hash));
  }
  const sub = await stageTree(store, child, w, changed);
  return sub.ok ? ok(entryOf(name, child, sub.value)) : sub;
}

/**
 * The shard `dir` had when its tree was last written that holds exactly `names[start, end)`,
 * if none of them changed since: its entries would encode to the same bytes.
 */
function keptShard(
  dir: Inode,
  byFirst: ReadonlyMap<string, StoredShard>,
  names: readonly string[],
  start: number,
  end: number,
  changed: Set<Inode>,
): StoredShard | undefined {
  const old = byFirst.get(names[start] as string);
  if (old === undefined || old.names.length !== end - start) return undefined;
  const entries = dir.entries as Map<string, Inode>;
  for (let i = start; i < end; i++) {
    const name = names[i] as string;
    const child = entries.get(name) as Inode;
    if (old.names[i - start] !== name || entryChanged(dir, child, changed)) return undefined;
  }
  return old;
}

/**
 * Stages a changed directory: one TREE, or for a large one (shard.ts) a TREE per shard
 * and a SHARDS index, where a shard whose entries did not change is the one written before.
 */
async function stageTree(
  store: ObjectStore,
  dir: Inode,
  w: Written,
  changed: Set<Inode>,
): Promise<FsResult<Hash>> {
  if (!changed.has(dir)) return ok(dir.treeHash as Hash);
  const entries = dir.entries as Map<string, Inode>;
  const names = [...entries.keys()].sort(compareNames);
  const ends = shardEnds(names);
  const before = dir.treeHash === null ? [] : (dir.shards ?? []);
  const byFirst = new Map(before.map((s) => [s.names[0] as string, s]));
  const shards: StoredShard[] = [];
  let start = 0;
  for (const end of ends) {
    let shard = ends.length > 1 ? keptShard(dir, byFirst, names, start, end, changed) : undefined;
    if (shard === undefined) {
      const part: TreeEntry[] = [];
      for (let i = start; i < end; i++) {
        const name = names[i] as string;
        const e = await childEntry(store, name, entries.get(name) as Inode, w, changed);
        if (!e.ok) return e;
        part.push(e.value);
      }
      const hash = await stageObject(store, Kind.TREE, encodeTree(part));
      if (!hash.ok) return hash;
      shard = { hash: hash.value, names: names.slice(start, end) };
    }
    shards.push(shard);
    start = end;
  }
  const only = shards.length === 1 ? shards[0] : undefined;
  const hash =
    only !== undefined
      ? ok(only.hash)
      : await stageObject(
          store,
          Kind.SHARDS,
          encodeShards(shards.map((s) => ({ hash: s.hash, count: s.names.length }))),
        );
  if (!hash.ok) return hash;
  w.trees.set(dir, { hash: hash.value, shards: only !== undefined ? null : shards });
  return hash;
}

/** Stages the volume's tree. The caller publishes (or rolls the store back) and settles. */
export async function writeVolume(store: ObjectStore, vol: Volume): Promise<FsResult<Written>> {
  const w: Written = { root: ZERO_HASH, generation: vol.generation, files: new Map(), trees: new Map() };
  const changed = changedDirs(vol.root, new Set());
  for (const cut of await cutAndHash(dirtyFiles(changed))) {
    const hash = await stageContent(store, cut);
    if (!hash.ok) return hash;
    w.files.set(cut.file, hash.value);
  }
  const root = await stageTree(store, vol.root, w, changed);
  return root.ok ? ok({ ...w, root: root.value }) : root;
}

/** After the publish: what was written is now clean, and its memory is given back. */
export function settle(vol: Volume, w: Written): void {
  for (const [file, hash] of w.files) {
    vol.dirtyBytes -= file.content.size;
    file.content = { kind: 'clean', hash, size: file.content.size };
  }
  for (const [dir, tree] of w.trees) {
    dir.treeHash = tree.hash;
    dir.shards = tree.shards;
    dir.builtAt = w.generation;
  }
}

/** Whether the volume has anything a commit would write. */
export function hasChanges(vol: Volume): boolean {
  return changedDirs(vol.root, new Set()).size > 0;
}
