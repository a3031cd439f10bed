// POSIX tar (ustar headers, pax extended headers), written a member at a time so that an
// archive can be streamed: header blocks, then the member's data as it comes, then
// padding. Layer: abi: the page builds archives from host files and init reads and writes
// them over the host link (ADR 0011), and neither may import src/fs. The format follows
// src/fs/tar-format.ts (ADR 0009) byte for byte; tar-reader.ts is the streaming decoder.
import { concatBytes } from './bytes.ts';
import { FsErrno } from './fs-protocol.ts';
import { err, ok, type Result } from './result.ts';
import { utf8Encode } from './utf8.ts';

export type TarKind = 'file' | 'dir' | 'symlink' | 'hardlink';

/**
 * One archive member's header. `path` is relative and `/`-separated, without `.`, `..`
 * or a trailing `/`; `mtime` is ms since the epoch; `size` counts data bytes (files
 * only, else 0); `target` is a link's target (else '').
 */
export interface TarHeader {
  readonly kind: TarKind;
  readonly path: string;
  readonly mode: number;
  readonly mtime: number;
  readonly size: number;
  readonly target: string;
}

/** Why an archive or a member name was refused: a WASI errno and a sentence. */
export interface TarError {
  readonly errno: number;
  readonly message: string;
}

export const TAR_BLOCK = 512;
/** Archives are padded to whole records of 20 blocks, as POSIX and GNU tar write them. */
const RECORD = 20 * TAR_BLOCK;
/** The largest value an 11-digit octal field holds; larger sizes and times go in pax records. */
const OCTAL_MAX = 0o77777777777;
const TYPE: Record<TarKind, string> = { file: '0', hardlink: '1', symlink: '2', dir: '5' };

export const tarError = (errno: number, message: string): Result<never, TarError> => err({ errno, message });

/** The header blocks of one member: a pax header if a field does not fit ustar, then the ustar header. */
export function encodeTarHeader(e: TarHeader): Uint8Array {
  const name = e.kind === 'dir' ? `${e.path}/` : e.path;
  const size = e.kind === 'file' ? e.size : 0;
  const mode = e.kind === 'file' || e.kind === 'dir' ? e.mode : 0o777;
  const pax = paxRecords(name, e.target, size, e.mtime);
  const secs = Number.isInteger(e.mtime / 1000) && e.mtime >= 0 ? e.mtime / 1000 : 0;
  const main = header(name, mode, size, Math.min(secs, OCTAL_MAX), TYPE[e.kind], e.target);
  if (pax.length === 0) return main;
  const padded = pax.length + tarPaddingBytes(pax.length);
  const out = new Uint8Array(TAR_BLOCK + padded + TAR_BLOCK);
  out.set(header('PaxHeader', 0o644, pax.length, 0, 'x', ''), 0);
  out.set(pax, TAR_BLOCK);
  out.set(main, TAR_BLOCK + padded);
  return out;
}

/** Zero bytes after `size` data bytes up to the next block boundary. */
export const tarPaddingBytes = (size: number): number => (TAR_BLOCK - (size % TAR_BLOCK)) % TAR_BLOCK;

/** The end-of-archive marker (two zero blocks) and padding to a whole record, after `written` bytes. */
export function tarEnd(written: number): Uint8Array {
  const end = written + 2 * TAR_BLOCK;
  return new Uint8Array(Math.ceil(end / RECORD) * RECORD - written);
}

/**
 * A member name (or a path given by the host) as a relative path: leading `./` and `.`
 * components dropped, trailing `/` dropped. Absolute names, `..` and NUL are refused.
 */
export function normalizeTarPath(name: string): Result<string, TarError> {
  if (name.startsWith('/'))
    return tarError(
      FsErrno.EINVAL,
      `"${name}" is an absolute path; archives are extracted under a directory only`,
    );
  if (name.includes('\0')) return tarError(FsErrno.EINVAL, `"${name}" contains a NUL byte`);
  const parts = name.split('/').filter((c) => c !== '' && c !== '.');
  if (parts.includes('..')) return tarError(FsErrno.EINVAL, `"${name}" climbs out with ".."; refused`);
  return ok(parts.join('/'));
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
  return utf8Encode(recs.join(''));
}

/** "<length> <key>=<value>\n", where length counts the whole record in bytes, itself included. */
function paxRecord(key: string, value: string): string {
  const body = utf8Encode(` ${key}=${value}\n`).length;
  let len = body + String(body).length;
  if (String(len).length !== String(body).length) len = body + String(len).length;
  return `${len} ${key}=${value}\n`;
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
  const h = new Uint8Array(TAR_BLOCK);
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

/** One member for encodeTar: a header (its size is the data's) and a file's data. */
export interface TarMember {
  readonly header: Omit<TarHeader, 'size'>;
  readonly data?: Uint8Array;
}

/** A whole archive in memory: every member, then the end marker. */
export function encodeTar(members: readonly TarMember[]): Uint8Array {
  const parts: Uint8Array[] = [];
  let written = 0;
  const add = (b: Uint8Array): void => {
    parts.push(b);
    written += b.length;
  };
  for (const m of members) {
    const data = m.header.kind === 'file' ? (m.data ?? new Uint8Array(0)) : new Uint8Array(0);
    add(encodeTarHeader({ ...m.header, size: data.length }));
    if (data.length > 0) {
      add(data);
      add(new Uint8Array(tarPaddingBytes(data.length)));
    }
  }
  add(tarEnd(written));
  return concatBytes(parts);
}
