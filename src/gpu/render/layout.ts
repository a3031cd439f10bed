// Where everything of a frame goes: the pieces of each window, the order they are drawn in,
// and the conversion from CSS to device pixels. Layer: gpu, pure logic shared by both
// renderers, so that they place every pixel alike. Trusts nothing numeric: a bad dpr
// becomes 1, rects are clamped to the canvas.
import {
  BUTTONS,
  BUTTON_WIDTH,
  TITLE_BAR_HEIGHT,
  buttonRect,
  contentRect,
  type ButtonPart,
} from '../wm/frame.ts';
import { EMPTY, inflate, intersect, isEmpty, type Rect } from '../wm/geometry.ts';
import { SHADOW_MARGIN } from '../wm/scene.ts';
import type { Frame, FrameWindow } from './frame.ts';
import { GLYPH_SIZE, TITLE_INSET } from './theme.ts';

/** A canvas's size in device pixels. */
export interface DeviceSize {
  readonly width: number;
  readonly height: number;
}

/** A window's pieces in CSS px, before its scale (applied about `pivot`) and opacity. */
export interface WindowLayout {
  readonly frame: Rect;
  /** The frame grown by SHADOW_MARGIN: the shadow is drawn within it. */
  readonly shadow: Rect;
  readonly titleBar: Rect;
  readonly content: Rect;
  /** Where the title text may go (left of the buttons); null when there is no room. */
  readonly title: Rect | null;
  readonly glyphs: readonly { readonly button: ButtonPart; readonly rect: Rect }[];
  readonly pivot: { readonly x: number; readonly y: number };
  readonly scale: number;
  readonly opacity: number;
}

/** One step of drawing a frame, after the wallpaper. */
export type DrawItem =
  | { readonly kind: 'window'; readonly window: FrameWindow }
  | { readonly kind: 'preview'; readonly rect: Rect };

/** `dpr` when it is a usable ratio (finite, 0.25..8), else 1. */
export const sanitizeDpr = (dpr: number): number =>
  Number.isFinite(dpr) && dpr >= 0.25 && dpr <= 8 ? dpr : 1;

/** The device-pixel size of a CSS viewport; at least 1×1. */
export function deviceSize(width: number, height: number, dpr: number): DeviceSize {
  const d = sanitizeDpr(dpr);
  const px = (v: number): number => (Number.isFinite(v) ? Math.max(1, Math.round(v * d)) : 1);
  return { width: px(width), height: px(height) };
}

/** The device pixels covering CSS rect `r` (rounded outwards), clipped to the canvas. */
export function toDeviceRect(r: Rect, dpr: number, size: DeviceSize): Rect {
  const d = sanitizeDpr(dpr);
  const x = Math.floor(r.x * d);
  const y = Math.floor(r.y * d);
  const device = { x, y, w: Math.ceil((r.x + r.w) * d) - x, h: Math.ceil((r.y + r.h) * d) - y };
  return intersect(device, { x: 0, y: 0, w: size.width, h: size.height });
}

/** The bounding box of the damage in device pixels (EMPTY for no damage). */
export function damageBounds(damage: readonly Rect[], dpr: number, size: DeviceSize): Rect {
  let box = EMPTY;
  for (const r of damage) {
    const dr = toDeviceRect(r, dpr, size);
    if (isEmpty(dr)) continue;
    box = isEmpty(box)
      ? dr
      : {
          x: Math.min(box.x, dr.x),
          y: Math.min(box.y, dr.y),
          w: Math.max(box.x + box.w, dr.x + dr.w) - Math.min(box.x, dr.x),
          h: Math.max(box.y + box.h, dr.y + dr.h) - Math.min(box.y, dr.y),
        };
  }
  return box;
}

/** True when a window's drawing (its shadow included) may reach into one of the damage rects. */
export function windowTouches(w: FrameWindow, damage: readonly Rect[]): boolean {
  const reach = w.chrome ? inflate(w.rect, SHADOW_MARGIN) : w.rect;
  return damage.some((d) => !isEmpty(intersect(reach, d)));
}

/** The pieces of `w`. */
export function windowLayout(w: FrameWindow): WindowLayout {
  const r = w.rect;
  const titleWidth = r.w - BUTTONS.length * BUTTON_WIDTH - 2 * TITLE_INSET;
  const half = GLYPH_SIZE / 2;
  return {
    frame: r,
    shadow: inflate(r, SHADOW_MARGIN),
    titleBar: { x: r.x, y: r.y, w: r.w, h: Math.min(TITLE_BAR_HEIGHT, r.h) },
    content: contentRect(r),
    title: titleWidth > 0 ? { x: r.x + TITLE_INSET, y: r.y, w: titleWidth, h: TITLE_BAR_HEIGHT } : null,
    glyphs: BUTTONS.map((button) => {
      const b = buttonRect(r, button);
      return {
        button,
        rect: { x: b.x + b.w / 2 - half, y: b.y + b.h / 2 - half, w: GLYPH_SIZE, h: GLYPH_SIZE },
      };
    }),
    pivot: { x: r.x + r.w / 2, y: r.y + r.h / 2 },
    scale: Number.isFinite(w.scale) && w.scale > 0 ? w.scale : 1,
    opacity: Number.isFinite(w.opacity) ? Math.max(0, Math.min(1, w.opacity)) : 1,
  };
}

/**
 * What to draw after the wallpaper, bottom to top: the windows in order, with the snap
 * preview just below the focused window (the one being dragged), or on top when none is
 * focused. Windows with an empty rect or no opacity are left out.
 */
export function drawOrder(frame: Frame): DrawItem[] {
  const items: DrawItem[] = frame.windows
    .filter((w) => !isEmpty(w.rect) && windowLayout(w).opacity > 0)
    .map((window) => ({ kind: 'window', window }));
  if (frame.preview !== null && !isEmpty(frame.preview)) {
    const at = items.findIndex((i) => i.kind === 'window' && i.window.focused);
    items.splice(at === -1 ? items.length : at, 0, { kind: 'preview', rect: frame.preview });
  }
  return items;
}

/** Where a surface lands inside a content area. */
export interface SurfacePlacement {
  /** The drawn part, CSS px (its corner is snapped to a device pixel, so it may be fractional). */
  readonly dest: Rect;
  /** The drawn part of the surface: its top-left `w × h` surface pixels. */
  readonly crop: { readonly w: number; readonly h: number };
  /** Surface pixel = (CSS offset from the content corner) × dpr + this (the snap), per axis. */
  readonly offset: { readonly x: number; readonly y: number };
}

/**
 * A `sw × sh` surface in the content area `content`: at its top-left corner snapped to a
 * device pixel, one surface pixel per device pixel, cropped to the area.
 */
export function surfacePlacement(content: Rect, sw: number, sh: number, dpr: number): SurfacePlacement {
  const d = sanitizeDpr(dpr);
  const ox = Math.round(content.x * d);
  const oy = Math.round(content.y * d);
  const w = Math.max(0, Math.min(sw, Math.round((content.x + content.w) * d) - ox));
  const h = Math.max(0, Math.min(sh, Math.round((content.y + content.h) * d) - oy));
  return {
    dest: { x: ox / d, y: oy / d, w: w / d, h: h / d },
    crop: { w, h },
    offset: { x: content.x * d - ox, y: content.y * d - oy },
  };
}
