// The desktop end to end (issue 6): the real page boots, init starts the compositor and
// a clock app, and the tests drive it with the mouse and keyboard as a person would,
// checking the window list (tessera.desktop.windows), the compositor's read-back and
// screenshots of the page. The "canvas2d" project runs this file once more in a Chromium
// with no WebGPU adapter, so the fallback renderer draws the same desktop.
import { expect, test } from '@playwright/test';
import type { DesktopWindow } from '../src/abi/display-protocol.ts';
import {
  CLOCK_BG,
  drag,
  freshLayoutEachTest,
  near,
  openDesktop,
  readBack,
  screenAt,
  TITLE,
  titleBar,
  windows,
} from './desktop-helpers.ts';

/** Title-bar button width (src/gpu/wm/frame.ts). */
const BUTTON = 46;

test.use({ viewport: { width: 1280, height: 720 } });
freshLayoutEachTest();

test('a window appears at its rect with its content, in read-back and on the screen', async ({ page }) => {
  const [clock] = await openDesktop(page);
  if (!clock) throw new Error('no clock window');
  expect(clock.title).toBe('Clock');
  expect(clock.focused).toBe(true);
  expect(clock.minimized).toBe(false);
  expect([clock.w, clock.h]).toEqual([360, 200 + TITLE]);
  expect(clock.text).toMatch(/^Clock \d\d:\d\d:\d\d\. Typed: $/);
  expect(clock.owner).toBeGreaterThan(1);

  // Inside the content, away from the text: the clock's background.
  const [corner, far] = await readBack(page, clock.id, [
    [6, 6],
    [350, 190],
  ]);
  expect(near(corner ?? [], CLOCK_BG)).toBe(true);
  expect(near(far ?? [], CLOCK_BG)).toBe(true);
  // The same pixels reach the screen, at the window's rect; outside it is the wallpaper.
  await expect
    .poll(async () => near(await screenAt(page, clock.x + 6, clock.y + TITLE + 6), CLOCK_BG))
    .toBe(true);
  expect(near(await screenAt(page, clock.x + clock.w + 40, clock.y + TITLE + 6), CLOCK_BG)).toBe(false);
  // The accessibility mirror lists it.
  await expect(page.locator('#desktop-windows li')).toHaveCount(1);
  await expect(page.locator('#desktop-windows li').first()).toContainText('Clock (focused): Clock');
  await expect(page.locator('#desktop-focus')).toHaveText('Clock focused');
});

test('dragging the title bar moves the window; pixels follow', async ({ page }) => {
  const [clock] = await openDesktop(page);
  if (!clock) throw new Error('no clock window');
  const [x, y] = titleBar(clock);
  await drag(page, [x, y], [x + 300, y + 200]);
  await expect
    .poll(async () => (await windows(page))[0])
    .toMatchObject({ x: clock.x + 300, y: clock.y + 200 });
  await expect
    .poll(async () => near(await screenAt(page, clock.x + 306, clock.y + 200 + TITLE + 6), CLOCK_BG))
    .toBe(true);
  expect(near(await screenAt(page, clock.x + 6, clock.y + TITLE + 6), CLOCK_BG)).toBe(false);
});

test('resizing from the bottom-right corner grows the window', async ({ page }) => {
  const [clock] = await openDesktop(page);
  if (!clock) throw new Error('no clock window');
  const corner: [number, number] = [clock.x + clock.w - 2, clock.y + clock.h - 2];
  await drag(page, corner, [corner[0] + 120, corner[1] + 80]);
  await expect
    .poll(async () => (await windows(page))[0])
    .toMatchObject({
      x: clock.x,
      y: clock.y,
      w: clock.w + 120,
      h: clock.h + 80,
    });
  // The app gets a surface of the new size and fills it: its background reaches the far corner.
  const far: [number, number] = [clock.w + 120 - 6, clock.h + 80 - TITLE - 6];
  await expect.poll(async () => near((await readBack(page, clock.id, [far]))[0] ?? [], CLOCK_BG)).toBe(true);
});

test('snap: Ctrl+Alt+ArrowLeft fills the left half; dragging to the right edge fills the right half', async ({
  page,
}) => {
  const [clock] = await openDesktop(page);
  if (!clock) throw new Error('no clock window');
  await page.keyboard.press('Control+Alt+ArrowLeft');
  await expect.poll(async () => (await windows(page))[0]).toMatchObject({ x: 0, y: 0, w: 640, h: 680 });
  // The chord is reserved: the app never saw it (nothing typed, nothing deleted).
  expect((await windows(page))[0]?.text).toMatch(/Typed: $/);

  const snapped = (await windows(page))[0] as DesktopWindow;
  await drag(page, titleBar(snapped), [1279, 360]);
  await expect.poll(async () => (await windows(page))[0]).toMatchObject({ x: 640, y: 0, w: 640, h: 680 });
  await expect.poll(async () => near(await screenAt(page, 646, TITLE + 6), CLOCK_BG)).toBe(true);
  // The clock redrew at the half's size: its background fills to the bottom-right corner.
  await expect.poll(async () => near(await screenAt(page, 1274, 674), CLOCK_BG)).toBe(true);
});

test('minimize with the title-bar button, restore with Ctrl+Alt+Tab', async ({ page }) => {
  const [clock] = await openDesktop(page);
  if (!clock) throw new Error('no clock window');
  await page.mouse.click(clock.x + clock.w - 3 * BUTTON + BUTTON / 2, clock.y + TITLE / 2);
  await expect.poll(async () => (await windows(page))[0]).toMatchObject({ minimized: true, focused: false });
  await expect(page.locator('#desktop-focus')).toHaveText('No window focused');
  await expect
    .poll(async () => near(await screenAt(page, clock.x + 6, clock.y + TITLE + 6), CLOCK_BG))
    .toBe(false);

  await page.keyboard.press('Control+Alt+Tab');
  await expect.poll(async () => (await windows(page))[0]).toMatchObject({ minimized: false, focused: true });
  await expect
    .poll(async () => near(await screenAt(page, clock.x + 6, clock.y + TITLE + 6), CLOCK_BG))
    .toBe(true);
});

test('keys reach only the focused window; a click moves the focus', async ({ page }) => {
  await openDesktop(page);
  await page.evaluate(() => window.tessera.desktop?.launch('clock'));
  await expect.poll(async () => (await windows(page)).filter((w) => w.text !== '').length).toBe(2);
  const [first, second] = await windows(page);
  if (!first || !second) throw new Error('two clocks expected');
  expect(second.focused).toBe(true);
  expect(first.focused).toBe(false);
  expect(second.owner).not.toBe(first.owner);
  // The second opened cascaded from the first, so part of the first is still visible.
  expect(second.x).toBeGreaterThan(first.x);

  await page.keyboard.type('abc');
  await expect.poll(async () => (await windows(page))[1]?.text).toMatch(/Typed: abc$/);
  expect((await windows(page))[0]?.text).toMatch(/Typed: $/);

  // Click the first window's visible part of the title bar: it takes the focus and the keys.
  await page.mouse.click(first.x + 8, first.y + TITLE / 2);
  await expect.poll(async () => (await windows(page)).find((w) => w.id === first.id)?.focused).toBe(true);
  await page.keyboard.type('xy');
  await page.keyboard.press('Backspace');
  const byId = async (id: number) => (await windows(page)).find((w) => w.id === id)?.text;
  await expect.poll(() => byId(first.id)).toMatch(/Typed: x$/);
  expect(await byId(second.id)).toMatch(/Typed: abc$/);

  // Automation goes through the same routing.
  await page.evaluate((id) => window.tessera.desktop?.focus(id), second.id);
  await page.evaluate(() => window.tessera.desktop?.sendText('!'));
  await expect.poll(() => byId(second.id)).toMatch(/Typed: abc!$/);
  expect(await byId(first.id)).toMatch(/Typed: x$/);
});

test('bad automation calls are refused with a reason and change nothing', async ({ page }) => {
  await openDesktop(page);
  const before = await windows(page);
  const errors = await page.evaluate(async () => {
    const d = window.tessera.desktop;
    if (!d) throw new Error('no desktop');
    const reason = (p: Promise<unknown>) =>
      p.then(
        () => 'resolved',
        (e: unknown) => String(e),
      );
    return [
      await reason(d.focus(999)),
      await reason(d.pixels(999)),
      await reason(d.sendKeys('Hyper+X')),
      await reason(d.launch('not a program')),
    ];
  });
  expect(errors[0]).toMatch(/999/);
  expect(errors[1]).toMatch(/no window 999/);
  expect(errors[2]).toMatch(/not a modifier/);
  expect(errors[3]).toMatch(/launch needs a program name/); // answered, not timed out
  expect((await windows(page)).map(({ text: _, ...w }) => w)).toEqual(before.map(({ text: _, ...w }) => w));
});

test('the window layout survives a reload', async ({ page }) => {
  const [clock] = await openDesktop(page);
  if (!clock) throw new Error('no clock window');
  const [x, y] = titleBar(clock);
  await drag(page, [x, y], [x + 220, y + 140]);
  const moved = { x: clock.x + 220, y: clock.y + 140 };
  await expect.poll(async () => (await windows(page))[0]).toMatchObject(moved);
  // Saved a moment after the last change.
  await expect
    .poll(() =>
      page.evaluate(() => {
        const saved = JSON.parse(localStorage.getItem('tessera.desktop.layout') ?? '{}') as {
          windows?: { rect: { x: number; y: number } }[];
        };
        return saved.windows?.[0]?.rect;
      }),
    )
    .toMatchObject(moved);
  await page.evaluate(() => sessionStorage.setItem('tessera-test-keep', '1'));
  await page.reload();
  await expect.poll(async () => (await windows(page).catch(() => []))[0]).toMatchObject(moved);
});
