// utf8.ts against the platform's TextEncoder and strict TextDecoder.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { utf8Decode, utf8Encode } from './utf8.ts';

const strict = new TextDecoder('utf-8', { fatal: true });
const platformDecode = (b: Uint8Array): string | null => {
  try {
    return strict.decode(b);
  } catch {
    return null;
  }
};

describe('utf8', () => {
  it('encodes as TextEncoder does, lone surrogates included', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        expect(utf8Encode(s)).toEqual(new TextEncoder().encode(s));
      }),
    );
    expect(utf8Encode('\ud800')).toEqual(new TextEncoder().encode('\ud800'));
  });

  it('decodes well-formed bytes and refuses the rest, as a fatal TextDecoder does', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (b) => {
        expect(utf8Decode(b)).toBe(platformDecode(b));
      }),
    );
    for (const bad of [
      [0xc0, 0x80],
      [0xed, 0xa0, 0x80],
      [0xf4, 0x90, 0x80, 0x80],
      [0xe2, 0x82],
    ])
      expect(utf8Decode(Uint8Array.from(bad))).toBe(null);
    expect(utf8Decode(utf8Encode('ünï ☃ 𝄞'))).toBe('ünï ☃ 𝄞');
  });
});
