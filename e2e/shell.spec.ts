// The shell end to end (issue 6): the panel process's taskbar, launcher and notification
// toasts, the clock's clipboard and notify grants, the paint app and the lamp (a bitmap
// window that draws itself with WebGPU, or 2D where there is none), driven with the
// mouse and keyboard. Geometry comes from tessera.desktop.shell(), what the layers say
// from the text they publish, colours from screenshots and the compositor's read-back.
// The "canvas2d" project runs this file again with the fallback renderer.
import { expect, test, type Page } from '@playwright/test';
import type { DesktopShell } from '../src/abi/display-protocol.ts';
import {
  CLOCK_BG,
  drag,
  freshLayoutEachTest,
  near,
  openDesktop,
  readBack,
  screenAt,
  windows,
} from './desktop-helpers.ts';

/** The taskbar: 40 px high, rgb(22, 29, 40) (src/apps/panel/panel.worker.ts). */
const BAR_H = 40;
const BAR_BG = [22, 29, 40];
/** Where the bar's pieces sit at 1280 px wide (src/apps/panel/layout.ts). */
const LAUNCHER_X = 28;
const WORKSPACE_X = [70, 100, 130, 160];
const FIRST_BUTTON_X = 200;

test.use({ viewport: { width: 1280, height: 720 } });
freshLayoutEachTest();

const shell = (page: Page): Promise<DesktopShell> =>
  page.evaluate(() => window.tessera.desktop?.shell() ?? Promise.reject(new Error('no desktop')));

const layer = async (page: Page, anchor: string) =>
  (await shell(page)).layers.find((l) => l.anchor === anchor);

const barText = async (page: Page): Promise<string> => (await layer(page, 'bottom'))?.text ?? '';

/** The bar's middle row at x. */
const onBar = (x: number): [number, number] => [x, 720 - BAR_H / 2];

test('the taskbar runs along the bottom, lists the windows and minimizes and restores them', async ({
  page,
}) => {
  const [clock] = await openDesktop(page);
  if (!clock) throw new Error('no clock window');
  await expect.poll(() => layer(page, 'bottom')).toMatchObject({ x: 0, y: 720 - BAR_H, w: 1280, h: BAR_H });
  await expect
    .poll(() => barText(page))
    .toMatch(/^Taskbar\. Workspace 1 of 4\. Windows: Clock \(focused\)\. CPU/);
  // Its pixels reach the screen along the whole width, and nothing else is drawn there.
  await expect.poll(async () => near(await screenAt(page, 2, 720 - BAR_H + 1), BAR_BG)).toBe(true);
  expect(near(await screenAt(page, 1279, 719), BAR_BG)).toBe(true);
  expect(near(await screenAt(page, 640, 720 - BAR_H - 2), BAR_BG)).toBe(false);

  // The window's button minimizes the focused window and restores it.
  await page.mouse.click(...onBar(FIRST_BUTTON_X));
  await expect.poll(async () => (await windows(page))[0]).toMatchObject({ minimized: true, focused: false });
  await expect.poll(() => barText(page)).toMatch(/Windows: Clock \(minimized\)\./);
  await expect
    .poll(async () => near(await screenAt(page, clock.x + 6, clock.y + 32 + 6), CLOCK_BG))
    .toBe(false);
  await page.mouse.click(...onBar(FIRST_BUTTON_X));
  await expect.poll(async () => (await windows(page))[0]).toMatchObject({ minimized: false, focused: true });
  await expect
    .poll(async () => near(await screenAt(page, clock.x + 6, clock.y + 32 + 6), CLOCK_BG))
    .toBe(true);
});

test('workspace buttons switch the desktop; each workspace shows only its own windows', async ({ page }) => {
  const [clock] = await openDesktop(page);
  if (!clock) throw new Error('no clock window');
  await page.mouse.click(...onBar(WORKSPACE_X[1] ?? 0));
  await expect.poll(async () => (await shell(page)).workspace).toBe(1);
  await expect.poll(() => barText(page)).toMatch(/Workspace 2 of 4\. Windows: none\./);
  await expect
    .poll(async () => near(await screenAt(page, clock.x + 6, clock.y + 32 + 6), CLOCK_BG))
    .toBe(false);
  expect((await windows(page))[0]?.focused).toBe(false);
  // Keys typed here reach no window.
  await page.keyboard.type('zz');
  await page.mouse.click(...onBar(WORKSPACE_X[0] ?? 0));
  await expect.poll(async () => (await shell(page)).workspace).toBe(0);
  await expect.poll(async () => (await windows(page))[0]?.focused).toBe(true);
  expect((await windows(page))[0]?.text).toMatch(/Typed: $/);
  await expect
    .poll(async () => near(await screenAt(page, clock.x + 6, clock.y + 32 + 6), CLOCK_BG))
    .toBe(true);
});

test('the launcher opens with Ctrl+Alt+Enter, searches as you type and starts the chosen app', async ({
  page,
}) => {
  await openDesktop(page);
  await page.keyboard.press('Control+Alt+Enter');
  await expect
    .poll(() => layer(page, 'bottom-left'))
    .toMatchObject({ keyboard: true, x: 8, y: 720 - BAR_H - 300 - 8 });
  await expect
    .poll(async () => (await layer(page, 'bottom-left'))?.text)
    .toMatch(/Search: \. Apps: \[selected\] Clock, Lamp, Paint, Terminal$/);
  // Typing goes to the launcher, not to the clock behind it.
  await page.keyboard.type('pai');
  await expect
    .poll(async () => (await layer(page, 'bottom-left'))?.text)
    .toBe('Launcher. Search: pai. Apps: [selected] Paint');
  expect((await windows(page))[0]?.text).toMatch(/Typed: $/);
  await page.keyboard.press('Enter');
  await expect.poll(async () => (await windows(page)).map((w) => w.title)).toEqual(['Clock', 'Paint']);
  expect(await layer(page, 'bottom-left')).toBeUndefined();
  await expect.poll(async () => (await windows(page))[1]?.focused).toBe(true);
  await expect.poll(async () => (await windows(page))[1]?.text).toMatch(/^Paint: 0 strokes/);

  // The button opens it too; Escape closes it, and so does a click elsewhere.
  await page.mouse.click(...onBar(LAUNCHER_X));
  await expect.poll(() => layer(page, 'bottom-left')).toMatchObject({ keyboard: true });
  await page.keyboard.press('Escape');
  await expect.poll(() => layer(page, 'bottom-left')).toBeUndefined();
  await page.mouse.click(...onBar(LAUNCHER_X));
  await expect.poll(() => layer(page, 'bottom-left')).toMatchObject({ keyboard: true });
  await page.mouse.click(900, 200);
  await expect.poll(() => layer(page, 'bottom-left')).toBeUndefined();
  // A search that finds nothing starts nothing.
  await page.keyboard.press('Control+Alt+Enter');
  await expect.poll(() => layer(page, 'bottom-left')).toMatchObject({ keyboard: true });
  await page.keyboard.type('nothing like it');
  await expect.poll(async () => (await layer(page, 'bottom-left'))?.text).toMatch(/Apps: none$/);
  await page.keyboard.press('Enter');
  await page.keyboard.press('Escape');
  await expect.poll(() => layer(page, 'bottom-left')).toBeUndefined();
  expect((await windows(page)).length).toBe(2);
});

test('an app with the notify grant posts a notification: a toast, the host list and the mirror', async ({
  page,
}) => {
  await openDesktop(page);
  expect(await page.evaluate(() => window.tessera.desktop?.notifications())).toEqual([]);
  // The clock posts its typed line as a note on Enter.
  await page.keyboard.type('tea at four');
  await page.keyboard.press('Enter');
  await expect
    .poll(() => page.evaluate(() => window.tessera.desktop?.notifications().map(({ time: _, ...n }) => n)))
    .toEqual([{ app: 'clock', title: 'Note', body: 'tea at four' }]);
  await expect
    .poll(() => layer(page, 'top-right'))
    .toMatchObject({ x: 1280 - 340 - 8, y: 8, w: 340, h: 76, keyboard: false });
  expect((await layer(page, 'top-right'))?.text).toBe('clock: Note. tea at four');
  await expect(page.locator('#desktop-notifications li')).toHaveText(['clock: Note — tea at four']);
  expect((await windows(page))[0]?.text).toMatch(/Typed: $/);
  // The toast does not take the keyboard; a click on it dismisses it.
  await page.keyboard.type('x');
  await expect.poll(async () => (await windows(page))[0]?.text).toMatch(/Typed: x$/);
  await page.mouse.click(1280 - 100, 40);
  await expect.poll(() => layer(page, 'top-right')).toBeUndefined();
});

test('the clipboard: the focused clock copies its time; a paste arrives as text', async ({
  page,
  context,
}) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await openDesktop(page);
  await page.keyboard.press('Control+c');
  await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toMatch(/^\d\d:\d\d:\d\d$/);
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  await page.keyboard.press('Control+v');
  await expect.poll(async () => (await windows(page))[0]?.text).toMatch(new RegExp(`Typed: ${copied}$`));
});

test('paint: dragging draws in the brush colour, the wheel sizes the brush, keys pick colours, Delete clears', async ({
  page,
}) => {
  await openDesktop(page);
  await page.evaluate(() => window.tessera.desktop?.launch('paint'));
  await expect.poll(async () => (await windows(page))[1]?.text).toBe('Paint: 0 strokes, brush 6 px, black');
  const paint = (await windows(page))[1];
  if (!paint) throw new Error('no paint window');
  const content = (x: number, y: number): [number, number] => [paint.x + x, paint.y + 32 + y];
  // A white page under a palette strip.
  await expect.poll(async () => (await readBack(page, paint.id, [[100, 150]]))[0]).toEqual([255, 255, 255]);

  await page.keyboard.press('2'); // red
  await expect.poll(async () => (await windows(page))[1]?.text).toMatch(/red$/);
  await page.mouse.move(...content(300, 150));
  for (let i = 0; i < 5; i++) await page.mouse.wheel(0, -100); // bigger
  await expect.poll(async () => (await windows(page))[1]?.text).toMatch(/brush 11 px/);
  await drag(page, content(100, 150), content(300, 150));
  await expect.poll(async () => (await windows(page))[1]?.text).toMatch(/^Paint: 1 strokes/);
  const [start, middle, end, above] = await readBack(page, paint.id, [
    [100, 150],
    [200, 150],
    [300, 150],
    [200, 140],
  ]);
  expect(near(start ?? [], [220, 50, 47], 0)).toBe(true);
  expect(near(middle ?? [], [220, 50, 47], 0)).toBe(true);
  expect(near(end ?? [], [220, 50, 47], 0)).toBe(true);
  expect(above).toEqual([255, 255, 255]); // 10 px off an 11 px brush's line
  await expect.poll(async () => near(await screenAt(page, ...content(200, 150)), [220, 50, 47])).toBe(true);

  await page.keyboard.press('Delete');
  await expect.poll(async () => (await windows(page))[1]?.text).toMatch(/^Paint: 0 strokes/);
  await expect.poll(async () => (await readBack(page, paint.id, [[200, 150]]))[0]).toEqual([255, 255, 255]);
});

test('lamp: a window that shows the ImageBitmaps its app draws, lit where the user presses', async ({
  page,
}, testInfo) => {
  await openDesktop(page);
  await page.evaluate(() => window.tessera.desktop?.launch('lamp'));
  // Where the page has WebGPU the app draws with it too; in the canvas2d project it cannot.
  const kind = testInfo.project.name === 'canvas2d' ? '2D' : 'WebGPU';
  await expect
    .poll(async () => (await windows(page))[1]?.text)
    .toBe(`Lamp (${kind}): 1 frames, light at 180, 120`);
  const lamp = (await windows(page))[1];
  if (!lamp) throw new Error('no lamp window');
  expect([lamp.title, lamp.w, lamp.h]).toEqual(['Lamp', 360, 240 + 32]);
  // scene.ts: white under the light; beyond its glow, red across, green down, blue half.
  const gradient = (x: number, y: number) => [((x + 0.5) / 360) * 255, ((y + 0.5) / 240) * 255, 127.5];
  // Polled: the window fades in as it opens.
  await expect.poll(async () => (await readBack(page, lamp.id, [[180, 120]]))[0]).toEqual([255, 255, 255]);
  const [corner] = await readBack(page, lamp.id, [[20, 220]]);
  expect(near(corner ?? [], gradient(20, 220), 2)).toBe(true);
  await expect
    .poll(async () => near(await screenAt(page, lamp.x + 180, lamp.y + 32 + 120), [255, 255, 255]))
    .toBe(true);

  // A press moves the light: a new bitmap replaces the first.
  await page.mouse.click(lamp.x + 60, lamp.y + 32 + 60);
  await expect
    .poll(async () => (await windows(page))[1]?.text)
    .toBe(`Lamp (${kind}): 2 frames, light at 60, 60`);
  const [light, old] = await readBack(page, lamp.id, [
    [60, 60],
    [180, 120],
  ]);
  expect(light).toEqual([255, 255, 255]);
  expect(near(old ?? [], gradient(180, 120), 2)).toBe(true);
});
