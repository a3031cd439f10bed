// Builds the WASI programs the tests run: every src/apps/wasi-conformance/*.c and
// src/apps/wasi-bench/*.c (the benchmark's own programs) to build/wasi/<name>.wasm, every
// src/apps/coreutils/*.c (the core utilities) to build/wasi/coreutils/<name>.wasm, and the sqlite3 shell from the amalgamation inside the sqlite3
// devDependency to build/wasi/sqlite3.wasm. Plain node, no dependencies; installs clang's
// wasm32-wasi toolchain with apt when it is missing. Outputs newer than their inputs are kept.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';

const ROOT = new URL('..', import.meta.url).pathname;
const SRC = join(ROOT, 'src/apps/wasi-conformance');
const BENCH_SRC = join(ROOT, 'src/apps/wasi-bench');
const COREUTILS_SRC = join(ROOT, 'src/apps/coreutils');
const OUT = join(ROOT, 'build/wasi');
/** Force-included into shell.c: stubs for what wasi-libc lacks. */
const SQLITE_COMPAT_H = join(SRC, 'compat/sqlite-shell.h');
const SQLITE_DEPS = join(ROOT, 'node_modules/sqlite3/deps');
const SELF = new URL(import.meta.url).pathname;
const CLANG = process.env.CLANG ?? 'clang';
const APT_PACKAGES = ['clang', 'lld', 'wasi-libc', 'libclang-rt-dev-wasm32'];

/**
 * sqlite3.c sees __wasi__ and stubs file locking and WAL's shared memory itself. The shell
 * gets no threads, extensions, popen or system(); wasi-libc's emulations supply mmap,
 * signal(), clock() and getpid().
 */
const SQLITE_DEFINES = [
  '-DSQLITE_THREADSAFE=0',
  '-DSQLITE_OMIT_LOAD_EXTENSION',
  '-DSQLITE_OMIT_POPEN',
  '-DSQLITE_NOHAVE_SYSTEM',
  '-DSQLITE_OMIT_WAL', // WAL needs shared memory, which SQLITE_WASI stubs out; it also needs getpagesize
  '-D_WASI_EMULATED_MMAN',
  '-D_WASI_EMULATED_SIGNAL',
  '-D_WASI_EMULATED_PROCESS_CLOCKS',
  '-D_WASI_EMULATED_GETPID',
];
const SQLITE_LIBS = [
  '-lwasi-emulated-mman',
  '-lwasi-emulated-signal',
  '-lwasi-emulated-process-clocks',
  '-lwasi-emulated-getpid',
];

function die(message) {
  console.error(`build-wasi: ${message}`);
  process.exit(1);
}

function clangTargetsWasi() {
  const probe = join(OUT, '.probe');
  mkdirSync(probe, { recursive: true });
  writeFileSync(join(probe, 'p.c'), 'int main(void) { return 0; }\n');
  const r = spawnSync(CLANG, ['--target=wasm32-wasi', '-o', join(probe, 'p.wasm'), join(probe, 'p.c')], {
    stdio: 'ignore',
  });
  rmSync(probe, { recursive: true, force: true });
  return r.status === 0;
}

let toolchainChecked = false;

/** Checked only once something needs building, so that a run with nothing to do is fast. */
function ensureToolchain() {
  if (toolchainChecked) return;
  toolchainChecked = true;
  if (clangTargetsWasi()) return;
  console.log(`build-wasi: no clang with wasm32-wasi; running apt-get install -y ${APT_PACKAGES.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update'], ['install', '-y', ...APT_PACKAGES]]) {
    const r = spawnSync('apt-get', args, { stdio: 'inherit', env });
    if (r.status !== 0) die(`apt-get ${args.join(' ')} failed (status ${r.status ?? r.signal})`);
  }
  if (!clangTargetsWasi()) die('clang still cannot build for wasm32-wasi after installing the packages');
}

function mtime(path) {
  return statSync(path).mtimeMs;
}

/** True when out exists and is newer than every input. */
function upToDate(out, inputs) {
  if (!existsSync(out)) return false;
  const built = mtime(out);
  return inputs.every((p) => mtime(p) <= built);
}

function compile(out, args) {
  ensureToolchain();
  const r = spawnSync(CLANG, [...args, '-o', out], { stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) die(`clang failed building ${basename(out)} (status ${r.status ?? r.signal})`);
}

/** Every `dir/*.c` to `out/<name>.wasm` (build/wasi/ unless told), each rebuilt when it or one of `headers` changed. */
function buildPrograms(label, dir, headers, out = OUT) {
  mkdirSync(out, { recursive: true });
  const sources = readdirSync(dir)
    .filter((f) => f.endsWith('.c'))
    .sort();
  let built = 0;
  for (const file of sources) {
    const src = join(dir, file);
    const wasm = join(out, `${file.slice(0, -2)}.wasm`);
    if (upToDate(wasm, [src, ...headers, SELF])) continue;
    compile(wasm, ['--target=wasm32-wasi', '-O2', '-Wall', '-Wextra', src]);
    built++;
  }
  console.log(
    `build-wasi: ${sources.length} ${label} (${built} built, ${sources.length - built} up to date)`,
  );
}

function findSqliteTarball() {
  if (!existsSync(SQLITE_DEPS))
    die(`${SQLITE_DEPS} is missing: run npm install (sqlite3 is a devDependency)`);
  const tarballs = readdirSync(SQLITE_DEPS).filter((f) => /^sqlite-autoconf-\d+\.tar\.gz$/.test(f));
  if (tarballs.length !== 1)
    die(`expected one sqlite-autoconf-*.tar.gz in ${SQLITE_DEPS}, found ${tarballs.length}`);
  return join(SQLITE_DEPS, tarballs[0]);
}

function buildSqlite() {
  const tarball = findSqliteTarball();
  const out = join(OUT, 'sqlite3.wasm');
  if (upToDate(out, [tarball, SQLITE_COMPAT_H, SELF])) {
    console.log('build-wasi: sqlite3.wasm up to date');
    return;
  }
  const tmp = join(ROOT, 'build/tmp-sqlite');
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  const dir = basename(tarball, '.tar.gz');
  try {
    execFileSync('tar', [
      '-xzf',
      tarball,
      '-C',
      tmp,
      '--strip-components=1',
      `${dir}/shell.c`,
      `${dir}/sqlite3.c`,
      `${dir}/sqlite3.h`,
    ]);
  } catch (err) {
    die(`could not extract shell.c, sqlite3.c, sqlite3.h from ${tarball}: ${String(err)}`);
  }
  const started = Date.now();
  compile(out, [
    '--target=wasm32-wasi',
    '-O2',
    '-w',
    ...SQLITE_DEFINES,
    '-include',
    SQLITE_COMPAT_H,
    '-I',
    tmp,
    join(tmp, 'shell.c'),
    join(tmp, 'sqlite3.c'),
    ...SQLITE_LIBS,
  ]);
  rmSync(tmp, { recursive: true, force: true });
  console.log(`build-wasi: sqlite3.wasm built (${dir}, ${((Date.now() - started) / 1000).toFixed(1)} s)`);
}

mkdirSync(OUT, { recursive: true });
buildPrograms('conformance programs', SRC, [join(SRC, 'conformance.h')]);
buildPrograms('benchmark programs', BENCH_SRC, []);
buildPrograms('core utilities', COREUTILS_SRC, [join(COREUTILS_SRC, 'util.h')], join(OUT, 'coreutils'));
buildSqlite();
