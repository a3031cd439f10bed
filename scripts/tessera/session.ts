// The real system for `tessera run`: the built site served with its isolation headers on
// loopback, Debian's Chromium driven by Playwright, one fresh browser context (fresh
// storage, so a fresh Tessera) per run. Layer: scripts (node). The page is trusted to run
// Tessera, not for the shape of what it sends back: callers check that.
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { build, preview, type InlineConfig, type PreviewServer } from 'vite';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../chromium.ts';

export interface Session {
  readonly page: Page;
  readonly chromium: string;
  /** Milliseconds from navigation to `tessera.ready`. */
  readonly bootMs: number;
  close(): Promise<void>;
}

/** `root`'s production build in dist/, made first if there is none. */
async function site(root: string, quiet: boolean): Promise<InlineConfig> {
  const config: InlineConfig = {
    root,
    configFile: join(root, 'vite.config.ts'),
    logLevel: quiet ? 'silent' : 'warn',
    clearScreen: false,
    preview: { host: '127.0.0.1', port: 0, strictPort: true, open: false },
  };
  if (!existsSync(join(root, 'dist', 'index.html'))) await build(config);
  return config;
}

/** Serves the site, starts the browser, opens Tessera and waits until it has booted. */
export async function openSession(root: string, quiet = true): Promise<Session> {
  let server: PreviewServer | undefined;
  let browser: Browser | undefined;
  let context: BrowserContext | undefined;
  try {
    server = await preview(await site(root, quiet));
    const base = `http://127.0.0.1:${(server.httpServer.address() as AddressInfo).port}`;
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
    context = await browser.newContext({ baseURL: base });
    const page = await context.newPage();
    await page.goto('/?desktop=off'); // no screen: the desktop would only cost CPU here
    const bootMs = await page.evaluate(async () => (await window.tessera.ready).bootMs);
    const [b, s, c] = [browser, server, context];
    return {
      page,
      bootMs,
      chromium: b.version(),
      close: async () => {
        await c.close();
        await b.close();
        await s.close();
      },
    };
  } catch (error) {
    await context?.close();
    await browser?.close();
    await server?.close();
    throw error;
  }
}
