// The fs server on real OPFS in Chromium: `?init=fs-check` (src/apps/conformance) starts
// the fs program, bumps a run counter it keeps in the store, and checks files, rights and
// confinement. What was synced must survive a reload and a browser restart with the same
// profile (the counter goes up by one each time).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, expect, test, type Page } from '@playwright/test';
import type { TesseraApi } from '../src/abi/automation.ts';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../scripts/chromium.ts';

declare global {
  interface Window {
    tessera: TesseraApi;
  }
}

/** Boots fs-check and returns its run count once it has finished; fails on any FAIL line. */
async function run(page: Page, url: string): Promise<number> {
  await page.goto(url);
  await page.evaluate(() => window.tessera.ready);
  const lines = () =>
    page.evaluate(() => window.tessera.bootLog.filter((e) => e.source === 'fs-check').map((e) => e.message));
  await expect
    .poll(async () => (await lines()).some((m) => m.startsWith('DONE')), { timeout: 30_000 })
    .toBe(true);
  const log = await lines();
  expect(log.filter((m) => m.startsWith('FAIL'))).toEqual([]);
  expect(log.at(-1)).toBe('DONE passed=3 failed=0');
  const count = log.find((m) => m.startsWith('RUN '));
  expect(count).toBeDefined();
  return Number(count?.slice('RUN '.length));
}

test('the store persists across a reload', async ({ page }) => {
  const first = await run(page, '/?init=fs-check');
  expect(await run(page, '/?init=fs-check')).toBe(first + 1);
});

test('the store persists across a browser restart with the same profile', async ({ baseURL }) => {
  test.setTimeout(90_000);
  const profile = mkdtempSync(join(tmpdir(), 'tessera-profile-'));
  const url = `${baseURL ?? ''}/?init=fs-check`;
  try {
    for (const expected of [1, 2]) {
      const browser = await chromium.launchPersistentContext(profile, {
        executablePath: CHROMIUM_PATH,
        args: CHROMIUM_ARGS,
        headless: true,
      });
      try {
        expect(await run(browser.pages()[0] ?? (await browser.newPage()), url)).toBe(expected);
      } finally {
        await browser.close();
      }
    }
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
});
