// Little-endian byte writer/reader and CRC-32 for the store's on-disk records
// (docs/fs.md). Layer: fs. A Reader never reads past its buffer: a short or malformed
// record comes back as null from `tryRead`, never as an exception escaping the store.

const textEncoder = new TextEncoder();
const textDecoder = new TextDecoder('utf-8', { fatal: true });

export const utf8 = (s: string): Uint8Array => textEncoder.encode(s);
export const fromUtf8 = (b: Uint8Array): string => textDecoder.decode(b);

export class Writer {
  #buf = new Uint8Array(256);
  #view = new DataView(this.#buf.buffer);
  #len = 0;

  #grow(extra: number): void {
    if (this.#len + extra <= this.#buf.length) return;
    let size = this.#buf.length * 2;
    while (size < this.#len + extra) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.#buf.subarray(0, this.#len));
    this.#buf = next;
    this.#view = new DataView(next.buffer);
  }

  u8(v: number): this {
    this.#grow(1);
    this.#view.setUint8(this.#len, v);
    this.#len += 1;
    return this;
  }
  u16(v: number): this {
    this.#grow(2);
    this.#view.setUint16(this.#len, v, true);
    this.#len += 2;
    return this;
  }
  u32(v: number): this {
    this.#grow(4);
    this.#view.setUint32(this.#len, v, true);
    this.#len += 4;
    return this;
  }
  /** An unsigned integer below 2^53, as u64. */
  u64(v: number): this {
    this.u32(v % 2 ** 32);
    return this.u32(Math.floor(v / 2 ** 32));
  }
  f64(v: number): this {
    this.#grow(8);
    this.#view.setFloat64(this.#len, v, true);
    this.#len += 8;
    return this;
  }
  bytes(b: Uint8Array): this {
    this.#grow(b.length);
    this.#buf.set(b, this.#len);
    this.#len += b.length;
    return this;
  }
  /** A u16 length, then the UTF-8 bytes. */
  str16(s: string): this {
    const b = utf8(s);
    return this.u16(b.length).bytes(b);
  }
  get length(): number {
    return this.#len;
  }
  finish(): Uint8Array {
    return this.#buf.slice(0, this.#len);
  }
}

/** Thrown only inside `tryRead`, which turns it into null. */
class ShortRead extends Error {}

export class Reader {
  readonly #buf: Uint8Array;
  readonly #view: DataView;
  #at = 0;

  constructor(buf: Uint8Array) {
    this.#buf = buf;
    this.#view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  #need(n: number): number {
    if (this.#at + n > this.#buf.length) throw new ShortRead();
    const at = this.#at;
    this.#at += n;
    return at;
  }
  u8(): number {
    return this.#view.getUint8(this.#need(1));
  }
  u16(): number {
    return this.#view.getUint16(this.#need(2), true);
  }
  u32(): number {
    return this.#view.getUint32(this.#need(4), true);
  }
  u64(): number {
    const lo = this.u32();
    return lo + this.u32() * 2 ** 32;
  }
  f64(): number {
    return this.#view.getFloat64(this.#need(8), true);
  }
  bytes(n: number): Uint8Array {
    const at = this.#need(n);
    return this.#buf.subarray(at, at + n);
  }
  str16(): string {
    return fromUtf8(this.bytes(this.u16()));
  }
  get remaining(): number {
    return this.#buf.length - this.#at;
  }
}

/**
 * Runs a decoder; a read past the end or invalid UTF-8 gives null, and so does a
 * decoder that leaves bytes over (a record is exactly its fields).
 */
export function tryRead<T>(buf: Uint8Array, decode: (r: Reader) => T): T | null {
  const r = new Reader(buf);
  try {
    const value = decode(r);
    return r.remaining === 0 ? value : null;
  } catch (e) {
    if (e instanceof ShortRead || e instanceof TypeError) return null;
    throw e;
  }
}

/** Slicing-by-8 tables: CRC_TABLES[k][n] is the CRC of byte n followed by k zero bytes. */
const CRC_TABLES = (() => {
  const t = new Uint32Array(8 * 256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  for (let n = 0; n < 256; n++) {
    for (let k = 1; k < 8; k++) {
      const prev = t[(k - 1) * 256 + n] as number;
      t[k * 256 + n] = ((t[prev & 0xff] as number) ^ (prev >>> 8)) >>> 0;
    }
  }
  return t;
})();

/** CRC-32 (IEEE 802.3, as zlib computes it), eight bytes a step (the store CRCs every record). */
export function crc32(b: Uint8Array): number {
  const t = CRC_TABLES;
  let c = 0xffffffff;
  let i = 0;
  for (const end = b.length - 7; i < end; i += 8) {
    const lo =
      (c ^
        ((b[i] as number) |
          ((b[i + 1] as number) << 8) |
          ((b[i + 2] as number) << 16) |
          ((b[i + 3] as number) << 24))) >>>
      0;
    c =
      (t[1792 + (lo & 0xff)] as number) ^
      (t[1536 + ((lo >>> 8) & 0xff)] as number) ^
      (t[1280 + ((lo >>> 16) & 0xff)] as number) ^
      (t[1024 + (lo >>> 24)] as number) ^
      (t[768 + (b[i + 4] as number)] as number) ^
      (t[512 + (b[i + 5] as number)] as number) ^
      (t[256 + (b[i + 6] as number)] as number) ^
      (t[b[i + 7] as number] as number);
  }
  for (; i < b.length; i++) c = (t[(c ^ (b[i] as number)) & 0xff] as number) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
