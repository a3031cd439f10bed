// Makes sure Debian's Chromium is there before browser tests or benchmarks run.
// Playwright cannot download its own browser on these machines, so the tests use
// /usr/bin/chromium. As root on Debian, install it with apt; otherwise say exactly
// what to install and stop.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

const path = process.env.TESSERA_CHROMIUM ?? '/usr/bin/chromium';
if (existsSync(path)) process.exit(0);

const isDebian = existsSync('/etc/debian_version') || /ID(_LIKE)?=.*debian/.test(readSafe('/etc/os-release'));
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const hint =
  "Tessera's browser tests need Debian's Chromium at /usr/bin/chromium.\n" +
  '  Install it with:  sudo apt-get update && sudo apt-get install -y chromium\n' +
  '  or point TESSERA_CHROMIUM at another Chromium binary.';

if (!isDebian || !isRoot || process.env.TESSERA_NO_APT) {
  console.error(`${path} is missing.\n${hint}`);
  process.exit(1);
}

console.log(`${path} is missing; installing Debian's chromium with apt-get…`);
try {
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '--no-install-recommends', 'chromium'], {
    stdio: 'inherit',
    env,
  });
} catch {
  console.error(`apt-get could not install chromium.\n${hint}`);
  process.exit(1);
}
if (!existsSync(path)) {
  console.error(`apt-get finished but ${path} is still missing.\n${hint}`);
  process.exit(1);
}

function readSafe(file) {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}
