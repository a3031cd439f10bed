// clock: a small desktop app that proves the surface API (issue 6). It opens one window
// on the compositor connection init gave it, draws the time with a Canvas 2D context into
// an OffscreenCanvas, copies the pixels into its surface's back buffer and presents only
// the rows that changed; keys typed into it (only when it has focus) show on a second
// line, so focus routing can be seen and tested. Layer: apps.
//
// Initial handles: 0 its connection to the compositor. It exits when its window closes.
import type { DirtyRect } from '../../abi/window-protocol.ts';
import { startDomain } from '../../workers/domain.ts';
import { Connection, type AppWindow } from '../../workers/window-client.ts';

declare const self: DedicatedWorkerGlobalScope;

const WIDTH = 360;
const HEIGHT = 200;
/** The face's background, rgb(24, 60, 92): tests look for it in the window's pixels. */
const BACKGROUND = '#183c5c';
const TYPED_MAX = 40;

class ClockFace {
  readonly #canvas = new OffscreenCanvas(WIDTH, HEIGHT);
  readonly #g = this.#canvas.getContext('2d', {
    willReadFrequently: true,
  }) as OffscreenCanvasRenderingContext2D;
  readonly #window: AppWindow;
  #painted = false;
  typed = '';
  focused = false;

  constructor(window: AppWindow) {
    this.#window = window;
  }

  time(now: Date): string {
    return now.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit' });
  }

  async paint(now: Date): Promise<void> {
    const g = this.#g;
    g.fillStyle = BACKGROUND;
    g.fillRect(0, 0, WIDTH, HEIGHT);
    g.fillStyle = '#ffffff';
    g.textAlign = 'center';
    g.textBaseline = 'middle';
    g.font = '600 56px sans-serif';
    g.fillText(this.time(now), WIDTH / 2, 78);
    g.font = '16px sans-serif';
    g.fillStyle = '#b8cde0';
    g.fillText(
      now.toLocaleDateString('en-GB', { weekday: 'long', day: 'numeric', month: 'long' }),
      WIDTH / 2,
      124,
    );
    g.fillStyle = this.focused ? '#ffffff' : '#7f9bb5';
    g.font = '15px monospace';
    g.fillText(`> ${this.typed}${this.focused ? '_' : ''}`, WIDTH / 2, 166);
    const image = g.getImageData(0, 0, WIDTH, HEIGHT).data;
    // The face is redrawn whole but only the rows below the top margin ever change.
    const dirty: DirtyRect[] = [[0, 36, WIDTH, HEIGHT - 36]];
    const whole = !this.#painted;
    this.#painted = true;
    await this.#window.draw((pixels) => {
      pixels.set(image);
      return whole ? [] : dirty;
    });
    await this.#window.setText(`Clock ${this.time(now)}. Typed: ${this.typed}`);
  }
}

startDomain(async (ctx) => {
  const connection = new Connection(ctx, ctx.handles[0] ?? 0);
  const window = await connection.open('Clock', WIDTH, HEIGHT);
  const face = new ClockFace(window);
  let painting: Promise<void> = Promise.resolve();
  const repaint = (): void => {
    painting = painting
      .then(() => face.paint(new Date()))
      .catch((e: unknown) => ctx.log('warn', `clock: ${e instanceof Error ? e.message : String(e)}`));
  };
  let timer: ReturnType<typeof setTimeout> | undefined;
  const tick = (): void => {
    repaint();
    timer = setTimeout(tick, 1000 - (Date.now() % 1000) + 5);
  };
  tick();
  for (;;) {
    const e = await connection.next();
    if (e === null || e.ev === 'closed') break;
    if (e.ev === 'text') {
      face.typed = (face.typed + [...e.data].filter((c) => c >= ' ').join('')).slice(-TYPED_MAX);
      repaint();
    } else if (e.ev === 'key' && e.phase === 'down' && e.key.key === 'Backspace') {
      face.typed = face.typed.slice(0, -1);
      repaint();
    } else if (e.ev === 'focus') {
      face.focused = e.focused;
      repaint();
    }
  }
  clearTimeout(timer);
  await painting;
  return 0;
}, self);
