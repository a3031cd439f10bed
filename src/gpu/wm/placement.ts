// Where windows go: the work area (the viewport less reserved insets), the rect of each
// placement, the clamp that keeps a normal window's title bar reachable, cascade slots for
// new windows, and the sanitizing of the numbers all of these start from. Layer: gpu,
// pure logic; the window manager applies these to the scene.
import { TITLE_BAR_HEIGHT } from './frame.ts';
import { MAX_COORD, MIN_VISIBLE_STRIP, MIN_WINDOW, clampSize, coord, keepReachable } from './geometry.ts';
import type { Rect, Size } from './geometry.ts';
import type { Placement } from './scene.ts';
import { zoneRect, type SnapTarget } from './snap.ts';

/** Size of a window opened without one. */
export const DEFAULT_WINDOW: Size = { w: 640, h: 440 };
/** Cascade placement: the first window's offset into the work area, and each next one's step. */
export const CASCADE_ORIGIN = 48;
export const CASCADE_STEP = 32;
const CASCADE_SLOTS = 16;

/** Screen space kept free of windows (a taskbar, a panel), px from each viewport edge. */
export interface Insets {
  readonly top: number;
  readonly right: number;
  readonly bottom: number;
  readonly left: number;
}
export const NO_INSETS: Insets = { top: 0, right: 0, bottom: 0, left: 0 };

/** A pointer position, sanitized. */
export interface Point {
  readonly x: number;
  readonly y: number;
}

const GRIP: Size = { w: MIN_VISIBLE_STRIP, h: TITLE_BAR_HEIGHT };

/** A pointer position: NaN (or a non-number) is no position; huge values are clamped. */
export const toPoint = (x: unknown, y: unknown): Point | null =>
  typeof x !== 'number' || typeof y !== 'number' || Number.isNaN(x) || Number.isNaN(y)
    ? null
    : { x: coord(x), y: coord(y) };

/** A size in px, 1..MAX_COORD; `fallback` for NaN or a non-number. */
export const dimension = (v: unknown, fallback: number): number =>
  typeof v === 'number' ? Math.max(1, Math.min(MAX_COORD, coord(v, fallback))) : fallback;

/** The viewport less `insets`, never less than 1×1: insets too large are cut down. */
export function workAreaOf(vp: Size, insets: Insets): Rect {
  const inset = (v: unknown, room: number): number =>
    typeof v === 'number' ? Math.min(Math.max(0, coord(v, 0)), room) : 0;
  const left = inset(insets.left, vp.w - 1);
  const right = inset(insets.right, vp.w - 1 - left);
  const top = inset(insets.top, vp.h - 1);
  const bottom = inset(insets.bottom, vp.h - 1 - top);
  return { x: left, y: top, w: vp.w - left - right, h: vp.h - top - bottom };
}

/** A normal window's rect: at least the minimum size, at most the work area's, title bar reachable. */
export function normalRect(r: Rect, area: Rect): Rect {
  const max = { w: Math.max(MIN_WINDOW.w, area.w), h: Math.max(MIN_WINDOW.h, area.h) };
  return keepReachable(clampSize(r, MIN_WINDOW, max), area, GRIP);
}

/** The rect a window with `placement` has, given its normal rect. */
export function placementRect(placement: Placement, normal: Rect, area: Rect): Rect {
  if (placement.kind === 'normal') return normalRect(normal, area);
  return placement.kind === 'maximized' ? area : zoneRect(placement.zone, area);
}

/** The rect a snap preview shows. */
export const targetRect = (t: SnapTarget, area: Rect): Rect => (t === 'maximize' ? area : zoneRect(t, area));

/**
 * Where a new window of `size` opens: the first cascade slot, down and right from the work
 * area's corner, that no window in `others` has its corner on and that fits; the first
 * slot when none is free.
 */
export function cascade(size: Size, area: Rect, others: readonly Rect[]): Rect {
  const taken = new Set(others.map((r) => `${r.x},${r.y}`));
  const at = (k: number): Rect => ({
    x: area.x + CASCADE_ORIGIN + k * CASCADE_STEP,
    y: area.y + CASCADE_ORIGIN + k * CASCADE_STEP,
    ...size,
  });
  for (let k = 0; k < CASCADE_SLOTS; k++) {
    const r = at(k);
    if (k > 0 && (r.x + r.w > area.x + area.w || r.y + r.h > area.y + area.h)) break;
    if (!taken.has(`${r.x},${r.y}`)) return r;
  }
  return normalRect(at(0), area);
}
