// What the WASI conformance programs (src/apps/wasi-conformance, built by build-wasi.mjs into
// build/wasi/) are run with and what they must print, for any runtime: node's node:wasi here,
// Tessera's own runtime in the browser later. Pure data and parsing; runs nowhere in particular.
// Each conformance program prints `PASS name` / `FAIL name: detail` / `SKIP name` lines, then
// `DONE passed=N failed=M[ skipped=K]`, and exits with the number of failures (at most 100).

/** Where the runs expect their one preopened directory (the programs take it as argv[1]). */
export const PREOPEN = '/sandbox';

/** The checking programs; build/wasi/<name>.wasm. */
export const CONFORMANCE_PROGRAMS = ['args-env', 'clock', 'fd', 'path', 'poll', 'misc', 'raise'] as const;
export type ConformanceProgram = (typeof CONFORMANCE_PROGRAMS)[number];

/** args-env's documented arguments: an empty one, a space, and UTF-8 (3 characters, 8 bytes). */
export const ARGS_ENV_ARGS = ['alpha', 'beta gamma', '', 'ü→✓'] as const;
/** args-env's documented environment for its with-env mode. */
export const ARGS_ENV_ENV: Readonly<Record<string, string>> = {
  CONF_A: '1',
  CONF_EMPTY: '',
  CONF_EQ: 'a=b=c',
  CONF_UTF8: 'ü→✓',
};

/** One run of a checking program. `id` names it in deviation tables. */
export interface ConformanceRun {
  readonly id: string;
  readonly program: ConformanceProgram;
  /** argv after argv[0]. */
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  /** Bytes for fd 0, from a regular file; node's sock_* on a pipe or tty stdin crashes. */
  readonly stdin: string;
}

/** Every run of the checking programs, in a fixed order. */
export function conformanceRuns(preopen: string = PREOPEN): readonly ConformanceRun[] {
  const run = (id: string, program: ConformanceProgram, args: readonly string[], env = {}) => ({
    id,
    program,
    args,
    env,
    stdin: 'stdin bytes\n',
  });
  return [
    run('args-env/with-env', 'args-env', ['with-env', ...ARGS_ENV_ARGS], ARGS_ENV_ENV),
    run('args-env/empty-env', 'args-env', ['empty-env', ...ARGS_ENV_ARGS]),
    run('clock', 'clock', []),
    run('fd', 'fd', [preopen]),
    run('path', 'path', [preopen]),
    run('poll', 'poll', [preopen]),
    run('misc', 'misc', [preopen]),
    run('raise', 'raise', []),
  ];
}

/** The full argv a runtime passes: argv[0] is the program's name. */
export function conformanceArgv(run: {
  readonly program: string;
  readonly args: readonly string[];
}): string[] {
  return [run.program, ...run.args];
}

/** A program run for its output and exit status rather than for PASS/FAIL lines. */
export interface CommandRun {
  readonly id: string;
  /** build/wasi/<program>.wasm */
  readonly program: string;
  readonly args: readonly string[];
  readonly stdin: string;
  /** Exact stdout and status; `terminated`: it must end early (no DONE line, failing status). */
  readonly expect:
    | { readonly status: number; readonly stdout?: string; readonly stderr?: string }
    | { readonly terminated: true; readonly stdoutIncludes: string };
}

/** Lines `stdio lines` writes, one write(2) each: several times LIMITS.QUEUED_MESSAGES (1024). */
const FLOOD_LINES = 5000;
const STDIO_INPUT = 'line one\nline two, ü→✓\n\tand a tab\n';
const SQL = "create table t(a integer, b text); insert into t values (1, 'one'), (2, 'two');";

export function commandRuns(preopen: string = PREOPEN): readonly CommandRun[] {
  const db = `${preopen}/t.db`;
  return [
    { id: 'hello', program: 'hello', args: [], stdin: '', expect: { status: 0, stdout: 'hello, world\n' } },
    ...[0, 7, 42, 255].map((code) => ({
      id: `exit-code/${code}`,
      program: 'exit-code',
      args: [String(code)],
      stdin: '',
      expect: { status: code, stdout: '' },
    })),
    {
      id: 'stdio',
      program: 'stdio',
      args: [],
      stdin: STDIO_INPUT,
      expect: {
        status: 0,
        stdout: STDIO_INPUT,
        stderr: `stdio: ${new TextEncoder().encode(STDIO_INPUT).length} bytes\n`,
      },
    },
    // More writes than a pipe queues: each must wait for the reader, none may fail.
    {
      id: 'stdio/lines',
      program: 'stdio',
      args: ['lines', String(FLOOD_LINES)],
      stdin: '',
      expect: {
        status: 0,
        stdout: Array.from({ length: FLOOD_LINES }, (_, i) => `line ${i}\n`).join(''),
        stderr: `stdio: ${FLOOD_LINES} lines\n`,
      },
    },
    // proc_raise(TERM) must not return: TERM's default action ends the process.
    {
      id: 'raise/term',
      program: 'raise',
      args: ['term'],
      stdin: '',
      expect: { terminated: true, stdoutIncludes: 'RAISING TERM\n' },
    },
    // A database in the preopen, written by one run and read back by the next. -list, because
    // the shell picks "box" when stdout is a character device.
    {
      id: 'sqlite3/create',
      program: 'sqlite3',
      args: ['-list', db, `${SQL} select a, b from t order by a;`],
      stdin: '',
      expect: { status: 0, stdout: '1|one\n2|two\n' },
    },
    {
      id: 'sqlite3/reopen',
      program: 'sqlite3',
      args: ['-list', db, 'select count(*), sum(a), group_concat(b) from t;'],
      stdin: '',
      expect: { status: 0, stdout: '2|3|one,two\n' },
    },
  ];
}

/**
 * How a runtime is known to differ from preview1 in one check. `fails`: the check fails
 * every time; `flaky`: it may fail (timing); `skip`: running it crashes or hangs the runtime,
 * so the run names it in CONF_SKIP and the program prints SKIP instead.
 */
export interface Deviation {
  readonly effect: 'fails' | 'flaky' | 'skip';
  readonly reason: string;
}
/** Run id → check name → deviation. */
export type DeviationTable = Readonly<Record<string, Readonly<Record<string, Deviation>>>>;

/** The environment for a run: its own, plus CONF_SKIP for the checks the runtime cannot survive. */
export function runEnv(run: ConformanceRun, deviations: DeviationTable): Record<string, string> {
  const skip = Object.entries(deviations[run.id] ?? {})
    .filter(([, d]) => d.effect === 'skip')
    .map(([name]) => name);
  return skip.length > 0 ? { ...run.env, CONF_SKIP: skip.join(',') } : { ...run.env };
}

export interface ConformanceOutput {
  /** Counts of PASS and FAIL lines. */
  passed: number;
  failed: number;
  /** `name: detail` of each FAIL line. */
  failures: string[];
  /** A DONE line was printed, and its counts agree with the lines. */
  done: boolean;
  passes: string[];
  skips: string[];
}

const LINE = /^(PASS|FAIL|SKIP) ([^\s:]+)(?:: (.*))?$/;
const DONE = /^DONE passed=(\d+) failed=(\d+)(?: skipped=(\d+))?$/;

/** Parses a conformance program's stdout; other lines are ignored. */
export function parseConformanceOutput(text: string): ConformanceOutput {
  const out: ConformanceOutput = { passed: 0, failed: 0, failures: [], done: false, passes: [], skips: [] };
  let doneCounts: [number, number, number] | null = null;
  for (const line of text.split(/\r?\n/)) {
    const m = LINE.exec(line);
    if (m) {
      const [, kind, name = '', detail] = m;
      if (kind === 'PASS') out.passes.push(name);
      else if (kind === 'SKIP') out.skips.push(name);
      else out.failures.push(`${name}: ${detail ?? ''}`);
      continue;
    }
    const d = DONE.exec(line);
    if (d) doneCounts = [Number(d[1]), Number(d[2]), Number(d[3] ?? 0)];
  }
  out.passed = out.passes.length;
  out.failed = out.failures.length;
  out.done =
    doneCounts !== null &&
    doneCounts[0] === out.passed &&
    doneCounts[1] === out.failed &&
    doneCounts[2] === out.skips.length;
  return out;
}

/** The check name of a `name: detail` failure. */
export function failureName(failure: string): string {
  const i = failure.indexOf(': ');
  return i < 0 ? failure : failure.slice(0, i);
}

/**
 * Everything wrong with one run's output against a runtime's deviations: a missing DONE, an
 * exit status that is not the failure count, failures not in the table, and table entries
 * that no longer happen (so the table cannot go stale). Empty means the run conforms.
 */
export function judgeRun(
  run: ConformanceRun,
  stdout: string,
  status: number | null,
  deviations: DeviationTable,
): string[] {
  const r = parseConformanceOutput(stdout);
  const known = deviations[run.id] ?? {};
  const problems: string[] = [];
  if (!r.done) problems.push('no DONE line agreeing with the PASS/FAIL/SKIP lines (crashed or hung?)');
  if (status !== Math.min(r.failed, 100))
    problems.push(`exit status ${status}, but ${r.failed} checks failed`);
  for (const f of r.failures) {
    const d = known[failureName(f)];
    if (!d || d.effect === 'skip') problems.push(`FAIL ${f}`);
  }
  for (const [name, d] of Object.entries(known)) {
    if (d.effect === 'fails' && r.passes.includes(name))
      problems.push(`${name} passes now; remove it from the deviation table (${d.reason})`);
    if (d.effect === 'skip' && !r.skips.includes(name))
      problems.push(`${name} was to be skipped but was not`);
    const ran = r.passes.includes(name) || r.failures.some((f) => failureName(f) === name);
    if (d.effect !== 'skip' && !ran && r.done)
      problems.push(`${name} is in the deviation table but did not run`);
  }
  for (const name of r.skips) if (known[name]?.effect !== 'skip') problems.push(`SKIP ${name} unasked`);
  return problems;
}
