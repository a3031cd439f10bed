// What stat(2) and readdir(3) report about an inode. Layer: fs. Pure: reads an inode,
// changes nothing.
import type { Inode } from './inode.ts';
import { EntryType } from './objects.ts';

export type FileType = 'file' | 'dir' | 'symlink';

export interface Stat {
  readonly ino: number;
  readonly type: FileType;
  readonly mode: number;
  readonly nlink: number;
  readonly size: number;
  readonly atime: number;
  readonly mtime: number;
  readonly ctime: number;
}

export interface DirEntry {
  readonly name: string;
  readonly type: FileType;
  /** The inode's number, as stat reports it (lstat's, for a symlink). */
  readonly ino: number;
}

const TYPE_NAMES = {
  [EntryType.FILE]: 'file',
  [EntryType.DIR]: 'dir',
  [EntryType.SYMLINK]: 'symlink',
} as const;

export function typeName(n: Inode): FileType {
  return TYPE_NAMES[n.type];
}

export function statOf(n: Inode): Stat {
  const { ino, mode, nlink, size, atime, mtime, ctime } = n;
  return { ino, type: typeName(n), mode, nlink, size, atime, mtime, ctime };
}
