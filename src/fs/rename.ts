// rename(2) on the working layer, with POSIX's edge cases. Layer: fs. Atomic: every
// check runs before the tree changes, and the change itself cannot fail.
//   - a name renamed onto itself, or onto another link of the same file: nothing happens;
//   - onto an existing file: replaces it (the old file loses a link);
//   - a directory onto an empty directory: replaces it; onto a non-empty one: ENOTEMPTY;
//   - a file onto a directory: EISDIR; a directory onto a file: ENOTDIR;
//   - a file to a name ending in `/` (taken or not): ENOTDIR;
//   - a directory into its own subtree: EINVAL; `.`, `..` or the root as either name: EINVAL.
import { ok } from '../abi/result.ts';
import { Errno, fail, type FsResult } from './errors.ts';
import type { Inode } from './inode.ts';
import type { DirView } from './dir-view.ts';

/** Is `dir` the same as `ancestor` or below it? Walks parent pointers up to the root. */
function within(dir: Inode, ancestor: Inode, root: Inode): boolean {
  for (let d = dir; ; d = d.parent ?? root) {
    if (d === ancestor) return true;
    if (d === root) return false;
  }
}

/** rename(2) of `from`, resolved in `view`, to `to`, resolved in `into` (renameat(2)); EXDEV across volumes. */
export function renamePath(view: DirView, from: string, to: string, into: DirView = view): FsResult<void> {
  const vol = view.vol;
  if (into.vol !== vol) return fail(Errno.EXDEV, 'a rename cannot cross from one volume to another');
  const src = view.entry(from);
  if (!src.ok) return src;
  const node = src.value.node;
  if (node === undefined) return fail(Errno.ENOENT, `"${from}" does not exist`);
  // A trailing slash says "a directory" on either side, even on a name not there yet.
  if (node.entries === null && to.endsWith('/'))
    return fail(Errno.ENOTDIR, `"${to}" ends in "/" but "${from}" is not a directory`);
  const dst = into.entry(to);
  if (!dst.ok) return dst;
  const old = dst.value.node;
  if (old === node) return ok(undefined);
  if (node.entries !== null && within(dst.value.parent, node, vol.root)) {
    return fail(Errno.EINVAL, `cannot move "${from}" into its own subtree ("${to}")`);
  }
  if (old !== undefined) {
    if (node.entries !== null && old.entries === null)
      return fail(Errno.ENOTDIR, `"${to}" is not a directory`);
    if (node.entries === null && old.entries !== null) return fail(Errno.EISDIR, `"${to}" is a directory`);
    if (old.entries !== null && old.entries.size > 0) return fail(Errno.ENOTEMPTY, `"${to}" is not empty`);
    vol.detach(dst.value.parent, dst.value.name, old);
  }
  (src.value.parent.entries as Map<string, Inode>).delete(src.value.name);
  vol.touch(src.value.parent);
  vol.touch(node, true);
  vol.attach(dst.value.parent, dst.value.name, node);
  return ok(undefined);
}
