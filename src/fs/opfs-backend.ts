// The Backend on the Origin Private File System: one directory handle, one sync
// access handle per open file (they exist only in dedicated workers). Layer: fs.
// Only the structural types it uses are declared here, so the fs layer needs no DOM
// lib. Not unit-tested in node; the e2e suite runs it in Chromium.
import type { Backend, BlockFile } from './backend.ts';

/** The part of FileSystemSyncAccessHandle the store uses. */
export interface SyncAccessHandleLike {
  read(buffer: Uint8Array, options: { at: number }): number;
  write(buffer: Uint8Array, options: { at: number }): number;
  truncate(size: number): void;
  flush(): void;
  getSize(): number;
  close(): void;
}

export interface FileHandleLike {
  readonly kind: 'file';
  createSyncAccessHandle(): Promise<SyncAccessHandleLike>;
}

/** The part of FileSystemDirectoryHandle the store uses. */
export interface DirectoryHandleLike {
  getFileHandle(name: string, options: { create: boolean }): Promise<FileHandleLike>;
  removeEntry(name: string): Promise<void>;
  keys(): AsyncIterable<string>;
}

/** DOMException names OPFS uses for "no such file"; anything else is a real failure. */
const NOT_FOUND = new Set(['NotFoundError']);

function isNotFound(e: unknown): boolean {
  return typeof e === 'object' && e !== null && 'name' in e && NOT_FOUND.has(String(e.name));
}

/**
 * How long opening a file waits for another holder's access handle to go: after a reload
 * the previous page's fs worker may still be shutting down with the store's files open.
 */
const BUSY_WAIT_MS = 5_000;
const BUSY_RETRY_MS = 25;

const isBusy = (e: unknown): boolean =>
  typeof e === 'object' && e !== null && 'name' in e && String(e.name) === 'NoModificationAllowedError';

async function accessHandle(file: FileHandleLike): Promise<SyncAccessHandleLike> {
  const deadline = performance.now() + BUSY_WAIT_MS;
  for (;;) {
    try {
      return await file.createSyncAccessHandle();
    } catch (e) {
      if (!isBusy(e) || performance.now() > deadline) throw e;
      await new Promise((resolve) => setTimeout(resolve, BUSY_RETRY_MS));
    }
  }
}

export class OpfsBackend implements Backend {
  readonly #dir: DirectoryHandleLike;

  /** `dir` is owned by the caller; the store keeps only this directory's files in it. */
  constructor(dir: DirectoryHandleLike) {
    this.#dir = dir;
  }

  async open(name: string, options: { create: boolean }): Promise<BlockFile | null> {
    let file: FileHandleLike;
    try {
      file = await this.#dir.getFileHandle(name, options);
    } catch (e) {
      if (!options.create && isNotFound(e)) return null;
      throw e;
    }
    return new OpfsFile(await accessHandle(file));
  }

  async list(): Promise<string[]> {
    const names: string[] = [];
    for await (const name of this.#dir.keys()) names.push(name);
    return names;
  }

  async remove(name: string): Promise<void> {
    try {
      await this.#dir.removeEntry(name);
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }
}

class OpfsFile implements BlockFile {
  readonly #h: SyncAccessHandleLike;

  constructor(handle: SyncAccessHandleLike) {
    this.#h = handle;
  }

  read(into: Uint8Array, at: number): number {
    return this.#h.read(into, { at });
  }

  write(data: Uint8Array, at: number): number {
    const n = this.#h.write(data, { at });
    if (n !== data.length) throw new Error(`OPFS wrote ${n} of ${data.length} bytes at ${at}`);
    return n;
  }

  truncate(size: number): void {
    this.#h.truncate(size);
  }

  flush(): void {
    this.#h.flush();
  }

  size(): number {
    return this.#h.getSize();
  }

  close(): void {
    this.#h.close();
  }
}
