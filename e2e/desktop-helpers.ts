// Helpers shared by the desktop's end-to-end specs (desktop.spec.ts, shell.spec.ts): boot
// the page, read the window list and pixels back, sample screenshots, drag with the mouse.
import { expect, test, type Page } from '@playwright/test';
import type { TesseraApi } from '../src/abi/automation.ts';
import type { DesktopWindow } from '../src/abi/display-protocol.ts';

declare global {
  interface Window {
    tessera: TesseraApi;
  }
}

/** The clock's background (src/apps/clock/clock.worker.ts). */
export const CLOCK_BG = [24, 60, 92];
/** Title bar height (src/gpu/wm/frame.ts). */
export const TITLE = 32;

const expectedRenderer = (): string => (test.info().project.name === 'canvas2d' ? 'canvas2d' : 'webgpu');

export async function windows(page: Page): Promise<readonly DesktopWindow[]> {
  return page.evaluate(() => window.tessera.desktop?.windows() ?? Promise.reject(new Error('no desktop')));
}

export async function openDesktop(page: Page, count = 1): Promise<DesktopWindow[]> {
  await page.goto('/');
  const ready = await page.evaluate(() => window.tessera.desktop?.ready);
  expect(ready?.renderer).toBe(expectedRenderer());
  await expect.poll(async () => (await windows(page)).filter((w) => w.text !== '').length).toBe(count);
  return [...(await windows(page))];
}

/** Pixels of window `id`'s content (or the screen) read back by the compositor, sampled at CSS points. */
export async function readBack(
  page: Page,
  id: number | null,
  points: readonly [number, number][],
): Promise<number[][]> {
  return page.evaluate(
    async ({ id, points }) => {
      const d = window.tessera.desktop;
      if (!d) throw new Error('no desktop');
      const p = await d.pixels(id);
      const dpr = devicePixelRatio;
      return points.map(([x, y]) => {
        const i = (Math.floor(y * dpr) * p.width + Math.floor(x * dpr)) * 4;
        return [p.data[i] ?? -1, p.data[i + 1] ?? -1, p.data[i + 2] ?? -1];
      });
    },
    { id, points },
  );
}

/** The colour at CSS point (x, y) of a screenshot of the page. */
export async function screenAt(page: Page, x: number, y: number): Promise<number[]> {
  const png = await page.screenshot();
  return page.evaluate(
    async ({ b64, x, y }) => {
      const bitmap = await createImageBitmap(await (await fetch(`data:image/png;base64,${b64}`)).blob());
      const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
      const g = canvas.getContext('2d');
      if (!g) throw new Error('no 2d context');
      g.drawImage(bitmap, 0, 0);
      return Array.from(g.getImageData(x, y, 1, 1).data.slice(0, 3));
    },
    { b64: png.toString('base64'), x, y },
  );
}

export const near = (a: readonly number[], b: readonly number[], tolerance = 6): boolean =>
  a.length === b.length && a.every((v, i) => Math.abs(v - (b[i] ?? 0)) <= tolerance);

/** The middle of a window's title bar, left of its buttons. */
export const titleBar = (w: DesktopWindow): [number, number] => [w.x + 60, w.y + TITLE / 2];

export async function drag(page: Page, from: [number, number], to: [number, number]): Promise<void> {
  await page.mouse.move(...from);
  await page.mouse.down();
  await page.mouse.move(...to, { steps: 8 });
  await page.mouse.up();
}

/** Each test starts from a fresh layout: nothing saved by an earlier test (unless it asks to keep it). */
export function freshLayoutEachTest(): void {
  test.beforeEach(async ({ context }) => {
    await context.addInitScript(() => {
      if (!sessionStorage.getItem('tessera-test-keep')) localStorage.clear();
    });
  });
}
