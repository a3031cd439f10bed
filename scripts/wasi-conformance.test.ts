// Runs the WASI conformance programs and the sqlite3 shell (build/wasi/, from build-wasi.mjs)
// under node's node:wasi, each in its own node process so that a runtime crash or hang fails
// one run; and the output parser of scripts/wasi-expect.ts. The programs assert preview1;
// where node's uvwasi differs, NODE_DEVIATIONS says so, check by check.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  commandRuns,
  conformanceArgv,
  conformanceRuns,
  judgeRun,
  parseConformanceOutput,
  PREOPEN,
  runEnv,
  type ConformanceRun,
  type DeviationTable,
} from './wasi-expect.ts';

const ROOT = new URL('..', import.meta.url).pathname;
const WASM = join(ROOT, 'build/wasi');

/** node 20's uvwasi against preview1 (and the programs' comments), check by check. */
const NODE_DEVIATIONS: DeviationTable = {
  'args-env/empty-env': {
    'environ-get-empty': {
      effect: 'fails',
      reason: 'environ_get answers EINVAL when the environment is empty',
    },
  },
  fd: {
    'fdstat-append-flag': { effect: 'fails', reason: 'fs_flags holds the host open(2) flags, not fdflags' },
    'fdstat-set-flags-reported': { effect: 'fails', reason: 'fs_flags holds the host open(2) flags' },
    'readdir-ino': { effect: 'fails', reason: 'fd_readdir reports d_ino 0' },
  },
  path: {
    'open-empty-path': { effect: 'fails', reason: 'path_open("") answers EINVAL, not ENOENT' },
    'readlink-exact-buffer': { effect: 'fails', reason: 'path_readlink wants room for a NUL: ENOBUFS' },
    'readlink-truncates': { effect: 'fails', reason: 'a short buffer is ENOBUFS, not truncated' },
    'symlink-open-nofollow': {
      effect: 'fails',
      reason: 'path_open follows a final symlink without SYMLINK_FOLLOW',
    },
    'path-filestat-set-times': {
      effect: 'fails',
      reason: 'setting only mtim rewrites atim, cut to whole seconds',
    },
    'path-filestat-set-times-atim-both': {
      effect: 'skip',
      reason: 'answers EINVAL still holding the dir fd lock: the next call on that fd deadlocks',
    },
    'path-filestat-set-times-mtim-both': { effect: 'skip', reason: 'the same lock left held: deadlock' },
    'escape-symlink-absolute': { effect: 'fails', reason: 'path_symlink to an absolute path answers EPERM' },
  },
  poll: {
    'poll-clock-absolute-monotonic': { effect: 'skip', reason: 'an ABSTIME monotonic deadline never fires' },
    'poll-clock-absolute-past': { effect: 'skip', reason: 'an ABSTIME deadline in the past never fires' },
    'poll-clock-absolute-realtime': {
      effect: 'flaky',
      reason: 'turned into a relative ms timer: wakes up to 2 ms early',
    },
    'poll-clock-bad-id': { effect: 'fails', reason: 'an unknown clock id fires as a clock event, error 0' },
    'poll-fd-badf': { effect: 'fails', reason: 'a bad fd subscription reports error 0' },
    'poll-badf-beside-clock': { effect: 'fails', reason: 'a bad fd subscription gets no event' },
    'poll-fd-read-file': {
      effect: 'fails',
      reason: 'regular files go to uv_poll (epoll): the call fails EPERM',
    },
    'poll-fd-read-nbytes': { effect: 'fails', reason: 'the same EPERM: no event at all' },
    'poll-fd-write-file': { effect: 'fails', reason: 'the same EPERM' },
    'poll-fd-and-clock': { effect: 'fails', reason: 'the same EPERM' },
    'poll-fd-without-right': {
      effect: 'fails',
      reason: 'a missing right fails the whole call, not its event',
    },
  },
  raise: {
    'raise-none': { effect: 'fails', reason: 'proc_raise(NONE) answers ENOSYS' },
    'raise-invalid': { effect: 'fails', reason: 'an unknown signal answers ENOSYS, not EINVAL' },
    'raise-invalid-negative': { effect: 'fails', reason: 'the same ENOSYS' },
  },
  // misc's sock_* checks pass with fd 0 a regular file (NOTCAPABLE). With a pipe, a tty or
  // /dev/null as fd 0, sock_accept/sock_recv/sock_send on it crash node (SIGSEGV); the runs
  // give every program a file as stdin. proc_raise(TERM) (raise/term) kills the node process.
};

/** Runs one program in a fresh node process; the WASI instance sees only dir as PREOPEN. */
const RUNNER = `
import { openSync, readFileSync } from 'node:fs';
import { WASI } from 'node:wasi';
const { wasm, argv, env, preopen, dir, stdin } = JSON.parse(process.argv[1]);
const wasi = new WASI({
  version: 'preview1', args: argv, env, preopens: { [preopen]: dir },
  stdin: openSync(stdin, 'r'), returnOnExit: true,
});
const instance = await WebAssembly.instantiate(await WebAssembly.compile(readFileSync(wasm)), wasi.getImportObject());
process.exitCode = wasi.start(instance);
`;

interface Result {
  stdout: string;
  stderr: string;
  status: number | null;
  signal: string | null;
}

const temps: string[] = [];
function tempDir(prefix: string): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  temps.push(d);
  return d;
}

function runNode(
  program: string,
  argv: string[],
  env: Record<string, string>,
  dir: string,
  stdin: string,
): Result {
  const stdinFile = join(tempDir('tessera-wasi-stdin-'), 'stdin');
  writeFileSync(stdinFile, stdin);
  const spec = { wasm: join(WASM, `${program}.wasm`), argv, env, preopen: PREOPEN, dir, stdin: stdinFile };
  const r = spawnSync(
    process.execPath,
    ['--no-warnings', '--input-type=module', '-e', RUNNER, JSON.stringify(spec)],
    {
      encoding: 'utf8',
      timeout: 60_000,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  return { stdout: r.stdout, stderr: r.stderr, status: r.status, signal: r.signal };
}

beforeAll(() => {
  execFileSync(process.execPath, [join(ROOT, 'scripts/build-wasi.mjs')], { stdio: 'pipe' });
}, 300_000);

afterAll(() => {
  for (const d of temps.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('WASI conformance programs under node:wasi', () => {
  it.each(conformanceRuns().map((run) => [run.id, run] as [string, ConformanceRun]))(
    '%s',
    (_id, run) => {
      const dir = tempDir('tessera-wasi-');
      const r = runNode(run.program, conformanceArgv(run), runEnv(run, NODE_DEVIATIONS), dir, run.stdin);
      const problems = judgeRun(run, r.stdout, r.status, NODE_DEVIATIONS);
      if (r.signal) problems.push(`killed by ${r.signal}`);
      expect(problems, `stdout:\n${r.stdout}\nstderr:\n${r.stderr}`).toEqual([]);
      expect(readdirSync(dir), 'the scratch directory was not cleaned up').toEqual([]);
    },
    90_000,
  );
});

describe('WASI commands under node:wasi', () => {
  let shared = '';
  beforeAll(() => {
    shared = tempDir('tessera-wasi-cmd-');
  });

  it.each(commandRuns().map((run) => [run.id, run] as const))(
    '%s',
    (_id, run) => {
      const r = runNode(run.program, [run.program, ...run.args], {}, shared, run.stdin);
      const where = `status ${r.status} signal ${r.signal}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`;
      if ('terminated' in run.expect) {
        expect(r.stdout, where).toContain(run.expect.stdoutIncludes);
        expect(parseConformanceOutput(r.stdout).done, where).toBe(false);
        expect(r.status !== 0 || r.signal !== null, where).toBe(true);
        return;
      }
      expect(r.status, where).toBe(run.expect.status);
      if (run.expect.stdout !== undefined) expect(r.stdout, where).toBe(run.expect.stdout);
      if (run.expect.stderr !== undefined) expect(r.stderr, where).toBe(run.expect.stderr);
    },
    90_000,
  );

  it('sqlite3 left its database in the preopen', () => {
    expect(readdirSync(shared)).toContain('t.db');
  });
});

describe('parseConformanceOutput', () => {
  it('counts PASS, FAIL and SKIP lines and checks DONE against them', () => {
    const r = parseConformanceOutput(
      'noise\nPASS a\nFAIL b: expected X, got Y\nSKIP c\nPASS d\nDONE passed=2 failed=1 skipped=1\n',
    );
    expect(r).toEqual({
      passed: 2,
      failed: 1,
      failures: ['b: expected X, got Y'],
      done: true,
      passes: ['a', 'd'],
      skips: ['c'],
    });
  });

  it('is not done without a DONE line, or with one that disagrees with the lines', () => {
    expect(parseConformanceOutput('PASS a\nPASS b\n').done).toBe(false);
    expect(parseConformanceOutput('PASS a\nDONE passed=2 failed=0\n').done).toBe(false);
    expect(parseConformanceOutput('').done).toBe(false);
    expect(parseConformanceOutput('DONE passed=0 failed=0\r\n').done).toBe(true);
  });

  it('judgeRun names unexpected failures and stale deviations', () => {
    const run = conformanceRuns().find((r) => r.id === 'clock');
    if (!run) throw new Error('no clock run');
    const table: DeviationTable = {
      [run.id]: { b: { effect: 'fails', reason: 'known' }, a: { effect: 'fails', reason: 'fixed' } },
    };
    expect(judgeRun(run, 'PASS a\nFAIL b: x\nFAIL c: y\nDONE passed=1 failed=2\n', 2, table)).toEqual([
      'FAIL c: y',
      'a passes now; remove it from the deviation table (fixed)',
    ]);
    expect(judgeRun(run, 'PASS a\n', 0, {})).toEqual([
      'no DONE line agreeing with the PASS/FAIL/SKIP lines (crashed or hung?)',
    ]);
  });
});
