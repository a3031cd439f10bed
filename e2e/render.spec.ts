// The compositor's two renderers in a real dedicated worker, each drawing onto an
// OffscreenCanvas: the same Frame must put the same colours in the same places (read back
// with readPixels), honour dirty rects and damage, and reach the screen. The probe page
// (e2e/pages/render.html) is built here with the repository's Vite config into a temporary
// folder and served by `vite preview` on a free port, so the desktop's build is untouched.
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { build, preview, type InlineConfig, type PreviewServer } from 'vite';
import type { FrameSpec, SurfaceSpec, Theme } from './pages/render.ts';

type Rgba = readonly [number, number, number, number];
type Rect = { x: number; y: number; w: number; h: number };

let outDir = '';
let server: PreviewServer | undefined;
let base = '';

test.beforeAll(async () => {
  test.setTimeout(120_000);
  const root = process.cwd();
  outDir = await mkdtemp(join(tmpdir(), 'tessera-render-'));
  const config: InlineConfig = {
    root,
    configFile: join(root, 'vite.config.ts'),
    logLevel: 'warn',
    clearScreen: false,
    build: {
      outDir,
      emptyOutDir: true,
      rolldownOptions: { input: { render: join(root, 'e2e/pages/render.html') } },
    },
    preview: { host: '127.0.0.1', port: 0, strictPort: true, open: false },
  };
  await build(config);
  server = await preview(config);
  base = `http://127.0.0.1:${(server.httpServer.address() as AddressInfo).port}`;
});

test.afterAll(async () => {
  await server?.close();
  if (outDir !== '') await rm(outDir, { recursive: true, force: true });
});

const RED: Rgba = [255, 0, 0, 255];
const GREEN: Rgba = [0, 160, 0, 255];
const BLUE: Rgba = [0, 0, 255, 255];
const MAGENTA: Rgba = [255, 0, 255, 255];
const YELLOW: Rgba = [255, 220, 0, 255];

const solid = (width: number, height: number, rgba: Rgba, version = 1): SurfaceSpec => ({
  width,
  height,
  version,
  dirty: [],
  paint: [{ rect: { x: 0, y: 0, w: width, h: height }, rgba }],
});

/** The canvas colour of a theme colour drawn opaque: 0..255 channels, alpha 255. */
const opaque = (c: readonly number[]): Rgba => [c[0] ?? 0, c[1] ?? 0, c[2] ?? 0, 255];

// Back: unfocused, green content. Front: focused, a red 100×80 surface in a bigger content area.
const BACK = { x: 40, y: 40, w: 300, h: 220 };
const FRONT = { x: 200, y: 120, w: 320, h: 240 };
const TITLE = 32;

function scene(back: SurfaceSpec, front: SurfaceSpec): FrameSpec {
  const win = { opacity: 1, scale: 1 };
  return {
    width: 640,
    height: 400,
    dpr: 1,
    preview: null,
    windows: [
      { ...win, id: 1, rect: BACK, title: 'Back', focused: false, surface: back },
      { ...win, id: 2, rect: FRONT, title: 'Front', focused: true, surface: front },
    ],
  };
}

async function open(page: Page, prefer: string, width: number, height: number, dpr: number) {
  const opened = await page.evaluate(([p, w, h, d]) => window.renderProbe.open(p, w, h, d), [
    prefer,
    width,
    height,
    dpr,
  ] as const);
  return { ...opened, theme: opened.theme as Theme };
}

const draw = (page: Page, slot: number, frame: FrameSpec, damage: Rect[]) =>
  page.evaluate(([s, f, d]) => window.renderProbe.render(s, f, d), [slot, frame, damage] as const);

const read = (page: Page, slot: number, rect: Rect) =>
  page.evaluate(([s, r]) => window.renderProbe.read(s, r), [slot, rect] as const);

/** The colour at CSS pixel (x, y) (its first device pixel). */
const at = async (page: Page, slot: number, x: number, y: number) =>
  (await read(page, slot, { x, y, w: 1, h: 1 })).slice(0, 4);

function expectNear(actual: readonly number[], expected: readonly number[], tolerance: number, what: string) {
  const off = actual.length !== 4 || actual.some((v, i) => Math.abs(v - (expected[i] ?? 0)) > tolerance);
  expect(off, `${what}: got [${actual.join(', ')}], want [${expected.join(', ')}] ± ${tolerance}`).toBe(
    false,
  );
}

for (const kind of ['webgpu', 'canvas2d'] as const) {
  test(`${kind}: a frame's wallpaper, title bars, content and stacking, then dirty rects and damage`, async ({
    page,
  }) => {
    await page.goto(`${base}/e2e/pages/render.html`);
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    const { slot, kind: got, theme, canvas } = await open(page, kind, 640, 400, 1);
    expect(got).toBe(kind);
    const t = (name: string) => opaque(theme[name] ?? []);

    const full = [{ x: 0, y: 0, w: 640, h: 400 }];
    await draw(page, slot, scene(solid(300, 188, GREEN), solid(100, 80, RED)), full);

    expectNear(await at(page, slot, 0, 0), t('wallpaperTop'), 3, 'wallpaper, top-left');
    expectNear(await at(page, slot, 639, 399), t('wallpaperBottom'), 3, 'wallpaper, bottom-right');
    expectNear(await at(page, slot, FRONT.x + 4, FRONT.y + 20), t('titleFocused'), 2, 'focused title bar');
    expectNear(await at(page, slot, BACK.x + 4, BACK.y + 20), t('titleUnfocused'), 2, 'unfocused title bar');
    const content = { x: FRONT.x, y: FRONT.y + TITLE };
    expectNear(await at(page, slot, content.x + 10, content.y + 10), RED, 0, 'surface, near its corner');
    expectNear(await at(page, slot, content.x + 99, content.y + 79), RED, 0, "surface's last pixel");
    expectNear(
      await at(page, slot, content.x + 100, content.y + 10),
      t('content'),
      0,
      'right of the surface',
    );
    expectNear(await at(page, slot, content.x + 10, content.y + 80), t('content'), 0, 'below the surface');
    // Where the windows overlap, the later (higher) one is drawn.
    expectNear(await at(page, slot, 250, 200), RED, 0, "front's surface over back's");
    expectNear(await at(page, slot, 320, 125), t('titleFocused'), 2, "front's title bar over back's content");
    expectNear(
      await at(page, slot, BACK.x + 20, BACK.y + 60),
      GREEN,
      0,
      "back's content where it is uncovered",
    );
    const block = await read(page, slot, { x: content.x, y: content.y, w: 4, h: 3 });
    expect(block).toEqual(Array.from({ length: 12 }, () => RED).flat());

    // The app paints blue into its top-left 50×40 and says so, and paints magenta elsewhere
    // without saying so: only the declared rect is copied. The back window turns yellow, but
    // the damage covers only the front content, so the back window is not redrawn yet.
    const front: SurfaceSpec = {
      width: 100,
      height: 80,
      version: 2,
      dirty: [{ x: 0, y: 0, w: 50, h: 40 }],
      paint: [
        { rect: { x: 0, y: 0, w: 50, h: 40 }, rgba: BLUE },
        { rect: { x: 60, y: 50, w: 40, h: 30 }, rgba: MAGENTA },
      ],
    };
    const frontContent = { x: FRONT.x, y: FRONT.y + TITLE, w: FRONT.w, h: FRONT.h - TITLE };
    await draw(page, slot, scene(solid(300, 188, YELLOW, 2), front), [frontContent]);
    expectNear(await at(page, slot, content.x + 10, content.y + 10), BLUE, 0, 'dirty rect updated');
    expectNear(await at(page, slot, content.x + 70, content.y + 60), RED, 0, 'undeclared change not copied');
    expectNear(await at(page, slot, BACK.x + 20, BACK.y + 60), GREEN, 0, 'outside the damage, not redrawn');

    await draw(page, slot, scene(solid(300, 188, YELLOW, 2), { ...front, paint: [] }), full);
    expectNear(await at(page, slot, BACK.x + 20, BACK.y + 60), YELLOW, 0, 'redrawn once damaged');

    // And it reaches the screen.
    const pixelOnScreen = async () => {
      const png = await page.locator(`#${canvas}`).screenshot();
      return page.evaluate(
        async ([b64, x, y]) => {
          const bitmap = await createImageBitmap(await (await fetch(`data:image/png;base64,${b64}`)).blob());
          const c = new OffscreenCanvas(bitmap.width, bitmap.height).getContext('2d');
          if (c === null) throw new Error('no 2d context');
          c.drawImage(bitmap, 0, 0);
          return Array.from(c.getImageData(x, y, 1, 1).data);
        },
        [png.toString('base64'), content.x + 10, content.y + 10] as const,
      );
    };
    await expect.poll(pixelOnScreen).toEqual([...BLUE]);
  });

  test(`${kind}: a shell layer is its content alone, with no title bar or shadow`, async ({ page }) => {
    await page.goto(`${base}/e2e/pages/render.html`);
    const { slot } = await open(page, kind, 640, 400, 1);
    const full = [{ x: 0, y: 0, w: 640, h: 400 }];
    const frame = (windows: FrameSpec['windows']): FrameSpec => ({
      width: 640,
      height: 400,
      dpr: 1,
      preview: null,
      windows,
    });
    await draw(page, slot, frame([]), full);
    const above = await at(page, slot, 10, 355);
    const bar = { x: 0, y: 360, w: 640, h: 40 };
    const layer = { id: 9, title: '', focused: false, chrome: false, opacity: 1, scale: 1 };
    await draw(page, slot, frame([{ ...layer, rect: bar, surface: solid(640, 40, GREEN) }]), full);
    expectNear(await at(page, slot, 4, 362), GREEN, 0, "the layer's first row, where a title bar would be");
    expectNear(await at(page, slot, 0, 360), GREEN, 0, 'its square corner');
    expectNear(await at(page, slot, 639, 399), GREEN, 0, 'its last pixel');
    expectNear(await at(page, slot, 10, 355), above, 0, 'above it, no shadow');
  });

  test(`${kind}: device pixels at dpr 2`, async ({ page }) => {
    await page.goto(`${base}/e2e/pages/render.html`);
    const { slot, theme } = await open(page, kind, 200, 150, 2);
    const win = { x: 20, y: 20, w: 160, h: 110 };
    // 40×30 surface pixels are 20×15 CSS px at dpr 2.
    await draw(
      page,
      slot,
      {
        width: 200,
        height: 150,
        dpr: 2,
        preview: null,
        windows: [
          {
            id: 7,
            rect: win,
            title: 'Hi-DPI',
            focused: true,
            opacity: 1,
            scale: 1,
            surface: solid(40, 30, RED),
          },
        ],
      },
      [{ x: 0, y: 0, w: 200, h: 150 }],
    );
    const pixels = await read(page, slot, { x: win.x + 1, y: win.y + TITLE + 1, w: 1, h: 1 });
    expect(pixels).toEqual([...RED, ...RED, ...RED, ...RED]);
    expectNear(await at(page, slot, win.x + 19, win.y + TITLE + 14), RED, 0, "surface's last CSS pixel");
    expectNear(
      await at(page, slot, win.x + 20, win.y + TITLE + 1),
      opaque(theme['content'] ?? []),
      0,
      'beyond it',
    );
  });
}
