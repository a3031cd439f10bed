// The kernel's conformance suite in Chromium: real workers, rings and watchdog. The page
// boots with the built-in program `conformance` as pid 1 (src/apps/conformance), which
// runs every check against conformance-peer domains and logs PASS/FAIL lines and DONE.
import { expect, test } from '@playwright/test';
import type { TesseraApi } from '../src/abi/automation.ts';

declare global {
  interface Window {
    tessera: TesseraApi;
  }
}

/** Every check the suite runs; a check that silently disappears fails this test too. */
const CHECKS = [
  'spawn many processes and reap their exits',
  'ping-pong over a kernel channel, with a handle moved there and back',
  'ping-pong over mapped channel rings',
  'revoking a capability ends the wait in flight on it with REVOKED',
  'a crash is reaped: CRASHED, and its peer sees PEER_CLOSED',
  'hostile: forged and stale handle values get BAD_HANDLE, never another object',
  'hostile: a malformed ring record faults the sender',
  'hostile: an oversized message faults the sender',
  'hostile: a postMessage after bootstrap faults the sender',
  'hostile: a syscall flood leaves the kernel serving others',
  'hostile: a peer that never reads gets a full queue, not a blocked writer',
  'hostile: a domain that spins forever is reported by the watchdog and can be killed',
  'nothing leaked: no process but this one, and as many handles as at the start',
];

test('the kernel conformance suite passes in the browser', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto('/?init=conformance');
  await page.evaluate(() => window.tessera.ready);
  const lines = () =>
    page.evaluate(() =>
      window.tessera.bootLog.filter((e) => e.source === 'conformance').map((e) => e.message),
    );
  await expect
    .poll(async () => (await lines()).some((m) => m.startsWith('DONE')), { timeout: 100_000 })
    .toBe(true);
  const log = await lines();
  const failures = log.filter((m) => m.startsWith('FAIL'));
  expect(failures, failures.join('\n')).toEqual([]);
  expect(log.filter((m) => m.startsWith('PASS')).map((m) => m.slice('PASS '.length))).toEqual(CHECKS);
  expect(log.at(-1)).toBe(`DONE passed=${CHECKS.length} failed=0`);
  // The kernel said why each hostile domain went away.
  const kernel = await page.evaluate(() =>
    window.tessera.bootLog.filter((e) => e.source === 'kernel').map((e) => e.message),
  );
  expect(kernel.some((m) => /garbage \(pid \d+\) faulted: malformed syscall/.test(m))).toBe(true);
  expect(kernel.some((m) => /postmessage \(pid \d+\) faulted/.test(m))).toBe(true);
  expect(kernel.some((m) => /watchdog: spin \(pid \d+\) has not yielded/.test(m))).toBe(true);
});
