// Snap zones: the halves and quarters of the work area a window can be snapped to, and
// which one (or maximize) a window dragged to a screen edge or corner aims at.
// Layer: gpu, pure logic. See docs/adr/0016-window-manager-core.md.
import type { Rect } from './geometry.ts';

export const SNAP_ZONES = ['left', 'right', 'top-left', 'top-right', 'bottom-left', 'bottom-right'] as const;
/** A half or a quarter of the work area. */
export type SnapZone = (typeof SNAP_ZONES)[number];

/** Where a window dropped at the pointer would go: a zone, or maximized (the top edge). */
export type SnapTarget = SnapZone | 'maximize';

/** The pointer must be this close (px) to an edge of the work area, or past it, to snap. */
export const SNAP_EDGE = 12;
/** Along an edge, this many px next to a corner snap to that corner's quarter. */
export const SNAP_CORNER = 96;

export const isSnapZone = (v: unknown): v is SnapZone => SNAP_ZONES.some((z) => z === v);

/**
 * The rect of `zone` in `area`. Halves split the width, quarters split both axes; when a
 * size is odd the right or bottom part takes the extra pixel, so zones tile exactly.
 */
export function zoneRect(zone: SnapZone, area: Rect): Rect {
  const halfW = Math.floor(area.w / 2);
  const halfH = Math.floor(area.h / 2);
  const right = zone === 'right' || zone === 'top-right' || zone === 'bottom-right';
  const x = right ? area.x + halfW : area.x;
  const w = right ? area.w - halfW : halfW;
  if (zone === 'left' || zone === 'right') return { x, y: area.y, w, h: area.h };
  const bottom = zone === 'bottom-left' || zone === 'bottom-right';
  return { x, y: bottom ? area.y + halfH : area.y, w, h: bottom ? area.h - halfH : halfH };
}

/** The target a window dragged with the pointer at (x, y) previews, or null away from the edges. */
export function snapTargetAt(x: number, y: number, area: Rect): SnapTarget | null {
  const left = x <= area.x + SNAP_EDGE;
  const right = x >= area.x + area.w - 1 - SNAP_EDGE;
  const top = y <= area.y + SNAP_EDGE;
  const nearTop = y <= area.y + SNAP_CORNER;
  const nearBottom = y >= area.y + area.h - 1 - SNAP_CORNER;
  if (left || right) {
    const side = left ? 'left' : 'right';
    if (nearTop) return `top-${side}`;
    if (nearBottom) return `bottom-${side}`;
    return side;
  }
  if (!top) return null;
  if (x <= area.x + SNAP_CORNER) return 'top-left';
  if (x >= area.x + area.w - 1 - SNAP_CORNER) return 'top-right';
  return 'maximize';
}
