// WASI filestat and fdstat records, written straight into guest memory (the shim's own
// Filestat writer puts the times at the wrong offsets). Layer: workers. Trusts the fs
// server's stat results; the guest pointer was bounds-checked by the caller's DataView.
import { FsType } from '../../abi/fs-protocol.ts';
import type { WireValue } from '../../abi/syscall-codec.ts';
import { wasi } from '@bjorn3/browser_wasi_shim';

/** A stat as the fs server answers it (dir.stat, file.stat), times in ms since the epoch. */
export interface Stat {
  readonly ino: number;
  readonly filetype: number;
  readonly nlink: number;
  readonly size: number;
  readonly atime: number;
  readonly mtime: number;
  readonly ctime: number;
}

const FILETYPE: Record<number, number> = {
  [FsType.FILE]: wasi.FILETYPE_REGULAR_FILE,
  [FsType.DIR]: wasi.FILETYPE_DIRECTORY,
  [FsType.SYMLINK]: wasi.FILETYPE_SYMBOLIC_LINK,
};

/** The fs server's stat results (ino, type, mode, nlink, size, atime, mtime, ctime). */
export function statFrom(results: readonly WireValue[]): Stat {
  const [ino, type, , nlink, size, atime, mtime, ctime] = results as number[];
  return {
    ino: ino ?? 0,
    filetype: FILETYPE[type ?? 0] ?? wasi.FILETYPE_UNKNOWN,
    nlink: nlink ?? 1,
    size: size ?? 0,
    atime: atime ?? 0,
    mtime: mtime ?? 0,
    ctime: ctime ?? 0,
  };
}

const ns = (ms: number): bigint => BigInt(Math.round(ms * 1e6));

const F = wasi;
const FST_ALL = F.FSTFLAGS_ATIM | F.FSTFLAGS_ATIM_NOW | F.FSTFLAGS_MTIM | F.FSTFLAGS_MTIM_NOW;

/** Whether `fst` is a valid set_times flag word: no unknown bit, never a time and "now" for one clock. */
export function validTimeFlags(fst: number): boolean {
  return (
    (fst & ~FST_ALL) === 0 &&
    !(fst & F.FSTFLAGS_ATIM && fst & F.FSTFLAGS_ATIM_NOW) &&
    !(fst & F.FSTFLAGS_MTIM && fst & F.FSTFLAGS_MTIM_NOW)
  );
}

/**
 * The times a set_times call asks for, in ms (the store's unit) from WASI's ns: each is
 * the value given, the current time, or left as `cur` has it, as `fst` says.
 */
export function timesToSet(
  atim: bigint,
  mtim: bigint,
  fst: number,
  cur: Stat,
): { atime: number; mtime: number } {
  const now = Date.now();
  const pick = (set: number, setNow: number, value: bigint, old: number): number =>
    fst & set ? Number(value) / 1e6 : fst & setNow ? now : old;
  return {
    atime: pick(F.FSTFLAGS_ATIM, F.FSTFLAGS_ATIM_NOW, atim, cur.atime),
    mtime: pick(F.FSTFLAGS_MTIM, F.FSTFLAGS_MTIM_NOW, mtim, cur.mtime),
  };
}

/** Writes a preview-1 `filestat` (64 bytes) at `ptr`. */
export function writeFilestat(view: DataView, ptr: number, s: Stat): void {
  view.setBigUint64(ptr, 0n, true); // dev: one store
  view.setBigUint64(ptr + 8, BigInt(s.ino), true);
  view.setUint8(ptr + 16, s.filetype);
  view.setBigUint64(ptr + 24, BigInt(s.nlink), true);
  view.setBigUint64(ptr + 32, BigInt(s.size), true);
  view.setBigUint64(ptr + 40, ns(s.atime), true);
  view.setBigUint64(ptr + 48, ns(s.mtime), true);
  view.setBigUint64(ptr + 56, ns(s.ctime), true);
}

/** An fd's state as fd_fdstat_get reports it. */
export interface Fdstat {
  readonly filetype: number;
  readonly flags: number;
  readonly base: bigint;
  readonly inheriting: bigint;
}

/** Writes a preview-1 `fdstat` (24 bytes) at `ptr`. */
export function writeFdstat(view: DataView, ptr: number, s: Fdstat): void {
  view.setUint8(ptr, s.filetype);
  view.setUint16(ptr + 2, s.flags, true);
  view.setBigUint64(ptr + 8, s.base, true);
  view.setBigUint64(ptr + 16, s.inheriting, true);
}
