// The window manager: placement, focus, pointer drags, snapping, commands, workspaces,
// routing, viewport changes, remembered geometry and hostile input.
import { describe, expect, it } from 'vitest';
import { BUTTON_WIDTH, TITLE_BAR_HEIGHT } from './frame.ts';
import { MIN_WINDOW } from './geometry.ts';
import { parseLayout, serializeLayout } from './persist.ts';
import { CASCADE_ORIGIN, CASCADE_STEP } from './placement.ts';
import type { WindowId } from './scene.ts';
import { WindowManager, type WindowSpec } from './window-manager.ts';

const VIEWPORT = { w: 1280, h: 720 };

function setup(...specs: Partial<WindowSpec>[]) {
  const wm = new WindowManager({ viewport: VIEWPORT, animate: false });
  const ids = specs.map((s, i) => {
    const r = wm.open({ owner: 100 + i, title: `app${i}`, size: { w: 400, h: 300 }, ...s });
    if (!r.ok) throw new Error(r.error);
    return r.value;
  });
  wm.takeEvents();
  wm.scene.takeDamage();
  return { wm, ids };
}

const rectOf = (wm: WindowManager, id: WindowId) => wm.list().find((w) => w.id === id)?.rect;
const stateOf = (wm: WindowManager, id: WindowId) => wm.list().find((w) => w.id === id)?.state;

/** Press at (x, y), move through the points, release at the last. */
function drag(wm: WindowManager, from: [number, number], ...path: [number, number][]) {
  wm.pointerDown(...from);
  for (const p of path) wm.pointerMove(...p);
  const end = path.at(-1) ?? from;
  return wm.pointerUp(...end);
}

describe('opening and closing', () => {
  it('cascades new windows and focuses the newest', () => {
    const { wm, ids } = setup({}, {}, {});
    const [a, b, c] = ids as [WindowId, WindowId, WindowId];
    expect(rectOf(wm, a)).toEqual({ x: CASCADE_ORIGIN, y: CASCADE_ORIGIN, w: 400, h: 300 });
    expect(rectOf(wm, b)).toMatchObject({
      x: CASCADE_ORIGIN + CASCADE_STEP,
      y: CASCADE_ORIGIN + CASCADE_STEP,
    });
    expect(rectOf(wm, c)).toMatchObject({ x: CASCADE_ORIGIN + 2 * CASCADE_STEP });
    expect(wm.focused).toBe(c);
    expect(wm.list().map((w) => w.focused)).toEqual([false, false, true]);
  });

  it('reuses a cascade slot a closed window freed', () => {
    const { wm, ids } = setup({}, {});
    wm.command({ name: 'close' }, ids[0]);
    const r = wm.open({ owner: 9, title: 'again', size: { w: 400, h: 300 } });
    expect(r.ok && rectOf(wm, r.value)).toMatchObject({ x: CASCADE_ORIGIN, y: CASCADE_ORIGIN });
  });

  it('close removes the window, focuses the next and reports both', () => {
    const { wm, ids } = setup({}, {});
    expect(wm.command({ name: 'close' })).toEqual({ ok: true, value: undefined });
    expect(wm.list().map((w) => w.id)).toEqual([ids[0]]);
    expect(wm.takeEvents()).toEqual([
      { type: 'closed', id: ids[1], owner: 101 },
      { type: 'focus', id: ids[0], owner: 100 },
    ]);
    expect(wm.routeKey()).toBe(100);
  });

  it('a closing window is gone for the WM while the scene still animates it', () => {
    const wm = new WindowManager({ viewport: VIEWPORT });
    const r = wm.open({ owner: 1, title: 'a' });
    if (!r.ok) throw new Error(r.error);
    wm.command({ name: 'close' }, r.value);
    expect(wm.list()).toEqual([]);
    expect(wm.routeKey()).toBeNull();
    expect(wm.scene.drawList()).toHaveLength(1);
    expect(wm.command({ name: 'maximize' }, r.value)).toEqual({ ok: false, error: `no window ${r.value}` });
    wm.scene.step(0);
    wm.scene.step(1000);
    expect(wm.scene.windows()).toEqual([]);
  });

  it('rejects bad specs and cleans titles', () => {
    const { wm } = setup();
    expect(wm.open({ owner: -1, title: 'x' })).toEqual({
      ok: false,
      error: 'open: owner must be a process id',
    });
    expect(wm.open({ owner: Number.NaN, title: 'x' }).ok).toBe(false);
    expect(wm.open({ owner: 1, title: 'x', workspace: 7 }).ok).toBe(false);
    const r = wm.open({
      owner: 1,
      title: 'bad\u0000\u001b[31mtitle'.padEnd(500, '!'),
      size: { w: -5, h: Number.NaN },
    });
    if (!r.ok) throw new Error(r.error);
    const w = wm.list()[0];
    expect(w?.title.startsWith('bad[31mtitle')).toBe(true);
    expect(w?.title).toHaveLength(200);
    expect(w?.rect).toMatchObject({ w: MIN_WINDOW.w, h: 440 });
    expect(wm.setTitle(r.value, 'new')).toEqual({ ok: true, value: undefined });
    expect(wm.setTitle(999 as WindowId, 'x').ok).toBe(false);
  });
});

describe('focus and routing', () => {
  it('clicking a window focuses and raises it; keys go only to its owner', () => {
    const { wm, ids } = setup({}, { size: { w: 400, h: 300 } });
    const [a] = ids as [WindowId];
    const target = wm.pointerDown(60, 200); // a's body, not covered by b
    expect(target).toEqual({
      id: a,
      owner: 100,
      x: 60 - CASCADE_ORIGIN,
      y: 200 - CASCADE_ORIGIN - TITLE_BAR_HEIGHT,
    });
    wm.pointerUp(60, 200);
    expect(wm.focused).toBe(a);
    expect(wm.scene.windows().at(-1)?.id).toBe(a);
    expect(wm.routeKey()).toBe(100);
  });

  it('clicking the desktop leaves no focus and keys go nowhere', () => {
    const { wm } = setup({});
    wm.pointerDown(1200, 700);
    expect(wm.focused).toBeNull();
    expect(wm.routeKey()).toBeNull();
    expect(wm.takeEvents()).toEqual([{ type: 'focus', id: null, owner: null }]);
  });

  it('routePointer answers the topmost window body in local coordinates, null on decorations', () => {
    const { wm, ids } = setup({}, {});
    const b = ids[1] as WindowId;
    const bx = CASCADE_ORIGIN + CASCADE_STEP;
    expect(wm.routePointer(bx + 10, bx + TITLE_BAR_HEIGHT + 10)).toEqual({ id: b, owner: 101, x: 10, y: 10 });
    expect(wm.routePointer(bx + 50, bx + 10)).toBeNull(); // title bar
    expect(wm.routePointer(5, 5)).toBeNull();
    expect(wm.routePointer(Number.NaN, 100)).toBeNull();
  });

  it('a press in a window captures the pointer until release', () => {
    const { wm, ids } = setup({});
    const a = ids[0] as WindowId;
    wm.pointerDown(100, 200);
    expect(wm.pointerMove(1000, 700)).toMatchObject({ id: a, x: 1000 - CASCADE_ORIGIN });
    expect(wm.pointerUp(1e9, -1e9)).toMatchObject({ id: a, x: 32768 - CASCADE_ORIGIN });
    expect(wm.pointerMove(1000, 700)).toBeNull();
  });

  it('cycle-focus forward visits every window, backward undoes it', () => {
    const { wm, ids } = setup({}, {}, {});
    const [a, b, c] = ids as [WindowId, WindowId, WindowId];
    const seen = [];
    for (let i = 0; i < 3; i++) {
      wm.command({ name: 'cycle-focus', direction: 1 });
      seen.push(wm.focused);
    }
    expect(seen).toEqual([a, b, c]);
    wm.command({ name: 'cycle-focus', direction: 1 });
    expect(wm.focused).toBe(a);
    wm.command({ name: 'cycle-focus', direction: -1 });
    expect(wm.focused).toBe(c);
  });

  it('cycle-focus forward restores a minimized window', () => {
    const { wm, ids } = setup({}, {});
    wm.command({ name: 'minimize' }, ids[0]);
    expect(wm.focused).toBe(ids[1]);
    wm.command({ name: 'cycle-focus', direction: 1 });
    expect(wm.focused).toBe(ids[0]);
    expect(stateOf(wm, ids[0] as WindowId)).toEqual({ kind: 'normal' });
  });
});

describe('pointer drags', () => {
  it('the title bar moves the window; a click without travel does not', () => {
    const { wm, ids } = setup({});
    const a = ids[0] as WindowId;
    drag(wm, [100, 60], [102, 61]);
    expect(rectOf(wm, a)).toMatchObject({ x: CASCADE_ORIGIN, y: CASCADE_ORIGIN });
    drag(wm, [100, 60], [300, 200], [400, 300]);
    expect(rectOf(wm, a)).toEqual({ x: CASCADE_ORIGIN + 300, y: CASCADE_ORIGIN + 240, w: 400, h: 300 });
  });

  it('a drag far off screen keeps the title bar reachable', () => {
    const { wm, ids } = setup({});
    wm.pointerDown(100, 60);
    wm.pointerMove(-5000, 9000);
    const r = rectOf(wm, ids[0] as WindowId);
    expect(r?.x).toBe(48 - 400);
    expect(r?.y).toBe(720 - TITLE_BAR_HEIGHT);
    wm.pointerCancel();
    expect(stateOf(wm, ids[0] as WindowId)).toEqual({ kind: 'normal' });
  });

  it('edges and corners resize, never below the minimum size', () => {
    const { wm, ids } = setup({});
    const a = ids[0] as WindowId;
    drag(wm, [CASCADE_ORIGIN + 399, CASCADE_ORIGIN + 299], [CASCADE_ORIGIN + 499, CASCADE_ORIGIN + 349]);
    expect(rectOf(wm, a)).toEqual({ x: CASCADE_ORIGIN, y: CASCADE_ORIGIN, w: 500, h: 350 });
    drag(wm, [CASCADE_ORIGIN, CASCADE_ORIGIN + 100], [CASCADE_ORIGIN + 2000, CASCADE_ORIGIN + 100]);
    expect(rectOf(wm, a)).toEqual({
      x: CASCADE_ORIGIN + 500 - MIN_WINDOW.w,
      y: CASCADE_ORIGIN,
      w: MIN_WINDOW.w,
      h: 350,
    });
    const events = wm.takeEvents().filter((e) => e.type === 'resized');
    expect(events.at(-1)).toEqual({
      type: 'resized',
      id: a,
      owner: 100,
      w: MIN_WINDOW.w,
      h: 350 - TITLE_BAR_HEIGHT,
    });
  });

  it('dragging to an edge previews the zone and snaps on release', () => {
    const { wm, ids } = setup({});
    const a = ids[0] as WindowId;
    wm.pointerDown(100, 60);
    wm.pointerMove(0, 360);
    expect(wm.scene.preview).toEqual({ x: 0, y: 0, w: 640, h: 720 });
    wm.pointerUp(0, 360);
    expect(wm.scene.preview).toBeNull();
    expect(stateOf(wm, a)).toEqual({ kind: 'snapped', zone: 'left' });
    expect(rectOf(wm, a)).toEqual({ x: 0, y: 0, w: 640, h: 720 });
  });

  it('corners snap to quarters and the top edge maximizes', () => {
    const { wm, ids } = setup({});
    const a = ids[0] as WindowId;
    drag(wm, [100, 60], [1279, 719]);
    expect(rectOf(wm, a)).toEqual({ x: 640, y: 360, w: 640, h: 360 });
    drag(wm, [700, 370], [640, 0]);
    expect(stateOf(wm, a)).toEqual({ kind: 'maximized' });
    expect(rectOf(wm, a)).toEqual({ x: 0, y: 0, ...VIEWPORT });
  });

  it('dragging a maximized window away restores its size under the pointer', () => {
    const { wm, ids } = setup({});
    const a = ids[0] as WindowId;
    wm.command({ name: 'maximize' });
    wm.pointerDown(640, 10);
    wm.pointerMove(640, 300);
    expect(stateOf(wm, a)).toEqual({ kind: 'normal' });
    expect(rectOf(wm, a)).toEqual({ x: 640 - 200, y: 290, w: 400, h: 300 });
    wm.pointerUp(640, 300);
  });

  it('resizing a snapped window makes it normal at its snapped rect', () => {
    const { wm, ids } = setup({});
    const a = ids[0] as WindowId;
    wm.command({ name: 'snap', zone: 'left' });
    drag(wm, [639, 400], [539, 400]);
    expect(stateOf(wm, a)).toEqual({ kind: 'normal' });
    expect(rectOf(wm, a)).toEqual({ x: 0, y: 0, w: 540, h: 720 });
  });

  it('title-bar buttons act on release over the same button only', () => {
    const { wm, ids } = setup({});
    const a = ids[0] as WindowId;
    const right = CASCADE_ORIGIN + 400;
    const max = right - BUTTON_WIDTH - 10;
    drag(wm, [max, 60], [max - 200, 60]);
    expect(stateOf(wm, a)).toEqual({ kind: 'normal' });
    drag(wm, [max, 60]);
    expect(stateOf(wm, a)).toEqual({ kind: 'maximized' });
    drag(wm, [1280 - 2 * BUTTON_WIDTH - 10, 16]);
    expect(stateOf(wm, a)).toEqual({ kind: 'minimized', from: { kind: 'maximized' } });
    wm.command({ name: 'restore' }, a);
    expect(stateOf(wm, a)).toEqual({ kind: 'maximized' });
    drag(wm, [1280 - 10, 16]);
    expect(wm.list()).toEqual([]);
  });

  it('a window closed mid-drag ends the drag; a cancel leaves the window where it is', () => {
    const { wm, ids } = setup({}, {});
    const b = ids[1] as WindowId;
    wm.pointerDown(CASCADE_ORIGIN + CASCADE_STEP + 100, CASCADE_ORIGIN + CASCADE_STEP + 10);
    wm.pointerMove(500, 300);
    const moved = rectOf(wm, b);
    wm.pointerMove(0, 300);
    wm.pointerCancel();
    expect(wm.scene.preview).toBeNull();
    expect(stateOf(wm, b)).toEqual({ kind: 'normal' });
    expect(rectOf(wm, b)).not.toEqual(moved);
    wm.pointerDown(10, 300);
    wm.command({ name: 'close' }, b);
    expect(wm.pointerMove(600, 300)).toBeNull();
    expect(wm.pointerUp(600, 300)).toBeNull();
  });
});

describe('commands', () => {
  it('snap, maximize, toggle, restore-or-minimize and restore', () => {
    const { wm, ids } = setup({});
    const a = ids[0] as WindowId;
    const normal = rectOf(wm, a);
    wm.command({ name: 'snap', zone: 'top-right' });
    expect(rectOf(wm, a)).toEqual({ x: 640, y: 0, w: 640, h: 360 });
    wm.command({ name: 'toggle-maximize' });
    expect(stateOf(wm, a)).toEqual({ kind: 'maximized' });
    wm.command({ name: 'toggle-maximize' });
    expect(rectOf(wm, a)).toEqual(normal);
    wm.command({ name: 'snap', zone: 'right' });
    wm.command({ name: 'restore-or-minimize' });
    expect(rectOf(wm, a)).toEqual(normal);
    wm.command({ name: 'restore-or-minimize' });
    expect(stateOf(wm, a)?.kind).toBe('minimized');
    expect(wm.focused).toBeNull();
    expect(wm.routeKey()).toBeNull();
    wm.command({ name: 'restore' }, a);
    expect(wm.focused).toBe(a);
  });

  it('commands without a target, with an unknown id or bad arguments are errors that change nothing', () => {
    const { wm, ids } = setup({});
    const before = wm.list();
    wm.scene.takeDamage();
    expect(wm.command({ name: 'maximize' }, 4242 as WindowId)).toEqual({
      ok: false,
      error: 'no window 4242',
    });
    expect(wm.command({ name: 'snap', zone: 'middle' } as never).ok).toBe(false);
    expect(wm.command({ name: 'explode' } as never).ok).toBe(false);
    expect(wm.command(null as never).ok).toBe(false);
    expect(wm.command({ name: 'switch-workspace', workspace: 9 }).ok).toBe(false);
    expect(wm.command({ name: 'switch-workspace', workspace: 1.5 }).ok).toBe(false);
    expect(wm.command({ name: 'move-to-workspace', workspace: -1 }).ok).toBe(false);
    expect(wm.list()).toEqual(before);
    expect(wm.scene.takeDamage()).toEqual([]);
    wm.pointerDown(1200, 700);
    expect(wm.command({ name: 'close' })).toEqual({ ok: false, error: 'close: no window is focused' });
    expect(wm.list().map((w) => w.id)).toEqual(ids);
  });
});

describe('workspaces', () => {
  it('each workspace keeps its own windows and focus', () => {
    const { wm, ids } = setup({}, {});
    const [a, b] = ids as [WindowId, WindowId];
    wm.command({ name: 'move-to-workspace', workspace: 1 }, b);
    expect(wm.focused).toBe(a);
    wm.command({ name: 'switch-workspace', workspace: 1 });
    expect(wm.focused).toBe(b);
    expect(wm.routeKey()).toBe(101);
    expect(wm.scene.drawList().map((w) => w.id)).toEqual([b]);
    expect(wm.hitTest(CASCADE_ORIGIN + 5, CASCADE_ORIGIN + 100)).toBeNull(); // a is on workspace 0
    wm.command({ name: 'switch-workspace', workspace: 2 });
    expect(wm.focused).toBeNull();
    wm.command({ name: 'focus' }, a);
    expect(wm.activeWorkspace).toBe(0);
    expect(wm.focused).toBe(a);
    expect(
      new Set(
        wm
          .list()
          .filter((w) => w.focused)
          .map((w) => w.id),
      ),
    ).toEqual(new Set([a, b]));
  });
});

describe('workspaces, opening', () => {
  it('a window opened on another workspace is focused there, not here', () => {
    const { wm, ids } = setup({});
    const r = wm.open({ owner: 7, title: 'elsewhere', workspace: 3 });
    if (!r.ok) throw new Error(r.error);
    expect(wm.focused).toBe(ids[0]);
    expect(wm.routeKey()).toBe(100);
    wm.command({ name: 'switch-workspace', workspace: 3 });
    expect(wm.focused).toBe(r.value);
    expect(wm.routeKey()).toBe(7);
  });
});

describe('viewport', () => {
  it('shrinking keeps windows reachable and re-lays maximized and snapped ones', () => {
    const { wm, ids } = setup({}, {}, {});
    const [a, b, c] = ids as [WindowId, WindowId, WindowId];
    drag(wm, [100, 60], [1100, 600]);
    wm.command({ name: 'maximize' }, b);
    wm.command({ name: 'snap', zone: 'right' }, c);
    wm.setViewport({ w: 640, h: 480 }, { top: 0, right: 0, bottom: 40, left: 0 });
    expect(wm.workArea).toEqual({ x: 0, y: 0, w: 640, h: 440 });
    const ra = rectOf(wm, a);
    expect(ra && ra.x + 48 <= 640 && ra.y + TITLE_BAR_HEIGHT <= 440).toBe(true);
    expect(rectOf(wm, b)).toEqual({ x: 0, y: 0, w: 640, h: 440 });
    expect(rectOf(wm, c)).toEqual({ x: 320, y: 0, w: 320, h: 440 });
    expect(wm.scene.takeDamage()).toEqual([{ x: 0, y: 0, w: 640, h: 480 }]);
  });

  it('nonsense sizes and insets are clamped', () => {
    const wm = new WindowManager({
      viewport: { w: Number.NaN, h: -4 },
      insets: { top: 1e9, right: -3, bottom: 1e9, left: 0 },
    });
    expect(wm.scene.viewport).toEqual({ x: 0, y: 0, w: 1, h: 1 });
    wm.setViewport({ w: 800, h: 600 }, { top: 700, right: 900, bottom: 0, left: 0 });
    expect(wm.workArea).toEqual({ x: 0, y: 599, w: 1, h: 1 });
    const r = wm.open({ owner: 1, title: 'a' });
    expect(r.ok && Object.values(rectOf(wm, r.value) ?? {}).every(Number.isFinite)).toBe(true);
  });
});

describe('remembered geometry', () => {
  it('an app reopens where it was, after a reload through persist', () => {
    const { wm, ids } = setup({ appKey: 'paint' }, { appKey: 'term' });
    drag(wm, [100, 60], [200, 160]);
    wm.command({ name: 'snap', zone: 'left' }, ids[1]);
    wm.command({ name: 'move-to-workspace', workspace: 2 }, ids[1]);
    const saved = parseLayout(serializeLayout(wm.layout()));
    if (!saved.ok) throw new Error(saved.error);
    const next = new WindowManager({ viewport: VIEWPORT, animate: false });
    next.remember(saved.value);
    const paint = next.open({ owner: 5, title: 'Paint', appKey: 'paint' });
    const term = next.open({ owner: 6, title: 'Terminal', appKey: 'term' });
    if (!paint.ok || !term.ok) throw new Error('open failed');
    expect(rectOf(next, paint.value)).toEqual({
      x: CASCADE_ORIGIN + 100,
      y: CASCADE_ORIGIN + 100,
      w: 400,
      h: 300,
    });
    expect(next.list().find((w) => w.id === term.value)).toMatchObject({
      state: { kind: 'snapped', zone: 'left' },
      workspace: 2,
    });
    const second = next.open({ owner: 7, title: 'Paint 2', appKey: 'paint', size: { w: 400, h: 300 } });
    expect(second.ok && rectOf(next, second.value)).not.toEqual(rectOf(next, paint.value));
  });

  it('a closed window is remembered for the session', () => {
    const { wm, ids } = setup({ appKey: 'clock' });
    drag(wm, [100, 60], [600, 400]);
    const where = rectOf(wm, ids[0] as WindowId);
    wm.command({ name: 'close' });
    const r = wm.open({ owner: 1, title: 'clock', appKey: 'clock' });
    expect(r.ok && rectOf(wm, r.value)).toEqual(where);
    expect(wm.layout().get('clock')?.rect).toEqual(where);
  });
});
