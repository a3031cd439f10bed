// The fs server's protocol: what a Directory or File handle (a channel end whose peer is
// the fs server) carries. Layer: abi. Requests and replies are framed as syscall records
// (syscall-codec.ts): a request is `u32 id | u16 op | u16 0 | args`, a reply
// `u32 id | i32 errno | results`, both checked as strictly. The errno is WASI's
// (preview 1) numbering, so the WASI layer passes it through unchanged. A reply that
// gives a new handle (open, open_dir) carries it as the channel message's one handle.
//
// RIGHTS. The kernel tells the server the rights of the handle each request came
// through (channel.read); the fs rights are its SERVER_* bits, so a Directory handle
// duplicated with fewer of them confers less, and revoking it takes it away.
import { LIMITS } from './limits.ts';
import { Right, rights, type Rights } from './rights.ts';
import type { SyscallDef } from './sys.ts';

export const FsRight = {
  /** Read file contents. */
  READ: Right.SERVER_0,
  /** Change file contents, sizes and times. */
  WRITE: Right.SERVER_1,
  /** Make new names: create files, mkdir, symlink, link, the target of a rename. */
  CREATE: Right.SERVER_2,
  /** Remove names: unlink, rmdir, the source of a rename. */
  DELETE: Right.SERVER_3,
  /** Look names up and list them: stat, readlink, readdir. */
  ENUMERATE: Right.SERVER_4,
  /**
   * Resolve a way out of this directory as a chroot does: an absolute path or symlink
   * target starts here, and `..` here stays here (ADR 0009). Without it, such a
   * resolution is ENOTCAPABLE instead (WASI preview 1's rule; a WASI loader drops it from
   * its preopens). Either way nothing outside the directory is reached.
   */
  CHROOT: Right.SERVER_5,
} as const;

export const FS_ALL_RIGHTS: Rights = rights(...Object.values(FsRight));

/** WASI preview-1 errno values the server answers with (0 is success). */
export const FsErrno = {
  OK: 0,
  EACCES: 2,
  EBADF: 8,
  EBUSY: 10,
  EEXIST: 20,
  EINVAL: 28,
  EIO: 29,
  EISDIR: 31,
  ELOOP: 32,
  EMLINK: 34,
  ENAMETOOLONG: 37,
  ENOENT: 44,
  ENOSPC: 51,
  ENOSYS: 52,
  ENOTDIR: 54,
  ENOTEMPTY: 55,
  ENOTSUP: 58,
  EPERM: 63,
  EROFS: 69,
  /** The two directories of a renameat or linkat are not of one store. */
  EXDEV: 75,
  /** The answer would not fit one message (the server says so rather than send it). */
  EOVERFLOW: 61,
  /** The handle lacks the fs right the request needs (WASI's ENOTCAPABLE). */
  ENOTCAPABLE: 76,
} as const;

export type FsErrno = (typeof FsErrno)[keyof typeof FsErrno];

/** open(2) flags for dir.open (Linux's values). */
export const FsOpen = {
  RDONLY: 0,
  WRONLY: 1,
  RDWR: 2,
  ACCMODE: 3,
  CREAT: 0o100,
  EXCL: 0o200,
  TRUNC: 0o1000,
  APPEND: 0o2000,
  /** ELOOP if the last component is a symbolic link, instead of following it (EEXIST still wins with O_CREAT|O_EXCL). */
  NOFOLLOW: 0o400000,
} as const;

/** lseek(2) whence for file.seek. */
export const FsWhence = { SET: 0, CUR: 1, END: 2 } as const;

/** File types in stat results and directory entries. */
export const FsType = { FILE: 1, DIR: 2, SYMLINK: 3 } as const;

const STAT_RESULTS = [
  ['ino', 'f64'],
  ['type', 'u32'],
  ['mode', 'u32'],
  ['nlink', 'u32'],
  ['size', 'f64'],
  ['atime', 'f64'],
  ['mtime', 'f64'],
  ['ctime', 'f64'],
] as const;

const S = 'string' as const;

/** An op is described as a syscall is; its errors are FsErrno values in the reply, not Status. */
type Op = Omit<SyscallDef, 'blocks'>;

const op = (
  num: number,
  name: string,
  args: SyscallDef['args'],
  results: SyscallDef['results'],
  needs: string,
  doc: string,
): Op => ({ num, name, args, results, rights: needs, errors: [], doc });

/** Requests on a Directory handle (1..31) and on a File handle (32..). */
export const FS_OPS = [
  op(
    1,
    'dir.stat',
    [
      ['path', S],
      ['follow', 'u32'],
    ],
    STAT_RESULTS,
    'ENUMERATE',
    'stat(2) or, with follow = 0, lstat(2).',
  ),
  op(
    2,
    'dir.open',
    [
      ['path', S],
      ['flags', 'u32'],
      ['mode', 'u32'],
    ],
    [['digest', 'bytes']],
    'READ and/or WRITE as the access mode asks; CREATE if O_CREAT makes the file',
    "open(2) of a file with O_CREAT, O_EXCL, O_TRUNC, O_APPEND, O_NOFOLLOW (src/fs/open-file.ts flags). A directory is EISDIR in every access mode (dir.open_dir opens directories). The reply carries a File handle with READ and/or WRITE, and the file's digest as file.digest would give it then: empty when the handle has no READ or the content has unsynced changes.",
  ),
  op(
    3,
    'dir.open_dir',
    [['path', S]],
    [],
    'none beyond the handle',
    'A Directory handle on a subdirectory, with this handle’s fs rights; it confers that subtree only.',
  ),
  op(
    4,
    'dir.mkdir',
    [
      ['path', S],
      ['mode', 'u32'],
    ],
    [],
    'CREATE',
    'mkdir(2).',
  ),
  op(5, 'dir.rmdir', [['path', S]], [], 'DELETE', 'rmdir(2).'),
  op(6, 'dir.unlink', [['path', S]], [], 'DELETE', 'unlink(2).'),
  op(
    7,
    'dir.rename',
    [
      ['from', S],
      ['to', S],
    ],
    [],
    'DELETE and CREATE',
    'rename(2), atomic, both paths in this subtree.',
  ),
  op(
    8,
    'dir.symlink',
    [
      ['target', S],
      ['path', S],
    ],
    [],
    'CREATE',
    'symlink(2).',
  ),
  op(9, 'dir.readlink', [['path', S]], [['target', S]], 'ENUMERATE', 'readlink(2).'),
  op(
    10,
    'dir.link',
    [
      ['existing', S],
      ['path', S],
    ],
    [],
    'CREATE',
    'link(2).',
  ),
  op(
    22,
    'dir.rename_into',
    [
      ['from', S],
      ['to', S],
    ],
    [],
    'DELETE here, CREATE on the attached Directory',
    "renameat(2) from this directory into another: the request carries one handle, a Directory of this server (moved; send a duplicate to keep yours), under which `to` resolves with that handle's rights. EINVAL without exactly one handle, EXDEV if it is not a Directory this server serves, ENOTDIR if it is a File. Otherwise as dir.rename.",
  ),
  op(
    23,
    'dir.link_into',
    [
      ['existing', S],
      ['path', S],
    ],
    [],
    'CREATE on the attached Directory',
    'linkat(2) from this directory into another: `path` resolves under the attached Directory handle, as for dir.rename_into. Otherwise as dir.link.',
  ),
  op(
    11,
    'dir.readdir',
    [
      ['path', S],
      ['cookie', 'u32'],
    ],
    [
      ['entries', S],
      ['next', 'u32'],
    ],
    'ENUMERATE',
    'Entries from position `cookie` (0 to start) as JSON [[name, FsType, ino], …] (ino as dir.stat without follow reports it), sorted, as many as fit one message; `next` is the cookie for the rest, 0 when there is none.',
  ),
  op(
    12,
    'dir.utimes',
    [
      ['path', S],
      ['atime', 'f64'],
      ['mtime', 'f64'],
    ],
    [],
    'WRITE',
    'utimes(2), ms since the epoch.',
  ),
  op(
    13,
    'dir.truncate',
    [
      ['path', S],
      ['size', 'f64'],
    ],
    [],
    'WRITE',
    'truncate(2).',
  ),
  op(14, 'dir.sync', [], [], 'WRITE', 'Makes every change so far durable (fsync of the whole store).'),
  op(
    15,
    'dir.snapshot',
    [['name', S]],
    [],
    'WRITE, on the store’s root Directory',
    'Commits the whole store and names the commit (history is kept). EEXIST if the name is taken.',
  ),
  op(
    16,
    'dir.snapshots',
    [],
    [['list', S]],
    'ENUMERATE, on the root',
    'JSON [{name, time, message}, …], oldest first.',
  ),
  op(
    17,
    'dir.diff',
    [
      ['from', S],
      ['to', S],
    ],
    [['diff', S]],
    'ENUMERATE, on the root',
    'JSON {added, removed, modified}: paths that differ between two snapshots.',
  ),
  op(
    18,
    'dir.restore',
    [['name', S]],
    [],
    'WRITE, on the root',
    'Makes the snapshot the current state, as a new commit (history kept). Handles on the root Directory follow it; Directory handles on other directories, and open files, answer EBADF afterwards.',
  ),
  op(
    20,
    'dir.usage',
    [],
    [
      ['stored', 'f64'],
      ['unsynced', 'f64'],
      ['quota', 'f64'],
    ],
    'ENUMERATE, on the root',
    'Bytes the store takes, bytes written but not yet synced, and its quota (the browser’s estimate for the origin when the server started). A write past the quota answers ENOSPC and changes nothing.',
  ),
  op(
    21,
    'dir.write_file',
    [
      ['path', S],
      ['flags', 'u32'],
      ['mode', 'u32'],
      ['data', 'bytes'],
    ],
    [['written', 'u32']],
    'WRITE; CREATE if O_CREAT makes the file',
    'open(2) for writing with `flags` (O_CREAT, O_EXCL, O_TRUNC, O_APPEND; the access mode is O_WRONLY whatever is given), write(2) of `data` (at most FS_IO_MAX bytes), close(2), in one request and with no handle: how a small file is made or replaced without three round trips. Fails as open would, changing nothing; a write that fails (ENOSPC) leaves what open did (a created or truncated file).',
  ),
  op(
    19,
    'dir.open_snapshot',
    [['name', S]],
    [],
    'ENUMERATE, on the root',
    'A read-only Directory handle (READ, ENUMERATE) on the snapshot as it was: time travel. Changes answer EROFS.',
  ),
  op(
    32,
    'file.read',
    [['count', 'u32']],
    [['data', 'bytes']],
    'READ',
    'read(2) at the file position, at most FS_IO_MAX bytes.',
  ),
  op(
    33,
    'file.write',
    [['data', 'bytes']],
    [['written', 'u32']],
    'WRITE',
    'write(2) at the position, or at the end with O_APPEND.',
  ),
  op(
    34,
    'file.pread',
    [
      ['count', 'u32'],
      ['pos', 'f64'],
    ],
    [['data', 'bytes']],
    'READ',
    'pread(2), at most FS_IO_MAX bytes.',
  ),
  op(
    35,
    'file.pwrite',
    [
      ['data', 'bytes'],
      ['pos', 'f64'],
    ],
    [['written', 'u32']],
    'WRITE',
    'pwrite(2); with O_APPEND it appends, as on Linux.',
  ),
  op(
    36,
    'file.seek',
    [
      ['offset', 'f64'],
      ['whence', 'u32'],
    ],
    [['position', 'f64']],
    'none',
    'lseek(2): whence 0 SET, 1 CUR, 2 END.',
  ),
  op(37, 'file.stat', [], STAT_RESULTS, 'none', 'fstat(2).'),
  op(38, 'file.truncate', [['size', 'f64']], [], 'WRITE', 'ftruncate(2).'),
  op(39, 'file.sync', [], [], 'none', 'fsync(2): durable once answered.'),
  op(
    40,
    'file.digest',
    [],
    [['digest', 'bytes']],
    'READ',
    "The store's hash of the file's content as last made durable, as UTF-8 text; empty while the file has changes not yet synced. Equal digests from one store mean equal bytes.",
  ),
  op(
    41,
    'file.utimes',
    [
      ['atime', 'f64'],
      ['mtime', 'f64'],
    ],
    [],
    'WRITE',
    'futimens(2), ms since the epoch: the times of the file this handle has open, wherever it was renamed.',
  ),
] as const;

const BY_NUM = new Map<number, SyscallDef>(FS_OPS.map((o) => [o.num, { ...o, blocks: false }]));
const BY_NAME = new Map<string, SyscallDef>([...BY_NUM.values()].map((d) => [d.name, d]));

/** The op with this number, as a record definition the syscall codec can use. */
export const fsOpByNum = (num: number): SyscallDef | undefined => BY_NUM.get(num);

/** The op named `name` ("dir.open"); throws for a name not in FS_OPS (a programming error). */
export function fsOp(name: string): SyscallDef {
  const def = BY_NAME.get(name);
  if (!def) throw new Error(`no fs op ${name}`);
  return def;
}

/**
 * Most data bytes in one request or reply: a channel message (LIMITS.MESSAGE_BYTES) less
 * room for the framing, 64 KiB. file.read returns at most this; the client splits larger
 * writes. A path of up to 1 KiB less the header fits beside it (dir.write_file).
 */
export const FS_IO_MAX = LIMITS.MESSAGE_BYTES - 1024;

/**
 * Requests a handle's channel carries through the kernel before each side may map its
 * end (ADR 0024): a handle in steady use (a file read or written in a loop, a directory
 * being filled) then costs no syscall per request, and one used once or twice never pays
 * for the mapping (a syscall, and rings of LIMITS.CHANNEL_RING_BYTES each way). Each side
 * decides alone; either may be unmapped, and the channel works in every combination.
 */
export const FS_MAP_AFTER = 4;
