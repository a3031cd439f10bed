// Walking the object graph: commit history, and every object a set of commits keeps
// alive (for gc). Layer: fs. Objects are read through the store, which checks them;
// a missing or malformed object is EIO, never skipped (gc must not free what it
// could not read).
import { ok } from '../abi/result.ts';
import { Errno, fail, type FsResult } from './errors.ts';
import { Kind } from './format.ts';
import { ZERO_HASH, type Hash } from './hash.ts';
import type { ObjectStore } from './object-store.ts';
import type { StoredShard } from './shard.ts';
import {
  type Commit,
  compareNames,
  decodeCommit,
  decodeManifest,
  decodeShards,
  decodeTree,
  EntryType,
  type TreeEntry,
} from './objects.ts';

export function readCommit(store: ObjectStore, id: Hash): FsResult<Commit> {
  const bytes = store.get(id, Kind.COMMIT);
  if (!bytes.ok) return bytes;
  const c = decodeCommit(bytes.value);
  return c === null ? fail(Errno.EIO, `commit ${id.slice(0, 12)} is malformed`) : ok(c);
}

/** A directory as stored: its entries, and for a large one the shards that hold them. */
export interface StoredDir {
  readonly entries: TreeEntry[];
  /** Null for a directory stored as one TREE. */
  readonly shards: readonly StoredShard[] | null;
}

function readTreeObject(store: ObjectStore, id: Hash): FsResult<TreeEntry[]> {
  const bytes = store.get(id, Kind.TREE);
  if (!bytes.ok) return bytes;
  const t = decodeTree(bytes.value);
  return t === null ? fail(Errno.EIO, `tree ${id.slice(0, 12)} is malformed`) : ok(t);
}

/**
 * The directory `id` names: a TREE, or (format 2) a SHARDS index whose shards must hold
 * the counts it says, with names increasing across shards as within each one.
 */
export function readDir(store: ObjectStore, id: Hash): FsResult<StoredDir> {
  if (id === ZERO_HASH) return ok({ entries: [], shards: null });
  if (store.kindOf(id) !== Kind.SHARDS) {
    const t = readTreeObject(store, id);
    return t.ok ? ok({ entries: t.value, shards: null }) : t;
  }
  const bytes = store.get(id, Kind.SHARDS);
  if (!bytes.ok) return bytes;
  const refs = decodeShards(bytes.value);
  if (refs === null) return fail(Errno.EIO, `shard list ${id.slice(0, 12)} is malformed`);
  const entries: TreeEntry[] = [];
  const shards: StoredShard[] = [];
  for (const ref of refs) {
    const part = readTreeObject(store, ref.hash);
    if (!part.ok) return part;
    const first = part.value[0];
    const last = entries[entries.length - 1];
    if (
      part.value.length !== ref.count ||
      (first !== undefined && last !== undefined && compareNames(last.name, first.name) >= 0)
    ) {
      return fail(Errno.EIO, `shard list ${id.slice(0, 12)} is malformed`);
    }
    shards.push({ hash: ref.hash, names: part.value.map((e) => e.name) });
    for (const e of part.value) entries.push(e);
  }
  return ok({ entries, shards });
}

export function readTree(store: ObjectStore, id: Hash): FsResult<TreeEntry[]> {
  const d = readDir(store, id);
  return d.ok ? ok(d.value.entries) : d;
}

/** `id` and its ancestors, newest first. */
export function ancestry(store: ObjectStore, id: Hash): FsResult<{ id: Hash; commit: Commit }[]> {
  const out: { id: Hash; commit: Commit }[] = [];
  for (let at = id; at !== ZERO_HASH;) {
    const c = readCommit(store, at);
    if (!c.ok) return c;
    out.push({ id: at, commit: c.value });
    at = c.value.parent;
  }
  return ok(out);
}

function markContent(store: ObjectStore, hash: Hash, live: Set<Hash>): FsResult<void> {
  if (hash === ZERO_HASH || live.has(hash)) return ok(undefined);
  live.add(hash);
  if (store.kindOf(hash) !== Kind.MANIFEST) return ok(undefined);
  const m = store.get(hash, Kind.MANIFEST);
  if (!m.ok) return m;
  const list = decodeManifest(m.value);
  if (list === null) return fail(Errno.EIO, `manifest ${hash.slice(0, 12)} is malformed`);
  for (const c of list) live.add(c.hash);
  return ok(undefined);
}

function markTree(store: ObjectStore, id: Hash, live: Set<Hash>): FsResult<void> {
  if (id === ZERO_HASH || live.has(id)) return ok(undefined);
  const dir = readDir(store, id);
  if (!dir.ok) return dir;
  live.add(id);
  for (const s of dir.value.shards ?? []) live.add(s.hash);
  for (const e of dir.value.entries) {
    const marked =
      e.type === EntryType.DIR ? markTree(store, e.hash, live) : markContent(store, e.hash, live);
    if (!marked.ok) return marked;
  }
  return ok(undefined);
}

/**
 * Adds to `live` every object reachable from the commits `roots` (with their history)
 * and from the content hashes `contents` (files open in a working layer).
 */
export function markLive(
  store: ObjectStore,
  roots: Iterable<Hash>,
  contents: Iterable<Hash>,
  live: Set<Hash>,
): FsResult<Set<Hash>> {
  for (const root of roots) {
    const history = ancestry(store, root);
    if (!history.ok) return history;
    for (const { id, commit } of history.value) {
      if (live.has(id)) break;
      live.add(id);
      const marked = markTree(store, commit.tree, live);
      if (!marked.ok) return marked;
    }
  }
  for (const hash of contents) {
    const marked = markContent(store, hash, live);
    if (!marked.ok) return marked;
  }
  return ok(live);
}
