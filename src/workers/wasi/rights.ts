// WASI preview-1 rights: the sets each kind of fd can hold, and how a Tessera handle's fs
// rights (src/abi/fs-protocol.ts) bound them. Layer: workers. The fs server enforces its
// own rights on every request; these are checked first so fdstat tells a program the
// truth and a missing right is ENOTCAPABLE before anything is sent.
import { FsRight } from '../../abi/fs-protocol.ts';
import { hasRights, type Rights } from '../../abi/rights.ts';
import { wasi } from '@bjorn3/browser_wasi_shim';

const R = wasi;

const or = (...bits: number[]): bigint => bits.reduce((a, b) => a | BigInt(b), 0n);

/** What a regular file fd can do. */
export const FILE_RIGHTS = or(
  R.RIGHTS_FD_DATASYNC,
  R.RIGHTS_FD_READ,
  R.RIGHTS_FD_SEEK,
  R.RIGHTS_FD_FDSTAT_SET_FLAGS,
  R.RIGHTS_FD_SYNC,
  R.RIGHTS_FD_TELL,
  R.RIGHTS_FD_WRITE,
  R.RIGHTS_FD_ADVISE,
  R.RIGHTS_FD_ALLOCATE,
  R.RIGHTS_FD_FILESTAT_GET,
  R.RIGHTS_FD_FILESTAT_SET_SIZE,
  R.RIGHTS_FD_FILESTAT_SET_TIMES,
  R.RIGHTS_POLL_FD_READWRITE,
);

/** What a directory fd can do. */
export const DIR_RIGHTS = or(
  R.RIGHTS_FD_FDSTAT_SET_FLAGS,
  R.RIGHTS_FD_SYNC,
  R.RIGHTS_FD_ADVISE,
  R.RIGHTS_PATH_CREATE_DIRECTORY,
  R.RIGHTS_PATH_CREATE_FILE,
  R.RIGHTS_PATH_LINK_SOURCE,
  R.RIGHTS_PATH_LINK_TARGET,
  R.RIGHTS_PATH_OPEN,
  R.RIGHTS_FD_READDIR,
  R.RIGHTS_PATH_READLINK,
  R.RIGHTS_PATH_RENAME_SOURCE,
  R.RIGHTS_PATH_RENAME_TARGET,
  R.RIGHTS_PATH_FILESTAT_GET,
  R.RIGHTS_PATH_FILESTAT_SET_SIZE,
  R.RIGHTS_PATH_FILESTAT_SET_TIMES,
  R.RIGHTS_FD_FILESTAT_GET,
  R.RIGHTS_FD_FILESTAT_SET_TIMES,
  R.RIGHTS_PATH_SYMLINK,
  R.RIGHTS_PATH_REMOVE_DIRECTORY,
  R.RIGHTS_PATH_UNLINK_FILE,
);

/** A stream's rights: the reading or the writing end of a pipe. */
export const STREAM_READ_RIGHTS = or(
  R.RIGHTS_FD_READ,
  R.RIGHTS_POLL_FD_READWRITE,
  R.RIGHTS_FD_FILESTAT_GET,
  R.RIGHTS_FD_FDSTAT_SET_FLAGS,
);
export const STREAM_WRITE_RIGHTS = or(
  R.RIGHTS_FD_WRITE,
  R.RIGHTS_POLL_FD_READWRITE,
  R.RIGHTS_FD_FILESTAT_GET,
  R.RIGHTS_FD_FDSTAT_SET_FLAGS,
);

/** WASI rights each fs right stands for (on the directory itself and on what it opens). */
const FS_RIGHT_GRANTS: readonly [Rights, bigint][] = [
  [FsRight.READ, or(R.RIGHTS_FD_READ)],
  [
    FsRight.WRITE,
    or(
      R.RIGHTS_FD_WRITE,
      R.RIGHTS_FD_DATASYNC,
      R.RIGHTS_FD_ALLOCATE,
      R.RIGHTS_FD_FILESTAT_SET_SIZE,
      R.RIGHTS_FD_FILESTAT_SET_TIMES,
      R.RIGHTS_PATH_FILESTAT_SET_SIZE,
      R.RIGHTS_PATH_FILESTAT_SET_TIMES,
      R.RIGHTS_FD_SYNC,
    ),
  ],
  [
    FsRight.CREATE,
    or(
      R.RIGHTS_PATH_CREATE_DIRECTORY,
      R.RIGHTS_PATH_CREATE_FILE,
      R.RIGHTS_PATH_LINK_TARGET,
      R.RIGHTS_PATH_RENAME_TARGET,
      R.RIGHTS_PATH_SYMLINK,
    ),
  ],
  [
    FsRight.DELETE,
    or(R.RIGHTS_PATH_REMOVE_DIRECTORY, R.RIGHTS_PATH_UNLINK_FILE, R.RIGHTS_PATH_RENAME_SOURCE),
  ],
  [
    FsRight.ENUMERATE,
    or(
      R.RIGHTS_FD_READDIR,
      R.RIGHTS_PATH_FILESTAT_GET,
      R.RIGHTS_FD_FILESTAT_GET,
      R.RIGHTS_PATH_READLINK,
      R.RIGHTS_PATH_LINK_SOURCE,
    ),
  ],
];

const GRANTED_BY_FS = FS_RIGHT_GRANTS.reduce((a, [, w]) => a | w, 0n);

/** The WASI rights a Directory handle with `held` kernel rights can confer. */
export function wasiRightsOf(held: Rights): bigint {
  let allowed = ~GRANTED_BY_FS;
  for (const [fs, granted] of FS_RIGHT_GRANTS) if (hasRights(held, fs)) allowed |= granted;
  return allowed & (DIR_RIGHTS | FILE_RIGHTS);
}

export const has = (rights: bigint, right: number): boolean => (rights & BigInt(right)) !== 0n;
