// paint's pixel work: the palette and round brush stamps along a segment, straight into
// an RGBA8 buffer. Layer: apps; pure, so tests run in node.
import type { DirtyRect } from '../../abi/window-protocol.ts';

/** The colours, left to right along the palette strip at the top of the surface. */
export const PALETTE: readonly (readonly [number, number, number])[] = [
  [20, 20, 20],
  [220, 50, 47],
  [40, 160, 70],
  [38, 110, 210],
  [240, 150, 30],
  [255, 255, 255],
];
export const PALETTE_HEIGHT = 28;

export interface Brush {
  /** Diameter, px. */
  readonly size: number;
  /** Index into PALETTE. */
  readonly colour: number;
}

/** The palette entry under x on a strip `width` wide. */
export const paletteAt = (x: number, width: number): number =>
  Math.max(0, Math.min(PALETTE.length - 1, Math.floor((x * PALETTE.length) / Math.max(1, width))));

/**
 * Paints round stamps of `brush` from `a` to `b` (surface px) below the palette strip;
 * returns the rect it changed, or null when nothing was inside the surface.
 */
export function stamp(
  pixels: Uint8ClampedArray,
  width: number,
  height: number,
  a: { x: number; y: number },
  b: { x: number; y: number },
  brush: Brush,
): DirtyRect | null {
  if (pixels.length < width * height * 4) return null;
  const r = brush.size / 2;
  const [cr, cg, cb] = PALETTE[brush.colour] ?? [0, 0, 0];
  const x0 = Math.max(0, Math.floor(Math.min(a.x, b.x) - r));
  const y0 = Math.max(PALETTE_HEIGHT, Math.floor(Math.min(a.y, b.y) - r));
  const x1 = Math.min(width, Math.ceil(Math.max(a.x, b.x) + r + 1));
  const y1 = Math.min(height, Math.ceil(Math.max(a.y, b.y) + r + 1));
  if (x1 <= x0 || y1 <= y0) return null;
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const len2 = dx * dx + dy * dy;
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      // Distance from the pixel's centre to the segment.
      const px = x + 0.5 - a.x;
      const py = y + 0.5 - a.y;
      const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, (px * dx + py * dy) / len2));
      const ex = px - t * dx;
      const ey = py - t * dy;
      if (ex * ex + ey * ey > r * r) continue;
      const at = (y * width + x) * 4;
      pixels[at] = cr;
      pixels[at + 1] = cg;
      pixels[at + 2] = cb;
      pixels[at + 3] = 255;
    }
  }
  return [x0, y0, x1 - x0, y1 - y0];
}
