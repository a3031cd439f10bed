// Pathname expansion for the shell: a field's glob pattern (expand.ts) to the paths it
// matches, component by component. Layer: apps; pure apart from the directory listings
// the caller supplies, so the shell reads the store and the tests a table.
import { globMatch } from './expand.ts';

export interface GlobFs {
  /** The entries of the directory at `path` (absolute, normalised), or null when there is none. */
  list(path: string): Promise<readonly GlobEntry[] | null>;
}

export interface GlobEntry {
  readonly name: string;
  readonly dir: boolean;
}

const MAGIC = /(^|[^\\])[*?[]/;

/** Removes the backslash escapes escapeGlob put in. */
const unescape = (component: string): string => component.replace(/\\(.)/g, '$1');

/** `path` made absolute against `cwd` and normalised ('.', '..' and repeated slashes gone). */
export function absolute(path: string, cwd: string): string {
  const parts: string[] = [];
  for (const part of (path.startsWith('/') ? path : `${cwd}/${path}`).split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return `/${parts.join('/')}`;
}

const join = (prefix: string, name: string): string =>
  prefix === '' ? name : prefix.endsWith('/') ? `${prefix}${name}` : `${prefix}/${name}`;

/**
 * The paths `pattern` matches, sorted, spelled as the pattern spells them (relative
 * patterns give relative paths); [] when none match, and the caller keeps the word as it
 * was, as POSIX shells do. A trailing slash matches directories only. Names starting with
 * '.' match only a pattern component that starts with '.'.
 */
export async function expandPathname(pattern: string, cwd: string, fs: GlobFs): Promise<string[]> {
  const components = pattern.split('/');
  const trailingSlash = components.length > 1 && components.at(-1) === '';
  let found: { path: string; dir: boolean }[] = [{ path: pattern.startsWith('/') ? '/' : '', dir: true }];
  let globbed = false;
  let literalTail: string[] = [];
  for (const component of components) {
    if (component === '') continue;
    if (!MAGIC.test(component)) {
      literalTail.push(unescape(component));
      continue;
    }
    // Literal components before this one: no listing needed, only this one's parent is listed.
    const tail = literalTail;
    literalTail = [];
    const next: { path: string; dir: boolean }[] = [];
    for (const f of found) {
      const parent = tail.reduce(join, f.path);
      const entries = await fs.list(absolute(parent || '.', cwd));
      if (entries === null) continue;
      const names = entries.filter((e) => globMatch(component, e.name)).sort(byName);
      for (const e of names) next.push({ path: join(parent, e.name), dir: e.dir });
    }
    found = next;
    globbed = true;
  }
  if (!globbed) return [];
  let paths = found;
  if (literalTail.length > 0) {
    // The pattern ends in literal components: keep the paths where they exist.
    const kept: { path: string; dir: boolean }[] = [];
    for (const f of found) {
      const path = literalTail.reduce(join, f.path);
      const last = literalTail.at(-1) ?? '';
      const entries = await fs.list(absolute(`${path}/..`, cwd));
      const entry = entries?.find((e) => e.name === last);
      if (entry !== undefined) kept.push({ path, dir: entry.dir });
    }
    paths = kept;
  }
  if (trailingSlash) paths = paths.filter((p) => p.dir).map((p) => ({ ...p, path: `${p.path}/` }));
  return paths.map((p) => p.path);
}

const byName = (a: GlobEntry, b: GlobEntry): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
