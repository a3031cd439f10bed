// Decorations: which part of a window a point is on, with resize grab zones and buttons.
import { describe, expect, it } from 'vitest';
import {
  BUTTON_WIDTH,
  CORNER_GRAB,
  RESIZE_GRAB,
  TITLE_BAR_HEIGHT,
  buttonRect,
  contentRect,
  framePartAt,
} from './frame.ts';

const r = { x: 100, y: 100, w: 400, h: 300 };
const at = (x: number, y: number, resizable = true) => framePartAt(r, x, y, resizable);

describe('framePartAt', () => {
  it('title bar, body and nothing', () => {
    expect(at(200, 110)).toEqual({ kind: 'title' });
    expect(at(200, 100 + TITLE_BAR_HEIGHT)).toEqual({ kind: 'body' });
    expect(at(50, 50)).toBeNull();
    expect(at(Number.NaN, 200)).toBeNull();
  });

  it('buttons from the right: close, maximize, minimize', () => {
    expect(at(499 - RESIZE_GRAB, 116)).toEqual({ kind: 'button', button: 'close' });
    expect(at(500 - BUTTON_WIDTH - 10, 116)).toEqual({ kind: 'button', button: 'maximize' });
    expect(at(500 - 2 * BUTTON_WIDTH - 10, 116)).toEqual({ kind: 'button', button: 'minimize' });
    expect(at(500 - 3 * BUTTON_WIDTH - 10, 116)).toEqual({ kind: 'title' });
    expect(buttonRect(r, 'close')).toEqual({
      x: 500 - BUTTON_WIDTH,
      y: 100,
      w: BUTTON_WIDTH,
      h: TITLE_BAR_HEIGHT,
    });
  });

  it('edges and corners, reaching a little outside the window', () => {
    expect(at(100 - RESIZE_GRAB, 250)).toEqual({ kind: 'resize', edge: 'w' });
    expect(at(499, 250)).toEqual({ kind: 'resize', edge: 'e' });
    expect(at(300, 399 + RESIZE_GRAB)).toEqual({ kind: 'resize', edge: 's' });
    expect(at(300, 100)).toEqual({ kind: 'resize', edge: 'n' });
    expect(at(98, 98)).toEqual({ kind: 'resize', edge: 'nw' });
    expect(at(501, 401)).toEqual({ kind: 'resize', edge: 'se' });
    // Along an edge, near a corner: the corner.
    expect(at(100 + CORNER_GRAB - 1, 399)).toEqual({ kind: 'resize', edge: 'sw' });
    expect(at(499, 100 + CORNER_GRAB - 1)).toEqual({ kind: 'resize', edge: 'ne' });
    expect(at(100 - RESIZE_GRAB - 1, 250)).toBeNull();
  });

  it('a window that is not resizable has no grab zones', () => {
    expect(at(98, 250, false)).toBeNull();
    expect(at(100, 250, false)).toEqual({ kind: 'body' });
    expect(at(300, 100, false)).toEqual({ kind: 'title' });
  });

  it('the content area is below the title bar', () => {
    expect(contentRect(r)).toEqual({ x: 100, y: 100 + TITLE_BAR_HEIGHT, w: 400, h: 300 - TITLE_BAR_HEIGHT });
    expect(contentRect({ x: 0, y: 0, w: 10, h: 10 }).h).toBe(0);
  });
});
