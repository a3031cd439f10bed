// Content hashes: SHA-256 through WebCrypto (docs/adr/0007-fs-store-format.md has the
// measurements behind the choice). Layer: fs. Hashes travel as 64-character lowercase
// hex strings inside the store (Map keys) and as 32 raw bytes on disk.

export type Hash = string & { readonly __brand: 'Hash' };

export const HASH_BYTES = 32;

/** The hash of nothing: an empty file's content, a commit without a parent. */
export const ZERO_HASH = '0'.repeat(HASH_BYTES * 2) as Hash;

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

export function hashFromBytes(b: Uint8Array): Hash {
  let s = '';
  for (let i = 0; i < HASH_BYTES; i++) s += HEX[b[i] as number];
  return s as Hash;
}

/** Value of a lowercase hex digit by char code (hashes are always lowercase hex). */
const NIBBLE = (() => {
  const t = new Uint8Array(128);
  for (let i = 0; i < 16; i++) t['0123456789abcdef'.charCodeAt(i)] = i;
  return t;
})();

export function hashToBytes(h: Hash): Uint8Array {
  const out = new Uint8Array(HASH_BYTES);
  for (let i = 0; i < HASH_BYTES; i++)
    out[i] = ((NIBBLE[h.charCodeAt(i * 2)] as number) << 4) | (NIBBLE[h.charCodeAt(i * 2 + 1)] as number);
  return out;
}

export async function sha256(data: Uint8Array): Promise<Hash> {
  // A view into a larger (or shared) buffer is copied: digest wants its own ArrayBuffer.
  const own = data.byteOffset === 0 && data.byteLength === data.buffer.byteLength ? data : data.slice();
  return hashFromBytes(new Uint8Array(await crypto.subtle.digest('SHA-256', own as Uint8Array<ArrayBuffer>)));
}
