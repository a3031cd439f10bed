// First boot, end to end: the real page, the real kernel worker and init.
import { expect, test } from '@playwright/test';
import type { BootReport, TesseraApi } from '../src/abi/automation.ts';

declare global {
  interface Window {
    tessera: TesseraApi;
  }
}

test('boots: cross-origin isolated, init running, tessera.ready resolves', async ({ page }) => {
  await page.goto('/');
  const report: BootReport = await page.evaluate(() => window.tessera.ready);
  expect(report.crossOriginIsolated).toBe(true);
  expect(report.initPid).toBe(1);
  expect(report.bootMs).toBeGreaterThan(0);
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);

  const log = await page.evaluate(() => window.tessera.bootLog.map((e) => ({ ...e })));
  const sources = log.map((e) => e.source);
  expect(sources).toContain('host');
  expect(sources).toContain('kernel');
  expect(sources).toContain('init');
  expect(log).toContainEqual(
    expect.objectContaining({ source: 'kernel', level: 'info', message: 'init running (pid 1)' }),
  );
  // init goes on to start the fs server.
  await expect
    .poll(() => page.evaluate(() => window.tessera.bootLog.some((e) => e.message.startsWith('spawned fs'))))
    .toBe(true);
  expect(log.every((e) => e.level === 'info')).toBe(true);
  const times = log.map((e) => e.t);
  expect(times).toEqual([...times].sort((a, b) => a - b));

  // The page shows the same log, and a performance mark for each line.
  await expect
    .poll(() =>
      page.evaluate(() => document.querySelectorAll('#boot-log li').length === window.tessera.bootLog.length),
    )
    .toBe(true);
  await expect(page.locator('#boot-log li', { hasText: 'init running (pid 1)' })).toHaveCount(1);
  await expect(page.locator('#boot-status')).toContainText('Ready in');
  const marks = await page.evaluate(() => performance.getEntriesByType('mark').map((m) => m.name));
  expect(marks).toContain('tessera:kernel:init running (pid 1)');
  expect(marks).toContain('tessera:ready');
  expect(await page.evaluate(() => window.tessera.version)).toMatch(/^\d+\.\d+\.\d+/);
  expect(typeof (await page.evaluate(() => window.tessera.persistentStorage))).toBe('boolean');
});

test('the server sends the isolation headers', async ({ request }) => {
  const response = await request.get('/');
  expect(response.headers()).toMatchObject({
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-embedder-policy': 'require-corp',
    'cross-origin-resource-policy': 'same-origin',
  });
});

test('without cross-origin isolation, boot fails with a reason a person can act on', async ({ page }) => {
  // Serve the page itself without COOP/COEP; everything else is unchanged.
  await page.route('/', async (route) => {
    const response = await route.fetch();
    const headers = { ...response.headers() };
    delete headers['cross-origin-opener-policy'];
    delete headers['cross-origin-embedder-policy'];
    await route.fulfill({ response, headers });
  });
  await page.goto('/');
  const reason = await page.evaluate(() =>
    window.tessera.ready.then(
      () => 'resolved',
      (e: Error) => e.message,
    ),
  );
  expect(reason).toMatch(/not cross-origin isolated.*Cross-Origin-Embedder-Policy: require-corp/);
  await expect(page.locator('#boot-status')).toContainText('Boot failed');
  await expect(page.locator('#boot-log li').last()).toHaveClass(/level-error/);
});
