// Builds Tessera's own WASI programs into build/wasi/ with Debian's clang
// (--target=wasm32-wasi), installing the toolchain first if it is missing. Layer: scripts.
// Outputs are build products, never committed; an output newer than its source and the
// shared header is kept, so a second run costs almost nothing.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';

const SRC = 'src/apps/wasi-conformance';
const OUT = 'build/wasi';
const PACKAGES = ['clang', 'lld', 'wasi-libc', 'libclang-rt-dev-wasm32'];

function toolchainWorks() {
  const probe = spawnSync('clang', ['--target=wasm32-wasi', '-x', 'c', '-', '-o', '/dev/null'], {
    input: 'int main(void){return 0;}',
  });
  return probe.status === 0;
}

if (!toolchainWorks()) {
  console.log(`build-wasi: installing ${PACKAGES.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '--no-install-recommends', ...PACKAGES], {
    stdio: 'inherit',
    env,
  });
  if (!toolchainWorks()) {
    console.error('build-wasi: clang cannot build for wasm32-wasi even after installing the toolchain');
    process.exit(1);
  }
}

mkdirSync(OUT, { recursive: true });
const headers = readdirSync(SRC)
  .filter((f) => f.endsWith('.h'))
  .map((f) => statSync(join(SRC, f)).mtimeMs);
const newestHeader = Math.max(0, ...headers);
let built = 0;
for (const file of readdirSync(SRC).filter((f) => f.endsWith('.c'))) {
  const out = join(OUT, `${basename(file, '.c')}.wasm`);
  const src = join(SRC, file);
  if (existsSync(out) && statSync(out).mtimeMs > Math.max(statSync(src).mtimeMs, newestHeader)) continue;
  const r = spawnSync('clang', ['--target=wasm32-wasi', '-O2', '-Wall', '-o', out, src], {
    stdio: 'inherit',
  });
  if (r.status !== 0) {
    console.error(`build-wasi: ${src} did not compile`);
    process.exit(1);
  }
  built++;
}
console.log(`build-wasi: ${built} program(s) built into ${OUT}`);
