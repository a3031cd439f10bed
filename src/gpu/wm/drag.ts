// The arithmetic of pointer drags: resizing from an edge or corner, and where a maximized
// or snapped window lands when a drag pulls it back to its normal size. Layer: gpu, pure
// logic. Inputs are sanitized coordinates (geometry.ts); outputs still go through the
// window manager's clamping.
import type { Edge } from './frame.ts';
import { rect, type Rect, type Size } from './geometry.ts';

/** The pointer must travel this far (px) from where it was pressed before a title-bar drag moves. */
export const DRAG_THRESHOLD = 4;

/**
 * `orig` with the edges named by `edge` moved by (dx, dy), never smaller than `min`: the
 * opposite edge stays put. A top edge stops at `top` so the title bar stays on screen.
 */
export function resizeRect(orig: Rect, edge: Edge, dx: number, dy: number, min: Size, top: number): Rect {
  let left = orig.x;
  let right = orig.x + orig.w;
  let upper = orig.y;
  let lower = orig.y + orig.h;
  if (edge.includes('w')) left = Math.min(left + dx, right - min.w);
  if (edge.includes('e')) right = Math.max(right + dx, left + min.w);
  if (edge.includes('n')) upper = Math.min(Math.max(upper + dy, top), lower - min.h);
  if (edge.includes('s')) lower = Math.max(lower + dy, upper + min.h);
  return rect(left, upper, right - left, lower - upper);
}

/**
 * The rect, of `normal`'s size, that a window shown at `current` takes when a drag with the
 * pointer at `x` restores it: the pointer keeps its relative place across the title bar,
 * and the top stays where it was.
 */
export function restoredUnder(normal: Rect, current: Rect, x: number): Rect {
  const fraction = current.w > 0 ? (x - current.x) / current.w : 0.5;
  return rect(x - Math.round(fraction * normal.w), current.y, normal.w, normal.h);
}
