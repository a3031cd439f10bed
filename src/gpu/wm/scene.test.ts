// The scene: damage for every visible change and none for no change, merging, the
// full-screen fallback, and animations driven by step().
import { describe, expect, it } from 'vitest';
import { inflate, intersect, type Rect } from './geometry.ts';
import { ANIMATION_MS, MAX_DAMAGE_RECTS, SHADOW_MARGIN, Scene, type WindowId } from './scene.ts';

const VIEWPORT: Rect = { x: 0, y: 0, w: 1280, h: 720 };
const id = (n: number) => n as WindowId;
const halo = (r: Rect) => intersect(inflate(r, SHADOW_MARGIN), VIEWPORT);

function sceneWith(animate = false, ...rects: Rect[]): Scene {
  const s = new Scene(VIEWPORT, animate);
  rects.forEach((rect, i) =>
    s.add({
      id: id(i + 1),
      owner: 10 + i,
      title: `w${i + 1}`,
      rect,
      state: { kind: 'normal' },
      workspace: 0,
    }),
  );
  s.takeDamage();
  return s;
}

const A: Rect = { x: 100, y: 100, w: 200, h: 150 };
const B: Rect = { x: 800, y: 400, w: 200, h: 150 };

describe('Scene damage', () => {
  it('no mutation, or a mutation that changes nothing, gives no damage', () => {
    const s = sceneWith(false, A, B);
    expect(s.takeDamage()).toEqual([]);
    s.setRect(id(1), { ...A });
    s.setTitle(id(1), 'w1');
    s.raise(id(2));
    s.lower(id(1));
    s.setActiveWorkspace(0);
    s.setViewport({ ...VIEWPORT });
    s.setPreview(null);
    expect(s.step(1000)).toBe(false);
    expect(s.takeDamage()).toEqual([]);
  });

  it('a move damages the old and the new rect with their shadows, merged when they touch', () => {
    const s = sceneWith(false, A);
    s.setRect(id(1), { ...A, x: 700 });
    expect(s.takeDamage()).toEqual([halo(A), halo({ ...A, x: 700 })]);
    s.setRect(id(1), { ...A, x: 710 });
    expect(s.takeDamage()).toEqual([{ ...halo({ ...A, x: 700 }), w: halo(A).w + 10 }]);
    expect(s.takeDamage()).toEqual([]);
  });

  it('damage is clipped to the viewport', () => {
    const s = sceneWith(false, A);
    s.setRect(id(1), { x: -50, y: -50, w: 200, h: 200 });
    for (const r of s.takeDamage()) expect(intersect(r, VIEWPORT)).toEqual(r);
  });

  it('windows that are not drawn cause no damage', () => {
    const s = sceneWith(false, A);
    s.setWorkspace(id(1), 2);
    expect(s.takeDamage()).toEqual([halo(A)]);
    s.setRect(id(1), B);
    s.setTitle(id(1), 'elsewhere');
    expect(s.takeDamage()).toEqual([]);
    s.setState(id(1), { kind: 'minimized', from: { kind: 'normal' } });
    s.setWorkspace(id(1), 0);
    expect(s.takeDamage()).toEqual([]);
    expect(s.drawList()).toEqual([]);
  });

  it('focus, raise and the snap preview damage what they change', () => {
    const s = sceneWith(false, A, B);
    s.setFocused(id(1));
    expect(s.takeDamage()).toEqual([halo(A)]);
    s.setFocused(id(2));
    expect(s.takeDamage()).toEqual([halo(A), halo(B)]);
    expect(
      s
        .windows()
        .filter((w) => w.focused)
        .map((w) => w.id),
    ).toEqual([id(2)]);
    s.raise(id(1));
    expect(s.takeDamage()).toEqual([halo(A)]);
    expect(s.windows().map((w) => w.id)).toEqual([id(2), id(1)]);
    s.setPreview({ x: 0, y: 0, w: 640, h: 720 });
    expect(s.takeDamage()).toEqual([{ x: 0, y: 0, w: 640 + SHADOW_MARGIN, h: 720 }]);
  });

  it('switching workspace or resizing the viewport damages everything', () => {
    const s = sceneWith(false, A);
    s.setActiveWorkspace(1);
    expect(s.takeDamage()).toEqual([VIEWPORT]);
    const big = { x: 0, y: 0, w: 1920, h: 1080 };
    s.setViewport(big);
    expect(s.takeDamage()).toEqual([big]);
  });

  it('too many separate rects collapse to the whole viewport', () => {
    const s = sceneWith(false, { x: 0, y: 0, w: 1, h: 1 });
    for (let i = 0; i <= MAX_DAMAGE_RECTS; i++)
      s.setRect(id(1), { x: (i % 9) * 140, y: Math.floor(i / 9) * 300, w: 1, h: 1 });
    expect(s.takeDamage()).toEqual([VIEWPORT]);
  });

  it('ignores unknown ids', () => {
    const s = sceneWith(false, A);
    s.setRect(id(99), B);
    s.retire(id(99));
    s.setFocused(id(99));
    expect(s.takeDamage()).toEqual([]);
    expect(s.windows()).toHaveLength(1);
  });
});

describe('Scene animations', () => {
  it('open fades in from the first step, damaging each frame, then stops', () => {
    const s = new Scene(VIEWPORT);
    s.add({ id: id(1), owner: 1, title: 'a', rect: A, state: { kind: 'normal' }, workspace: 0 });
    expect(s.takeDamage()).toEqual([halo(A)]);
    expect(s.get(id(1))).toMatchObject({ animation: 'open', opacity: 0 });
    expect(s.step(1000)).toBe(true);
    expect(s.takeDamage()).toEqual([]);
    expect(s.step(1000 + ANIMATION_MS.open / 2)).toBe(true);
    const w = s.get(id(1));
    expect(w?.opacity).toBeGreaterThan(0);
    expect(w?.opacity).toBeLessThan(1);
    expect(w?.scale).toBeLessThan(1);
    expect(s.takeDamage()).toEqual([halo(A)]);
    expect(s.step(1000 + ANIMATION_MS.open)).toBe(false);
    expect(s.get(id(1))).toMatchObject({ animation: null, opacity: 1, scale: 1 });
    s.takeDamage();
    expect(s.step(5000)).toBe(false);
    expect(s.takeDamage()).toEqual([]);
  });

  it('a closing window is drawn until its animation ends, then leaves', () => {
    const s = sceneWith(true, A);
    s.step(0);
    s.step(ANIMATION_MS.open);
    s.retire(id(1));
    expect(s.closing(id(1))).toBe(true);
    expect(s.drawList()).toHaveLength(1);
    s.step(10);
    s.step(10 + ANIMATION_MS.close);
    expect(s.get(id(1))).toBeUndefined();
    expect(s.takeDamage()).toEqual([halo(A)]);
  });

  it('minimize animates out and restore animates back from where it was', () => {
    const s = sceneWith(true, A);
    s.step(0);
    s.step(ANIMATION_MS.open);
    s.setState(id(1), { kind: 'minimized', from: { kind: 'normal' } });
    s.step(100);
    s.step(100 + ANIMATION_MS.minimize / 2);
    expect(s.drawList()).toHaveLength(1);
    s.setState(id(1), { kind: 'normal' });
    expect(s.get(id(1))?.animation).toBe('restore');
    expect(s.get(id(1))?.opacity).toBeGreaterThan(0);
    s.step(200);
    s.step(200 + ANIMATION_MS.restore);
    expect(s.get(id(1))).toMatchObject({ animation: null, opacity: 1 });
    s.setState(id(1), { kind: 'minimized', from: { kind: 'normal' } });
    s.step(300);
    s.step(300 + ANIMATION_MS.minimize);
    expect(s.drawList()).toEqual([]);
  });

  it('without animations a retired window goes at once, and a bad clock changes nothing', () => {
    const s = sceneWith(false, A);
    expect(s.step(Number.NaN)).toBe(false);
    s.retire(id(1));
    expect(s.get(id(1))).toBeUndefined();
    expect(s.takeDamage()).toEqual([halo(A)]);
  });
});

describe('Scene content damage', () => {
  it('an app redraw damages only its rects, moved into the content area and clipped to it', () => {
    const s = sceneWith(false, A, B);
    s.damageContent(id(1), [
      { x: 10, y: 5, w: 20, h: 10 },
      { x: 190, y: 100, w: 50, h: 50 },
    ]);
    // A's content area starts below the 32 px title bar.
    expect(s.takeDamage()).toEqual([
      { x: 110, y: 137, w: 20, h: 10 },
      { x: 290, y: 232, w: 10, h: 18 },
    ]);
  });

  it('no rects means the whole content area; a window not drawn gives nothing', () => {
    const s = sceneWith(false, A, B);
    s.damageContent(id(2), []);
    expect(s.takeDamage()).toEqual([{ x: 800, y: 432, w: 200, h: 118 }]);
    s.setWorkspace(id(2), 1);
    s.takeDamage();
    s.damageContent(id(2), []);
    s.damageContent(id(9), []);
    expect(s.takeDamage()).toEqual([]);
  });
});
