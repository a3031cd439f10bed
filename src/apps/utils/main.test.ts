// The utilities end to end on a fake context: argv to syscalls to the bytes on stdout
// and stderr, and the exit status.
import { describe, expect, it } from 'vitest';
import { FsErrno } from '../../abi/fs-protocol.ts';
import { ObjectType } from '../../abi/objects.ts';
import { decodePtyRequest, encodePtyMessage } from '../../abi/pty-protocol.ts';
import { Right } from '../../abi/rights.ts';
import { Status } from '../../abi/status.ts';
import type { WireValue } from '../../abi/syscall-codec.ts';
import type { Stubs } from '../../workers/stubs.ts';
import { runUtility } from './main.ts';
import { fakeContext, serveFs, type Fake, type FsReply } from './test-context.ts';

const encode = (s: string): Uint8Array => new TextEncoder().encode(s);
const decode = (v: WireValue | undefined): string =>
  v instanceof Uint8Array ? new TextDecoder().decode(v) : '';
const out = (f: Fake): string => f.channel(101).text();

/** Polls until `cond` holds (a frame is out, say), rather than sleeping a fixed time. */
async function until(cond: () => boolean): Promise<void> {
  for (let i = 0; !cond(); i++) {
    if (i > 500) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
}

const frames = (f: Fake): number => out(f).split('\x1b[H').length - 1;
const errs = (f: Fake): string => f.channel(102).text();

const kernelRow = (pid: number, parent: number, name: string, cpu_ms = 0) => ({
  pid,
  name,
  state: 'running',
  parent,
  priority: 'interactive',
  cpu_ms,
  handles: 4,
  memory_bytes: 8192,
});

const TABLE = JSON.stringify([
  kernelRow(1, 0, 'init'),
  kernelRow(2, 1, 'terminal'),
  kernelRow(3, 2, 'shell'),
]);

const listing = (table: () => string, status: number = Status.OK): Partial<Stubs> => ({
  processListAsync: (h: number) =>
    Promise.resolve(h === 50 ? { status, table: table() } : { status: Status.BAD_HANDLE }),
});

describe('dispatch', () => {
  it('answers 127 for a name that is not a utility', async () => {
    const f = fakeContext(['frob'], {});
    expect(await runUtility(f.ctx)).toBe(127);
    expect(errs(f)).toContain("'frob' is not one of ps, top, kill, snap, caps");
  });

  it('runs a utility by the basename of argv[0]', async () => {
    const f = fakeContext(
      ['/bin/ps'],
      listing(() => TABLE),
      [0, 50],
    );
    expect(await runUtility(f.ctx)).toBe(0);
    expect(out(f)).toContain('init');
  });
});

describe('ps', () => {
  it('lists the tree below the handle it was given', async () => {
    const f = fakeContext(
      ['ps', '--tree'],
      listing(() => TABLE),
      [0, 50],
    );
    expect(await runUtility(f.ctx)).toBe(0);
    expect(out(f).split('\n')).toEqual([
      'PID  PPID  STATE    CPU(ms)   MEM  HANDLES  NAME',
      '  1     0  running        0  8.0K        4  init',
      '  2     1  running        0  8.0K        4  └─ terminal',
      '  3     2  running        0  8.0K        4     └─ shell',
      '',
    ]);
  });

  it('is a usage error for an unknown option', async () => {
    const f = fakeContext(
      ['ps', '-z'],
      listing(() => TABLE),
      [0, 50],
    );
    expect(await runUtility(f.ctx)).toBe(2);
    expect(errs(f)).toContain('usage: ps');
  });

  it('fails with the status when process.list is refused, or without a handle', async () => {
    const denied = fakeContext(
      ['ps'],
      listing(() => '', Status.ACCESS_DENIED),
      [0, 50],
    );
    expect(await runUtility(denied.ctx)).toBe(1);
    expect(errs(denied)).toBe('ps: process.list: ACCESS_DENIED\n');
    const none = fakeContext(
      ['ps'],
      listing(() => TABLE),
      [0],
    );
    expect(await runUtility(none.ctx)).toBe(1);
    expect(errs(none)).toContain('no process handle');
  });

  it('fails on a table that is not JSON and logs rows it dropped', async () => {
    const bad = fakeContext(
      ['ps'],
      listing(() => '{'),
      [0, 50],
    );
    expect(await runUtility(bad.ctx)).toBe(1);
    expect(errs(bad)).toBe('ps: the process table is not JSON\n');
    const some = fakeContext(
      ['ps'],
      listing(() => JSON.stringify([kernelRow(1, 0, 'init'), { pid: 'x' }])),
      [0, 50],
    );
    expect(await runUtility(some.ctx)).toBe(0);
    expect(some.logs).toEqual(['ps: 1 malformed process rows dropped']);
  });
});

describe('kill', () => {
  const jobs = (killed: number[], states: Record<number, number> = {}): Partial<Stubs> => ({
    processInfoAsync: (h: number) =>
      Promise.resolve(
        h === 61 ? { status: Status.ACCESS_DENIED } : { status: Status.OK, pid: h - 40, state: 1 },
      ),
    processKillAsync: (h: number) => {
      killed.push(h);
      return Promise.resolve({ status: states[h] ?? Status.OK });
    },
  });

  it('kills the job whose handle has the pid', async () => {
    const killed: number[] = [];
    const f = fakeContext(['kill', '-9', '20', '22'], jobs(killed), [0, 60, 62]);
    expect(await runUtility(f.ctx)).toBe(0);
    expect(killed).toEqual([60, 62]);
    expect(errs(f)).toBe('');
  });

  it('refuses a pid none of its handles has, and kills the rest', async () => {
    const killed: number[] = [];
    const f = fakeContext(['kill', '7', '20', '21'], jobs(killed), [0, 60, 61]);
    expect(await runUtility(f.ctx)).toBe(1);
    expect(killed).toEqual([60]);
    expect(errs(f)).toBe(
      "kill: 7: no such process (only this shell's jobs can be signalled)\n" +
        "kill: 21: no such process (only this shell's jobs can be signalled)\n",
    );
  });

  it('says when the process has already ended, or the kill was refused', async () => {
    const f = fakeContext(
      ['kill', '20', '22'],
      jobs([], { 60: Status.BAD_STATE, 62: Status.ACCESS_DENIED }),
      [0, 60, 62],
    );
    expect(await runUtility(f.ctx)).toBe(1);
    expect(errs(f)).toBe('kill: 20: the process has already ended\nkill: 22: ACCESS_DENIED\n');
  });

  it('is a usage error for a non-number, and kills nothing', async () => {
    const killed: number[] = [];
    const f = fakeContext(['kill', '20', 'x'], jobs(killed), [0, 60]);
    expect(await runUtility(f.ctx)).toBe(2);
    expect(killed).toEqual([]);
    expect(errs(f)).toBe('kill: x: not a process id\n');
  });
});

describe('caps', () => {
  it('lists its initial handles, skipping index 3 when it is 0, and the status of a refusal', async () => {
    const info: Partial<Stubs> = {
      objectInfoAsync: (h: number) =>
        Promise.resolve(
          h === 102
            ? { status: Status.ACCESS_DENIED }
            : {
                status: Status.OK,
                type: ObjectType.CHANNEL,
                koid: h - 60,
                rights: Right.READ | Right.WAIT,
                badge: 0,
                related: 0,
              },
        ),
    };
    const f = fakeContext(['caps'], info, [0]);
    expect(await runUtility(f.ctx)).toBe(0);
    expect(out(f)).toBe('0  channel  koid 40  READ WAIT\n1  channel  koid 41  READ WAIT\n2  ACCESS_DENIED\n');
  });

  it('takes no arguments', async () => {
    const f = fakeContext(['caps', '-a'], {}, [0]);
    expect(await runUtility(f.ctx)).toBe(2);
  });
});

/** A store with snapshots v1 and v2; /etc/motd differs between them; v1's dir is handle 70, the file 71. */
function store(f: Fake): string[] {
  const ops: string[] = [];
  const snapshots = [
    { name: 'v1', time: Date.UTC(2026, 5, 1), message: 'snapshot v1' },
    { name: 'v2', time: Date.UTC(2026, 5, 2), message: 'snapshot v2' },
  ];
  const known = (name: string): boolean => snapshots.some((s) => s.name === name);
  serveFs(f.channel(50), (op, args): FsReply => {
    const a = decode(args[0]);
    ops.push(`${op} ${a}`.trim());
    if (op === 'dir.snapshot') return { errno: known(a) ? FsErrno.EEXIST : FsErrno.OK };
    if (op === 'dir.restore') return { errno: known(a) ? FsErrno.OK : FsErrno.ENOENT };
    if (op === 'dir.snapshots') return { errno: FsErrno.OK, results: [encode(JSON.stringify(snapshots))] };
    if (op === 'dir.diff') {
      if (!known(a) || !known(decode(args[1]))) return { errno: FsErrno.ENOENT };
      const diff = { added: ['/new'], removed: ['/old'], modified: ['/etc/motd'] };
      return { errno: FsErrno.OK, results: [encode(JSON.stringify(diff))] };
    }
    if (op === 'dir.open_snapshot')
      return known(a) ? { errno: FsErrno.OK, handle: 70 } : { errno: FsErrno.ENOENT };
    return { errno: FsErrno.ENOSYS };
  });
  serveFs(f.channel(70), (op, args): FsReply => {
    ops.push(`${op} ${decode(args[0])}`.trim());
    if (op !== 'dir.open') return { errno: FsErrno.ENOSYS };
    return decode(args[0]) === '/etc/motd'
      ? { errno: FsErrno.OK, handle: 71, results: [encode('')] }
      : { errno: FsErrno.ENOENT };
  });
  let reads = 0;
  serveFs(f.channel(71), (op): FsReply => {
    ops.push(op);
    if (op !== 'file.read') return { errno: FsErrno.ENOSYS };
    return { errno: FsErrno.OK, results: [encode(reads++ === 0 ? 'hello, v1\n' : '')] };
  });
  return ops;
}

describe('snap', () => {
  const run = async (
    args: string[],
    env: string[] = [],
  ): Promise<{ f: Fake; code: number; ops: string[] }> => {
    const f = fakeContext(['snap', ...args], {}, [0, 50], env);
    const ops = store(f);
    return { f, code: await runUtility(f.ctx), ops };
  };

  it('creates a snapshot', async () => {
    const { code, ops } = await run(['create', 'v3']);
    expect([code, ops]).toEqual([0, ['dir.snapshot v3']]);
  });

  it('says EEXIST for a name that is taken', async () => {
    const { f, code } = await run(['create', 'v1']);
    expect(code).toBe(1);
    expect(errs(f)).toBe('snap create: v1: EEXIST (a snapshot by that name exists)\n');
  });

  it('lists snapshots with ISO times', async () => {
    const { f, code } = await run(['list']);
    expect(code).toBe(0);
    expect(out(f)).toBe(
      'NAME  TIME                      MESSAGE\n' +
        'v1    2026-06-01T00:00:00.000Z  snapshot v1\n' +
        'v2    2026-06-02T00:00:00.000Z  snapshot v2\n',
    );
  });

  it('diffs two snapshots, and says ENOENT for a missing one', async () => {
    const good = await run(['diff', 'v1', 'v2']);
    expect(out(good.f)).toBe('M /etc/motd\n+ /new\n- /old\n');
    const bad = await run(['diff', 'v1', 'nope']);
    expect(bad.code).toBe(1);
    expect(errs(bad.f)).toBe('snap diff: v1 nope: ENOENT (no such snapshot or file)\n');
  });

  it('restores, and says ENOENT for a missing snapshot', async () => {
    expect((await run(['restore', 'v1'])).code).toBe(0);
    const bad = await run(['restore', 'v9']);
    expect(bad.code).toBe(1);
    expect(errs(bad.f)).toBe('snap restore: v9: ENOENT (no such snapshot or file)\n');
  });

  it('cats a file as it was, relative to PWD, and closes what it opened', async () => {
    const { f, code, ops } = await run(['cat', 'motd@v1'], ['PWD=/etc']);
    expect(code).toBe(0);
    expect(out(f)).toBe('hello, v1\n');
    expect(ops).toEqual(['dir.open_snapshot v1', 'dir.open /etc/motd', 'file.read', 'file.read']);
    expect(f.closed).toEqual([70, 71]);
  });

  it('says which part of PATH@NAME is missing', async () => {
    const noSnap = await run(['cat', '/etc/motd@v9']);
    expect([noSnap.code, errs(noSnap.f)]).toEqual([1, 'snap cat: v9: ENOENT (no such snapshot or file)\n']);
    const noFile = await run(['cat', '/gone@v1']);
    expect([noFile.code, errs(noFile.f)]).toEqual([
      1,
      'snap cat: /gone@v1: ENOENT (no such snapshot or file)\n',
    ]);
    expect(noFile.f.closed).toEqual([70]);
  });

  it('is a usage error for bad operands, before touching the store', async () => {
    const { f, code, ops } = await run(['cat', 'motd']);
    expect([code, ops]).toEqual([2, []]);
    expect(errs(f)).toContain('PATH@SNAPSHOT');
  });

  it('fails without the store directory', async () => {
    const f = fakeContext(['snap', 'list'], {}, [0]);
    expect(await runUtility(f.ctx)).toBe(1);
    expect(errs(f)).toContain('no store directory');
  });
});

describe('top', () => {
  /** A table in which pid 2 has used `step` more ms at each call. */
  const growing = (step: number): (() => string) => {
    let calls = 0;
    return () => {
      calls++;
      return JSON.stringify([kernelRow(1, 0, 'init', 1), kernelRow(2, 1, 'busy', calls * step)]);
    };
  };

  it('prints -n frames in batch mode, without escapes or mode changes', async () => {
    const f = fakeContext(['top', '-b', '-n', '2', '-d', '0.1'], listing(growing(10)), [55, 50]);
    expect(await runUtility(f.ctx)).toBe(0);
    const text = out(f);
    expect(text.match(/^top - 2 processes/gm)).toHaveLength(2);
    expect(text).not.toContain('\x1b');
    // The busiest first.
    expect(text.split('\n')[3]).toMatch(/^ {2}2 .* busy$/);
    expect(f.channel(55).written).toEqual([]);
  });

  it('goes raw, hides the cursor and paints until q, then puts the mode back', async () => {
    const f = fakeContext(['top', '-d', '0.1'], listing(growing(5)), [55, 50], ['COLUMNS=40', 'LINES=5']);
    const done = runUtility(f.ctx);
    // Once the first frame is out, press q.
    await until(() => frames(f) >= 1);
    f.channel(100).deliver(encode('q'));
    expect(await done).toBe(0);
    const modes = f.channel(55).written.map((m) => {
      const r = decodePtyRequest(m);
      return r.ok ? r.value.mode : null;
    });
    expect(modes).toEqual([
      { canonical: false, echo: false, signals: true },
      { canonical: true, echo: true, signals: true },
    ]);
    const text = out(f);
    expect(text.startsWith('\x1b[?25l\x1b[2J')).toBe(true);
    expect(text.endsWith('\x1b[?25h\n')).toBe(true);
    const frame = text.slice(text.lastIndexOf('\x1b[H') + 3, text.lastIndexOf('\x1b[J'));
    const lines = frame.split('\x1b[K\n');
    expect(lines).toHaveLength(5);
    expect(lines.every((l) => l.replace('\x1b[K', '').length <= 40)).toBe(true);
  });

  it('repaints at the size a size event gives, and quits on a signal event', async () => {
    const f = fakeContext(['top', '-d', '5'], listing(growing(5)), [55, 50], ['COLUMNS=80', 'LINES=24']);
    const done = runUtility(f.ctx);
    await until(() => frames(f) >= 1);
    f.channel(55).deliver(encodePtyMessage({ ev: 'size', cols: 20, rows: 3 }));
    await until(() => frames(f) >= 2);
    f.channel(55).deliver(encodePtyMessage({ ev: 'signal', signal: 'interrupt' }));
    expect(await done).toBe(0);
    const text = out(f);
    const frame = text.slice(text.lastIndexOf('\x1b[H') + 3, text.lastIndexOf('\x1b[J'));
    expect(frame.split('\x1b[K\n')).toHaveLength(3);
    expect(frame.split('\x1b[K\n')[0]).toBe('top - 2 processes, 2');
  });

  it('is a usage error for a bad option', async () => {
    const f = fakeContext(['top', '-n', '0'], listing(growing(1)), [0, 50]);
    expect(await runUtility(f.ctx)).toBe(2);
    expect(errs(f)).toContain('usage: top');
  });

  it('fails before changing the mode when process.list is refused', async () => {
    const f = fakeContext(
      ['top'],
      listing(() => '', Status.ACCESS_DENIED),
      [55, 50],
    );
    expect(await runUtility(f.ctx)).toBe(1);
    expect(errs(f)).toBe('top: process.list: ACCESS_DENIED\n');
    expect(f.channel(55).written).toEqual([]);
  });
});
