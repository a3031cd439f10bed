// UTF-8 for code that may not assume TextEncoder: src/abi is compiled with the ES
// library only, and its codecs (tar.ts, host-protocol.ts) run in the page and in
// workers alike. Layer: abi. The decoder is strict: bytes that are not well-formed
// UTF-8 (overlong forms, surrogates, past U+10FFFF, truncated) give null, never U+FFFD.

/** The UTF-8 bytes of `s`; a lone surrogate is written as U+FFFD, as TextEncoder does. */
export function utf8Encode(s: string): Uint8Array {
  const out: number[] = [];
  for (const ch of s) {
    let c = ch.codePointAt(0) ?? 0xfffd;
    if (c >= 0xd800 && c <= 0xdfff) c = 0xfffd;
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 0x3f));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f));
    else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 0x3f), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f));
  }
  return Uint8Array.from(out);
}

/** Smallest code point each sequence length may encode (longer forms are overlong). */
const MIN = [0, 0, 0x80, 0x800, 0x10000] as const;

/** The text of well-formed UTF-8 `bytes`, or null. */
export function utf8Decode(bytes: Uint8Array): string | null {
  const units: number[] = [];
  let text = '';
  for (let i = 0; i < bytes.length;) {
    const b = bytes[i] as number;
    const len =
      b < 0x80 ? 1 : b >= 0xc2 && b < 0xe0 ? 2 : b >= 0xe0 && b < 0xf0 ? 3 : b >= 0xf0 && b < 0xf5 ? 4 : 0;
    if (len === 0 || i + len > bytes.length) return null;
    let c = len === 1 ? b : b & (0xff >> (len + 1));
    for (let k = 1; k < len; k++) {
      const next = bytes[i + k] as number;
      if ((next & 0xc0) !== 0x80) return null;
      c = (c << 6) | (next & 0x3f);
    }
    if (c < (MIN[len] as number) || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff)) return null;
    if (c >= 0x10000) units.push(0xd800 + ((c - 0x10000) >> 10), 0xdc00 + ((c - 0x10000) & 0x3ff));
    else units.push(c);
    i += len;
    // Flush in slices: String.fromCharCode takes its arguments on the stack.
    if (units.length >= 4096) text += String.fromCharCode(...units.splice(0));
  }
  return text + String.fromCharCode(...units);
}
