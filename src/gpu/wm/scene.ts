// The compositor's scene graph: every window's rect, stacking order, state, workspace and
// animation, plus the damage — the screen rectangles that must be redrawn because the
// scene changed. Layer: gpu, pure logic (no DOM, GPU or timers: time comes in through
// step). The window manager is its only writer and decides policy; the scene trusts its
// arguments' types but ignores unknown ids, and records no damage for a change that
// changes nothing, so an idle desktop redraws nothing.
//
// Damage: each mutation adds, for every window it changes that is drawn, the window's
// rect grown by SHADOW_MARGIN, before and after the change. takeDamage merges rects that
// touch and falls back to the whole viewport when too many remain.
import { EMPTY, inflate, intersect, isEmpty, sameRect, touches, union, type Rect } from './geometry.ts';
import { contentRect } from './frame.ts';
import type { SnapZone } from './snap.ts';

declare const windowIdBrand: unique symbol;
/** A window's id: unique for the life of the window manager, never reused, never 0. */
export type WindowId = number & { readonly [windowIdBrand]: true };

/** Number of workspaces, numbered 0..WORKSPACE_COUNT-1. */
export const WORKSPACE_COUNT = 4;

/** Where a window sits when it is not minimized. */
export type Placement =
  | { readonly kind: 'normal' }
  | { readonly kind: 'maximized' }
  | { readonly kind: 'snapped'; readonly zone: SnapZone };
/** A placement, or minimized remembering the placement to restore. */
export type WindowState = Placement | { readonly kind: 'minimized'; readonly from: Placement };

export type AnimationKind = 'open' | 'close' | 'minimize' | 'restore';

/** How long each animation runs, ms. */
export const ANIMATION_MS: Readonly<Record<AnimationKind, number>> = {
  open: 160,
  close: 140,
  minimize: 180,
  restore: 180,
};

/** Shadows reach this far (px) beyond a window's rect; damage includes them. */
export const SHADOW_MARGIN = 24;
/** takeDamage returns at most this many rects; more become the whole viewport. */
export const MAX_DAMAGE_RECTS = 16;
const MAX_PENDING_DAMAGE = 64;

/** A window as the renderer sees it. */
export interface SceneWindow {
  readonly id: WindowId;
  /** Process id of the window's owner: the only process that gets its input. */
  readonly owner: number;
  readonly title: string;
  /** The whole frame, title bar included. */
  readonly rect: Rect;
  readonly state: WindowState;
  readonly workspace: number;
  readonly focused: boolean;
  /** The running animation, or null. */
  readonly animation: AnimationKind | null;
  /** Draw with this opacity (0..1) and scale about the rect's centre (≤ 1). */
  readonly opacity: number;
  readonly scale: number;
}

/** What a new window starts with. */
export interface WindowInit {
  readonly id: WindowId;
  readonly owner: number;
  readonly title: string;
  readonly rect: Rect;
  readonly state: Placement;
  readonly workspace: number;
}

interface Animation {
  readonly kind: AnimationKind;
  /** Progress when it started: a reversed animation continues from where the other stopped. */
  readonly from: number;
  /** Set by the first step after it was requested, so it starts with the next frame. */
  start: number | null;
  progress: number;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
interface AnimatedNode extends Mutable<SceneWindow> {
  anim: Animation | null;
}

const ease = (p: number): number => 1 - (1 - p) ** 3;

function setVisuals(n: AnimatedNode): void {
  const a = n.anim;
  n.animation = a?.kind ?? null;
  if (a === null) {
    n.opacity = 1;
    n.scale = 1;
    return;
  }
  const e = ease(a.progress);
  const appearing = a.kind === 'open' || a.kind === 'restore';
  const shrink = a.kind === 'open' || a.kind === 'close' ? 0.06 : 0.15;
  n.opacity = appearing ? e : 1 - e;
  n.scale = appearing ? 1 - shrink * (1 - e) : 1 - shrink * e;
}

const sameState = (a: WindowState, b: WindowState): boolean =>
  a.kind === 'minimized' && b.kind === 'minimized'
    ? sameState(a.from, b.from)
    : a.kind === b.kind && (a.kind !== 'snapped' || b.kind !== 'snapped' || a.zone === b.zone);

/** The scene: windows bottom to top across all workspaces, and pending damage. */
export class Scene {
  readonly #animate: boolean;
  #viewport: Rect;
  #active = 0;
  #preview: Rect | null = null;
  #order: AnimatedNode[] = [];
  #byId = new Map<WindowId, AnimatedNode>();
  #damage: Rect[] = [];
  #fullDamage = false;

  /** With `animate` false (reduced motion) nothing animates and closed windows go at once. */
  constructor(viewport: Rect, animate = true) {
    this.#viewport = viewport;
    this.#animate = animate;
  }

  get viewport(): Rect {
    return this.#viewport;
  }
  get activeWorkspace(): number {
    return this.#active;
  }
  /** The snap preview drawn under a window being dragged to an edge, or null. */
  get preview(): Rect | null {
    return this.#preview;
  }
  /** True while any animation runs: the renderer keeps requesting frames until it is false. */
  get animating(): boolean {
    return this.#order.some((n) => n.anim !== null);
  }

  get(id: WindowId): SceneWindow | undefined {
    return this.#byId.get(id);
  }
  /** Every window, closing ones included, bottom to top. */
  windows(): readonly SceneWindow[] {
    return this.#order;
  }
  /** The windows to draw now, bottom to top: the active workspace's, minimized ones hidden. */
  drawList(): SceneWindow[] {
    return this.#order.filter((n) => this.#drawn(n));
  }
  /** True while `id` is closing: still drawn, but gone for the window manager. */
  closing(id: WindowId): boolean {
    return this.#byId.get(id)?.anim?.kind === 'close';
  }

  /** Adds a window on top of the stack; it animates open. */
  add(init: WindowInit): void {
    if (this.#byId.has(init.id)) return;
    const n: AnimatedNode = { ...init, focused: false, animation: null, opacity: 1, scale: 1, anim: null };
    this.#order.push(n);
    this.#byId.set(n.id, n);
    this.#startAnimation(n, 'open');
    this.#damageNode(n);
  }

  /** Starts `id`'s close animation; it leaves the scene when that ends (at once without animations). */
  retire(id: WindowId): void {
    const n = this.#byId.get(id);
    if (n === undefined || n.anim?.kind === 'close') return;
    this.#damageNode(n);
    n.focused = false;
    if (this.#animate) this.#startAnimation(n, 'close');
    else this.#remove(n);
    this.#damageNode(n);
  }

  setRect(id: WindowId, r: Rect): void {
    this.#change(id, (n) => !sameRect(n.rect, r) && ((n.rect = r), true));
  }
  setTitle(id: WindowId, title: string): void {
    this.#change(id, (n) => n.title !== title && ((n.title = title), true));
  }
  setWorkspace(id: WindowId, workspace: number): void {
    this.#change(id, (n) => n.workspace !== workspace && ((n.workspace = workspace), true));
  }

  /** Sets the state; entering or leaving minimized animates. */
  setState(id: WindowId, state: WindowState): void {
    this.#change(id, (n) => {
      if (sameState(n.state, state)) return false;
      const wasMinimized = n.state.kind === 'minimized';
      n.state = state;
      if (wasMinimized !== (state.kind === 'minimized')) {
        this.#startAnimation(n, wasMinimized ? 'restore' : 'minimize');
      }
      return true;
    });
  }

  /** Moves `id` to the top of the stack. */
  raise(id: WindowId): void {
    this.#change(id, (n) => this.#order.at(-1) !== n && (this.#restack(n, this.#order.length), true));
  }
  /** Moves `id` to the bottom of the stack. */
  lower(id: WindowId): void {
    this.#change(id, (n) => this.#order[0] !== n && (this.#restack(n, 0), true));
  }

  /**
   * The app redrew parts of `id`'s content: `local` rects in content-area pixels (the
   * whole content area when empty). Damages only what is drawn; a scaled (animating)
   * window is damaged whole, since its pixels do not sit at their rest positions.
   */
  damageContent(id: WindowId, local: readonly Rect[]): void {
    const n = this.#byId.get(id);
    if (n === undefined || !this.#drawn(n)) return;
    const content = contentRect(n.rect);
    if (local.length === 0 || n.scale !== 1) {
      this.#addDamage(n.scale !== 1 ? inflate(n.rect, SHADOW_MARGIN) : content);
      return;
    }
    for (const r of local) {
      const moved = { x: content.x + r.x, y: content.y + r.y, w: r.w, h: r.h };
      this.#addDamage(intersect(moved, content));
    }
  }

  /** Marks `r` (viewport px) for redrawing: something drawn over the scene (a layer) changed there. */
  damage(r: Rect): void {
    this.#addDamage(r);
  }

  /** Marks `id` (or none) as the focused window; at most one window is ever marked. */
  setFocused(id: WindowId | null): void {
    const next = id === null ? undefined : this.#byId.get(id);
    const prev = this.#order.find((n) => n.focused);
    if (prev === next) return;
    if (prev !== undefined) this.#change(prev.id, (n) => ((n.focused = false), true));
    if (next !== undefined) this.#change(next.id, (n) => ((n.focused = true), true));
  }

  setActiveWorkspace(workspace: number): void {
    if (workspace === this.#active) return;
    this.#active = workspace;
    this.#fullDamage = true;
  }
  setViewport(viewport: Rect): void {
    if (sameRect(viewport, this.#viewport)) return;
    this.#viewport = viewport;
    this.#fullDamage = true;
  }
  setPreview(r: Rect | null): void {
    const prev = this.#preview;
    if (prev === r || (prev !== null && r !== null && sameRect(prev, r))) return;
    if (prev !== null) this.#addDamage(inflate(prev, SHADOW_MARGIN));
    this.#preview = r;
    if (r !== null) this.#addDamage(inflate(r, SHADOW_MARGIN));
  }

  /**
   * Advances every animation to `nowMs` (a monotonic clock, ms), damaging what it changes
   * and removing windows whose close animation ended. True while anything still animates.
   * A non-finite time changes nothing.
   */
  step(nowMs: number): boolean {
    if (!Number.isFinite(nowMs)) return this.animating;
    for (const n of [...this.#order]) {
      const a = n.anim;
      if (a === null) continue;
      a.start ??= nowMs;
      const p = Math.max(0, Math.min(1, a.from + (nowMs - a.start) / ANIMATION_MS[a.kind]));
      if (p === a.progress && p < 1) continue;
      this.#damageNode(n);
      a.progress = p;
      if (p >= 1) n.anim = null;
      setVisuals(n);
      if (p >= 1 && a.kind === 'close') this.#remove(n);
      else this.#damageNode(n);
    }
    return this.animating;
  }

  /** The screen rects to redraw since the last call, merged, clipped to the viewport; clears them. */
  takeDamage(): Rect[] {
    const full = this.#fullDamage;
    const pending = this.#damage;
    this.#fullDamage = false;
    this.#damage = [];
    if (full) return [this.#viewport];
    const merged: Rect[] = [];
    for (const r of pending) {
      let cur = r;
      for (;;) {
        const i = merged.findIndex((m) => touches(m, cur));
        if (i === -1) break;
        cur = union(cur, merged.splice(i, 1)[0] ?? EMPTY);
      }
      merged.push(cur);
    }
    return merged.length > MAX_DAMAGE_RECTS ? [this.#viewport] : merged;
  }

  #drawn(n: AnimatedNode): boolean {
    return (
      this.#byId.get(n.id) === n &&
      n.workspace === this.#active &&
      (n.state.kind !== 'minimized' || n.anim?.kind === 'minimize')
    );
  }

  /** Runs `mutate` on `id`'s node, damaging it before and after when it reports a change. */
  #change(id: WindowId, mutate: (n: AnimatedNode) => boolean): void {
    const n = this.#byId.get(id);
    if (n === undefined) return;
    const before = this.#drawn(n) ? n.rect : null;
    if (!mutate(n)) return;
    if (before !== null) this.#addDamage(inflate(before, SHADOW_MARGIN));
    this.#damageNode(n);
  }

  #damageNode(n: AnimatedNode): void {
    if (this.#drawn(n)) this.#addDamage(inflate(n.rect, SHADOW_MARGIN));
  }

  #addDamage(r: Rect): void {
    if (this.#fullDamage) return;
    const clipped = intersect(r, this.#viewport);
    if (isEmpty(clipped)) return;
    if (this.#damage.length >= MAX_PENDING_DAMAGE) {
      this.#fullDamage = true;
      this.#damage = [];
    } else this.#damage.push(clipped);
  }

  #startAnimation(n: AnimatedNode, kind: AnimationKind): void {
    if (!this.#animate) return;
    const prev = n.anim;
    const reversing = prev !== null && prev.kind !== kind && prev.kind !== 'close';
    n.anim = { kind, from: reversing ? 1 - prev.progress : 0, start: null, progress: 0 };
    n.anim.progress = n.anim.from;
    setVisuals(n);
  }

  #restack(n: AnimatedNode, at: number): void {
    this.#order.splice(this.#order.indexOf(n), 1);
    this.#order.splice(at, 0, n);
  }

  #remove(n: AnimatedNode): void {
    this.#order.splice(this.#order.indexOf(n), 1);
    this.#byId.delete(n.id);
  }
}
