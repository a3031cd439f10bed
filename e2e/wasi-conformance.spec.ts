// The WASI conformance programs (src/apps/wasi-conformance, built into build/wasi/) and the
// sqlite3 shell, run in Chromium through `tessera run` as a conformance-test runtime adapter
// uses it: one fresh process (and browser) per run. The same runs and expectations as the
// node:wasi cross-check (scripts/wasi-conformance.test.ts, scripts/wasi-expect.ts), with
// Tessera's own table of known deviations from preview 1; an entry that starts passing
// fails the test, so the table cannot go stale.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import {
  commandRuns,
  conformanceArgv,
  conformanceRuns,
  judgeRun,
  PREOPEN,
  runEnv,
  type DeviationTable,
} from '../scripts/wasi-expect.ts';

/** Where Tessera is known to differ from preview 1, check by check. */
const TESSERA: DeviationTable = {};

function tesseraRun(words: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync('node', ['scripts/tessera.mjs', 'run', ...words], {
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function scratch(stdin: string): { sandbox: string; stdin: string } {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-conformance-'));
  mkdirSync(join(dir, 'sandbox'));
  writeFileSync(join(dir, 'stdin'), stdin);
  return { sandbox: join(dir, 'sandbox'), stdin: join(dir, 'stdin') };
}

test.describe.configure({ timeout: 120_000 });

for (const run of conformanceRuns()) {
  test(`conformance: ${run.id}`, () => {
    const s = scratch(run.stdin);
    const env = Object.entries(runEnv(run, TESSERA)).flatMap(([k, v]) => ['--env', `${k}=${v}`]);
    const [, ...args] = conformanceArgv(run);
    const r = tesseraRun([
      '--dir',
      `${s.sandbox}::${PREOPEN}`,
      ...env,
      '--stdin',
      s.stdin,
      `build/wasi/${run.program}.wasm`,
      ...args,
    ]);
    expect(judgeRun(run, r.stdout, r.status, TESSERA), r.stderr).toEqual([]);
  });
}

test('commands: exit statuses, stdio, proc_raise(TERM), and sqlite3 creating and reopening a database', () => {
  const s = scratch('');
  for (const run of commandRuns()) {
    writeFileSync(s.stdin, run.stdin);
    const r = tesseraRun([
      '--dir',
      `${s.sandbox}::${PREOPEN}`,
      '--stdin',
      s.stdin,
      `build/wasi/${run.program}.wasm`,
      ...run.args,
    ]);
    if ('terminated' in run.expect) {
      expect(r.stdout, run.id).toContain(run.expect.stdoutIncludes);
      expect(r.stdout, run.id).not.toContain('DONE');
      expect(r.status, run.id).not.toBe(0);
      continue;
    }
    expect({ id: run.id, status: r.status, stdout: r.stdout }).toEqual({
      id: run.id,
      status: run.expect.status,
      stdout: run.expect.stdout ?? r.stdout,
    });
    if (run.expect.stderr !== undefined) expect(r.stderr, run.id).toBe(run.expect.stderr);
  }
});
