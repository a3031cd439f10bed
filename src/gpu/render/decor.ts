// The decorations that are text or strokes — window titles and the close, maximize and
// minimize glyphs — drawn once with an OffscreenCanvas 2D context into small bitmaps that
// both renderers then copy (Canvas2D with drawImage, WebGPU as textures), so text and
// glyphs look the same in either. Layer: gpu, needs OffscreenCanvas (a worker or a window).
import { BUTTONS, TITLE_BAR_HEIGHT, type ButtonPart } from '../wm/frame.ts';
import type { Rect } from '../wm/geometry.ts';
import { sanitizeDpr } from './layout.ts';
import { GLYPH_SIZE, THEME, TITLE_FONT, TITLE_MAX_WIDTH, cssColor } from './theme.ts';

/** Titles kept rendered per renderer; the least recently drawn go first. */
export const TITLE_CACHE_SIZE = 64;

/** A rendered title: the bitmap (title-bar tall) and its width in CSS px. */
export interface TitleBitmap {
  readonly canvas: OffscreenCanvas;
  readonly cssWidth: number;
}

/** The cache key of a title bitmap. */
export const titleKey = (title: string, focused: boolean): string => `${focused ? 'f' : 'u'}:${title}`;

function context(canvas: OffscreenCanvas): OffscreenCanvasRenderingContext2D {
  const ctx = canvas.getContext('2d');
  if (ctx === null) throw new Error('OffscreenCanvas has no 2d context');
  return ctx;
}

/** `title` in its focused or unfocused colour at `dpr`, at most TITLE_MAX_WIDTH wide; null when empty. */
export function renderTitle(title: string, focused: boolean, dpr: number): TitleBitmap | null {
  if (title === '') return null;
  const d = sanitizeDpr(dpr);
  const probe = context(new OffscreenCanvas(1, 1));
  probe.font = TITLE_FONT;
  const cssWidth = Math.min(TITLE_MAX_WIDTH, Math.ceil(probe.measureText(title).width) + 1);
  if (cssWidth <= 1) return null;
  const canvas = new OffscreenCanvas(Math.ceil(cssWidth * d), Math.ceil(TITLE_BAR_HEIGHT * d));
  const ctx = context(canvas);
  ctx.scale(d, d);
  ctx.font = TITLE_FONT;
  ctx.textBaseline = 'middle';
  ctx.fillStyle = cssColor(focused ? THEME.titleTextFocused : THEME.titleTextUnfocused);
  ctx.fillText(title, 0, TITLE_BAR_HEIGHT / 2);
  return { canvas, cssWidth };
}

/** The device-pixel cell of `button`'s glyph in the atlas made by renderGlyphAtlas at `dpr`. */
export function glyphCell(button: ButtonPart, focused: boolean, dpr: number): Rect {
  const side = Math.ceil(GLYPH_SIZE * sanitizeDpr(dpr));
  return { x: BUTTONS.indexOf(button) * side, y: focused ? 0 : side, w: side, h: side };
}

function strokeGlyph(ctx: OffscreenCanvasRenderingContext2D, button: ButtonPart): void {
  ctx.beginPath();
  if (button === 'close') {
    ctx.moveTo(4, 4);
    ctx.lineTo(12, 12);
    ctx.moveTo(12, 4);
    ctx.lineTo(4, 12);
  } else if (button === 'maximize') {
    ctx.rect(4.5, 4.5, 7, 7);
  } else {
    ctx.moveTo(4, 8.5);
    ctx.lineTo(12, 8.5);
  }
  ctx.stroke();
}

/** Every glyph, focused (top row) and unfocused (bottom row), at `dpr`; see glyphCell. */
export function renderGlyphAtlas(dpr: number): OffscreenCanvas {
  const d = sanitizeDpr(dpr);
  const side = Math.ceil(GLYPH_SIZE * d);
  const canvas = new OffscreenCanvas(side * BUTTONS.length, side * 2);
  const ctx = context(canvas);
  ctx.lineWidth = 1.25;
  ctx.lineCap = 'round';
  for (const focused of [true, false]) {
    ctx.strokeStyle = cssColor(focused ? THEME.titleTextFocused : THEME.titleTextUnfocused);
    for (const button of BUTTONS) {
      const cell = glyphCell(button, focused, d);
      ctx.setTransform(d, 0, 0, d, cell.x, cell.y);
      strokeGlyph(ctx, button);
    }
  }
  return canvas;
}
