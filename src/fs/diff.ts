// Differences between two committed trees, as paths (relative, `/`-separated). Layer: fs.
// Subtrees with equal hashes are skipped unread, so a diff costs what changed. A path
// whose type, content or mode differs is modified; times alone do not count.
import { ok } from '../abi/result.ts';
import type { FsResult } from './errors.ts';
import type { Hash } from './hash.ts';
import type { ObjectStore } from './object-store.ts';
import { EntryType, type TreeEntry } from './objects.ts';
import { readTree } from './reach.ts';

export interface Diff {
  readonly added: string[];
  readonly removed: string[];
  readonly modified: string[];
}

function everything(store: ObjectStore, e: TreeEntry, path: string, out: string[]): FsResult<void> {
  out.push(path);
  if (e.type !== EntryType.DIR) return ok(undefined);
  const entries = readTree(store, e.hash);
  if (!entries.ok) return entries;
  for (const child of entries.value) {
    const r = everything(store, child, `${path}/${child.name}`, out);
    if (!r.ok) return r;
  }
  return ok(undefined);
}

function compare(store: ObjectStore, a: TreeEntry, b: TreeEntry, path: string, d: Diff): FsResult<void> {
  if (a.type === EntryType.DIR && b.type === EntryType.DIR) {
    return a.hash === b.hash ? ok(undefined) : walk(store, a.hash, b.hash, `${path}/`, d);
  }
  if (a.type !== b.type || a.hash !== b.hash || a.mode !== b.mode) d.modified.push(path);
  return ok(undefined);
}

function walk(store: ObjectStore, from: Hash, to: Hash, prefix: string, d: Diff): FsResult<void> {
  const a = readTree(store, from);
  if (!a.ok) return a;
  const b = readTree(store, to);
  if (!b.ok) return b;
  const before = new Map(a.value.map((e) => [e.name, e]));
  const after = new Map(b.value.map((e) => [e.name, e]));
  for (const [name, e] of before) {
    const other = after.get(name);
    const r =
      other === undefined
        ? everything(store, e, prefix + name, d.removed)
        : compare(store, e, other, prefix + name, d);
    if (!r.ok) return r;
  }
  for (const [name, e] of after) {
    if (before.has(name)) continue;
    const r = everything(store, e, prefix + name, d.added);
    if (!r.ok) return r;
  }
  return ok(undefined);
}

/** What changed from tree `from` to tree `to`; each list sorted. */
export function diffTrees(store: ObjectStore, from: Hash, to: Hash): FsResult<Diff> {
  const d: Diff = { added: [], removed: [], modified: [] };
  const r = walk(store, from, to, '', d);
  if (!r.ok) return r;
  d.added.sort();
  d.removed.sort();
  d.modified.sort();
  return ok(d);
}
