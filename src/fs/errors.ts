// Errno-like codes the fs store returns as values (STYLE.md, errors tier 1). The fs
// server maps them onto the wire later. Layer: fs. Nothing here is thrown: an FsError
// is an expected failure, and its message says what a person can do about it.
import { err, type Result } from '../abi/result.ts';

export const Errno = {
  /** No such file or directory. */
  ENOENT: 'ENOENT',
  /** The name exists already (O_CREAT|O_EXCL, mkdir, symlink, link, snapshot name). */
  EEXIST: 'EEXIST',
  /** A path component that must be a directory is not one. */
  ENOTDIR: 'ENOTDIR',
  /** The operation needs a non-directory but got a directory. */
  EISDIR: 'EISDIR',
  /** rmdir, or rename onto a directory, that still has entries. */
  ENOTEMPTY: 'ENOTEMPTY',
  /** An argument is out of range (negative offset, rename into own subtree, "." as a name). */
  EINVAL: 'EINVAL',
  /** More than MAX_SYMLINK_HOPS symbolic links while resolving one path. */
  ELOOP: 'ELOOP',
  /** A name over NAME_BYTES or a path over PATH_BYTES (UTF-8). */
  ENAMETOOLONG: 'ENAMETOOLONG',
  /** The configured byte quota would be exceeded. Nothing was written. */
  ENOSPC: 'ENOSPC',
  /** Not an open descriptor, or it was opened without the access this call needs. */
  EBADF: 'EBADF',
  /** The volume is read-only (a snapshot view). */
  EROFS: 'EROFS',
  /** A commit is in progress; retry once it has completed. */
  EBUSY: 'EBUSY',
  /** Not permitted on this kind of object (a hard link to a directory). */
  EPERM: 'EPERM',
  /** Too many hard links to one file (MAX_LINKS). */
  EMLINK: 'EMLINK',
  /** Not supported by this store (e.g. a tar entry for a device or a fifo). */
  ENOTSUP: 'ENOTSUP',
  /** The backing storage failed or holds data that does not check out. */
  EIO: 'EIO',
  /** A path or symlink target would leave a view that refuses escapes (DirView.refusingEscapes). */
  ENOTCAPABLE: 'ENOTCAPABLE',
  /** A rename or link between two volumes. */
  EXDEV: 'EXDEV',
} as const;

export type Errno = (typeof Errno)[keyof typeof Errno];

export interface FsError {
  readonly code: Errno;
  /** For a person: what failed and, where it helps, what to do. */
  readonly message: string;
}

export type FsResult<T> = Result<T, FsError>;

export function fail(code: Errno, message: string): FsResult<never> {
  return err({ code, message });
}

/** Limits of the store's namespace, in UTF-8 bytes. */
export const FS_LIMITS = {
  NAME_BYTES: 255,
  PATH_BYTES: 4096,
  MAX_SYMLINK_HOPS: 40,
  MAX_LINKS: 65535,
  /** Length of a snapshot name, in UTF-8 bytes. */
  SNAPSHOT_NAME_BYTES: 128,
  /** Bytes one commit message may take. */
  MESSAGE_BYTES: 4096,
} as const;
