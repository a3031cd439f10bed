import { describe, expect, it } from 'vitest';
import { FsErrno } from '../../abi/fs-protocol.ts';
import {
  decodeDiff,
  decodeSnapshots,
  errnoName,
  formatDiff,
  formatSnapshots,
  parseSnapArgs,
  resolvePath,
  snapError,
} from './snap.ts';

describe('parseSnapArgs', () => {
  it('parses each subcommand', () => {
    expect(parseSnapArgs(['create', 'a'])).toEqual({ ok: true, value: { op: 'create', name: 'a' } });
    expect(parseSnapArgs(['list'])).toEqual({ ok: true, value: { op: 'list' } });
    expect(parseSnapArgs(['diff', 'a', 'b'])).toEqual({
      ok: true,
      value: { op: 'diff', from: 'a', to: 'b' },
    });
    expect(parseSnapArgs(['restore', 'a'])).toEqual({ ok: true, value: { op: 'restore', name: 'a' } });
    expect(parseSnapArgs(['cat', '/etc/motd@v1'])).toEqual({
      ok: true,
      value: { op: 'cat', path: '/etc/motd', name: 'v1' },
    });
  });

  it('resolves a relative cat path against PWD and splits at the last @', () => {
    expect(parseSnapArgs(['cat', 'notes.txt@v2'], '/home/user')).toEqual({
      ok: true,
      value: { op: 'cat', path: '/home/user/notes.txt', name: 'v2' },
    });
    expect(parseSnapArgs(['cat', 'a@b@c'], '/')).toEqual({
      ok: true,
      value: { op: 'cat', path: '/a@b', name: 'c' },
    });
  });

  it.each([
    [[], 'usage'],
    [['frobnicate'], "unknown subcommand 'frobnicate'"],
    [['create'], 'wrong number'],
    [['create', 'a', 'b'], 'wrong number'],
    [['list', 'x'], 'wrong number'],
    [['diff', 'a'], 'wrong number'],
    [['restore'], 'wrong number'],
    [['create', ''], 'empty operand'],
    [['cat', 'nopath'], 'not PATH@SNAPSHOT'],
    [['cat', '@v1'], 'not PATH@SNAPSHOT'],
    [['cat', 'file@'], 'not PATH@SNAPSHOT'],
  ])('refuses %j', (args, message) => {
    const r = parseSnapArgs(args);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toContain(message);
  });
});

describe('resolvePath', () => {
  it.each([
    ['/', 'a', '/a'],
    ['/home', 'a/b', '/home/a/b'],
    ['/home', '/etc//x', '/etc/x'],
    ['/home/u', '../v/./w', '/home/v/w'],
    ['/', '../../x', '/x'],
    ['/a', '.', '/a'],
  ])('%s + %s is %s', (cwd, path, want) => {
    expect(resolvePath(cwd, path)).toBe(want);
  });
});

describe('errors', () => {
  it('names errnos', () => {
    expect(errnoName(FsErrno.ENOENT)).toBe('ENOENT');
    expect(errnoName(999)).toBe('errno 999');
  });
  it('says what the errno means for a snapshot', () => {
    expect(snapError('restore', 'old', FsErrno.ENOENT)).toBe(
      'snap restore: old: ENOENT (no such snapshot or file)',
    );
    expect(snapError('create', 'v1', FsErrno.EEXIST)).toBe(
      'snap create: v1: EEXIST (a snapshot by that name exists)',
    );
    expect(snapError('cat', 'x@y', FsErrno.EIO)).toBe('snap cat: x@y: EIO');
  });
});

describe('snapshot lists', () => {
  it('decodes entries and drops malformed ones', () => {
    expect(
      decodeSnapshots([
        { name: 'a', time: 1, message: 'm' },
        { name: 2, time: 1, message: 'm' },
        null,
        { name: 'b', time: '1', message: 'm' },
        { name: 'c', time: 3 },
      ]),
    ).toEqual([{ name: 'a', time: 1, message: 'm' }]);
    expect(decodeSnapshots({ name: 'a' })).toEqual([]);
  });

  it('prints name, ISO time and message, oldest first', () => {
    const list = [
      { name: 'later', time: Date.UTC(2026, 0, 2), message: 'snapshot later' },
      { name: 'first', time: Date.UTC(2026, 0, 1, 12, 30), message: 'snapshot first' },
    ];
    expect(formatSnapshots(list)).toEqual([
      'NAME   TIME                      MESSAGE',
      'first  2026-01-01T12:30:00.000Z  snapshot first',
      'later  2026-01-02T00:00:00.000Z  snapshot later',
    ]);
  });

  it('makes names printable, shows a bad time as ?, and says when there are none', () => {
    expect(formatSnapshots([{ name: 'x\x1b', time: NaN, message: 'm\n' }])[1]).toBe('x?    ?     m?');
    expect(formatSnapshots([])).toEqual(['no snapshots']);
  });
});

describe('diffs', () => {
  it('prints +, - and M lines by path', () => {
    const d = decodeDiff({ added: ['/b', '/d'], removed: ['/a'], modified: ['/c'] });
    expect(formatDiff(d)).toEqual(['- /a', '+ /b', 'M /c', '+ /d']);
  });
  it('is empty for the same snapshots, and decodes garbage as no change', () => {
    expect(formatDiff(decodeDiff({ added: [], removed: [], modified: [] }))).toEqual([]);
    expect(decodeDiff(null)).toEqual({ added: [], removed: [], modified: [] });
    expect(decodeDiff({ added: [1, '/x'], removed: 'y' })).toEqual({
      added: ['/x'],
      removed: [],
      modified: [],
    });
  });
  it('makes paths printable', () => {
    expect(formatDiff({ added: ['/\x1b[2J'], removed: [], modified: [] })).toEqual(['+ /?[2J']);
  });
});
