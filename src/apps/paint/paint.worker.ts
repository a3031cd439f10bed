// paint: a small drawing app (issue 6): drag with the pointer to draw, turn the wheel to
// change the brush, press 1–6 (or click the palette) to pick a colour, Delete to clear.
// It draws straight into its surface's back buffer and presents only the rectangles a
// stroke touched, so it exercises pointer capture, wheel routing and small dirty rects.
// Layer: apps. Initial handles: 0 its connection to the compositor. It exits when its
// window closes.
import type { DirtyRect } from '../../abi/window-protocol.ts';
import { startDomain } from '../../workers/domain.ts';
import { Connection, type AppWindow } from '../../workers/window-client.ts';
import { PALETTE, PALETTE_HEIGHT, paletteAt, stamp, type Brush } from './canvas.ts';

declare const self: DedicatedWorkerGlobalScope;

const WIDTH = 480;
const HEIGHT = 360;
const COLOUR_NAMES = ['black', 'red', 'green', 'blue', 'orange', 'white'];

class Paint {
  readonly #window: AppWindow;
  #brush: Brush = { size: 6, colour: 0 };
  #last: { x: number; y: number } | null = null;
  #strokes = 0;
  #drawing: Promise<void> = Promise.resolve();

  constructor(window: AppWindow) {
    this.#window = window;
  }

  #queue(paint: (pixels: Uint8ClampedArray, w: number, h: number) => readonly DirtyRect[] | undefined): void {
    this.#drawing = this.#drawing.then(() =>
      this.#window.draw((pixels) => paint(pixels, this.#window.width, this.#window.height)),
    );
  }

  /** The palette strip and a white page (all of the surface). */
  clear(): void {
    this.#strokes = 0;
    this.#queue((pixels, w, h) => {
      pixels.fill(255);
      PALETTE.forEach((c, i) => {
        const x0 = Math.floor((i * w) / PALETTE.length);
        const x1 = Math.floor(((i + 1) * w) / PALETTE.length);
        for (let y = 0; y < Math.min(h, PALETTE_HEIGHT); y++)
          for (let x = x0; x < x1; x++) pixels.set([c[0], c[1], c[2], 255], (y * w + x) * 4);
      });
      return undefined;
    });
    this.publish();
  }

  publish(): void {
    const text = `Paint: ${this.#strokes} strokes, brush ${this.#brush.size} px, ${COLOUR_NAMES[this.#brush.colour] ?? ''}`;
    this.#drawing = this.#drawing.then(() => this.#window.setText(text));
  }

  pointer(phase: 'down' | 'move' | 'up', x: number, y: number, buttons: number): void {
    if (phase === 'down' && y < PALETTE_HEIGHT) {
      this.colour(paletteAt(x, this.#window.width));
      return;
    }
    if (phase === 'up' || (buttons & 1) === 0) {
      if (this.#last !== null) {
        this.#strokes++;
        this.publish();
      }
      this.#last = null;
      return;
    }
    const from = this.#last ?? { x, y };
    this.#last = { x, y };
    const brush = this.#brush;
    this.#queue((pixels, w, h) => {
      const r = stamp(pixels, w, h, from, { x, y }, brush);
      return r === null ? [[0, 0, 0, 0]] : [r];
    });
  }

  wheel(dy: number): void {
    const size = Math.max(1, Math.min(40, this.#brush.size + (dy < 0 ? 1 : -1)));
    this.#brush = { ...this.#brush, size };
    this.publish();
  }

  colour(index: number): void {
    if (index >= 0 && index < PALETTE.length) this.#brush = { ...this.#brush, colour: index };
    this.publish();
  }

  get done(): Promise<void> {
    return this.#drawing;
  }
}

startDomain(async (ctx) => {
  const connection = new Connection(ctx, ctx.handles[0] ?? 0);
  const window = await connection.open('Paint', WIDTH, HEIGHT);
  const paint = new Paint(window);
  paint.clear();
  for (;;) {
    const e = await connection.next();
    if (e === null || e.ev === 'closed') break;
    if (e.ev === 'pointer') paint.pointer(e.phase, e.x, e.y, e.buttons);
    else if (e.ev === 'wheel') paint.wheel(e.dy);
    else if (e.ev === 'surface')
      paint.clear(); // resized: a new, blank surface
    else if (e.ev === 'key' && e.phase === 'down') {
      if (e.key.key === 'Delete') paint.clear();
      else if (/^[1-6]$/.test(e.key.key)) paint.colour(Number(e.key.key) - 1);
    }
  }
  await paint.done.catch(() => undefined);
  return 0;
}, self);
