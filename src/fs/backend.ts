// The block backend the store writes through: a flat namespace of named files with
// positional I/O, the shape of OPFS's FileSystemSyncAccessHandle. Layer: fs.
// Two implementations: memory-backend.ts (node tests, crash simulation) and
// opfs-backend.ts (the fs server's worker). The store trusts a backend to do what it
// says; it does not trust the bytes it reads back (every record is checked).
//
// DURABILITY CONTRACT the store relies on (docs/fs.md, "Crash safety"):
// - bytes written to a file are durable only after `flush()` on that file returns;
//   before that, a crash may keep any subset of them (torn writes included);
// - `open(name, { create: true })` of a new file, and `remove`, are atomic: after a
//   crash the file either exists (possibly empty) or not;
// - writes to one file never change another.
// Failures of the medium are exceptions (they are not expected); the store turns them
// into EIO at its boundary.

/** One open file. Offsets and sizes are in bytes. Synchronous, like the OPFS handle. */
export interface BlockFile {
  /** Reads into `into` from byte `at`; returns the bytes read (short at end of file). */
  read(into: Uint8Array, at: number): number;
  /** Writes all of `data` at byte `at`, growing the file as needed; returns data.length. */
  write(data: Uint8Array, at: number): number;
  truncate(size: number): void;
  /** Makes every write so far durable. */
  flush(): void;
  size(): number;
  /** Releases the file; the object must not be used afterwards. */
  close(): void;
}

/** A directory of files. Opening is asynchronous because OPFS's is. */
export interface Backend {
  /** The file, or null if it does not exist and `create` is false. */
  open(name: string, options: { create: boolean }): Promise<BlockFile | null>;
  /** Names of every file, in no particular order. */
  list(): Promise<string[]>;
  /** Removes the file if it exists. The caller has closed any handle to it. */
  remove(name: string): Promise<void>;
}
