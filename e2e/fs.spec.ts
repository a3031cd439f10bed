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
  expect(log.at(-1)).toBe('DONE passed=5 failed=0');
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

/** fs-crash's log lines so far. */
const crashLog = (page: Page) =>
  page.evaluate(() => window.tessera.bootLog.filter((e) => e.source === 'fs-crash').map((e) => e.message));

const lastAck = (log: readonly string[]): number =>
  Math.max(0, ...log.filter((m) => m.startsWith('ACK ')).map((m) => Number(m.slice(4))));

test('a killed fs worker or a closed page leaves the state of an acknowledged step, never a corrupt store', async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const context = await browser.newContext(); // one profile: OPFS persists across its pages
  try {
    let acked = 0;
    for (let round = 0; round < 4; round++) {
      const page = await context.newPage();
      await page.goto('/?init=fs-crash');
      await page.evaluate(() => window.tessera.ready);
      // On start it checks what the last page left: exactly some step's state (else it logs
      // FAIL), at least the last step this test saw acknowledged. The page went on
      // acknowledging steps until it closed, so later ones are no bound from here; the
      // tight bound (last acknowledged or in flight) is checked inside, after each kill.
      await expect
        .poll(async () => (await crashLog(page)).find((m) => m.startsWith('STATE ')), { timeout: 30_000 })
        .toBeDefined();
      const state = Number((await crashLog(page)).find((m) => m.startsWith('STATE '))?.slice(6));
      expect(state).toBeGreaterThanOrEqual(acked);
      expect((await crashLog(page)).filter((m) => m.startsWith('FAIL'))).toEqual([]);
      if (round === 0) {
        // The first page also kills the fs worker at random moments and checks each restart.
        await expect
          .poll(async () => (await crashLog(page)).includes('KILLS DONE'), { timeout: 60_000 })
          .toBe(true);
      }
      // Then the page goes away at a random moment of the workload.
      await expect
        .poll(async () => lastAck(await crashLog(page)) > state + 2, { timeout: 30_000 })
        .toBe(true);
      await page.waitForTimeout(Math.random() * 200);
      const log = await crashLog(page);
      expect(log.filter((m) => m.startsWith('FAIL'))).toEqual([]);
      acked = lastAck(log);
      await page.close();
    }
  } finally {
    await context.close();
  }
});
