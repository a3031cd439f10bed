// A streaming tar decoder: bytes go in as they arrive, in pieces of any size, and member
// headers and data come out. Layer: abi. Archives come from the host page, so nothing is
// trusted: every header's checksum is verified, names are normalized and refused if they
// are absolute or climb with `..`, extended headers are bounded, and an archive that ends
// without its end marker is truncated (finish()). Format: tar.ts, ADR 0009.
import { FsErrno } from './fs-protocol.ts';
import { ok, type Result } from './result.ts';
import {
  normalizeTarPath,
  TAR_BLOCK,
  tarError,
  tarPaddingBytes,
  type TarError,
  type TarHeader,
} from './tar.ts';
import { utf8Decode } from './utf8.ts';

/** What a push decoded: a member's header, a piece of its data (a view of the pushed bytes), the end. */
export type TarEvent =
  | { readonly type: 'entry'; readonly header: TarHeader }
  | { readonly type: 'data'; readonly bytes: Uint8Array }
  | { readonly type: 'end' };

/** Longest pax or GNU long-name member the reader keeps (names are far shorter). */
export const TAR_META_MAX = 64 * 1024;

type State =
  | { readonly at: 'header' }
  | { readonly at: 'data'; left: number; pad: number }
  | { readonly at: 'skip'; left: number }
  | { readonly at: 'meta'; readonly type: string; readonly bytes: Uint8Array; have: number; pad: number }
  | { readonly at: 'done' };

interface RawHeader {
  readonly name: string;
  readonly mode: number;
  readonly size: number;
  readonly mtime: number;
  readonly type: string;
  readonly link: string;
}

export class TarReader {
  #state: State = { at: 'header' };
  readonly #block = new Uint8Array(TAR_BLOCK);
  #have = 0;
  /** Bytes consumed so far, for messages. */
  #offset = 0;
  #ext = new Map<string, string>();

  /** Whether the end marker has been read. */
  get done(): boolean {
    return this.#state.at === 'done';
  }

  /** Decodes what `bytes` completes; after an error the reader is unusable. */
  push(bytes: Uint8Array): Result<TarEvent[], TarError> {
    const events: TarEvent[] = [];
    for (let i = 0; i < bytes.length;) {
      const step = this.#step(bytes.subarray(i), events);
      if (!step.ok) return step;
      i += step.value;
      this.#offset += step.value;
    }
    return ok(events);
  }

  /** Ok once the end marker was read; else the archive is truncated. */
  finish(): Result<void, TarError> {
    if (this.done) return ok(undefined);
    return tarError(
      FsErrno.EINVAL,
      `the archive is truncated: it ends at byte ${this.#offset} without an end marker`,
    );
  }

  /** Consumes a prefix of `bytes`; returns its length. */
  #step(bytes: Uint8Array, events: TarEvent[]): Result<number, TarError> {
    const s = this.#state;
    switch (s.at) {
      case 'done':
        return ok(bytes.length); // padding after the end marker
      case 'data': {
        const n = Math.min(s.left, bytes.length);
        events.push({ type: 'data', bytes: bytes.subarray(0, n) });
        s.left -= n;
        if (s.left === 0) this.#state = s.pad > 0 ? { at: 'skip', left: s.pad } : { at: 'header' };
        return ok(n);
      }
      case 'skip': {
        const n = Math.min(s.left, bytes.length);
        s.left -= n;
        if (s.left === 0) this.#state = { at: 'header' };
        return ok(n);
      }
      case 'meta': {
        const n = Math.min(s.bytes.length - s.have, bytes.length);
        s.bytes.set(bytes.subarray(0, n), s.have);
        s.have += n;
        if (s.have < s.bytes.length) return ok(n);
        const merged = this.#meta(s.type, s.bytes);
        if (!merged.ok) return merged;
        this.#state = s.pad > 0 ? { at: 'skip', left: s.pad } : { at: 'header' };
        return ok(n);
      }
      case 'header':
        return this.#header(bytes, events);
    }
  }

  #header(bytes: Uint8Array, events: TarEvent[]): Result<number, TarError> {
    const n = Math.min(TAR_BLOCK - this.#have, bytes.length);
    this.#block.set(bytes.subarray(0, n), this.#have);
    this.#have += n;
    if (this.#have < TAR_BLOCK) return ok(n);
    this.#have = 0;
    const at = this.#offset + n - TAR_BLOCK;
    if (this.#block.every((b) => b === 0)) {
      this.#state = { at: 'done' };
      events.push({ type: 'end' });
      return ok(n);
    }
    const h = decodeHeader(this.#block, at, this.#ext);
    if (!h.ok) return h;
    const entered = this.#member(h.value, at, events);
    return entered.ok ? ok(n) : entered;
  }

  /** Sets the state for a member's data and emits its header, if it is an entry. */
  #member(m: RawHeader, at: number, events: TarEvent[]): Result<void, TarError> {
    const pad = tarPaddingBytes(m.size);
    if (m.type === 'x' || m.type === 'L' || m.type === 'K' || m.type === 'g') {
      if (m.size > TAR_META_MAX)
        return tarError(FsErrno.EINVAL, `the extended header at byte ${at} is over ${TAR_META_MAX} bytes`);
      this.#state =
        m.size === 0
          ? { at: 'header' }
          : { at: 'meta', type: m.type, bytes: new Uint8Array(m.size), have: 0, pad };
      return ok(undefined);
    }
    const header = entryOf(m, at);
    this.#ext = new Map();
    if (!header.ok) return header;
    if (header.value !== null) events.push({ type: 'entry', header: header.value });
    const data = header.value?.kind === 'file' ? m.size : 0;
    const skip = m.size - data + (m.size > 0 ? pad : 0);
    if (data > 0) this.#state = { at: 'data', left: data, pad };
    else this.#state = skip > 0 ? { at: 'skip', left: skip } : { at: 'header' };
    return ok(undefined);
  }

  /** Folds an extended header into what applies to the next member. */
  #meta(type: string, data: Uint8Array): Result<void, TarError> {
    if (type === 'g') return ok(undefined);
    if (type === 'x') {
      const parsed = parsePax(data, this.#ext, this.#offset);
      if (!parsed.ok) return parsed;
      this.#ext = parsed.value;
      return ok(undefined);
    }
    const end = data.indexOf(0);
    const value = utf8Decode(end < 0 ? data : data.subarray(0, end));
    if (value === null)
      return tarError(FsErrno.EINVAL, `a GNU long name before byte ${this.#offset} is not UTF-8`);
    this.#ext.set(type === 'L' ? 'path' : 'linkpath', value);
    return ok(undefined);
  }
}

/** The entry a raw header stands for; null for the archive's root directory (`./`). */
function entryOf(m: RawHeader, at: number): Result<TarHeader | null, TarError> {
  const path = normalizeTarPath(m.name);
  if (!path.ok) return path;
  const base = { path: path.value, mode: m.mode, mtime: m.mtime, size: 0, target: '' };
  if (m.type === '5') return ok(path.value === '' ? null : { ...base, kind: 'dir' });
  if (path.value === '')
    return tarError(FsErrno.EINVAL, `"${m.name}" names the archive's root but is not a directory`);
  if (m.type === '0' || m.type === '\0' || m.type === '7') return ok({ ...base, kind: 'file', size: m.size });
  if (m.type === '2') return ok({ ...base, kind: 'symlink', target: m.link });
  if (m.type === '1') {
    const target = normalizeTarPath(m.link);
    return target.ok ? ok({ ...base, kind: 'hardlink', target: target.value }) : target;
  }
  return tarError(
    FsErrno.ENOTSUP,
    `"${m.name}" (header at byte ${at}) is a tar entry of type "${m.type}" (a device, fifo or unknown kind)`,
  );
}

function decodeHeader(h: Uint8Array, off: number, ext: Map<string, string>): Result<RawHeader, TarError> {
  const stored = octal(h, 148, 8);
  let sum = 0;
  let signed = 0;
  for (let i = 0; i < TAR_BLOCK; i++) {
    const b = i >= 148 && i < 156 ? 0x20 : (h[i] as number);
    sum += b;
    signed += b > 127 ? b - 256 : b;
  }
  if (stored === null || (stored !== sum && stored !== signed))
    return tarError(
      FsErrno.EINVAL,
      `the tar header at byte ${off} fails its checksum: the archive is damaged`,
    );
  const prefix = field(h, 257, 5) === 'ustar' ? field(h, 345, 155) : '';
  const base = field(h, 0, 100);
  const size = ext.has('size') ? Number(ext.get('size')) : octal(h, 124, 12);
  const mtime = ext.has('mtime') ? parseTime(ext.get('mtime') as string) : (octal(h, 136, 12) ?? 0) * 1000;
  if (size === null || !Number.isSafeInteger(size) || size < 0 || !Number.isFinite(mtime))
    return tarError(FsErrno.EINVAL, `the tar header at byte ${off} has a malformed size or time`);
  const name = ext.get('path') ?? (prefix === '' ? base : `${prefix}/${base}`);
  const link = ext.get('linkpath') ?? field(h, 157, 100);
  const mode = octal(h, 100, 8) ?? 0o644;
  return ok({ name, mode, size, mtime, type: String.fromCharCode(h[156] as number), link });
}

/** Pax "<len> <key>=<value>\n" records, merged over what came before. */
function parsePax(
  data: Uint8Array,
  ext: Map<string, string>,
  off: number,
): Result<Map<string, string>, TarError> {
  const out = new Map(ext);
  for (let i = 0; i < data.length && data[i] !== 0;) {
    const space = data.indexOf(0x20, i);
    const len = Number(utf8Decode(data.subarray(i, space)));
    const rec =
      space > i && Number.isSafeInteger(len) && len > space - i
        ? utf8Decode(data.subarray(space + 1, i + len))
        : null;
    const eq = rec?.indexOf('=') ?? -1;
    if (rec === null || eq < 0 || !rec.endsWith('\n'))
      return tarError(FsErrno.EINVAL, `a pax header before byte ${off} is malformed`);
    out.set(rec.slice(0, eq), rec.slice(eq + 1, -1));
    i += len;
  }
  return ok(out);
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
  return utf8Decode(bytes) ?? String.fromCharCode(...bytes);
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
