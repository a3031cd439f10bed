import { describe, expect, it } from 'vitest';
import { handlesByPid, KILL_USAGE, noSuchProcess, parseKillArgs } from './kill.ts';

describe('parseKillArgs', () => {
  it('takes pids, with or without -9, -KILL, -SIGKILL, -s KILL and --', () => {
    expect(parseKillArgs(['12'])).toEqual({ ok: true, value: [12] });
    expect(parseKillArgs(['-9', '12', '13'])).toEqual({ ok: true, value: [12, 13] });
    expect(parseKillArgs(['-KILL', '5'])).toEqual({ ok: true, value: [5] });
    expect(parseKillArgs(['-sigkill', '5'])).toEqual({ ok: true, value: [5] });
    expect(parseKillArgs(['-s', 'KILL', '5'])).toEqual({ ok: true, value: [5] });
    expect(parseKillArgs(['--', '7'])).toEqual({ ok: true, value: [7] });
  });

  it('needs a pid', () => {
    expect(parseKillArgs([])).toEqual({ ok: false, error: KILL_USAGE });
    expect(parseKillArgs(['-9'])).toEqual({ ok: false, error: KILL_USAGE });
  });

  it.each([
    [['abc'], 'not a process id'],
    [['0'], 'not a process id'],
    [['1.5'], 'not a process id'],
    [['12x'], 'not a process id'],
    [['9999999999'], 'not a process id'],
    [['--', '-9'], 'not a process id'],
    [['%1'], 'no such job'],
    [['-15', '3'], 'only KILL'],
    [['-HUP', '3'], 'only KILL'],
    [['-s', 'TERM', '3'], 'only KILL'],
    [['-s'], 'only KILL'],
  ])('refuses %j', (args, message) => {
    const r = parseKillArgs(args);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toContain(message);
  });
});

describe('handlesByPid', () => {
  it('maps the pids process.info answered, the first handle winning', () => {
    const map = handlesByPid([
      { handle: 10, pid: 5 },
      { handle: 11, pid: null },
      { handle: 12, pid: 5 },
      { handle: 13, pid: 6 },
    ]);
    expect([...map]).toEqual([
      [5, 10],
      [6, 13],
    ]);
  });
});

describe('noSuchProcess', () => {
  it('says only the shell’s jobs can be signalled', () => {
    expect(noSuchProcess(42)).toBe("kill: 42: no such process (only this shell's jobs can be signalled)");
  });
});
