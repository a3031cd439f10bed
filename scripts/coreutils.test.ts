// Runs the core utilities (src/apps/coreutils/*.c, built by build-wasi.mjs into
// build/wasi/coreutils/) under node's node:wasi, each run in its own node process with a fresh
// temp dir preopened as `/` and stdin read from a file.
import { execFileSync, spawnSync } from 'node:child_process';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = new URL('..', import.meta.url).pathname;
const WASM = join(ROOT, 'build/wasi/coreutils');

const RUNNER = `
import { openSync, readFileSync } from 'node:fs';
import { WASI } from 'node:wasi';
const { wasm, argv, env, dir, stdin } = JSON.parse(process.argv[1]);
const wasi = new WASI({
  version: 'preview1', args: argv, env, preopens: { '/': dir },
  stdin: openSync(stdin, 'r'), returnOnExit: true,
});
const instance = await WebAssembly.instantiate(await WebAssembly.compile(readFileSync(wasm)), wasi.getImportObject());
process.exitCode = wasi.start(instance);
`;

interface Result {
  stdout: string;
  stderr: string;
  status: number | null;
}

const temps: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'tessera-coreutils-'));
  temps.push(d);
  return d;
}

interface RunOptions {
  dir?: string;
  stdin?: string;
  env?: Record<string, string>;
}

/** Runs build/wasi/coreutils/<argv[0]>.wasm with argv in dir (a fresh temp dir unless given). */
function run(argv: string[], { dir = tempDir(), stdin = '', env = {} }: RunOptions = {}): Result {
  const stdinDir = tempDir();
  const stdinFile = join(stdinDir, 'stdin');
  writeFileSync(stdinFile, stdin);
  const spec = { wasm: join(WASM, `${argv[0]}.wasm`), argv, env, dir, stdin: stdinFile };
  const r = spawnSync(
    process.execPath,
    ['--no-warnings', '--input-type=module', '-e', RUNNER, JSON.stringify(spec)],
    { encoding: 'utf8', timeout: 60_000, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

/** Expects exit status 0 and no stderr; returns stdout. */
function ok(argv: string[], options?: RunOptions): string {
  const r = run(argv, options);
  expect(r, argv.join(' ')).toMatchObject({ status: 0, stderr: '' });
  return r.stdout;
}

/** A temp dir holding the given files (paths relative to it; parents are made). */
function withFiles(files: Record<string, string>): string {
  const dir = tempDir();
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

beforeAll(() => {
  execFileSync(process.execPath, [join(ROOT, 'scripts/build-wasi.mjs')], { stdio: 'pipe' });
}, 300_000);

afterAll(() => {
  for (const d of temps.splice(0)) rmSync(d, { recursive: true, force: true });
});

const T = 60_000;

describe('coreutils under node:wasi', () => {
  it(
    'echo joins its words; -n drops the newline',
    () => {
      expect(ok(['echo', 'hello', 'world'])).toBe('hello world\n');
      expect(ok(['echo', '-n', 'a', 'b'])).toBe('a b');
      expect(ok(['echo'])).toBe('\n');
    },
    T,
  );

  it(
    'cat copies files and stdin ("-"), and reports a missing file',
    () => {
      const dir = withFiles({ a: 'one\n', b: 'two\n' });
      expect(ok(['cat', 'a', '-', 'b'], { dir, stdin: 'in\n' })).toBe('one\nin\ntwo\n');
      expect(ok(['cat'], { stdin: 'just stdin' })).toBe('just stdin');
      const big = 'x'.repeat(200_000) + '\n';
      expect(ok(['cat', 'big'], { dir: withFiles({ big }) })).toBe(big);
      const r = run(['cat', 'missing']);
      expect(r).toEqual({ status: 1, stdout: '', stderr: 'cat: missing: No such file or directory\n' });
      expect(run(['cat', 'd'], { dir: withFiles({ 'd/x': '' }) })).toEqual({
        status: 1,
        stdout: '',
        stderr: 'cat: d: Is a directory\n',
      });
    },
    T,
  );

  it(
    'wc counts lines, words and bytes',
    () => {
      expect(ok(['wc', '-c'], { stdin: 'hi\n' })).toBe('3\n');
      expect(ok(['wc', '-l'], { stdin: 'a\nb\nc\n' })).toBe('3\n');
      expect(ok(['wc', '-w'], { stdin: ' two  words\n' })).toBe('2\n');
      const dir = withFiles({ f: 'hello world\nbye\n' });
      expect(ok(['wc', '-l', 'f'], { dir })).toBe('2 f\n');
      // GNU's widths: the digits of the regular files' total size; 1 for one count of one input.
      expect(ok(['wc', 'f'], { dir })).toBe(' 2  3 16 f\n');
      expect(ok(['wc'], { stdin: 'one two\nthree\n' })).toBe(' 2  3 14\n');
      expect(ok(['wc', '-lc', 'f', '-'], { dir, stdin: 'x\n' })).toBe(' 2 16 f\n 1  2 -\n 3 18 total\n');
      expect(run(['wc', 'nope']).stderr).toBe('wc: nope: No such file or directory\n');
    },
    T,
  );

  it(
    'ls lists sorted names, -a shows dotfiles, -l the long form',
    () => {
      const dir = withFiles({ b: '', a: '12345', '.hidden': '', 'sub/x': '' });
      expect(ok(['ls'], { dir })).toBe('a\nb\nsub\n');
      expect(ok(['ls', '-a'], { dir })).toBe('.\n..\n.hidden\na\nb\nsub\n');
      expect(ok(['ls', 'sub'], { dir })).toBe('x\n');
      const long = ok(['ls', '-l'], { dir }).split('\n');
      expect(long[0]).toMatch(/^-rw-r--r-- \d+ +5 \w{3} [ \d]\d \d\d:\d\d a$/);
      expect(long[1]).toMatch(/^-rw-r--r-- \d+ +0 \w{3} [ \d]\d \d\d:\d\d b$/);
      expect(long[2]).toMatch(/^d[-rwx]{9} \d+ \d+ .* sub$/);
      expect(long[3]).toBe('');
      expect(ok(['ls', '-la'], { dir }).split('\n').slice(0, 2)).toEqual([
        expect.stringMatching(/^d[-rwx]{9} .* \.$/),
        expect.stringMatching(/^d[-rwx]{9} .* \.\.$/),
      ]);
      // Older than six months: the year instead of the time of day (GNU), in UTC.
      utimesSync(join(dir, 'b'), new Date('2001-02-03T04:05:06Z'), new Date('2001-02-03T04:05:06Z'));
      expect(ok(['ls', '-l', 'b'], { dir })).toMatch(/^-rw-r--r-- \d+ 0 Feb {2}3 {2}2001 b\n$/);
      symlinkSync('a', join(dir, 'link'));
      expect(ok(['ls', '-l', 'link'], { dir })).toMatch(/^l[-rwx]{9} .* link -> a\n$/);
      // Files first, then each directory under a heading.
      expect(ok(['ls', 'sub', 'b', 'a'], { dir })).toBe('a\nb\n\nsub:\nx\n');
      const r = run(['ls', 'missing']);
      expect(r.status).toBe(1);
      expect(r.stderr).toBe('ls: missing: No such file or directory\n');
    },
    T,
  );

  it(
    'mkdir -p makes parents; rmdir refuses a non-empty dir',
    () => {
      const dir = tempDir();
      ok(['mkdir', '-p', 'a/b/c'], { dir });
      expect(existsSync(join(dir, 'a/b/c'))).toBe(true);
      ok(['mkdir', '-p', 'a/b'], { dir });
      expect(run(['mkdir', 'a'], { dir })).toMatchObject({
        status: 1,
        stderr: 'mkdir: a: File exists\n',
      });
      expect(run(['rmdir', 'a'], { dir })).toMatchObject({
        status: 1,
        stderr: 'rmdir: a: Directory not empty\n',
      });
      ok(['rmdir', 'a/b/c'], { dir });
      expect(existsSync(join(dir, 'a/b/c'))).toBe(false);
      expect(run(['mkdir']).status).toBe(2);
      writeFileSync(join(dir, 'file'), '');
      expect(run(['mkdir', '-p', 'file/x'], { dir })).toMatchObject({
        status: 1,
        stderr: 'mkdir: file: Not a directory\n',
      });
    },
    T,
  );

  it(
    'rm removes files, -r trees, -f ignores missing ones',
    () => {
      const dir = withFiles({ f: 'x', 'd/e/g': 'y', 'd/h': 'z' });
      expect(run(['rm', 'd'], { dir })).toMatchObject({ status: 1, stderr: 'rm: d: Is a directory\n' });
      ok(['rm', 'f'], { dir });
      expect(existsSync(join(dir, 'f'))).toBe(false);
      ok(['rm', '-r', 'd'], { dir });
      expect(existsSync(join(dir, 'd'))).toBe(false);
      expect(run(['rm', 'gone'], { dir })).toMatchObject({
        status: 1,
        stderr: 'rm: gone: No such file or directory\n',
      });
      ok(['rm', '-f', 'gone'], { dir });
      ok(['rm', '-rf', 'gone'], { dir });
      ok(['rm', '-f'], { dir });
      expect(run(['rm'], { dir }).status).toBe(2);
      writeFileSync(join(dir, 'kept'), '');
      for (const path of ['.', '..', './', '/', 'x/..'])
        expect(run(['rm', '-rf', path], { dir }), path).toMatchObject({ status: 1 });
      expect(existsSync(join(dir, 'kept'))).toBe(true);
    },
    T,
  );

  it(
    'touch creates an empty file and sets the times of an existing one to now',
    () => {
      const dir = withFiles({ kept: 'data' });
      const old = new Date('2001-02-03T04:05:06Z');
      utimesSync(join(dir, 'kept'), old, old);
      const before = Date.now();
      ok(['touch', 'new', 'kept'], { dir });
      expect(readFileSync(join(dir, 'new'), 'utf8')).toBe('');
      expect(readFileSync(join(dir, 'kept'), 'utf8')).toBe('data');
      expect(statSync(join(dir, 'kept')).mtimeMs).toBeGreaterThan(before - 5_000);
      expect(run(['touch']).status).toBe(2);
    },
    T,
  );

  it(
    'head and tail take -n N (and head -N)',
    () => {
      const stdin = '1\n2\n3\n4\n5\n';
      expect(ok(['head', '-n', '2'], { stdin })).toBe('1\n2\n');
      expect(ok(['head', '-3'], { stdin })).toBe('1\n2\n3\n');
      expect(ok(['tail', '-n', '2'], { stdin })).toBe('4\n5\n');
      expect(ok(['tail', '-n2'], { stdin: '1\n2\n3' })).toBe('2\n3');
      const lines = Array.from({ length: 15 }, (_, i) => `${i + 1}\n`).join('');
      expect(ok(['tail', 'f'], { dir: withFiles({ f: lines }) })).toBe(lines.split('\n').slice(5).join('\n'));
      expect(ok(['head', '-n', '1', 'a', 'b'], { dir: withFiles({ a: 'A\n', b: 'B\n' }) })).toBe(
        '==> a <==\nA\n\n==> b <==\nB\n',
      );
      expect(ok(['tail', '-n', '1', 'a', '-'], { dir: withFiles({ a: 'A\n' }), stdin: 'S' })).toBe(
        '==> a <==\nA\n\n==> standard input <==\nS',
      );
      expect(ok(['tail', '-n', '+4'], { stdin })).toBe('4\n5\n');
      expect(ok(['tail', '-n', '99999999999'], { stdin })).toBe(stdin);
      expect(ok(['tail', '-n', '0'], { stdin })).toBe('');
      expect(ok(['head', '-n', '0'], { stdin })).toBe('');
      expect(ok(['head', '-n', '2'], { stdin: 'no newline' })).toBe('no newline');
      expect(run(['head', '-n', 'x']).status).toBe(2);
      expect(run(['tail', '-n', '-x']).status).toBe(2);
    },
    T,
  );

  it(
    'grep -i -v -n -c, with exit 0 on a match, 1 on none, 2 on an error',
    () => {
      const stdin = 'apple\nBanana\ncherry\nbanana split\n';
      expect(ok(['grep', 'an'], { stdin })).toBe('Banana\nbanana split\n');
      expect(ok(['grep', '-n', '-i', 'BAN'], { stdin })).toBe('2:Banana\n4:banana split\n');
      expect(ok(['grep', '-v', 'an'], { stdin })).toBe('apple\ncherry\n');
      expect(ok(['grep', '-c', '^[ab]'], { stdin })).toBe('2\n');
      expect(ok(['grep', '-E', 'ch(e|o)rry'], { stdin })).toBe('cherry\n');
      expect(run(['grep', 'zzz'], { stdin })).toEqual({ status: 1, stdout: '', stderr: '' });
      const dir = withFiles({ a: 'x\n', b: 'y\nx\n' });
      expect(ok(['grep', 'x', 'a', 'b'], { dir })).toBe('a:x\nb:x\n');
      const r = run(['grep', 'x', 'missing']);
      expect(r).toMatchObject({ status: 2, stderr: 'grep: missing: No such file or directory\n' });
      expect(run(['grep', '-E', '(']).status).toBe(2);
    },
    T,
  );

  it(
    'sort orders lines; -n, -r, -u',
    () => {
      expect(ok(['sort'], { stdin: 'b\na\nc\na\n' })).toBe('a\na\nb\nc\n');
      expect(ok(['sort', '-u'], { stdin: 'b\na\nc\na\n' })).toBe('a\nb\nc\n');
      expect(ok(['sort', '-n'], { stdin: '10\n9\n100\n-1\n' })).toBe('-1\n9\n10\n100\n');
      expect(ok(['sort', '-n', '-r', '-u'], { stdin: '2\n10\n2\n1\n' })).toBe('10\n2\n1\n');
      expect(ok(['sort', '-r'], { stdin: 'a\nc\nb' })).toBe('c\nb\na\n');
      // -n compares exactly: fractions, -0, numbers past a double's precision, no number as 0.
      expect(
        ok(['sort', '-n'], {
          stdin: '1.5\n-0\nx\n12345678901234567891\n12345678901234567890\n-2.25\n1.25\n',
        }),
      ).toBe('-2.25\n-0\nx\n1.25\n1.5\n12345678901234567890\n12345678901234567891\n');
      // -u keeps the first line of each run of equal keys.
      expect(ok(['sort', '-n', '-u'], { stdin: '01\n2\n1\n' })).toBe('01\n2\n');
      expect(ok(['sort', 'a', 'b'], { dir: withFiles({ a: 'z', b: 'y\n' }) })).toBe('y\nz\n');
    },
    T,
  );

  it(
    'uniq collapses adjacent runs; -c counts them',
    () => {
      const stdin = 'a\na\nb\na\n';
      expect(ok(['uniq'], { stdin })).toBe('a\nb\na\n');
      expect(ok(['uniq', '-c'], { stdin })).toBe('      2 a\n      1 b\n      1 a\n');
    },
    T,
  );

  it(
    'tee copies stdin to stdout and files; -a appends',
    () => {
      const dir = withFiles({ log: 'old\n' });
      expect(ok(['tee', 'out'], { dir, stdin: 'hi\n' })).toBe('hi\n');
      expect(readFileSync(join(dir, 'out'), 'utf8')).toBe('hi\n');
      ok(['tee', '-a', 'log'], { dir, stdin: 'new\n' });
      expect(readFileSync(join(dir, 'log'), 'utf8')).toBe('old\nnew\n');
    },
    T,
  );

  it(
    'cp copies byte for byte; -r copies trees; a directory target takes the name',
    () => {
      const bytes = Buffer.from(Array.from({ length: 70_000 }, (_, i) => (i * 7) % 256));
      const dir = tempDir();
      mkdirSync(join(dir, 'src/deep'), { recursive: true });
      writeFileSync(join(dir, 'src/deep/bin'), bytes);
      writeFileSync(join(dir, 'f'), 'file');
      ok(['cp', 'src/deep/bin', 'copy'], { dir });
      expect(readFileSync(join(dir, 'copy')).equals(bytes)).toBe(true);
      expect(run(['cp', 'src', 'dst'], { dir })).toMatchObject({ status: 1 });
      ok(['cp', '-r', 'src', 'dst'], { dir });
      expect(readFileSync(join(dir, 'dst/deep/bin')).equals(bytes)).toBe(true);
      ok(['cp', 'f', 'dst'], { dir });
      expect(readFileSync(join(dir, 'dst/f'), 'utf8')).toBe('file');
      expect(run(['cp', 'nope', 'x'], { dir }).stderr).toBe('cp: nope: No such file or directory\n');
      // Never onto itself (that would truncate it), never a tree into itself.
      expect(run(['cp', 'f', 'f'], { dir })).toMatchObject({
        status: 1,
        stderr: 'cp: f and f are the same file\n',
      });
      expect(run(['cp', 'f', '.'], { dir })).toMatchObject({ status: 1 });
      expect(readFileSync(join(dir, 'f'), 'utf8')).toBe('file');
      expect(run(['cp', '-r', 'src', 'src/deep'], { dir })).toMatchObject({ status: 1 });
      expect(existsSync(join(dir, 'src/deep/src'))).toBe(false);
      // -r copies a symbolic link as a link.
      symlinkSync('deep/bin', join(dir, 'src/ln'));
      ok(['cp', '-r', 'src', 'tree'], { dir });
      expect(lstatSync(join(dir, 'tree/ln')).isSymbolicLink()).toBe(true);
      expect(readlinkSync(join(dir, 'tree/ln'))).toBe('deep/bin');
    },
    T,
  );

  it(
    'mv renames, and moves into a directory',
    () => {
      const dir = withFiles({ a: 'A', 'd/keep': '' });
      ok(['mv', 'a', 'b'], { dir });
      expect(readFileSync(join(dir, 'b'), 'utf8')).toBe('A');
      expect(existsSync(join(dir, 'a'))).toBe(false);
      ok(['mv', 'b', 'd'], { dir });
      expect(readFileSync(join(dir, 'd/b'), 'utf8')).toBe('A');
      expect(run(['mv', 'nope', 'x'], { dir })).toMatchObject({
        status: 1,
        stderr: 'mv: nope: No such file or directory\n',
      });
    },
    T,
  );

  it(
    'sleep waits fractional seconds and rejects bad ones',
    () => {
      const started = Date.now();
      ok(['sleep', '0.05']);
      expect(Date.now() - started).toBeGreaterThanOrEqual(50);
      for (const bad of ['abc', '-1', 'nan', 'inf', '', '1x'])
        expect(run(['sleep', bad]).status, bad).toBe(2);
      expect(run(['sleep']).status).toBe(2);
    },
    T,
  );

  it(
    'date prints UTC in the default form and +FORMAT',
    () => {
      const year = new Date().getUTCFullYear();
      expect(ok(['date', '+%Y'])).toMatch(new RegExp(`^(${year}|${year + 1})\\n$`));
      expect(ok(['date'])).toMatch(/^[A-Z][a-z]{2} [A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d UTC \d{4}\n$/);
      expect(ok(['date', '+%%x'])).toBe('%x\n');
    },
    T,
  );

  it(
    'env prints the environment',
    () => {
      expect(ok(['env'], { env: { A: '1', B: 'x=y' } })).toBe('A=1\nB=x=y\n');
      expect(ok(['env', 'B=2', 'C=3'], { env: { A: '1', B: 'x' } })).toBe('A=1\nB=2\nC=3\n');
      expect(run(['env', 'A=1', 'ls'])).toEqual({
        status: 126,
        stdout: '',
        stderr: 'env: ls: running a command is not supported\n',
      });
    },
    T,
  );

  it(
    'each utility starts in the directory $PWD names (the shell exports it)',
    () => {
      const dir = withFiles({ f: 'at root\n', 'sub/f': 'in sub\n' });
      const env = { PWD: '/sub' };
      expect(ok(['cat', 'f'], { dir, env })).toBe('in sub\n');
      expect(ok(['cat', '../f'], { dir, env })).toBe('at root\n');
      expect(ok(['cat', '/f'], { dir, env })).toBe('at root\n');
      expect(ok(['ls'], { dir, env })).toBe('f\n');
      ok(['touch', 'g'], { dir, env });
      expect(readFileSync(join(dir, 'sub/g'), 'utf8')).toBe('');
      expect(existsSync(join(dir, 'g'))).toBe(false);
      expect(ok(['ls'], { dir, env })).toBe('f\ng\n');
      expect(run(['true'], { dir, env })).toEqual({ status: 0, stdout: '', stderr: '' });
      expect(run(['false'], { dir, env })).toEqual({ status: 1, stdout: '', stderr: '' });
      // A PWD that does not exist, names a file, or is relative leaves the cwd at /, silently.
      for (const PWD of ['/nope', '/f', 'sub', '']) {
        expect(ok(['cat', 'f'], { dir, env: { PWD } }), PWD).toBe('at root\n');
        expect(ok(['ls'], { dir, env: { PWD } }), PWD).toBe('f\nsub\n');
      }
    },
    T,
  );

  it(
    'true, false and clear',
    () => {
      expect(run(['true'])).toEqual({ status: 0, stdout: '', stderr: '' });
      expect(run(['false'])).toEqual({ status: 1, stdout: '', stderr: '' });
      expect(ok(['clear'])).toBe('\x1b[H\x1b[2J\x1b[3J');
    },
    T,
  );
});
