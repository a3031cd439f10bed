import { describe, expect, it } from 'vitest';
import { LAZY_MARK, UTILITY_MARK } from '../../abi/programs.ts';
import { classify, parseLazyStub } from './bin-file.ts';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
const SHA = 'a'.repeat(64);

describe('classify', () => {
  it('knows a WebAssembly module by its magic', () => {
    expect(classify(new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]))).toEqual({ kind: 'wasm' });
    expect(classify(new Uint8Array([0, 0x61, 0x73]))).toEqual({ kind: 'script' });
  });

  it('knows the utilities mark, with or without a line end', () => {
    expect(classify(bytes(`${UTILITY_MARK}\n`))).toEqual({ kind: 'utils' });
    expect(classify(bytes(UTILITY_MARK))).toEqual({ kind: 'utils' });
    expect(classify(bytes(`${UTILITY_MARK}x\n`))).toEqual({ kind: 'script' });
  });

  it('decodes a lazy stub, and refuses one that does not decode', () => {
    expect(classify(bytes(`${LAZY_MARK} python 26267204 ${SHA}\n`))).toEqual({
      kind: 'lazy',
      stub: { name: 'python', size: 26267204, sha256: SHA },
    });
    expect(classify(bytes(`${LAZY_MARK} python\n`))).toEqual({ kind: 'bad-stub' });
    expect(classify(bytes(`${LAZY_MARK}\n`))).toEqual({ kind: 'bad-stub' });
  });

  it('takes anything else for a script', () => {
    expect(classify(bytes('echo hi\n'))).toEqual({ kind: 'script' });
    expect(classify(bytes('#!/bin/sh\necho hi\n'))).toEqual({ kind: 'script' });
    expect(classify(new Uint8Array(0))).toEqual({ kind: 'script' });
  });
});

describe('parseLazyStub', () => {
  it('refuses bad names, sizes and digests', () => {
    expect(parseLazyStub(`${LAZY_MARK} ../etc 10 ${SHA}`)).toBeNull();
    expect(parseLazyStub(`${LAZY_MARK} Python 10 ${SHA}`)).toBeNull();
    expect(parseLazyStub(`${LAZY_MARK} python -1 ${SHA}`)).toBeNull();
    expect(parseLazyStub(`${LAZY_MARK} python 1e3 ${SHA}`)).toBeNull();
    expect(parseLazyStub(`${LAZY_MARK} python 0 ${SHA}`)).toBeNull();
    expect(parseLazyStub(`${LAZY_MARK} python 99999999999999999999 ${SHA}`)).toBeNull();
    expect(parseLazyStub(`${LAZY_MARK} python 10 ${'A'.repeat(64)}`)).toBeNull();
    expect(parseLazyStub(`${LAZY_MARK} python 10 ${SHA} extra`)).toBeNull();
    expect(parseLazyStub(`#!other python 10 ${SHA}`)).toBeNull();
  });

  it('reads a good one', () => {
    expect(parseLazyStub(`  ${LAZY_MARK}  x.y-z  7  ${SHA}  `)).toEqual({
      name: 'x.y-z',
      size: 7,
      sha256: SHA,
    });
  });
});
