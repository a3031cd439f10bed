// The store files the shell reads and writes itself: scripts, and the programs a lazy
// stub stands for (ADR 0022). Layer: apps.
import { FsErrno, FsOpen } from '../../abi/fs-protocol.ts';
import type { FsDirectory, FsFile } from '../../workers/fs-client.ts';
import type { LazyStub } from './bin-file.ts';

/** The longest script the shell reads. */
export const SCRIPT_MAX = 1 << 20;

const ERRNO_TEXT: Readonly<Record<number, string>> = {
  [FsErrno.ENOENT]: 'No such file or directory',
  [FsErrno.EISDIR]: 'Is a directory',
  [FsErrno.ENOTDIR]: 'Not a directory',
  [FsErrno.EACCES]: 'Permission denied',
  [FsErrno.EEXIST]: 'File exists',
};
export const errnoText = (errno: number): string => ERRNO_TEXT[errno] ?? `error ${errno}`;

/** A script's text; too long, unreadable or not text is an error. */
export async function readScript(file: FsFile, path: string): Promise<string> {
  const decoder = new TextDecoder();
  const chunks: string[] = [];
  let size = 0;
  for (;;) {
    const r = await file.read(1 << 16);
    if (!r.ok) throw new Error(`${path}: ${errnoText(r.error)}`);
    if (r.value.byteLength === 0) break;
    size += r.value.byteLength;
    if (size > SCRIPT_MAX) throw new Error(`${path}: too long for a script`);
    chunks.push(decoder.decode(r.value, { stream: true }));
  }
  const text = chunks.join('') + decoder.decode();
  if (text.includes('\0')) throw new Error(`${path}: cannot execute binary file`);
  return text;
}

/**
 * Puts the program a lazy stub stands for at `path` (root-relative) in its place: fetched
 * from the page's origin, where the build put it, and checked against the stub's size and
 * SHA-256. It is written aside and renamed over the stub, so a failure leaves the stub and
 * never half a program. `close` closes a handle.
 */
export async function installLazy(
  root: FsDirectory,
  path: string,
  stub: LazyStub,
  close: (handle: number) => void,
): Promise<void> {
  const { name, size, sha256 } = stub;
  const response = await fetch(`/bin/${name}`);
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (!response.ok || bytes.byteLength !== size)
    throw new Error(`${name}: fetching it gave HTTP ${response.status}, ${bytes.byteLength} bytes`);
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  const hex = Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
  if (hex !== sha256) throw new Error(`${name}: what was fetched is not what the stub names`);
  const partial = `${path}.partial`;
  const f = await root.open(partial, FsOpen.WRONLY | FsOpen.CREAT | FsOpen.TRUNC, 0o755);
  if (!f.ok) throw new Error(`/${partial}: ${errnoText(f.error)}`);
  try {
    const w = await f.value.write(bytes);
    const synced = await f.value.sync();
    if (!w.ok || w.value !== size || !synced.ok) throw new Error(`/${partial}: writing it failed`);
  } finally {
    close(f.value.channel.handle);
  }
  const moved = await root.rename(partial, path);
  if (!moved.ok) throw new Error(`/${path}: ${errnoText(moved.error)}`);
}
