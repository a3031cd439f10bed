// Path resolution inside a root directory. Layer: fs. Paths come from untrusted
// programs, so this is where confinement holds: resolution starts at `root` and never
// leaves its subtree. By default `..` at the root stays at the root (as POSIX does at
// `/`), and a path starting with `/` and an absolute symlink target both resolve from
// the root; with `refuseEscapes` each of those is ENOTCAPABLE instead (WASI preview 1).
// More than MAX_SYMLINK_HOPS symlinks in one resolution is ELOOP.
import { ok } from '../abi/result.ts';
import { utf8 } from './codec.ts';
import { Errno, fail, FS_LIMITS, type FsResult } from './errors.ts';
import type { Inode } from './inode.ts';
import { EntryType } from './objects.ts';

/** The last component of a path and the directory that holds it. */
export interface Resolved {
  readonly parent: Inode;
  /** The final name; `.` or `..` when the path ends so (callers that create or remove refuse those). */
  readonly name: string;
  /** What the name refers to, or undefined if nothing does yet. */
  readonly node: Inode | undefined;
}

/** Reads a symlink's target; the volume supplies it (targets may live in the store). */
export type ReadLink = (link: Inode) => FsResult<string>;

export function isDotName(name: string): boolean {
  return name === '.' || name === '..';
}

/**
 * Resolves `path` under `root`. Intermediate symlinks are always followed; the last one
 * only if `followLast`. A path ending in `/` must name a directory (or nothing yet).
 * `refuseEscapes`: an absolute path or target, or `..` at the root, is ENOTCAPABLE.
 */
export function resolve(
  root: Inode,
  path: string,
  followLast: boolean,
  readLink: ReadLink,
  refuseEscapes = false,
): FsResult<Resolved> {
  if (path === '') return fail(Errno.ENOENT, 'the empty path names nothing');
  if (utf8(path).length > FS_LIMITS.PATH_BYTES) {
    return fail(Errno.ENAMETOOLONG, `paths are limited to ${FS_LIMITS.PATH_BYTES} bytes`);
  }
  const escape = (what: string) =>
    fail(Errno.ENOTCAPABLE, `${what} would leave the directory this handle confers (in "${path}")`);
  if (refuseEscapes && path.startsWith('/')) return escape('an absolute path');
  const mustBeDir = path.endsWith('/');
  const pending = components(path).reverse();
  let cur = root;
  let hops = 0;
  let last: Resolved = { parent: root, name: '.', node: root };
  while (pending.length > 0) {
    const name = pending.pop() as string;
    const isLast = pending.length === 0;
    if (cur.entries === null) return fail(Errno.ENOTDIR, `a component before "${name}" is not a directory`);
    if (utf8(name).length > FS_LIMITS.NAME_BYTES) {
      return fail(Errno.ENAMETOOLONG, `names are limited to ${FS_LIMITS.NAME_BYTES} bytes`);
    }
    if (refuseEscapes && name === '..' && cur === root) return escape('".." at the top');
    const node =
      name === '.'
        ? cur
        : name === '..'
          ? cur === root
            ? root
            : (cur.parent ?? root)
          : cur.entries.get(name);
    if (node !== undefined && node.type === EntryType.SYMLINK && (!isLast || followLast || mustBeDir)) {
      if (++hops > FS_LIMITS.MAX_SYMLINK_HOPS)
        return fail(Errno.ELOOP, `too many symbolic links in "${path}"`);
      const target = readLink(node);
      if (!target.ok) return target;
      if (refuseEscapes && target.value.startsWith('/'))
        return escape(`the absolute symlink target "${target.value}"`);
      pending.push(...components(target.value).reverse());
      if (target.value.startsWith('/')) cur = root;
      if (pending.length === 0) last = { parent: cur, name: '.', node: cur };
      continue;
    }
    if (isLast) {
      last = { parent: cur, name, node };
      break;
    }
    if (node === undefined) return fail(Errno.ENOENT, `"${name}" does not exist (in "${path}")`);
    cur = node;
  }
  if (mustBeDir && last.node !== undefined && last.node.entries === null) {
    return fail(Errno.ENOTDIR, `"${path}" ends in "/" but is not a directory`);
  }
  return ok(last);
}

function components(path: string): string[] {
  return path.split('/').filter((c) => c !== '');
}
