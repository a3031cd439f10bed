// Helpers shared by the fs store's tests: unwrap results, whole-file I/O, and a dump of
// a volume's tree to compare against a model. Layer: fs (test support only).
import type { Result } from '../abi/result.ts';
import type { Backend } from './backend.ts';
import { crc32, fromUtf8, utf8 } from './codec.ts';
import type { FsError } from './errors.ts';
import { FileSystem, type FileSystemOptions } from './filesystem.ts';
import { O } from './open-file.ts';
import type { Volume } from './volume.ts';

export function unwrap<T>(r: Result<T, FsError>): T {
  if (!r.ok) throw new Error(`unexpected ${r.error.code}: ${r.error.message}`);
  return r.value;
}

/** The error code of a failed result; throws if it succeeded. */
export function code(r: Result<unknown, FsError>): string {
  if (r.ok) throw new Error('expected a failure, got success');
  return r.error.code;
}

/** `n` pseudo-random bytes, the same for the same seed. */
export function random(n: number, seed: number): Uint8Array {
  const b = new Uint8Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    b[i] = s >>> 24;
  }
  return b;
}

/** A clock that moves one millisecond per call: timestamps are distinct and predictable. */
export function stepClock(start = 1_700_000_000_000): () => number {
  let t = start;
  return () => t++;
}

export async function mount(backend: Backend, options: FileSystemOptions = {}): Promise<FileSystem> {
  return unwrap(await FileSystem.open(backend, { now: stepClock(), ...options }));
}

export function writeFile(vol: Volume, path: string, data: string | Uint8Array): void {
  const f = unwrap(vol.open(path, O.WRONLY | O.CREAT | O.TRUNC));
  unwrap(f.write(typeof data === 'string' ? utf8(data) : data));
  f.close();
}

export function readBytes(vol: Volume, path: string): Uint8Array {
  const f = unwrap(vol.open(path, O.RDONLY));
  const out = new Uint8Array(unwrap(f.stat()).size);
  unwrap(f.pread(out, 0));
  f.close();
  return out;
}

export function readFile(vol: Volume, path: string): string {
  return fromUtf8(readBytes(vol, path));
}

/** "f:<text>" for UTF-8 content, else "f#<length>:<crc32>". */
function describeBytes(b: Uint8Array): string {
  try {
    return `f:${fromUtf8(b)}`;
  } catch {
    return `f#${b.length}:${crc32(b)}`;
  }
}

/** Every path under `dir`: "d" for a directory, "l:<target>", or "f:<content>". */
export function dump(vol: Volume, dir = '', out = new Map<string, string>()): Map<string, string> {
  for (const e of unwrap(vol.readdir(dir === '' ? '/' : dir))) {
    const path = dir === '' ? e.name : `${dir}/${e.name}`;
    if (e.type === 'dir') {
      out.set(path, 'd');
      dump(vol, path, out);
    } else if (e.type === 'symlink') {
      out.set(path, `l:${unwrap(vol.readlink(path))}`);
    } else {
      out.set(path, describeBytes(readBytes(vol, path)));
    }
  }
  return out;
}

/** Byte equality (vitest's toEqual walks large typed arrays slowly). */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
