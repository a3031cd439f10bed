import { describe, expect, it } from 'vitest';
import { PALETTE, PALETTE_HEIGHT, paletteAt, stamp } from './canvas.ts';

const W = 64;
const H = 64;
const at = (p: Uint8ClampedArray, x: number, y: number) => [
  ...p.subarray((y * W + x) * 4, (y * W + x) * 4 + 4),
];
const WHITE = [255, 255, 255, 255];

describe('stamp', () => {
  it('paints the segment in the brush colour and changes nothing outside the rect it reports', () => {
    const p = new Uint8ClampedArray(W * H * 4).fill(255);
    const r = stamp(p, W, H, { x: 10, y: 40 }, { x: 50, y: 40 }, { size: 4, colour: 1 });
    expect(r).not.toBeNull();
    const [rx, ry, rw, rh] = r ?? [0, 0, 0, 0];
    expect(at(p, 30, 40)).toEqual([220, 50, 47, 255]);
    expect(at(p, 30, 45)).toEqual(WHITE);
    for (let y = 0; y < H; y++)
      for (let x = 0; x < W; x++)
        if (x < rx || x >= rx + rw || y < ry || y >= ry + rh) expect(at(p, x, y)).toEqual(WHITE);
  });

  it('never paints over the palette strip or outside the surface', () => {
    const p = new Uint8ClampedArray(W * H * 4).fill(255);
    expect(stamp(p, W, H, { x: -50, y: 5 }, { x: -40, y: 5 }, { size: 4, colour: 0 })).toBeNull();
    const r = stamp(
      p,
      W,
      H,
      { x: 10, y: PALETTE_HEIGHT - 2 },
      { x: 10, y: PALETTE_HEIGHT - 2 },
      { size: 8, colour: 0 },
    );
    expect(r?.[1]).toBe(PALETTE_HEIGHT);
    expect(at(p, 10, PALETTE_HEIGHT - 1)).toEqual(WHITE);
  });

  it('ignores a buffer shorter than its stated size', () => {
    expect(
      stamp(new Uint8ClampedArray(16), W, H, { x: 1, y: 40 }, { x: 2, y: 40 }, { size: 2, colour: 0 }),
    ).toBeNull();
  });
});

describe('paletteAt', () => {
  it('maps x across the strip, clamped', () => {
    expect(paletteAt(0, 600)).toBe(0);
    expect(paletteAt(599, 600)).toBe(PALETTE.length - 1);
    expect(paletteAt(-5, 600)).toBe(0);
    expect(paletteAt(1e9, 600)).toBe(PALETTE.length - 1);
  });
});
