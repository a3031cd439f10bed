// A host directory as a flat list of entries, and writing back what a run changed.
// Layer: scripts (node). The tree that comes back from the browser is the program's
// doing: no entry may name a path outside the host directory, and nothing outside it is
// touched. Only what differs from what was copied in is written or removed.
import { lstat, mkdir, readdir, readFile, readlink, rm, symlink, writeFile } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';

export type TreeEntry =
  | { readonly kind: 'file'; readonly path: string; readonly data: Uint8Array }
  | { readonly kind: 'dir'; readonly path: string }
  | { readonly kind: 'symlink'; readonly path: string; readonly target: string };

/** Every entry under `root`, parents before children, paths relative and `/`-separated. */
export async function readTree(root: string): Promise<TreeEntry[]> {
  const out: TreeEntry[] = [];
  const walk = async (dir: string): Promise<void> => {
    const names = (await readdir(dir)).sort();
    for (const name of names) {
      const full = join(dir, name);
      const path = relative(root, full).split(sep).join('/');
      const st = await lstat(full);
      if (st.isSymbolicLink()) out.push({ kind: 'symlink', path, target: await readlink(full) });
      else if (st.isDirectory()) {
        out.push({ kind: 'dir', path });
        await walk(full);
      } else if (st.isFile()) out.push({ kind: 'file', path, data: new Uint8Array(await readFile(full)) });
    }
  };
  await walk(root);
  return out;
}

const same = (a: TreeEntry, b: TreeEntry): boolean => {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'file' && b.kind === 'file') return Buffer.from(a.data).equals(Buffer.from(b.data));
  if (a.kind === 'symlink' && b.kind === 'symlink') return a.target === b.target;
  return true;
};

/** Where `path` lands under `root`, or null if it would leave it. */
function inside(root: string, path: string): string | null {
  const full = resolve(root, path);
  return full.startsWith(resolve(root) + sep) ? full : null;
}

/**
 * Makes `root` hold `after`, given that it held `before`: writes new and changed entries
 * and removes those that are gone. Returns how many paths changed; throws on a path
 * that would leave `root`.
 */
export async function writeBack(
  root: string,
  before: readonly TreeEntry[],
  after: readonly TreeEntry[],
): Promise<number> {
  const old = new Map(before.map((e) => [e.path, e]));
  const now = new Map(after.map((e) => [e.path, e]));
  let changed = 0;
  for (const e of before)
    if (!now.has(e.path) || !same(e, now.get(e.path) as TreeEntry)) {
      const at = inside(root, e.path);
      if (at === null) throw new Error(`refusing to remove ${e.path}: outside ${root}`);
      if (!now.has(e.path) || e.kind !== now.get(e.path)?.kind) {
        await rm(at, { recursive: true, force: true });
        changed++;
      }
    }
  for (const e of after) {
    const prior = old.get(e.path);
    if (prior && same(prior, e)) continue;
    const at = inside(root, e.path);
    if (at === null) throw new Error(`refusing to write ${e.path}: outside ${root}`);
    if (e.kind === 'dir') await mkdir(at, { recursive: true });
    else if (e.kind === 'file') await writeFile(at, e.data);
    else {
      await rm(at, { force: true });
      await symlink(e.target, at);
    }
    changed++;
  }
  return changed;
}
