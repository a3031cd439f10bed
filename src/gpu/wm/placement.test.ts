// Placement helpers: the work area, normal rects, placement rects and cascade slots.
import { describe, expect, it } from 'vitest';
import { MIN_WINDOW } from './geometry.ts';
import {
  CASCADE_ORIGIN,
  CASCADE_STEP,
  cascade,
  dimension,
  normalRect,
  placementRect,
  toPoint,
  workAreaOf,
} from './placement.ts';

const area = { x: 0, y: 0, w: 1280, h: 680 };

describe('placement', () => {
  it('the work area is the viewport less the insets, never empty', () => {
    expect(workAreaOf({ w: 1280, h: 720 }, { top: 0, right: 0, bottom: 40, left: 10 })).toEqual({
      x: 10,
      y: 0,
      w: 1270,
      h: 680,
    });
    expect(workAreaOf({ w: 100, h: 100 }, { top: 500, right: 500, bottom: 500, left: 500 })).toEqual({
      x: 99,
      y: 99,
      w: 1,
      h: 1,
    });
  });

  it('sanitizes sizes and points', () => {
    expect(dimension(Number.NaN, 7)).toBe(7);
    expect(dimension(-3, 7)).toBe(1);
    expect(dimension('9' as unknown, 7)).toBe(7);
    expect(toPoint(Number.NaN, 1)).toBeNull();
    expect(toPoint(-Infinity, 2.6)).toEqual({ x: -32768, y: 3 });
  });

  it('a normal rect is at least the minimum and at most the work area, reachable', () => {
    expect(normalRect({ x: 5000, y: -50, w: 10, h: 9000 }, area)).toEqual({
      x: 1280 - 48,
      y: 0,
      w: MIN_WINDOW.w,
      h: 680,
    });
  });

  it('placement rects', () => {
    const normal = { x: 10, y: 10, w: 300, h: 200 };
    expect(placementRect({ kind: 'normal' }, normal, area)).toEqual(normal);
    expect(placementRect({ kind: 'maximized' }, normal, area)).toEqual(area);
    expect(placementRect({ kind: 'snapped', zone: 'right' }, normal, area)).toEqual({
      x: 640,
      y: 0,
      w: 640,
      h: 680,
    });
  });

  it('cascade takes the first free slot that fits, else the first', () => {
    const size = { w: 400, h: 300 };
    const slot = (k: number) => ({
      x: CASCADE_ORIGIN + k * CASCADE_STEP,
      y: CASCADE_ORIGIN + k * CASCADE_STEP,
      ...size,
    });
    expect(cascade(size, area, [])).toEqual(slot(0));
    expect(cascade(size, area, [slot(0), slot(1)])).toEqual(slot(2));
    const all = Array.from({ length: 20 }, (_, k) => slot(k));
    expect(cascade(size, area, all)).toEqual(slot(0));
  });
});
