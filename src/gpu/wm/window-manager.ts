// The window manager: policy over the scene. Placement (cascade, snap, maximize,
// minimize), focus (one window per workspace or none; focusing raises), workspaces, the
// pointer's drag state machine, keyboard commands and input routing. Layer: gpu, pure
// logic driven by method calls: no DOM, GPU, workers or timers. It trusts nothing it is
// given: ids, coordinates, sizes and commands are checked, and a bad one is an error
// value or is clamped, never a throw or a corrupt scene.
//
// Lifecycle of a window: open → (move, resize, snap, maximize, minimize, workspace) →
// close, which starts the scene's close animation; from then on the window is gone for
// every query and command here, while the scene still draws it until the animation ends.
// Routing: keys go only to the focused window's owner (routeKey); pointer events go to the
// window under the pointer, or to the window a press started in until it is released.
import { err, ok, type Result } from '../../abi/result.ts';
import { DRAG_THRESHOLD, resizeRect, restoredUnder } from './drag.ts';
import { TITLE_BAR_HEIGHT, framePartAt, type ButtonPart, type Edge, type FramePart } from './frame.ts';
import { MIN_WINDOW, type Rect, type Size } from './geometry.ts';
import type { Layout, SavedWindow } from './persist.ts';
import * as place from './placement.ts';
import type { Insets, Point } from './placement.ts';
import { Scene, WORKSPACE_COUNT } from './scene.ts';
import type { Placement, SceneWindow, WindowId, WindowState } from './scene.ts';
import type { Command } from './shortcuts.ts';
import { isSnapZone, snapTargetAt, type SnapTarget } from './snap.ts';

/** Most windows at once (closing ones count until their animation ends). */
export const MAX_WINDOWS = 256;
export const MAX_TITLE_LENGTH = 200;
/** App keys remembered for closed windows, oldest forgotten first. */
const MAX_REMEMBERED = 256;

export interface WmOptions {
  readonly viewport: Size;
  readonly insets?: Insets;
  /** False for reduced motion: nothing animates. */
  readonly animate?: boolean;
}

/** A window to open. */
export interface WindowSpec {
  readonly owner: number;
  readonly title: string;
  /** Stable key for remembered geometry (persist.ts); defaults to the title. */
  readonly appKey?: string;
  readonly size?: Size;
  /** Defaults to the app's remembered workspace, else the active one. */
  readonly workspace?: number;
}

/** A window as the automation API and the taskbar see it. */
export interface WindowInfo {
  readonly id: WindowId;
  readonly owner: number;
  readonly title: string;
  readonly appKey: string;
  readonly rect: Rect;
  readonly state: WindowState;
  readonly workspace: number;
  readonly focused: boolean;
}

/** Where a pointer event goes: a window's owner, at content-area coordinates. */
export interface PointerTarget {
  readonly id: WindowId;
  readonly owner: number;
  readonly x: number;
  readonly y: number;
}

/** A window and the part of it under a point. */
export interface Hit {
  readonly id: WindowId;
  readonly part: FramePart;
}

/** What the compositor must pass on: to the a11y mirror and taskbar, and to apps. */
export type WmEvent =
  | { readonly type: 'focus'; readonly id: WindowId | null; readonly owner: number | null }
  | { readonly type: 'closed'; readonly id: WindowId; readonly owner: number }
  | {
      readonly type: 'resized';
      readonly id: WindowId;
      readonly owner: number;
      readonly w: number;
      readonly h: number;
    };

type Drag =
  | { readonly kind: 'idle' }
  | { readonly kind: 'app'; readonly id: WindowId }
  | { readonly kind: 'button'; readonly id: WindowId; readonly button: ButtonPart }
  | {
      readonly kind: 'move';
      readonly id: WindowId;
      readonly startX: number;
      readonly startY: number;
      grabX: number;
      readonly grabY: number;
      moved: boolean;
      target: SnapTarget | null;
    }
  | {
      readonly kind: 'resize';
      readonly id: WindowId;
      readonly edge: Edge;
      readonly start: Point;
      readonly orig: Rect;
    };

interface WindowRecord {
  readonly appKey: string;
  /** The rect the window has, or will have again, when its placement is normal. */
  normal: Rect;
}

const IDLE: Drag = { kind: 'idle' };
const NORMAL: Placement = { kind: 'normal' };
const MAXIMIZED: Placement = { kind: 'maximized' };
const isWorkspace = (v: unknown): v is number =>
  Number.isInteger(v) && (v as number) >= 0 && (v as number) < WORKSPACE_COUNT;
const placementOf = (w: SceneWindow): Placement => (w.state.kind === 'minimized' ? w.state.from : w.state);

/** `v` as display text: control characters dropped, at most `max` code points. */
function cleanText(v: unknown, max: number): string {
  if (typeof v !== 'string') return '';
  return Array.from(v.replace(/\p{Cc}/gu, ''))
    .slice(0, max)
    .join('');
}

/** The window manager of one screen. */
export class WindowManager {
  /** What the renderer draws; written only through this class. */
  readonly scene: Scene;
  readonly #records = new Map<WindowId, WindowRecord>();
  readonly #focus: (WindowId | null)[] = new Array<WindowId | null>(WORKSPACE_COUNT).fill(null);
  #shownFocus: WindowId | null = null;
  #workArea: Rect;
  #insets: Insets;
  #drag: Drag = IDLE;
  #nextId = 1;
  #events: WmEvent[] = [];
  #remembered = new Map<string, SavedWindow>();

  constructor(options: WmOptions) {
    const vp = { w: place.dimension(options.viewport.w, 1), h: place.dimension(options.viewport.h, 1) };
    this.#insets = options.insets ?? place.NO_INSETS;
    this.#workArea = place.workAreaOf(vp, this.#insets);
    this.scene = new Scene({ x: 0, y: 0, ...vp }, options.animate ?? true);
  }

  /** The viewport less the insets: where windows are placed, maximized and snapped. */
  get workArea(): Rect {
    return this.#workArea;
  }
  get activeWorkspace(): number {
    return this.scene.activeWorkspace;
  }
  /** The focused window of the active workspace, or null. */
  get focused(): WindowId | null {
    return this.#focus[this.scene.activeWorkspace] ?? null;
  }

  /** Opens a window on top of its workspace and focuses it. */
  open(spec: WindowSpec): Result<WindowId> {
    if (!Number.isSafeInteger(spec.owner) || spec.owner < 0) return err('open: owner must be a process id');
    if (spec.workspace !== undefined && !isWorkspace(spec.workspace)) return err('open: no such workspace');
    if (this.scene.windows().length >= MAX_WINDOWS) return err(`open: at most ${MAX_WINDOWS} windows`);
    const title = cleanText(spec.title, MAX_TITLE_LENGTH);
    const appKey = cleanText(spec.appKey ?? title, MAX_TITLE_LENGTH);
    const saved = this.list().some((w) => w.appKey === appKey) ? undefined : this.#remembered.get(appKey);
    const workspace = spec.workspace ?? saved?.workspace ?? this.scene.activeWorkspace;
    const size = {
      w: place.dimension(spec.size?.w, place.DEFAULT_WINDOW.w),
      h: place.dimension(spec.size?.h, place.DEFAULT_WINDOW.h),
    };
    const normal = place.normalRect(saved?.rect ?? this.#cascade(size, workspace), this.#workArea);
    const placement = saved?.placement ?? NORMAL;
    const id = this.#nextId++ as WindowId;
    this.#records.set(id, { appKey, normal });
    const rect = place.placementRect(placement, normal, this.#workArea);
    this.scene.add({ id, owner: spec.owner, title, rect, state: placement, workspace });
    this.#focusWindow(id);
    return ok(id);
  }

  /** Sets a window's title (control characters dropped, length capped). */
  setTitle(id: WindowId, title: string): Result<void> {
    const w = this.#live(id);
    if (w === null) return err(`no window ${String(id)}`);
    this.scene.setTitle(id, cleanText(title, MAX_TITLE_LENGTH));
    return ok(undefined);
  }

  /** Live windows (not closing), bottom to top, all workspaces. */
  /** A window is being moved or resized with the pointer. */
  get dragging(): boolean {
    return this.#drag.kind === 'move' || this.#drag.kind === 'resize';
  }

  list(): WindowInfo[] {
    return this.scene
      .windows()
      .filter((w) => !this.scene.closing(w.id))
      .map((w) => ({
        id: w.id,
        owner: w.owner,
        title: w.title,
        appKey: this.#record(w.id).appKey,
        rect: w.rect,
        state: w.state,
        workspace: w.workspace,
        focused: this.#focus[w.workspace] === w.id,
      }));
  }

  /** Resizes the screen: every window stays reachable, maximized and snapped ones re-lay. */
  setViewport(size: Size, insets: Insets = this.#insets): void {
    const vp = {
      w: place.dimension(size.w, this.scene.viewport.w),
      h: place.dimension(size.h, this.scene.viewport.h),
    };
    this.#insets = insets;
    this.#workArea = place.workAreaOf(vp, insets);
    this.#endDrag();
    this.scene.setViewport({ x: 0, y: 0, ...vp });
    for (const w of this.#liveWindows()) {
      const r = this.#record(w.id);
      r.normal = place.normalRect(r.normal, this.#workArea);
      this.#setRect(w, place.placementRect(placementOf(w), r.normal, this.#workArea));
    }
  }

  /** Runs a command on window `id`, or on the focused window when `id` is left out. */
  command(cmd: Command, id?: WindowId): Result<void> {
    if (typeof cmd !== 'object' || cmd === null) return err('command: not a command');
    this.#endDrag();
    if (cmd.name === 'cycle-focus') return this.#cycle(cmd.direction === -1 ? -1 : 1);
    if (cmd.name === 'switch-workspace') return this.#switchWorkspace(cmd.workspace);
    const target = id ?? this.focused;
    const w = target === null ? null : this.#live(target);
    if (w === null)
      return err(target === null ? `${cmd.name}: no window is focused` : `no window ${String(target)}`);
    return this.#windowCommand(cmd, w);
  }

  /** The key's recipient: the focused window's owner, or null. Never any other window's. */
  routeKey(): number | null {
    const id = this.focused;
    return id === null ? null : (this.#live(id)?.owner ?? null);
  }

  /** The topmost window under (x, y) on the active workspace and the part hit, or null. */
  hitTest(x: number, y: number): Hit | null {
    const p = place.toPoint(x, y);
    if (p === null) return null;
    const windows = this.scene.windows();
    for (let i = windows.length - 1; i >= 0; i--) {
      const w = windows[i];
      if (w === undefined || !this.#focusable(w) || w.workspace !== this.scene.activeWorkspace) continue;
      const part = framePartAt(w.rect, p.x, p.y, w.state.kind !== 'maximized');
      if (part !== null) return { id: w.id, part };
    }
    return null;
  }

  /** The window whose content is under (x, y), at content coordinates; null over decorations or the desktop. */
  routePointer(x: number, y: number): PointerTarget | null {
    const hit = this.hitTest(x, y);
    const w = hit?.part.kind === 'body' ? this.#live(hit.id) : null;
    const p = place.toPoint(x, y);
    return w === null || p === null ? null : this.#targetOf(w, p);
  }

  /**
   * A button was pressed at (x, y). Focuses and raises the window hit, and starts a move,
   * a resize or a button press on its decorations (answering null: the event is the
   * window manager's), or captures the pointer for the app (answering where to deliver).
   * A press on the desktop leaves the workspace with no focused window.
   */
  pointerDown(x: number, y: number): PointerTarget | null {
    const p = place.toPoint(x, y);
    if (p === null) return null;
    if (this.#drag.kind !== 'idle') return this.#captured(p);
    const hit = this.hitTest(p.x, p.y);
    const w = hit === null ? null : this.#live(hit.id);
    if (hit === null || w === null) {
      this.#focus[this.scene.activeWorkspace] = null;
      this.#syncFocus();
      return null;
    }
    this.#focusWindow(w.id);
    switch (hit.part.kind) {
      case 'body':
        this.#drag = { kind: 'app', id: w.id };
        return this.#targetOf(w, p);
      case 'button':
        this.#drag = { kind: 'button', id: w.id, button: hit.part.button };
        return null;
      case 'title':
        this.#drag = {
          kind: 'move',
          id: w.id,
          startX: p.x,
          startY: p.y,
          grabX: p.x - w.rect.x,
          grabY: p.y - w.rect.y,
          moved: false,
          target: null,
        };
        return null;
      case 'resize':
        if (w.state.kind === 'snapped') this.#toNormalInPlace(w);
        this.#drag = { kind: 'resize', id: w.id, edge: hit.part.edge, start: p, orig: w.rect };
        return null;
    }
  }

  /** The pointer moved: drags follow it; otherwise answers where to deliver the event. */
  pointerMove(x: number, y: number): PointerTarget | null {
    const p = place.toPoint(x, y);
    if (p === null) return null;
    const d = this.#drag;
    if (d.kind === 'idle') return this.routePointer(p.x, p.y);
    if (d.kind === 'app') return this.#captured(p);
    if (d.kind === 'move') this.#dragMove(d, p);
    if (d.kind === 'resize') this.#dragResize(d, p);
    return null;
  }

  /** The button was released: ends any drag (snapping where previewed), clicks a title-bar button. */
  pointerUp(x: number, y: number): PointerTarget | null {
    const p = place.toPoint(x, y);
    const d = this.#drag;
    this.#endDrag();
    if (p === null) return null;
    if (d.kind === 'idle') return this.routePointer(p.x, p.y);
    if (d.kind === 'app') return this.#captured(p, d.id);
    const w = this.#live(d.id);
    if (w === null) return null;
    if (d.kind === 'move' && d.moved && d.target !== null) {
      this.#place(w, d.target === 'maximize' ? MAXIMIZED : { kind: 'snapped', zone: d.target });
    }
    if (d.kind === 'button') {
      const hit = this.hitTest(p.x, p.y);
      if (hit?.id === d.id && hit.part.kind === 'button' && hit.part.button === d.button) {
        this.#windowCommand({ name: d.button === 'maximize' ? 'toggle-maximize' : d.button }, w);
      }
    }
    return null;
  }

  /** The pointer went away (lost capture, left the page): any drag ends where it is, unsnapped. */
  pointerCancel(): void {
    this.#endDrag();
  }

  /** Geometry to save: remembered apps, updated with every open window (topmost wins per app key). */
  layout(): Layout {
    const out = new Map(this.#remembered);
    for (const w of this.#liveWindows()) out.set(this.#record(w.id).appKey, this.#saved(w));
    return out;
  }

  /** Geometry to use when apps open again (a parsed saved layout); replaces what was remembered. */
  remember(layout: Layout): void {
    this.#remembered = new Map([...layout].slice(0, MAX_REMEMBERED));
  }

  /** Events since the last call, oldest first; clears them. */
  takeEvents(): WmEvent[] {
    const out = this.#events;
    this.#events = [];
    return out;
  }

  #windowCommand(
    cmd: Exclude<Command, { name: 'cycle-focus' | 'switch-workspace' }>,
    w: SceneWindow,
  ): Result<void> {
    const placement = placementOf(w);
    switch (cmd.name) {
      case 'snap':
        return isSnapZone(cmd.zone)
          ? this.#place(w, { kind: 'snapped', zone: cmd.zone })
          : err('snap: no such zone');
      case 'maximize':
        return this.#place(w, MAXIMIZED);
      case 'toggle-maximize':
        return this.#place(w, placement.kind === 'maximized' ? NORMAL : MAXIMIZED);
      case 'restore':
        return this.#place(w, w.state.kind === 'minimized' ? placement : NORMAL);
      case 'restore-or-minimize':
        if (placement.kind !== 'normal') return this.#place(w, NORMAL);
        return this.#minimize(w);
      case 'minimize':
        return this.#minimize(w);
      case 'close':
        return this.#close(w);
      case 'focus':
        if (w.workspace !== this.scene.activeWorkspace) this.#switchWorkspace(w.workspace);
        return this.#place(w, placement);
      case 'move-to-workspace':
        return this.#moveToWorkspace(w, cmd.workspace);
      default:
        return err(`command: unknown command ${String((cmd as { name: unknown }).name)}`);
    }
  }

  /** Shows `w` with `placement` (un-minimizing it) and focuses it. */
  #place(w: SceneWindow, placement: Placement): Result<void> {
    this.scene.setState(w.id, placement);
    this.#setRect(w, place.placementRect(placement, this.#record(w.id).normal, this.#workArea));
    this.#focusWindow(w.id);
    return ok(undefined);
  }

  #minimize(w: SceneWindow): Result<void> {
    if (w.state.kind !== 'minimized') this.scene.setState(w.id, { kind: 'minimized', from: w.state });
    this.#refocus(w.workspace);
    return ok(undefined);
  }

  #close(w: SceneWindow): Result<void> {
    const r = this.#record(w.id);
    this.#remembered.delete(r.appKey);
    this.#remembered.set(r.appKey, this.#saved(w));
    for (const key of this.#remembered.keys()) {
      if (this.#remembered.size <= MAX_REMEMBERED) break;
      this.#remembered.delete(key);
    }
    this.scene.retire(w.id);
    this.#records.delete(w.id);
    this.#events.push({ type: 'closed', id: w.id, owner: w.owner });
    this.#refocus(w.workspace);
    return ok(undefined);
  }

  #moveToWorkspace(w: SceneWindow, workspace: unknown): Result<void> {
    if (!isWorkspace(workspace)) return err('move-to-workspace: no such workspace');
    const from = w.workspace;
    this.scene.setWorkspace(w.id, workspace);
    if (this.#focusable(w)) this.#focusWindow(w.id);
    this.#refocus(from);
    return ok(undefined);
  }

  #switchWorkspace(workspace: unknown): Result<void> {
    if (!isWorkspace(workspace)) return err('switch-workspace: no such workspace');
    this.#endDrag();
    this.scene.setActiveWorkspace(workspace);
    this.#refocus(workspace);
    return ok(undefined);
  }

  /**
   * Forward focuses the bottom window of the stack (restoring it if minimized), so repeated
   * presses visit every window; backward sends the focused window to the bottom and
   * focuses the new top one, undoing a forward step.
   */
  #cycle(direction: 1 | -1): Result<void> {
    const ws = this.scene.activeWorkspace;
    const windows = this.#liveWindows().filter((w) => w.workspace === ws);
    const current = this.focused;
    if (direction === 1) {
      const next = windows[0];
      return next === undefined ? ok(undefined) : this.#place(next, placementOf(next));
    }
    if (current !== null) this.scene.lower(current);
    this.#focus[ws] = null;
    this.#refocus(ws);
    return ok(undefined);
  }

  #dragMove(d: Extract<Drag, { kind: 'move' }>, p: Point): void {
    const w = this.#live(d.id);
    if (w === null) {
      this.#endDrag();
      return;
    }
    if (!d.moved) {
      if (Math.max(Math.abs(p.x - d.startX), Math.abs(p.y - d.startY)) < DRAG_THRESHOLD) return;
      d.moved = true;
      if (w.state.kind !== 'normal') {
        d.grabX = p.x - restoredUnder(this.#record(w.id).normal, w.rect, p.x).x;
        this.scene.setState(w.id, NORMAL);
      }
    }
    const normal = this.#record(w.id).normal;
    this.#setNormal(w, { x: p.x - d.grabX, y: p.y - d.grabY, w: normal.w, h: normal.h });
    d.target = snapTargetAt(p.x, p.y, this.#workArea);
    this.scene.setPreview(d.target === null ? null : place.targetRect(d.target, this.#workArea));
  }

  #dragResize(d: Extract<Drag, { kind: 'resize' }>, p: Point): void {
    const w = this.#live(d.id);
    if (w === null) {
      this.#endDrag();
      return;
    }
    const dx = p.x - d.start.x;
    const dy = p.y - d.start.y;
    this.#setNormal(w, resizeRect(d.orig, d.edge, dx, dy, MIN_WINDOW, this.#workArea.y));
  }

  #endDrag(): void {
    this.#drag = IDLE;
    this.scene.setPreview(null);
  }

  /** A snapped window that starts being resized becomes normal at the rect it has. */
  #toNormalInPlace(w: SceneWindow): void {
    this.#record(w.id).normal = w.rect;
    this.scene.setState(w.id, NORMAL);
  }

  #captured(
    p: Point,
    id: WindowId | null = this.#drag.kind === 'app' ? this.#drag.id : null,
  ): PointerTarget | null {
    const w = id === null ? null : this.#live(id);
    return w === null ? null : this.#targetOf(w, p);
  }

  #targetOf(w: SceneWindow, p: Point): PointerTarget {
    return { id: w.id, owner: w.owner, x: p.x - w.rect.x, y: p.y - w.rect.y - TITLE_BAR_HEIGHT };
  }

  #focusWindow(id: WindowId): void {
    const w = this.#live(id);
    if (w === null || !this.#focusable(w)) return;
    this.#focus[w.workspace] = id;
    this.scene.raise(id);
    this.#syncFocus();
  }

  /** Keeps workspace `ws`'s focus on a focusable window: the same one, else the topmost, else none. */
  #refocus(ws: number): void {
    const id = this.#focus[ws] ?? null;
    const current = id === null ? null : this.#live(id);
    if (current === null || !this.#focusable(current) || current.workspace !== ws) {
      const top = this.#liveWindows().findLast((w) => w.workspace === ws && this.#focusable(w));
      this.#focus[ws] = top?.id ?? null;
    }
    this.#syncFocus();
  }

  #syncFocus(): void {
    const id = this.focused;
    if (id === this.#shownFocus) return;
    this.#shownFocus = id;
    this.scene.setFocused(id);
    this.#events.push({ type: 'focus', id, owner: id === null ? null : (this.#live(id)?.owner ?? null) });
  }

  #setNormal(w: SceneWindow, r: Rect): void {
    const normal = place.normalRect(r, this.#workArea);
    this.#record(w.id).normal = normal;
    this.#setRect(w, normal);
  }

  #setRect(w: SceneWindow, r: Rect): void {
    const before = w.rect;
    this.scene.setRect(w.id, r);
    if (before.w === r.w && before.h === r.h) return;
    this.#events.push({
      type: 'resized',
      id: w.id,
      owner: w.owner,
      w: r.w,
      h: Math.max(0, r.h - TITLE_BAR_HEIGHT),
    });
  }

  #cascade(size: Size, ws: number): Rect {
    const others = this.#liveWindows().flatMap((w) => (w.workspace === ws ? [w.rect] : []));
    return place.cascade(size, this.#workArea, others);
  }

  #saved(w: SceneWindow): SavedWindow {
    return { rect: this.#record(w.id).normal, placement: placementOf(w), workspace: w.workspace };
  }

  #live(id: WindowId): SceneWindow | null {
    const w = this.scene.get(id);
    return w === undefined || this.scene.closing(id) ? null : w;
  }

  #liveWindows(): SceneWindow[] {
    return this.scene.windows().filter((w) => !this.scene.closing(w.id));
  }

  #focusable(w: SceneWindow): boolean {
    return w.state.kind !== 'minimized' && !this.scene.closing(w.id);
  }

  #record(id: WindowId): WindowRecord {
    const r = this.#records.get(id);
    if (r === undefined)
      throw new Error(`window manager invariant broken: window ${String(id)} has no record`);
    return r;
  }
}
