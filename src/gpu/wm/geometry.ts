// Rectangles in CSS pixels for the window manager and its scene. Layer: gpu, pure logic
// (no DOM, no GPU, no timers). Trusts no number: every Rect made here has finite integer
// fields within ±MAX_COORD and a non-negative size, whatever came in (NaN included).

/** An axis-aligned rectangle: top-left corner and size, CSS pixels. */
export interface Rect {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

/** A width and height, CSS pixels. */
export interface Size {
  readonly w: number;
  readonly h: number;
}

/** The largest coordinate or size accepted; anything beyond is clamped to it. */
export const MAX_COORD = 1 << 15;

/** The smallest a window may be made, title bar included. */
export const MIN_WINDOW: Size = { w: 160, h: 96 };

/** How much of a title bar must stay inside the work area so it can always be grabbed. */
export const MIN_VISIBLE_STRIP = 48;

export const EMPTY: Rect = { x: 0, y: 0, w: 0, h: 0 };

const clamp = (v: number, lo: number, hi: number): number => Math.max(lo, Math.min(hi, v));

/** `v` as an integer in [-MAX_COORD, MAX_COORD]; NaN becomes `fallback`. */
export function coord(v: number, fallback = 0): number {
  if (Number.isNaN(v)) return fallback;
  return clamp(Math.round(v), -MAX_COORD, MAX_COORD);
}

/** A sanitized Rect: integer coordinates, sizes in [0, MAX_COORD] (negative sizes become 0). */
export function rect(x: number, y: number, w: number, h: number): Rect {
  return { x: coord(x), y: coord(y), w: Math.max(0, coord(w)), h: Math.max(0, coord(h)) };
}

export const isEmpty = (r: Rect): boolean => r.w <= 0 || r.h <= 0;

export const sameRect = (a: Rect, b: Rect): boolean =>
  a.x === b.x && a.y === b.y && a.w === b.w && a.h === b.h;

/** The common part of `a` and `b`; EMPTY when they do not overlap. */
export function intersect(a: Rect, b: Rect): Rect {
  const x = Math.max(a.x, b.x);
  const y = Math.max(a.y, b.y);
  const r = Math.min(a.x + a.w, b.x + b.w);
  const bottom = Math.min(a.y + a.h, b.y + b.h);
  return r > x && bottom > y ? { x, y, w: r - x, h: bottom - y } : EMPTY;
}

/** The smallest rect holding both; an empty operand is ignored. */
export function union(a: Rect, b: Rect): Rect {
  if (isEmpty(a)) return b;
  if (isEmpty(b)) return a;
  const x = Math.min(a.x, b.x);
  const y = Math.min(a.y, b.y);
  return { x, y, w: Math.max(a.x + a.w, b.x + b.w) - x, h: Math.max(a.y + a.h, b.y + b.h) - y };
}

/** True when the two share area or an edge (so that merging them wastes nothing). */
export const touches = (a: Rect, b: Rect): boolean =>
  !isEmpty(a) && !isEmpty(b) && a.x <= b.x + b.w && b.x <= a.x + a.w && a.y <= b.y + b.h && b.y <= a.y + a.h;

/** Half-open: the right and bottom edges are outside. False for NaN. */
export const containsPoint = (r: Rect, x: number, y: number): boolean =>
  x >= r.x && x < r.x + r.w && y >= r.y && y < r.y + r.h;

/** `r` grown by `m` on every side. */
export const inflate = (r: Rect, m: number): Rect => ({
  x: r.x - m,
  y: r.y - m,
  w: r.w + 2 * m,
  h: r.h + 2 * m,
});

/** `r` with its size clamped into [min, max], keeping its top-left corner. `min` wins over `max`. */
export function clampSize(r: Rect, min: Size, max: Size): Rect {
  return {
    x: r.x,
    y: r.y,
    w: Math.max(min.w, Math.min(max.w, r.w)),
    h: Math.max(min.h, Math.min(max.h, r.h)),
  };
}

/**
 * `r` moved (never resized) so that a strip of its top edge, `grip.w` wide (or the whole
 * width if narrower) and `grip.h` tall, lies inside `area`, and its top is never above
 * `area`: a title bar that can always be grabbed. When `area` is narrower than the strip,
 * the window is put at the area's left edge.
 */
export function keepReachable(r: Rect, area: Rect, grip: Size): Rect {
  const sw = Math.min(grip.w, r.w);
  const sh = Math.min(grip.h, r.h);
  const x = clamp(r.x, area.x + sw - r.w, area.x + area.w - sw);
  const y = clamp(r.y, area.y, area.y + area.h - sh);
  return { x: area.w < sw ? area.x : x, y: area.h < sh ? area.y : y, w: r.w, h: r.h };
}
