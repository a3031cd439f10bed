// Host exchange (issue 4): a directory or a snapshot exported as a tar archive, and tar
// archives or host files imported under a directory. Layer: fs. Exports read through a
// DirView; imports write through one, so they are confined to it like any program. The
// archive itself is untrusted (it comes from the host page): tar-format.ts checks it
// whole before anything is written, and this file refuses archives that would write
// through their own symlinks or that clash with what the directory holds.
//
// ATOMICITY. Problems with the archive (checksum, truncation, names, clashes) and with
// the directory that can be seen beforehand (a file where a directory must go, quota)
// are found before the first write: nothing is written. A write that still fails later
// leaves the entries before it in place and never a partial file: each file is written
// under a temporary name and renamed over its final name.
import { ok } from '../abi/result.ts';
import { utf8 } from './codec.ts';
import { DirView } from './dir-view.ts';
import { Errno, fail, type FsResult } from './errors.ts';
import { O } from './open-file.ts';
import { decodeTar, encodeEnd, encodeEntry, normalize, type TarEntry } from './tar-format.ts';
import type { Volume } from './volume.ts';

export type { TarEntry } from './tar-format.ts';

/** What imports and exports work on: a volume (from its root) or a directory view. */
export type TarPlace = DirView | Volume;

export interface ImportStats {
  /** Regular files and hard links written. */
  files: number;
  /** Directories created (those that existed already are not counted). */
  dirs: number;
  symlinks: number;
  /** Bytes of file content written. */
  bytes: number;
}

/** A file read from the host page (a File object's bytes and lastModified). */
export interface HostFile {
  readonly path: string;
  readonly data: Uint8Array;
  /** Milliseconds since the epoch. */
  readonly mtime: number;
}

function viewOf(place: TarPlace): DirView {
  return place instanceof DirView ? place : place.top;
}

// ---------------------------------------------------------------------------- export

/**
 * The archive of the directory `path` as a list of byte blocks (`new Blob(parts)` makes
 * the download without copying them into one buffer). Members are named relative to
 * that directory, under `prefix/` if one is given. A file with several names inside the
 * directory is stored once, its other names as tar hard links.
 */
export function exportTarParts(place: TarPlace, path = '.', prefix = ''): FsResult<Uint8Array[]> {
  const view = viewOf(place).openDir(path);
  if (!view.ok) return view;
  const top = normalize(prefix);
  if (!top.ok) return top;
  const entries: TarEntry[] = [];
  if (top.value !== '') {
    const s = view.value.stat('.');
    if (!s.ok) return s;
    entries.push({ kind: 'dir', path: top.value, mode: s.value.mode, mtime: s.value.mtime });
  }
  const walked = collect(view.value, '', top.value, new Map(), entries);
  if (!walked.ok) return walked;
  const parts = entries.flatMap(encodeEntry);
  const written = parts.reduce((n, p) => n + p.length, 0);
  return ok([...parts, encodeEnd(written)]);
}

/** The archive as one buffer; see exportTarParts. */
export function exportTar(place: TarPlace, path = '.', prefix = ''): FsResult<Uint8Array> {
  const parts = exportTarParts(place, path, prefix);
  if (!parts.ok) return parts;
  const out = new Uint8Array(parts.value.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts.value) {
    out.set(p, at);
    at += p.length;
  }
  return ok(out);
}

/** Appends the entries under `rel` (depth first, names sorted); `links` maps ino to a first name. */
function collect(
  view: DirView,
  rel: string,
  prefix: string,
  links: Map<number, string>,
  out: TarEntry[],
): FsResult<void> {
  const list = view.readdir(rel === '' ? '.' : rel);
  if (!list.ok) return list;
  for (const { name } of list.value) {
    const p = rel === '' ? name : `${rel}/${name}`;
    const full = prefix === '' ? p : `${prefix}/${p}`;
    const s = view.stat(p, false);
    if (!s.ok) return s;
    const { mode, mtime, ino } = s.value;
    if (s.value.type === 'dir') {
      out.push({ kind: 'dir', path: full, mode, mtime });
      const r = collect(view, p, prefix, links, out);
      if (!r.ok) return r;
    } else if (s.value.type === 'symlink') {
      const target = view.readlink(p);
      if (!target.ok) return target;
      out.push({ kind: 'symlink', path: full, mtime, target: target.value });
    } else if (links.has(ino)) {
      out.push({ kind: 'hardlink', path: full, mtime, target: links.get(ino) as string });
    } else {
      const data = readAll(view, p);
      if (!data.ok) return data;
      if (s.value.nlink > 1) links.set(ino, full);
      out.push({ kind: 'file', path: full, mode, mtime, data: data.value });
    }
  }
  return ok(undefined);
}

function readAll(view: DirView, path: string): FsResult<Uint8Array> {
  const f = view.open(path, O.RDONLY);
  if (!f.ok) return f;
  const s = f.value.stat();
  const data = new Uint8Array(s.ok ? s.value.size : 0);
  const n = f.value.pread(data, 0);
  f.value.close();
  return n.ok ? ok(data) : n;
}

// ---------------------------------------------------------------------------- import

/** Extracts a tar archive under `place`; see the header for what is checked first. */
export function importTar(place: TarPlace, bytes: Uint8Array): FsResult<ImportStats> {
  const entries = decodeTar(bytes);
  return entries.ok ? importEntries(viewOf(place), entries.value) : entries;
}

/** Writes host files under `place` (paths relative, `/`-separated), creating directories. */
export function importFiles(place: TarPlace, files: readonly HostFile[]): FsResult<ImportStats> {
  const entries: TarEntry[] = [];
  for (const f of files) {
    const path = normalize(f.path);
    if (!path.ok) return path;
    if (path.value === '') return fail(Errno.EINVAL, `"${f.path}" names no file`);
    entries.push({ kind: 'file', path: path.value, mode: 0o644, mtime: f.mtime, data: f.data });
  }
  return importEntries(viewOf(place), entries);
}

function importEntries(view: DirView, entries: readonly TarEntry[]): FsResult<ImportStats> {
  const checked = checkArchive(entries);
  if (!checked.ok) return checked;
  const pre = preflight(view, entries);
  if (!pre.ok) return pre;
  const stats: ImportStats = { files: 0, dirs: 0, symlinks: 0, bytes: 0 };
  for (const [i, e] of entries.entries()) {
    const r = writeEntry(view, e, stats);
    if (!r.ok) {
      const note = `; the ${i} entries before it were written, nothing of "${e.path}"`;
      return fail(r.error.code, `${r.error.message}${note}`);
    }
  }
  // Directory times last: writing into a directory changes its mtime. Deepest first.
  const dirs = entries.filter((e) => e.kind === 'dir');
  dirs.sort((a, b) => b.path.split('/').length - a.path.split('/').length);
  for (const d of dirs) view.utimes(d.path, d.mtime, d.mtime);
  return ok(stats);
}

function parentsOf(path: string): string[] {
  const parts = path.split('/');
  return parts.slice(1).map((_, i) => parts.slice(0, i + 1).join('/'));
}

/**
 * Refuses archives that write through their own symlinks or files (`l -> /etc`, then
 * `l/passwd`), that name one path as both a directory and not, or whose hard links do
 * not point at an earlier file of the archive.
 */
function checkArchive(entries: readonly TarEntry[]): FsResult<void> {
  const kinds = new Map<string, TarEntry['kind']>();
  const under = new Set(entries.flatMap((e) => parentsOf(e.path)));
  for (const e of entries) {
    for (const p of parentsOf(e.path)) {
      const k = kinds.get(p);
      if (k !== undefined && k !== 'dir')
        return fail(Errno.EINVAL, `"${e.path}" would be written through the archive's ${k} "${p}"; refused`);
    }
    if (e.kind !== 'dir' && under.has(e.path))
      return fail(
        Errno.EINVAL,
        `"${e.path}" is a ${e.kind}, and other entries would be written through it; refused`,
      );
    const prev = kinds.get(e.path);
    if (prev !== undefined && (prev === 'dir') !== (e.kind === 'dir'))
      return fail(Errno.EINVAL, `"${e.path}" is both a directory and a ${e.kind} in the archive`);
    if (e.kind === 'hardlink' && kinds.get(e.target) !== 'file' && kinds.get(e.target) !== 'hardlink')
      return fail(
        Errno.EINVAL,
        `the hard link "${e.path}" points at "${e.target}", not an earlier file of the archive`,
      );
    kinds.set(e.path, e.kind);
  }
  return ok(undefined);
}

/** What can be checked against the directory before writing: types in the way, quota. */
function preflight(view: DirView, entries: readonly TarEntry[]): FsResult<void> {
  const ready = view.vol.mutable();
  if (!ready.ok) return ready;
  let bytes = 0;
  for (const e of entries) {
    if (e.kind === 'file') bytes += e.data.length;
    if (e.kind === 'symlink') bytes += utf8(e.target).length;
    const r = clash(view, e);
    if (!r.ok) return r;
  }
  return view.vol.hooks.reserve(bytes);
}

function clash(view: DirView, e: TarEntry): FsResult<void> {
  for (const p of parentsOf(e.path)) {
    const n = view.lookup(p);
    if (!n.ok) return n.error.code === Errno.ENOENT ? ok(undefined) : n;
    if (n.value.entries === null) return fail(Errno.ENOTDIR, `"${p}" exists and is not a directory`);
  }
  const n = view.lookup(e.path, e.kind === 'dir');
  if (!n.ok) return n.error.code === Errno.ENOENT ? ok(undefined) : n;
  if (e.kind === 'dir' && n.value.entries === null)
    return fail(Errno.EEXIST, `"${e.path}" exists and is not a directory`);
  if (e.kind !== 'dir' && n.value.entries !== null) return fail(Errno.EISDIR, `"${e.path}" is a directory`);
  return ok(undefined);
}

function writeEntry(view: DirView, e: TarEntry, stats: ImportStats): FsResult<void> {
  const parent = e.path.includes('/') ? e.path.slice(0, e.path.lastIndexOf('/')) : '';
  const dirs = makeDirs(view, parentsOf(e.path), stats);
  if (!dirs.ok) return dirs;
  if (e.kind === 'dir') return makeDirs(view, [e.path], stats, e.mode);
  const tmp = tempName(view, parent);
  const made = create(view, e, tmp);
  const moved = made.ok ? view.rename(tmp, e.path) : made;
  if (view.lookup(tmp, false).ok) view.unlink(tmp);
  if (!moved.ok) return moved;
  if (e.kind === 'symlink') stats.symlinks++;
  else stats.files++;
  if (e.kind === 'file') stats.bytes += e.data.length;
  return ok(undefined);
}

/** Creates each missing directory of `paths` (outermost first). */
function makeDirs(view: DirView, paths: readonly string[], stats: ImportStats, mode = 0o755): FsResult<void> {
  for (const p of paths) {
    const n = view.lookup(p);
    if (n.ok) continue;
    if (n.error.code !== Errno.ENOENT) return n;
    const r = view.mkdir(p, mode);
    if (!r.ok) return r;
    stats.dirs++;
  }
  return ok(undefined);
}

/** A free name in `dir` to write an entry under before renaming it into place. */
function tempName(view: DirView, dir: string): string {
  for (let i = 0; ; i++) {
    const name = `${dir === '' ? '' : `${dir}/`}.tar-import-${i}.tmp`;
    if (!view.lookup(name, false).ok) return name;
  }
}

function create(view: DirView, e: Exclude<TarEntry, { kind: 'dir' }>, at: string): FsResult<void> {
  if (e.kind === 'symlink') return view.symlink(e.target, at);
  if (e.kind === 'hardlink') return view.link(e.target, at);
  const f = view.open(at, O.WRONLY | O.CREAT | O.EXCL, e.mode);
  if (!f.ok) return f;
  const w = f.value.write(e.data);
  f.value.close();
  return w.ok ? view.utimes(at, e.mtime, e.mtime) : w;
}
