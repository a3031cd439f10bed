// clock: a small desktop app that proves the surface API (issue 6). It opens one window
// on the compositor connection init gave it, draws the time with a Canvas 2D context into
// an OffscreenCanvas, copies the pixels into its surface's back buffer and presents only
// the rows that changed; keys typed into it (only when it has focus) show on a second
// line, so focus routing can be seen and tested. Its connection holds the `notify` and
// `clipboard` grants: Ctrl+C copies the time (a paste arrives as text, like typing), and
// Enter posts the typed line as a notification ("Note") and clears it. Layer: apps.
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
  #canvas = new OffscreenCanvas(WIDTH, HEIGHT);
  #g = this.#context();
  readonly #window: AppWindow;
  #painted = false;
  typed = '';
  focused = false;

  constructor(window: AppWindow) {
    this.#window = window;
  }

  #context(): OffscreenCanvasRenderingContext2D {
    return this.#canvas.getContext('2d', { willReadFrequently: true }) as OffscreenCanvasRenderingContext2D;
  }

  time(now: Date): string {
    return now.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit' });
  }

  async paint(now: Date): Promise<void> {
    const { width: w, height: h } = this.#window;
    if (w !== this.#canvas.width || h !== this.#canvas.height) {
      // The window was resized: a new surface, drawn whole.
      this.#canvas = new OffscreenCanvas(w, h);
      this.#g = this.#context();
      this.#painted = false;
    }
    const g = this.#g;
    const scale = Math.max(0.25, Math.min(w / WIDTH, h / HEIGHT));
    const mid = h / 2;
    g.fillStyle = BACKGROUND;
    g.fillRect(0, 0, w, h);
    g.fillStyle = '#ffffff';
    g.textAlign = 'center';
    g.textBaseline = 'middle';
    g.font = `600 ${Math.round(56 * scale)}px sans-serif`;
    g.fillText(this.time(now), w / 2, mid - 22 * scale);
    g.font = `${Math.round(16 * scale)}px sans-serif`;
    g.fillStyle = '#b8cde0';
    g.fillText(
      now.toLocaleDateString('en-GB', { weekday: 'long', day: 'numeric', month: 'long' }),
      w / 2,
      mid + 24 * scale,
    );
    g.fillStyle = this.focused ? '#ffffff' : '#7f9bb5';
    g.font = `${Math.round(15 * scale)}px monospace`;
    g.fillText(`> ${this.typed}${this.focused ? '_' : ''}`, w / 2, mid + 66 * scale);
    const image = g.getImageData(0, 0, w, h).data;
    // The face is redrawn whole, but only the band with text ever changes.
    const top = Math.max(0, Math.floor(mid - 64 * scale));
    const bottom = Math.min(h, Math.ceil(mid + 90 * scale));
    const dirty: DirtyRect[] = [[0, top, w, bottom - top]];
    const whole = !this.#painted;
    this.#painted = true;
    await this.#window.draw((pixels) => {
      if (pixels.length === image.length) pixels.set(image);
      return whole ? undefined : dirty;
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
    } else if (e.ev === 'key' && e.phase === 'down') {
      const { key, ctrl, alt, meta } = e.key;
      const command = ctrl && !alt && !meta;
      if (key === 'Backspace') {
        face.typed = face.typed.slice(0, -1);
        repaint();
      } else if (command && key.toLowerCase() === 'c') {
        await connection.send({ op: 'clipboard-write', text: face.time(new Date()) });
      } else if (key === 'Enter' && !ctrl && !alt && face.typed !== '') {
        await connection.send({ op: 'notify', title: 'Note', body: face.typed });
        face.typed = '';
        repaint();
      }
    } else if (e.ev === 'refused') {
      ctx.log('warn', `clock: ${e.reason}`);
    } else if (e.ev === 'surface') {
      repaint(); // resized
    } else if (e.ev === 'focus') {
      face.focused = e.focused;
      repaint();
    }
  }
  clearTimeout(timer);
  await painting;
  return 0;
}, self);
