// Property tests: random sequences of commands, pointer drags, viewport changes and
// animation frames, hostile values included, against the window manager's invariants —
// one focused window per workspace at most, keys only to the focused window's owner,
// every title bar reachable, no NaN, and damage that covers every visible change (and is
// empty when nothing changed).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TITLE_BAR_HEIGHT } from './frame.ts';
import { EMPTY, MIN_VISIBLE_STRIP, intersect, isEmpty, type Rect } from './geometry.ts';
import { WORKSPACE_COUNT, type SceneWindow, type WindowId } from './scene.ts';
import { SNAP_ZONES } from './snap.ts';
import type { Command } from './shortcuts.ts';
import { WindowManager } from './window-manager.ts';

const coordinate = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: -20, max: 1300 }) },
  fc.constantFrom(Number.NaN, Infinity, -Infinity, 1e12, -1e12, 0.5),
);
const target = fc.oneof({ weight: 6, arbitrary: fc.nat(20) }, fc.constantFrom(-1, 9999, Number.NaN));
const command: fc.Arbitrary<Command> = fc.oneof(
  fc
    .constantFrom(
      ...([
        'maximize',
        'toggle-maximize',
        'minimize',
        'restore',
        'restore-or-minimize',
        'close',
        'focus',
      ] as const),
    )
    .map((name) => ({ name })),
  fc.constantFrom(...SNAP_ZONES).map((zone) => ({ name: 'snap' as const, zone })),
  fc.constantFrom(1 as const, -1 as const).map((direction) => ({ name: 'cycle-focus' as const, direction })),
  fc
    .integer({ min: -1, max: WORKSPACE_COUNT })
    .map((workspace) => ({ name: 'switch-workspace' as const, workspace })),
  fc
    .integer({ min: -1, max: WORKSPACE_COUNT })
    .map((workspace) => ({ name: 'move-to-workspace' as const, workspace })),
);

type Op =
  | { op: 'open'; w: number; h: number }
  | { op: 'command'; command: Command; target: number | null }
  | { op: 'down' | 'move' | 'up'; x: number; y: number }
  | { op: 'drag'; path: [number, number][] }
  | { op: 'grab'; target: number; part: 'title' | 'corner' | 'edge'; path: [number, number][] }
  | { op: 'cancel' }
  | { op: 'viewport'; w: number; h: number; bottom: number }
  | { op: 'step'; dt: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constant('open' as const), w: coordinate, h: coordinate }),
  {
    weight: 4,
    arbitrary: fc.record({ op: fc.constant('command' as const), command, target: fc.option(target) }),
  },
  fc.record({
    op: fc.constantFrom('down' as const, 'move' as const, 'up' as const),
    x: coordinate,
    y: coordinate,
  }),
  {
    weight: 3,
    arbitrary: fc.record({
      op: fc.constant('drag' as const),
      path: fc.array(fc.tuple(coordinate, coordinate), { minLength: 1, maxLength: 5 }),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      op: fc.constant('grab' as const),
      target: fc.nat(20),
      part: fc.constantFrom('title' as const, 'corner' as const, 'edge' as const),
      path: fc.array(fc.tuple(coordinate, coordinate), { minLength: 1, maxLength: 5 }),
    }),
  },
  fc.record({ op: fc.constant('cancel' as const) }),
  fc.record({
    op: fc.constant('viewport' as const),
    w: fc.integer({ min: 320, max: 2560 }),
    h: fc.integer({ min: 240, max: 1440 }),
    bottom: fc.integer({ min: 0, max: 60 }),
  }),
  fc.record({ op: fc.constant('step' as const), dt: fc.integer({ min: 0, max: 200 }) }),
);

/** What of `r` no rect of `by` covers. */
function uncovered(r: Rect, by: readonly Rect[]): Rect[] {
  let pieces = isEmpty(r) ? [] : [r];
  for (const d of by) {
    pieces = pieces.flatMap((p) => {
      const i = intersect(p, d);
      if (isEmpty(i)) return [p];
      const out: Rect[] = [
        { x: p.x, y: p.y, w: p.w, h: i.y - p.y },
        { x: p.x, y: i.y + i.h, w: p.w, h: p.y + p.h - i.y - i.h },
        { x: p.x, y: i.y, w: i.x - p.x, h: i.h },
        { x: i.x + i.w, y: i.y, w: p.x + p.w - i.x - i.w, h: i.h },
      ];
      return out.filter((q) => !isEmpty(q));
    });
  }
  return pieces;
}

const visual = (w: SceneWindow) => JSON.stringify([w.rect, w.opacity, w.scale, w.focused, w.title]);

function drag(wm: WindowManager, from: [number, number], path: [number, number][]): void {
  wm.pointerDown(...from);
  for (const p of path) wm.pointerMove(...p);
  wm.pointerUp(...(path.at(-1) ?? from));
}

function apply(wm: WindowManager, o: Op, ids: WindowId[], clock: { now: number }): void {
  const pick = (t: number) => (Number.isInteger(t) && t >= 0 && t < ids.length ? ids[t] : t) as WindowId;
  switch (o.op) {
    case 'open': {
      const r = wm.open({ owner: 1000 + ids.length, title: `w${ids.length}`, size: { w: o.w, h: o.h } });
      if (r.ok) ids.push(r.value);
      return;
    }
    case 'command':
      wm.command(o.command, o.target === null ? undefined : pick(o.target));
      return;
    case 'down':
      wm.pointerDown(o.x, o.y);
      return;
    case 'move':
      wm.pointerMove(o.x, o.y);
      return;
    case 'up':
      wm.pointerUp(o.x, o.y);
      return;
    case 'drag': {
      const [first, ...rest] = o.path;
      if (first !== undefined) drag(wm, first, rest);
      return;
    }
    case 'grab': {
      const r = wm.list().find((w) => w.id === ids[o.target % Math.max(1, ids.length)])?.rect;
      if (r === undefined) return;
      const start: [number, number] =
        o.part === 'title'
          ? [r.x + 60, r.y + 10]
          : o.part === 'corner'
            ? [r.x + r.w, r.y + r.h]
            : [r.x - 2, r.y + 50];
      drag(wm, start, o.path);
      return;
    }
    case 'cancel':
      wm.pointerCancel();
      return;
    case 'viewport':
      wm.setViewport({ w: o.w, h: o.h }, { top: 0, right: 0, bottom: o.bottom, left: 0 });
      return;
    case 'step':
      clock.now += o.dt;
      wm.scene.step(clock.now);
  }
}

function checkInvariants(wm: WindowManager): void {
  const list = wm.list();
  for (let ws = 0; ws < WORKSPACE_COUNT; ws++) {
    expect(list.filter((w) => w.workspace === ws && w.focused).length).toBeLessThanOrEqual(1);
  }
  const marked = wm.scene.windows().filter((w) => w.focused);
  expect(marked.map((w) => w.id)).toEqual(wm.focused === null ? [] : [wm.focused]);
  const focused = list.find((w) => w.id === wm.focused);
  if (wm.focused !== null) {
    expect(focused?.workspace).toBe(wm.activeWorkspace);
    expect(focused?.state.kind).not.toBe('minimized');
  }
  expect(wm.routeKey()).toBe(focused?.owner ?? null);
  const area = wm.workArea;
  for (const w of list) {
    expect(Object.values(w.rect).every(Number.isInteger)).toBe(true);
    if (w.state.kind === 'minimized') continue;
    const bar = intersect({ ...w.rect, h: Math.min(TITLE_BAR_HEIGHT, w.rect.h) }, area);
    expect(bar).not.toEqual(EMPTY);
    expect(bar.w).toBeGreaterThanOrEqual(Math.min(MIN_VISIBLE_STRIP, w.rect.w));
    expect(bar.h).toBe(Math.min(TITLE_BAR_HEIGHT, w.rect.h));
  }
}

describe('WindowManager properties', () => {
  it('keeps its invariants, and its damage covers every visible change, under any input', () => {
    fc.assert(
      fc.property(fc.boolean(), fc.array(op, { maxLength: 60 }), (animate, ops) => {
        const wm = new WindowManager({ viewport: { w: 1280, h: 720 }, animate });
        const ids: WindowId[] = [];
        const clock = { now: 0 };
        for (const o of ops) {
          const before = new Map(wm.scene.drawList().map((w) => [w.id, { rect: w.rect, look: visual(w) }]));
          apply(wm, o, ids, clock);
          const after = new Map(wm.scene.drawList().map((w) => [w.id, { rect: w.rect, look: visual(w) }]));
          const damage = wm.scene.takeDamage();
          const viewport = wm.scene.viewport;
          for (const id of new Set([...before.keys(), ...after.keys()])) {
            const b = before.get(id);
            const a = after.get(id);
            if (b?.look === a?.look) continue;
            for (const r of [b?.rect, a?.rect]) {
              if (r !== undefined) expect(uncovered(intersect(r, viewport), damage)).toEqual([]);
            }
          }
          for (const d of damage) expect(intersect(d, viewport)).toEqual(d);
          checkInvariants(wm);
          // Nothing happened since (a frame at the same time changes nothing): nothing to redraw.
          if (o.op === 'step') wm.scene.step(clock.now);
          expect(wm.scene.takeDamage()).toEqual([]);
        }
      }),
      { numRuns: 300 },
    );
  });
});
