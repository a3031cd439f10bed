// POSIX tar for the store's own import and export (tar.ts), in memory: whole archives as
// TarEntry lists. Layer: fs. The format itself is src/abi/tar.ts (writer) and
// src/abi/tar-reader.ts (the streaming, distrustful reader), shared with init and the page;
// this file only adapts them to whole archives and FsResult
// (docs/adr/0009-fs-subtree-views-and-tar.md).
import { ok } from '../abi/result.ts';
import {
  encodeTarHeader,
  normalizeTarPath,
  TAR_BLOCK,
  tarEnd,
  tarPaddingBytes,
  type TarError,
} from '../abi/tar.ts';
import { TarReader } from '../abi/tar-reader.ts';
import { FsErrno } from '../abi/fs-protocol.ts';
import { Errno, fail, type FsResult } from './errors.ts';

/** One archive member. `path` is relative, `/`-separated, without `.`/`..` or trailing `/`. */
export type TarEntry =
  | {
      readonly kind: 'file';
      readonly path: string;
      readonly mode: number;
      readonly mtime: number;
      readonly data: Uint8Array;
    }
  | { readonly kind: 'dir'; readonly path: string; readonly mode: number; readonly mtime: number }
  | { readonly kind: 'symlink'; readonly path: string; readonly mtime: number; readonly target: string }
  /** A second name for the earlier `file` entry at `target`. */
  | { readonly kind: 'hardlink'; readonly path: string; readonly mtime: number; readonly target: string };

export const BLOCK = TAR_BLOCK;

/** The store's code for the abi's WASI errno (tar refuses with EINVAL and ENOTSUP only). */
function failed(e: TarError): FsResult<never> {
  const name = Object.entries(FsErrno).find(([, n]) => n === e.errno)?.[0];
  const code = name !== undefined && name in Errno ? Errno[name as keyof typeof Errno] : Errno.EINVAL;
  return fail(code, e.message);
}

/** The blocks of one entry: its header blocks, the data, padding. */
export function encodeEntry(e: TarEntry): Uint8Array[] {
  const data = e.kind === 'file' ? e.data : new Uint8Array(0);
  const header = encodeTarHeader({
    kind: e.kind,
    path: e.path,
    mode: e.kind === 'file' || e.kind === 'dir' ? e.mode : 0o777,
    mtime: e.mtime,
    size: data.length,
    target: e.kind === 'symlink' || e.kind === 'hardlink' ? e.target : '',
  });
  return data.length > 0 ? [header, data, new Uint8Array(tarPaddingBytes(data.length))] : [header];
}

/** The end-of-archive marker (two zero blocks) and padding to a whole record. */
export const encodeEnd = tarEnd;

/** Every entry of `bytes`, or the first problem found (nothing is half-decoded). */
export function decodeTar(bytes: Uint8Array): FsResult<TarEntry[]> {
  const reader = new TarReader();
  const events = reader.push(bytes);
  if (!events.ok) return failed(events.error);
  if (!reader.done) {
    const end = reader.finish();
    if (!end.ok) return failed(end.error);
  }
  const entries: TarEntry[] = [];
  let file: { path: string; mode: number; mtime: number; size: number; parts: Uint8Array[] } | null = null;
  const flush = (): void => {
    if (!file) return;
    const data = new Uint8Array(file.size);
    let at = 0;
    for (const p of file.parts) {
      data.set(p, at);
      at += p.length;
    }
    entries.push({ kind: 'file', path: file.path, mode: file.mode, mtime: file.mtime, data });
    file = null;
  };
  for (const e of events.value) {
    if (e.type === 'data') {
      file?.parts.push(e.bytes);
      continue;
    }
    flush();
    if (e.type === 'end') break;
    const { kind, path, mode, mtime, size, target } = e.header;
    if (kind === 'file') file = { path, mode, mtime, size, parts: [] };
    else if (kind === 'dir') entries.push({ kind, path, mode, mtime });
    else entries.push({ kind, path, mtime, target });
  }
  flush();
  return ok(entries);
}

/**
 * A member name as a relative path under the import directory: leading `./` and `.`
 * components dropped, trailing `/` dropped. Absolute names and `..` are refused.
 */
export function normalize(name: string): FsResult<string> {
  const r = normalizeTarPath(name);
  return r.ok ? r : failed(r.error);
}
