// What a file found in $PATH is, from its first bytes (ADR 0022): a WebAssembly module,
// the TypeScript utilities' mark, a stub for a program installed on first use, or a
// shell script. Layer: apps; pure.
import { LAZY_MARK, UTILITY_MARK } from '../../abi/programs.ts';

/** How many bytes classify needs to see. */
export const HEAD_BYTES = 256;

const WASM_MAGIC = [0x00, 0x61, 0x73, 0x6d];

export interface LazyStub {
  readonly name: string;
  readonly size: number;
  readonly sha256: string;
}

export type BinKind =
  | { readonly kind: 'wasm' }
  | { readonly kind: 'utils' }
  | { readonly kind: 'lazy'; readonly stub: LazyStub }
  | { readonly kind: 'script' }
  /** A stub that does not decode: what it says cannot be trusted, so it is not run. */
  | { readonly kind: 'bad-stub' };

/** Classifies a file by its first HEAD_BYTES bytes (fewer if it is shorter). */
export function classify(head: Uint8Array): BinKind {
  if (WASM_MAGIC.every((b, i) => head[i] === b)) return { kind: 'wasm' };
  const first = new TextDecoder().decode(head).split('\n')[0]?.trim() ?? '';
  if (first === UTILITY_MARK) return { kind: 'utils' };
  if (first === LAZY_MARK || first.startsWith(`${LAZY_MARK} `)) {
    const stub = parseLazyStub(first);
    return stub === null ? { kind: 'bad-stub' } : { kind: 'lazy', stub };
  }
  return { kind: 'script' };
}

/** `LAZY_MARK NAME SIZE SHA256`, or null when any part is missing or malformed. */
export function parseLazyStub(line: string): LazyStub | null {
  const parts = line.trim().split(/\s+/);
  const [mark, name = '', sizeText = '', sha256 = ''] = parts;
  const size = Number(sizeText);
  if (mark !== LAZY_MARK || parts.length !== 4) return null;
  if (!/^[a-z0-9][a-z0-9._-]{0,63}$/.test(name)) return null;
  if (!/^[0-9]+$/.test(sizeText) || !Number.isSafeInteger(size) || size === 0) return null;
  if (!/^[0-9a-f]{64}$/.test(sha256)) return null;
  return { name, size, sha256 };
}
