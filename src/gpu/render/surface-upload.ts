// Which parts of a surface a renderer must copy to its own copy (a GPU texture, a canvas)
// when it draws a frame, and the bytes of those parts. Layer: gpu, pure logic. Surface
// sizes and dirty rects come from apps, so they are checked: a buffer too short for its
// size is no content, dirty rects are clipped to the surface.
import { intersect, isEmpty, type Rect } from '../wm/geometry.ts';
import type { SurfaceContent } from './frame.ts';

/** Largest surface side accepted (WebGPU's guaranteed maxTextureDimension2D). */
export const MAX_SURFACE_SIDE = 8192;
/** More dirty rects than this are uploaded as one full copy. */
export const MAX_DIRTY_RECTS = 32;

/** What a renderer holds of a surface: its size and the version it copied last. */
export interface UploadedSurface {
  readonly width: number;
  readonly height: number;
  readonly version: number;
}

/** What to do this frame: make a new copy of the surface's size first or not, then copy `rects`. */
export interface UploadPlan {
  readonly recreate: boolean;
  readonly rects: readonly Rect[];
}

/**
 * True when `c` has a usable size and enough bytes for it, or a bitmap of that size (a
 * closed bitmap has none).
 */
export function validSurface(c: SurfaceContent): boolean {
  const side = (v: number): boolean => Number.isInteger(v) && v >= 1 && v <= MAX_SURFACE_SIDE;
  if (!side(c.width) || !side(c.height)) return false;
  if (c.bitmap !== undefined) return c.bitmap.width === c.width && c.bitmap.height === c.height;
  return c.pixels.length >= c.width * c.height * 4;
}

/**
 * The plan for copying `c` given what was copied before (`held`, or undefined for nothing).
 * A new size recreates and copies everything; an unchanged version copies nothing; a
 * skipped version or an empty dirty list copies everything (a dirty list only describes the
 * change from the previous version). A bitmap has no dirty list: each new one is copied whole.
 */
export function planUpload(held: UploadedSurface | undefined, c: SurfaceContent): UploadPlan {
  const all: Rect = { x: 0, y: 0, w: c.width, h: c.height };
  if (held === undefined || held.width !== c.width || held.height !== c.height) {
    return { recreate: true, rects: [all] };
  }
  if (held.version === c.version) return { recreate: false, rects: [] };
  if (c.version !== held.version + 1 || c.dirty.length === 0 || c.dirty.length > MAX_DIRTY_RECTS) {
    return { recreate: false, rects: [all] };
  }
  const rects = c.dirty.map((r) => intersect(r, all)).filter((r) => !isEmpty(r));
  return { recreate: false, rects };
}

/** Rows `r.y .. r.y+r.h` of `c`, whole, with the byte offset of column `r.x` in the first: for writeTexture. */
export function rowSpan(
  c: SurfaceContent,
  r: Rect,
): { data: Uint8Array; offset: number; bytesPerRow: number } {
  const stride = c.width * 4;
  return {
    data: c.pixels.subarray(r.y * stride, (r.y + r.h) * stride),
    offset: r.x * 4,
    bytesPerRow: stride,
  };
}

/** Rect `r` of `c`, tightly packed RGBA (a fresh copy, so never shared memory): for ImageData. */
export function copyRect(c: SurfaceContent, r: Rect): Uint8ClampedArray<ArrayBuffer> {
  const out = new Uint8ClampedArray(r.w * r.h * 4);
  const stride = c.width * 4;
  for (let row = 0; row < r.h; row++) {
    const start = (r.y + row) * stride + r.x * 4;
    out.set(c.pixels.subarray(start, start + r.w * 4), row * r.w * 4);
  }
  return out;
}
