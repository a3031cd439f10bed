// Type-checks every layer against its own tsconfig (its own `lib`), then the
// node-side project (tests, e2e, bench runner, configs). Layer projects are what
// keep the DOM out of src/kernel, src/workers and src/fs.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const layers = readdirSync('src', { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join('src', d.name, 'tsconfig.json')))
  .map((d) => join('src', d.name))
  // A layer with no code yet has nothing to check (tsc calls that an error).
  .filter((dir) => readdirSync(dir, { recursive: true }).some((f) => String(f).endsWith('.ts')));
// Benchmark pages (DOM) and benchmark workers (WebWorker) are checked apart, like the layers.
const benchProjects = ['bench/tsconfig.page.json', 'bench/tsconfig.worker.json'].filter((p) => existsSync(p));
const projects = [...layers, ...benchProjects, '.'];

function check(project) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [tsc, '-p', project, '--pretty'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('close', (code) => resolve({ project, code, out }));
  });
}

// Two at a time: CI machines have two cores.
const results = [];
const queue = [...projects];
await Promise.all(
  [0, 1].map(async () => {
    for (let p = queue.shift(); p !== undefined; p = queue.shift()) results.push(await check(p));
  }),
);
let failed = 0;
for (const r of results.sort((a, b) => projects.indexOf(a.project) - projects.indexOf(b.project))) {
  console.log(`${r.code === 0 ? 'ok  ' : 'FAIL'} tsc -p ${r.project}`);
  if (r.code !== 0) {
    failed++;
    process.stdout.write(r.out);
  }
}
process.exit(failed === 0 ? 0 : 1);
