// Snap zones tile the work area, and the pointer at an edge or corner picks the right one.
import { describe, expect, it } from 'vitest';
import { SNAP_ZONES, isSnapZone, snapTargetAt, zoneRect } from './snap.ts';

const area = { x: 0, y: 0, w: 1281, h: 721 };

describe('zoneRect', () => {
  it('halves and quarters tile the area exactly, odd pixel to the right and bottom', () => {
    expect(zoneRect('left', area)).toEqual({ x: 0, y: 0, w: 640, h: 721 });
    expect(zoneRect('right', area)).toEqual({ x: 640, y: 0, w: 641, h: 721 });
    expect(zoneRect('top-left', area)).toEqual({ x: 0, y: 0, w: 640, h: 360 });
    expect(zoneRect('bottom-right', area)).toEqual({ x: 640, y: 360, w: 641, h: 361 });
    const quarters = (['top-left', 'top-right', 'bottom-left', 'bottom-right'] as const).map((z) =>
      zoneRect(z, area),
    );
    expect(quarters.reduce((sum, r) => sum + r.w * r.h, 0)).toBe(area.w * area.h);
  });

  it('offsets zones by the area origin', () => {
    expect(zoneRect('top-right', { x: 10, y: 30, w: 100, h: 100 })).toEqual({ x: 60, y: 30, w: 50, h: 50 });
  });
});

describe('snapTargetAt', () => {
  it('edges snap to halves, corners to quarters, the top to maximize', () => {
    expect(snapTargetAt(0, 360, area)).toBe('left');
    expect(snapTargetAt(1280, 360, area)).toBe('right');
    expect(snapTargetAt(-50, 360, area)).toBe('left');
    expect(snapTargetAt(640, 0, area)).toBe('maximize');
    expect(snapTargetAt(0, 10, area)).toBe('top-left');
    expect(snapTargetAt(20, 0, area)).toBe('top-left');
    expect(snapTargetAt(1280, 720, area)).toBe('bottom-right');
    expect(snapTargetAt(1200, 0, area)).toBe('top-right');
    expect(snapTargetAt(0, 700, area)).toBe('bottom-left');
  });

  it('away from the edges there is no target', () => {
    expect(snapTargetAt(640, 360, area)).toBeNull();
    expect(snapTargetAt(640, 720, area)).toBeNull();
  });

  it('isSnapZone accepts exactly the zones', () => {
    for (const z of SNAP_ZONES) expect(isSnapZone(z)).toBe(true);
    expect(isSnapZone('maximize')).toBe(false);
    expect(isSnapZone(3)).toBe(false);
  });
});
