// The fallback renderer: the scene drawn with an OffscreenCanvasRenderingContext2D, clipped
// to the damage so an unchanged area is not redrawn (the canvas keeps its pixels between
// frames). Layer: gpu, compositor domain. Surfaces are copied into a per-window canvas,
// dirty rects only, because an ImageData cannot wrap the shared memory apps draw into.
import type { Rect } from '../wm/geometry.ts';
import { TITLE_BAR_HEIGHT } from '../wm/frame.ts';
import {
  TITLE_CACHE_SIZE,
  glyphCell,
  renderGlyphAtlas,
  renderTitle,
  titleKey,
  type TitleBitmap,
} from './decor.ts';
import type { Frame, FrameWindow, SurfaceContent } from './frame.ts';
import {
  deviceSize,
  drawOrder,
  sanitizeDpr,
  surfacePlacement,
  toDeviceRect,
  windowLayout,
  windowTouches,
  type DeviceSize,
} from './layout.ts';
import { LruCache } from './lru.ts';
import type { Renderer } from './renderer.ts';
import { copyRect, planUpload, validSurface } from './surface-upload.ts';
import {
  BORDER_WIDTH,
  CORNER_RADIUS,
  PREVIEW_STROKE_WIDTH,
  SHADOW_OFFSET_Y,
  SHADOW_SIGMA,
  THEME,
  cssColor,
} from './theme.ts';

type Ctx = OffscreenCanvasRenderingContext2D;

/** A window's surface as last copied. */
interface SurfaceCopy {
  readonly canvas: OffscreenCanvas;
  readonly ctx: Ctx;
  readonly width: number;
  readonly height: number;
  version: number;
}

/** The shadow is cast by a shape drawn this far left of the window, off the clip, so only the shadow lands. */
const SHADOW_CASTER_SHIFT = 16_384;
const R = CORNER_RADIUS;

/** A Canvas2D renderer for `canvas`; throws when the canvas has no 2D context to give. */
export function createCanvas2dRenderer(canvas: OffscreenCanvas): Renderer {
  const ctx = canvas.getContext('2d', { alpha: false });
  if (ctx === null) throw new Error('the canvas gives neither a WebGPU nor a 2D context');
  return new Canvas2dRenderer(canvas, ctx);
}

class Canvas2dRenderer implements Renderer {
  readonly kind = 'canvas2d';
  readonly #canvas: OffscreenCanvas;
  readonly #ctx: Ctx;
  #css = { width: 1, height: 1 };
  #dpr = 1;
  #size: DeviceSize;
  /** Set when the canvas holds nothing trustworthy (new, resized): the next frame is drawn whole. */
  #full = true;
  #destroyed = false;
  readonly #surfaces = new Map<number, SurfaceCopy>();
  readonly #titles = new LruCache<string, TitleBitmap | null>(TITLE_CACHE_SIZE);
  #glyphs: OffscreenCanvas | null = null;

  constructor(canvas: OffscreenCanvas, ctx: Ctx) {
    this.#canvas = canvas;
    this.#ctx = ctx;
    this.#size = { width: canvas.width, height: canvas.height };
    this.#css = { width: canvas.width, height: canvas.height };
  }

  resize(width: number, height: number, dpr: number): void {
    const d = sanitizeDpr(dpr);
    if (d !== this.#dpr) {
      this.#titles.clear();
      this.#glyphs = null;
    }
    this.#dpr = d;
    this.#css = { width, height };
    this.#size = deviceSize(width, height, d);
    this.#canvas.width = this.#size.width;
    this.#canvas.height = this.#size.height;
    this.#full = true;
  }

  render(frame: Frame, damage: readonly Rect[]): void {
    if (this.#destroyed) return;
    if (
      frame.width !== this.#css.width ||
      frame.height !== this.#css.height ||
      sanitizeDpr(frame.dpr) !== this.#dpr
    ) {
      this.resize(frame.width, frame.height, frame.dpr);
    }
    this.#syncSurfaces(frame.windows);
    const clip = this.#full ? [{ x: 0, y: 0, w: this.#css.width, h: this.#css.height }] : damage;
    const deviceClip = clip
      .map((r) => toDeviceRect(r, this.#dpr, this.#size))
      .filter((r) => r.w > 0 && r.h > 0);
    if (deviceClip.length === 0) return;
    this.#full = false;
    const ctx = this.#ctx;
    ctx.save();
    ctx.beginPath();
    for (const r of deviceClip) ctx.rect(r.x, r.y, r.w, r.h);
    ctx.clip();
    this.#drawWallpaper();
    for (const item of drawOrder(frame)) {
      if (item.kind === 'preview') this.#drawPreview(item.rect);
      else if (windowTouches(item.window, clip)) this.#drawWindow(item.window);
    }
    ctx.restore();
  }

  async readPixels(rect: Rect): Promise<Uint8Array> {
    const r = toDeviceRect(rect, this.#dpr, this.#size);
    if (r.w === 0 || r.h === 0) return new Uint8Array(0);
    const data = this.#ctx.getImageData(r.x, r.y, r.w, r.h).data;
    return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  }

  destroy(): void {
    this.#destroyed = true;
    this.#surfaces.clear();
    this.#titles.clear();
    this.#glyphs = null;
  }

  /** Copies what changed in each window's surface; forgets the windows that are gone. */
  #syncSurfaces(windows: readonly FrameWindow[]): void {
    const live = new Set<number>();
    for (const w of windows) {
      live.add(w.id);
      if (w.content === null || !validSurface(w.content)) this.#surfaces.delete(w.id);
      else this.#copySurface(w.id, w.content);
    }
    for (const id of this.#surfaces.keys()) if (!live.has(id)) this.#surfaces.delete(id);
  }

  #copySurface(id: number, c: SurfaceContent): void {
    let held = this.#surfaces.get(id);
    const plan = planUpload(held, c);
    if (plan.recreate || held === undefined) {
      const canvas = new OffscreenCanvas(c.width, c.height);
      const ctx = canvas.getContext('2d');
      if (ctx === null) return;
      held = { canvas, ctx, width: c.width, height: c.height, version: c.version };
      this.#surfaces.set(id, held);
    }
    if (c.bitmap !== undefined && plan.rects.length > 0) {
      // Copied, not drawn straight from the bitmap: it is closed once a newer frame replaces it.
      held.ctx.clearRect(0, 0, c.width, c.height);
      held.ctx.drawImage(c.bitmap as ImageBitmap, 0, 0);
    } else if (c.bitmap === undefined) {
      for (const r of plan.rects) held.ctx.putImageData(new ImageData(copyRect(c, r), r.w, r.h), r.x, r.y);
    }
    held.version = c.version;
  }

  #drawWallpaper(): void {
    const ctx = this.#ctx;
    const { width, height } = this.#css;
    ctx.setTransform(this.#dpr, 0, 0, this.#dpr, 0, 0);
    ctx.globalAlpha = 1;
    const g = ctx.createLinearGradient(0, 0, 0, height);
    g.addColorStop(0, cssColor(THEME.wallpaperTop));
    g.addColorStop(1, cssColor(THEME.wallpaperBottom));
    ctx.fillStyle = g;
    ctx.fillRect(0, 0, width, height);
  }

  #drawPreview(r: Rect): void {
    const ctx = this.#ctx;
    ctx.setTransform(this.#dpr, 0, 0, this.#dpr, 0, 0);
    ctx.globalAlpha = 1;
    ctx.fillStyle = cssColor(THEME.previewFill);
    ctx.beginPath();
    ctx.roundRect(r.x, r.y, r.w, r.h, R);
    ctx.fill();
    const half = PREVIEW_STROKE_WIDTH / 2;
    ctx.strokeStyle = cssColor(THEME.previewStroke);
    ctx.lineWidth = PREVIEW_STROKE_WIDTH;
    ctx.beginPath();
    ctx.roundRect(r.x + half, r.y + half, r.w - 2 * half, r.h - 2 * half, R - half);
    ctx.stroke();
  }

  #drawWindow(w: FrameWindow): void {
    const ctx = this.#ctx;
    const L = windowLayout(w);
    const k = this.#dpr * L.scale;
    // screen = pivot + (p - pivot) × scale, then × dpr.
    ctx.setTransform(
      k,
      0,
      0,
      k,
      this.#dpr * L.pivot.x * (1 - L.scale),
      this.#dpr * L.pivot.y * (1 - L.scale),
    );
    ctx.globalAlpha = L.opacity;
    const f = L.frame;
    if (!w.chrome) {
      this.#drawContent(w.id, f, 0);
      return;
    }

    ctx.save();
    ctx.shadowColor = cssColor(THEME.shadow);
    ctx.shadowBlur = 2 * SHADOW_SIGMA * k; // shadows are in device pixels, untouched by the transform
    ctx.shadowOffsetX = SHADOW_CASTER_SHIFT * k;
    ctx.shadowOffsetY = SHADOW_OFFSET_Y * k;
    ctx.fillStyle = '#000';
    ctx.beginPath();
    ctx.roundRect(f.x - SHADOW_CASTER_SHIFT, f.y, f.w, f.h, R);
    ctx.fill();
    ctx.restore();

    ctx.fillStyle = cssColor(w.focused ? THEME.titleFocused : THEME.titleUnfocused);
    ctx.beginPath();
    ctx.roundRect(L.titleBar.x, L.titleBar.y, L.titleBar.w, L.titleBar.h, [R, R, 0, 0]);
    ctx.fill();
    this.#drawContent(w.id, L.content);
    this.#drawTitle(w, L.title);
    this.#drawGlyphs(w.focused, L.glyphs);

    const half = BORDER_WIDTH / 2;
    ctx.strokeStyle = cssColor(THEME.border);
    ctx.lineWidth = BORDER_WIDTH;
    ctx.beginPath();
    ctx.roundRect(f.x - half, f.y - half, f.w + 2 * half, f.h + 2 * half, R + half);
    ctx.stroke();
  }

  #drawContent(id: number, c: Rect, radius = R): void {
    if (c.h <= 0) return;
    const ctx = this.#ctx;
    ctx.fillStyle = cssColor(THEME.content);
    ctx.beginPath();
    ctx.roundRect(c.x, c.y, c.w, c.h, [0, 0, radius, radius]);
    ctx.fill();
    const s = this.#surfaces.get(id);
    if (s === undefined) return;
    const p = surfacePlacement(c, s.width, s.height, this.#dpr);
    if (p.crop.w === 0 || p.crop.h === 0) return;
    ctx.save();
    ctx.clip();
    ctx.drawImage(s.canvas, 0, 0, p.crop.w, p.crop.h, p.dest.x, p.dest.y, p.dest.w, p.dest.h);
    ctx.restore();
  }

  #drawTitle(w: FrameWindow, area: Rect | null): void {
    if (area === null) return;
    const key = titleKey(w.title, w.focused);
    let bitmap = this.#titles.get(key);
    if (bitmap === undefined) {
      bitmap = renderTitle(w.title, w.focused, this.#dpr);
      this.#titles.set(key, bitmap);
    }
    if (bitmap === null) return;
    const cw = Math.min(bitmap.cssWidth, area.w);
    const d = this.#dpr;
    this.#ctx.drawImage(
      bitmap.canvas,
      0,
      0,
      cw * d,
      TITLE_BAR_HEIGHT * d,
      area.x,
      area.y,
      cw,
      TITLE_BAR_HEIGHT,
    );
  }

  #drawGlyphs(focused: boolean, glyphs: ReturnType<typeof windowLayout>['glyphs']): void {
    this.#glyphs ??= renderGlyphAtlas(this.#dpr);
    const d = this.#dpr;
    for (const g of glyphs) {
      const cell = glyphCell(g.button, focused, d);
      this.#ctx.drawImage(
        this.#glyphs,
        cell.x,
        cell.y,
        cell.w,
        cell.h,
        g.rect.x,
        g.rect.y,
        cell.w / d,
        cell.h / d,
      );
    }
  }
}
