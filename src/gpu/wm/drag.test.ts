// Resize arithmetic and where a dragged maximized window restores to.
import { describe, expect, it } from 'vitest';
import { resizeRect, restoredUnder } from './drag.ts';

const orig = { x: 100, y: 100, w: 400, h: 300 };
const min = { w: 160, h: 96 };

describe('resizeRect', () => {
  it('moves only the named edges', () => {
    expect(resizeRect(orig, 'se', 50, 20, min, 0)).toEqual({ x: 100, y: 100, w: 450, h: 320 });
    expect(resizeRect(orig, 'nw', -10, -20, min, 0)).toEqual({ x: 90, y: 80, w: 410, h: 320 });
    expect(resizeRect(orig, 'e', 0, 999, min, 0)).toEqual(orig);
  });

  it('stops at the minimum size with the opposite edge fixed', () => {
    expect(resizeRect(orig, 'w', 1000, 0, min, 0)).toEqual({ x: 340, y: 100, w: 160, h: 300 });
    expect(resizeRect(orig, 's', 0, -1000, min, 0)).toEqual({ x: 100, y: 100, w: 400, h: 96 });
    expect(resizeRect(orig, 'ne', -1000, 1000, min, 0)).toEqual({ x: 100, y: 304, w: 160, h: 96 });
  });

  it('a top edge stops at the top of the work area', () => {
    expect(resizeRect(orig, 'n', 0, -500, min, 40)).toEqual({ x: 100, y: 40, w: 400, h: 360 });
  });
});

describe('restoredUnder', () => {
  it('keeps the pointer at the same fraction of the title bar', () => {
    const maximized = { x: 0, y: 0, w: 1000, h: 700 };
    expect(restoredUnder({ x: 300, y: 300, w: 400, h: 300 }, maximized, 750)).toEqual({
      x: 450,
      y: 0,
      w: 400,
      h: 300,
    });
  });
});
