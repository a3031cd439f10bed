// Constants of the on-disk format, version 1 (docs/fs.md describes every byte).
// Layer: fs. Changing anything here changes the format: bump FORMAT_VERSION and teach
// the reader the old one.

export const FORMAT_VERSION = 2;
/** Stores written by format 1 (which has no SHARDS objects) are read as they are. */
export const OLDEST_FORMAT_VERSION = 1;

export function readableVersion(v: number): boolean {
  return v >= OLDEST_FORMAT_VERSION && v <= FORMAT_VERSION;
}

/** ASCII magics, read as little-endian u32 from the first four bytes of a file or slot. */
export const MAGIC = {
  /** "TSPK": a pack file. */
  PACK: 0x4b505354,
  /** "TSSB": a superblock slot. */
  SUPER: 0x42535354,
} as const;

/** The kinds of objects a pack holds. The kind is part of an object's hash. */
export const Kind = {
  /** Bytes of a file (or a symlink target). */
  CHUNK: 1,
  /** A file of more than one chunk: the list of its chunks. */
  MANIFEST: 2,
  /** A directory: sorted entries. */
  TREE: 3,
  /** A root tree with its parent, time and message. */
  COMMIT: 4,
  /** HEAD, the history base and the named snapshots. */
  REFS: 5,
  /** A large directory (format 2): its sorted entries as a list of TREE objects (shard.ts). */
  SHARDS: 6,
} as const;
export type Kind = (typeof Kind)[keyof typeof Kind];

export function isKind(v: number): v is Kind {
  return v >= Kind.CHUNK && v <= Kind.SHARDS;
}

export const SUPERBLOCK_FILE = 'superblock';
/** Two slots, each this many bytes; the one with the higher valid sequence wins. */
export const SLOT_BYTES = 16 * 1024;

export const PACK_HEADER_BYTES = 16;
/** u8 kind, u8 version, u16 0, u32 length, 32-byte hash, u32 crc32(payload). */
export const RECORD_HEADER_BYTES = 44;
/** A pack takes appends until it would pass this size; then a new pack starts. */
export const PACK_TARGET_BYTES = 64 * 1024 * 1024;

export function packFileName(id: number): string {
  return `pack-${id.toString().padStart(8, '0')}.tsp`;
}

/** The pack id in a pack file's name, or null for any other name. */
export function packIdOf(name: string): number | null {
  const m = /^pack-(\d{8})\.tsp$/.exec(name);
  return m === null ? null : Number(m[1]);
}
