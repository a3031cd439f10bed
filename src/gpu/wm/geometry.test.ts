// Rect helpers: sanitizing, set operations and the reachability clamp.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  EMPTY,
  MAX_COORD,
  clampSize,
  containsPoint,
  inflate,
  intersect,
  keepReachable,
  rect,
  touches,
  union,
} from './geometry.ts';

describe('rect', () => {
  it('rounds, clamps huge values and turns NaN and negative sizes into 0', () => {
    expect(rect(1.4, 2.6, 10.5, 3)).toEqual({ x: 1, y: 3, w: 11, h: 3 });
    expect(rect(Number.NaN, Infinity, -5, 1e12)).toEqual({ x: 0, y: MAX_COORD, w: 0, h: MAX_COORD });
  });

  it('always gives finite integers, whatever comes in', () => {
    fc.assert(
      fc.property(fc.array(fc.double(), { minLength: 4, maxLength: 4 }), ([x, y, w, h]) => {
        const r = rect(x ?? 0, y ?? 0, w ?? 0, h ?? 0);
        for (const v of [r.x, r.y, r.w, r.h])
          expect(Number.isInteger(v) && Math.abs(v) <= MAX_COORD).toBe(true);
        expect(r.w >= 0 && r.h >= 0).toBe(true);
      }),
    );
  });
});

describe('set operations', () => {
  const a = { x: 0, y: 0, w: 10, h: 10 };
  const b = { x: 5, y: 5, w: 10, h: 10 };
  const far = { x: 50, y: 50, w: 1, h: 1 };

  it('intersect and union', () => {
    expect(intersect(a, b)).toEqual({ x: 5, y: 5, w: 5, h: 5 });
    expect(intersect(a, far)).toEqual(EMPTY);
    expect(union(a, b)).toEqual({ x: 0, y: 0, w: 15, h: 15 });
    expect(union(EMPTY, far)).toEqual(far);
    expect(union(far, EMPTY)).toEqual(far);
  });

  it('containsPoint is half-open and false for NaN', () => {
    expect(containsPoint(a, 0, 0)).toBe(true);
    expect(containsPoint(a, 9, 9)).toBe(true);
    expect(containsPoint(a, 10, 5)).toBe(false);
    expect(containsPoint(a, Number.NaN, 5)).toBe(false);
  });

  it('touches counts shared edges but not empty rects', () => {
    expect(touches(a, { x: 10, y: 0, w: 5, h: 5 })).toBe(true);
    expect(touches(a, { x: 11, y: 0, w: 5, h: 5 })).toBe(false);
    expect(touches(a, EMPTY)).toBe(false);
  });

  it('inflate and clampSize', () => {
    expect(inflate(a, 2)).toEqual({ x: -2, y: -2, w: 14, h: 14 });
    expect(clampSize({ x: 3, y: 4, w: 1, h: 900 }, { w: 50, h: 50 }, { w: 100, h: 100 })).toEqual({
      x: 3,
      y: 4,
      w: 50,
      h: 100,
    });
  });
});

describe('keepReachable', () => {
  const area = { x: 0, y: 40, w: 800, h: 600 };
  const grip = { w: 48, h: 32 };

  it('leaves a reachable rect alone', () => {
    const r = { x: 100, y: 100, w: 300, h: 200 };
    expect(keepReachable(r, area, grip)).toEqual(r);
  });

  it('pulls a title bar back from every side, never above the area', () => {
    expect(keepReachable({ x: -1000, y: -5, w: 300, h: 200 }, area, grip)).toEqual({
      x: -252,
      y: 40,
      w: 300,
      h: 200,
    });
    expect(keepReachable({ x: 5000, y: 5000, w: 300, h: 200 }, area, grip)).toEqual({
      x: 752,
      y: 608,
      w: 300,
      h: 200,
    });
  });

  it('keeps a strip of the title bar inside the area for any rect', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -MAX_COORD, max: MAX_COORD }),
        fc.integer({ min: -MAX_COORD, max: MAX_COORD }),
        fc.integer({ min: 48, max: 4000 }),
        fc.integer({ min: 32, max: 4000 }),
        (x, y, w, h) => {
          const r = keepReachable({ x, y, w, h }, area, grip);
          const strip = intersect({ x: r.x, y: r.y, w: r.w, h: grip.h }, area);
          expect(strip.w).toBeGreaterThanOrEqual(grip.w);
          expect(strip.h).toBe(grip.h);
          expect(r.y).toBeGreaterThanOrEqual(area.y);
        },
      ),
    );
  });
});
