// Walking the object graph: commit history, and every object a set of commits keeps
// alive (for gc). Layer: fs. Objects are read through the store, which checks them;
// a missing or malformed object is EIO, never skipped (gc must not free what it
// could not read).
import { ok } from '../abi/result.ts';
import { Errno, fail, type FsResult } from './errors.ts';
import { Kind } from './format.ts';
import { ZERO_HASH, type Hash } from './hash.ts';
import type { ObjectStore } from './object-store.ts';
import {
  type Commit,
  decodeCommit,
  decodeManifest,
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

export function readTree(store: ObjectStore, id: Hash): FsResult<TreeEntry[]> {
  if (id === ZERO_HASH) return ok([]);
  const bytes = store.get(id, Kind.TREE);
  if (!bytes.ok) return bytes;
  const t = decodeTree(bytes.value);
  return t === null ? fail(Errno.EIO, `tree ${id.slice(0, 12)} is malformed`) : ok(t);
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
  const entries = readTree(store, id);
  if (!entries.ok) return entries;
  live.add(id);
  for (const e of entries.value) {
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
