// POSIX tar (ustar headers, pax extended headers) encoded and decoded in memory. Layer: fs.
// Pure: no filesystem here. The decoder reads archives from the host page, so it trusts
// nothing: every header's checksum is verified, every length is checked against the
// bytes present, and names are normalized and refused if they are absolute or climb
// with `..` (docs/adr/0009-fs-subtree-views-and-tar.md).
import { ok } from '../abi/result.ts';
import { fromUtf8, utf8 } from './codec.ts';
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

export const BLOCK = 512;
/** Archives are padded to whole records of 20 blocks, as POSIX and GNU tar write them. */
const RECORD = 20 * BLOCK;
/** The largest value an 11-digit octal field holds; larger sizes and times go in pax records. */
const OCTAL_MAX = 0o77777777777;
const TYPE = { file: '0', hardlink: '1', symlink: '2', dir: '5' } as const;

// ---------------------------------------------------------------------------- encoding

/** The blocks of one entry: an optional pax header, the ustar header, the data, padding. */
export function encodeEntry(e: TarEntry): Uint8Array[] {
  const name = e.kind === 'dir' ? `${e.path}/` : e.path;
  const link = e.kind === 'symlink' || e.kind === 'hardlink' ? e.target : '';
  const data = e.kind === 'file' ? e.data : new Uint8Array(0);
  const mode = e.kind === 'file' || e.kind === 'dir' ? e.mode : 0o777;
  const pax = paxRecords(name, link, data.length, e.mtime);
  const parts: Uint8Array[] = [];
  if (pax.length > 0) {
    parts.push(header('PaxHeader', 0o644, pax.length, 0, 'x', ''), pax, padding(pax.length));
  }
  const secs = Number.isInteger(e.mtime / 1000) && e.mtime >= 0 ? e.mtime / 1000 : 0;
  parts.push(header(name, mode, data.length, Math.min(secs, OCTAL_MAX), TYPE[e.kind], link));
  if (data.length > 0) parts.push(data, padding(data.length));
  return parts;
}

/** The end-of-archive marker (two zero blocks) and padding to a whole record. */
export function encodeEnd(written: number): Uint8Array {
  const end = written + 2 * BLOCK;
  return new Uint8Array(Math.ceil(end / RECORD) * RECORD - written);
}

function padding(n: number): Uint8Array {
  return new Uint8Array((BLOCK - (n % BLOCK)) % BLOCK);
}

/** Does `s` fit a ustar field of `size` bytes as plain ASCII? */
function fitsAscii(s: string, size: number): boolean {
  return s.length <= size && /^[\x20-\x7e]*$/.test(s);
}

function paxRecords(name: string, link: string, size: number, mtime: number): Uint8Array {
  const recs: string[] = [];
  if (!fitsAscii(name, 100)) recs.push(paxRecord('path', name));
  if (!fitsAscii(link, 100)) recs.push(paxRecord('linkpath', link));
  if (size > OCTAL_MAX) recs.push(paxRecord('size', String(size)));
  if (!Number.isInteger(mtime / 1000) || mtime < 0 || mtime / 1000 > OCTAL_MAX)
    recs.push(paxRecord('mtime', formatTime(mtime)));
  return utf8(recs.join(''));
}

/** "<length> <key>=<value>\n", where length counts the whole record in bytes, itself included. */
function paxRecord(key: string, value: string): string {
  const body = utf8(` ${key}=${value}\n`).length;
  let len = body + String(body).length;
  if (String(len).length !== String(body).length) len = body + String(len).length;
  return `${len}${` ${key}=${value}\n`}`;
}

/** Milliseconds as pax seconds: exact for whole milliseconds. */
function formatTime(ms: number): string {
  if (!Number.isInteger(ms)) return String(ms / 1000);
  const sign = ms < 0 ? '-' : '';
  const abs = Math.abs(ms);
  return `${sign}${Math.floor(abs / 1000)}.${String(abs % 1000).padStart(3, '0')}`;
}

function header(
  name: string,
  mode: number,
  size: number,
  mtime: number,
  type: string,
  link: string,
): Uint8Array {
  const h = new Uint8Array(BLOCK);
  putString(h, 0, 100, name);
  putOctal(h, 100, 8, mode & 0o7777);
  putOctal(h, 108, 8, 0);
  putOctal(h, 116, 8, 0);
  putOctal(h, 124, 12, Math.min(size, OCTAL_MAX));
  putOctal(h, 136, 12, mtime);
  h.fill(0x20, 148, 156);
  h[156] = type.charCodeAt(0);
  putString(h, 157, 100, link);
  putString(h, 257, 8, 'ustar\u000000');
  putOctal(h, 329, 8, 0);
  putOctal(h, 337, 8, 0);
  const sum = h.reduce((a, b) => a + b, 0);
  putString(h, 148, 8, `${sum.toString(8).padStart(6, '0')}\u0000 `);
  return h;
}

/** ASCII into a field; anything else (its pax record carries the real value) becomes `_`. */
function putString(h: Uint8Array, at: number, size: number, s: string): void {
  for (let i = 0; i < Math.min(s.length, size); i++) {
    const c = s.charCodeAt(i);
    h[at + i] = c < 0x80 ? c : 0x5f;
  }
}

function putOctal(h: Uint8Array, at: number, size: number, v: number): void {
  putString(h, at, size, `${v.toString(8).padStart(size - 1, '0')}\u0000`);
}

// ---------------------------------------------------------------------------- decoding

/** Every entry of `bytes`, or the first problem found (nothing is half-decoded). */
export function decodeTar(bytes: Uint8Array): FsResult<TarEntry[]> {
  const entries: TarEntry[] = [];
  let ext: Map<string, string> = new Map();
  for (let off = 0; ;) {
    if (off + BLOCK > bytes.length)
      return fail(
        Errno.EINVAL,
        `the archive is truncated: it ends at byte ${bytes.length} without an end marker`,
      );
    const h = bytes.subarray(off, off + BLOCK);
    if (h.every((b) => b === 0)) return ok(entries);
    const m = decodeHeader(h, off, ext);
    if (!m.ok) return m;
    const start = off + BLOCK;
    if (start + m.value.size > bytes.length)
      return fail(Errno.EINVAL, `the archive is truncated inside "${m.value.name}" (header at byte ${off})`);
    const data = bytes.subarray(start, start + m.value.size);
    off = start + Math.ceil(m.value.size / BLOCK) * BLOCK;
    const next = member(m.value, data, ext, off);
    if (!next.ok) return next;
    if (next.value instanceof Map) {
      ext = next.value;
      continue;
    }
    ext = new Map();
    if (next.value !== null) entries.push(next.value);
  }
}

interface Header {
  readonly name: string;
  readonly mode: number;
  readonly size: number;
  readonly mtime: number;
  readonly type: string;
  readonly link: string;
}

function decodeHeader(h: Uint8Array, off: number, ext: Map<string, string>): FsResult<Header> {
  const stored = octal(h, 148, 8);
  let sum = 0;
  let signed = 0;
  for (let i = 0; i < BLOCK; i++) {
    const b = i >= 148 && i < 156 ? 0x20 : (h[i] as number);
    sum += b;
    signed += b > 127 ? b - 256 : b;
  }
  if (stored === null || (stored !== sum && stored !== signed))
    return fail(Errno.EINVAL, `the tar header at byte ${off} fails its checksum: the archive is damaged`);
  const ustar = field(h, 257, 5) === 'ustar';
  const prefix = ustar ? field(h, 345, 155) : '';
  const base = field(h, 0, 100);
  const size = ext.has('size') ? Number(ext.get('size')) : octal(h, 124, 12);
  const mtime = ext.has('mtime') ? parseTime(ext.get('mtime') as string) : (octal(h, 136, 12) ?? 0) * 1000;
  const mode = octal(h, 100, 8) ?? 0o644;
  if (size === null || !Number.isSafeInteger(size) || size < 0 || !Number.isFinite(mtime))
    return fail(Errno.EINVAL, `the tar header at byte ${off} has a malformed size or time`);
  const name = ext.get('path') ?? (prefix === '' ? base : `${prefix}/${base}`);
  const link = ext.get('linkpath') ?? field(h, 157, 100);
  return ok({ name, mode, size, mtime, type: String.fromCharCode(h[156] as number), link });
}

/** An entry, extended attributes for the next one (a Map), or null for one to skip. */
function member(
  m: Header,
  data: Uint8Array,
  ext: Map<string, string>,
  off: number,
): FsResult<TarEntry | Map<string, string> | null> {
  if (m.type === 'x') return parsePax(data, ext, off);
  if (m.type === 'L' || m.type === 'K') {
    const value = text(data.subarray(0, data.indexOf(0) < 0 ? data.length : data.indexOf(0)));
    if (value === null) return fail(Errno.EINVAL, `a GNU long name before byte ${off} is not UTF-8`);
    return ok(new Map(ext).set(m.type === 'L' ? 'path' : 'linkpath', value));
  }
  if (m.type === 'g') return ok(ext);
  const path = normalize(m.name);
  if (!path.ok) return path;
  const { mtime } = m;
  if (m.type === '5')
    return ok(path.value === '' ? null : { kind: 'dir', path: path.value, mode: m.mode, mtime });
  if (path.value === '')
    return fail(Errno.EINVAL, `"${m.name}" names the archive's root but is not a directory`);
  if (m.type === '0' || m.type === '\0' || m.type === '7')
    return ok({ kind: 'file', path: path.value, mode: m.mode, mtime, data });
  if (m.type === '2') return ok({ kind: 'symlink', path: path.value, mtime, target: m.link });
  if (m.type === '1') {
    const target = normalize(m.link);
    if (!target.ok) return target;
    return ok({ kind: 'hardlink', path: path.value, mtime, target: target.value });
  }
  return fail(
    Errno.ENOTSUP,
    `"${m.name}" is a tar entry of type "${m.type}" (a device, fifo or unknown kind)`,
  );
}

/** Pax "<len> <key>=<value>\n" records, merged over what came before. */
function parsePax(data: Uint8Array, ext: Map<string, string>, off: number): FsResult<Map<string, string>> {
  const out = new Map(ext);
  for (let i = 0; i < data.length && data[i] !== 0;) {
    const space = data.indexOf(0x20, i);
    const len = Number(text(data.subarray(i, space)));
    const rec =
      space > i && Number.isSafeInteger(len) && len > 0 ? text(data.subarray(space + 1, i + len)) : null;
    const eq = rec?.indexOf('=') ?? -1;
    if (rec === null || eq < 0 || !rec.endsWith('\n'))
      return fail(Errno.EINVAL, `a pax header before byte ${off} is malformed`);
    out.set(rec.slice(0, eq), rec.slice(eq + 1, -1));
    i += len;
  }
  return ok(out);
}

/**
 * A member name as a relative path under the import directory: leading `./` and `.`
 * components dropped, trailing `/` dropped. Absolute names and `..` are refused.
 */
export function normalize(name: string): FsResult<string> {
  if (name.startsWith('/'))
    return fail(Errno.EINVAL, `"${name}" is an absolute path; archives are extracted under a directory only`);
  const parts = name.split('/').filter((c) => c !== '' && c !== '.');
  if (parts.includes('..')) return fail(Errno.EINVAL, `"${name}" climbs out with ".."; refused`);
  if (name.includes('\0')) return fail(Errno.EINVAL, `"${name}" contains a NUL byte`);
  return ok(parts.join('/'));
}

function parseTime(s: string): number {
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(s);
  if (m === null) return NaN;
  const frac = m[3] ?? '';
  const ms = Number(m[2]) * 1000 + Number(`${frac.slice(0, 3).padEnd(3, '0')}.${frac.slice(3) || '0'}`);
  return m[1] === '-' ? -ms : ms;
}

/** A NUL-terminated field as text (UTF-8, else Latin-1 as old archives used). */
function field(h: Uint8Array, at: number, size: number): string {
  const raw = h.subarray(at, at + size);
  const end = raw.indexOf(0);
  const bytes = end < 0 ? raw : raw.subarray(0, end);
  return text(bytes) ?? String.fromCharCode(...bytes);
}

function text(b: Uint8Array): string | null {
  try {
    return fromUtf8(b);
  } catch {
    return null;
  }
}

/** An octal number field (spaces and NULs around it allowed), or GNU base-256; null if malformed. */
function octal(h: Uint8Array, at: number, size: number): number | null {
  if (((h[at] as number) & 0x80) !== 0) {
    let v = (h[at] as number) & 0x7f;
    for (let i = 1; i < size; i++) v = v * 256 + (h[at + i] as number);
    return v;
  }
  const s = String.fromCharCode(...h.subarray(at, at + size))
    .replace(/[\0 ]+$/, '')
    .replace(/^ +/, '');
  return /^[0-7]*$/.test(s) ? (s === '' ? 0 : parseInt(s, 8)) : null;
}
