// Window decorations as geometry: the title bar, its buttons and the resize grab zones,
// and which of them a point is on. Renderers draw the same constants. Layer: gpu, pure
// logic. A window's rect is its whole frame; the app's content is the rect below the
// title bar.
import { containsPoint, inflate, type Rect } from './geometry.ts';

/** Height of the title bar, px. The content area starts this far below the window's top. */
export const TITLE_BAR_HEIGHT = 32;
/** Width of each title-bar button, px; buttons are as tall as the title bar. */
export const BUTTON_WIDTH = 46;
/** Title-bar buttons from the right edge leftwards: close is the rightmost. */
export const BUTTONS = ['close', 'maximize', 'minimize'] as const;
export type ButtonPart = (typeof BUTTONS)[number];
/** Resize zones reach this far (px) both outside and inside a window's edges. */
export const RESIZE_GRAB = 6;
/** Along an edge's grab zone, this many px next to a corner resize from the corner. */
export const CORNER_GRAB = 16;

/** A resize edge or corner, by compass direction. */
export type Edge = 'n' | 's' | 'e' | 'w' | 'ne' | 'nw' | 'se' | 'sw';

/** The part of a window a point is on. */
export type FramePart =
  | { readonly kind: 'title' }
  | { readonly kind: 'body' }
  | { readonly kind: 'button'; readonly button: ButtonPart }
  | { readonly kind: 'resize'; readonly edge: Edge };

/** The rect of a title-bar button of the window at `r`. */
export function buttonRect(r: Rect, button: ButtonPart): Rect {
  const i = BUTTONS.indexOf(button) + 1;
  return { x: r.x + r.w - i * BUTTON_WIDTH, y: r.y, w: BUTTON_WIDTH, h: TITLE_BAR_HEIGHT };
}

/** The app's content area of the window at `r`. */
export const contentRect = (r: Rect): Rect => ({
  x: r.x,
  y: r.y + TITLE_BAR_HEIGHT,
  w: r.w,
  h: Math.max(0, r.h - TITLE_BAR_HEIGHT),
});

function edgeAt(r: Rect, x: number, y: number): Edge | null {
  const left = x < r.x + RESIZE_GRAB;
  const right = x >= r.x + r.w - RESIZE_GRAB;
  const top = y < r.y + RESIZE_GRAB;
  const bottom = y >= r.y + r.h - RESIZE_GRAB;
  if (!left && !right && !top && !bottom) return null;
  const side = left || right;
  const cap = top || bottom;
  const v =
    top || (side && y < r.y + CORNER_GRAB)
      ? 'n'
      : bottom || (side && y >= r.y + r.h - CORNER_GRAB)
        ? 's'
        : '';
  const h =
    left || (cap && x < r.x + CORNER_GRAB) ? 'w' : right || (cap && x >= r.x + r.w - CORNER_GRAB) ? 'e' : '';
  return (v + h) as Edge;
}

/**
 * The part of the window at `r` under (x, y), or null when the point is off it. With
 * `resizable`, the grab zones around the edges count as the window's, a few px outside it
 * included; a maximized window is not resizable.
 */
export function framePartAt(r: Rect, x: number, y: number, resizable: boolean): FramePart | null {
  if (!containsPoint(resizable ? inflate(r, RESIZE_GRAB) : r, x, y)) return null;
  const edge = resizable ? edgeAt(r, x, y) : null;
  if (edge !== null) return { kind: 'resize', edge };
  if (y >= r.y + TITLE_BAR_HEIGHT) return { kind: 'body' };
  const button = BUTTONS.find((b) => containsPoint(buttonRect(r, b), x, y));
  return button === undefined ? { kind: 'title' } : { kind: 'button', button };
}
