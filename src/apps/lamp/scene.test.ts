// The lamp's picture: white under the light, the plain gradient beyond the glow, and the
// glow in between brighter than the gradient alone.
import { describe, expect, it } from 'vitest';
import { GLOW_REACH, LIGHT_RADIUS, shade, shadeInto } from './scene.ts';

describe('lamp scene', () => {
  it('is white within the light, the gradient beyond the glow, and brighter in between', () => {
    const light = { x: 100, y: 50 };
    expect(shade(100, 50, 200, 100, light)).toEqual([1, 1, 1]);
    expect(shade(100 + LIGHT_RADIUS, 50, 200, 100, light)).toEqual([1, 1, 1]);
    const far = 100 + LIGHT_RADIUS + GLOW_REACH + 1;
    expect(shade(far, 50, 400, 100, light)).toEqual([far / 400, 0.5, 0.5]);
    const glowing = shade(100 + LIGHT_RADIUS + GLOW_REACH / 2, 50, 400, 100, light);
    const plain = [(100 + LIGHT_RADIUS + GLOW_REACH / 2) / 400, 0.5, 0.5];
    glowing.forEach((c, i) => expect(c).toBeGreaterThan(plain[i] ?? 1));
  });

  it('fills every pixel, opaque, sampling pixel centres', () => {
    const pixels = new Uint8ClampedArray(4 * 3 * 4);
    shadeInto(pixels, 4, 3, { x: -1000, y: -1000 });
    expect([...pixels.subarray(0, 4)]).toEqual([
      Math.round((0.5 / 4) * 255),
      Math.round((0.5 / 3) * 255),
      128,
      255,
    ]);
    const last = (3 * 4 - 1) * 4;
    expect([...pixels.subarray(last, last + 4)]).toEqual([
      Math.round((3.5 / 4) * 255),
      Math.round((2.5 / 3) * 255),
      128,
      255,
    ]);
  });
});
