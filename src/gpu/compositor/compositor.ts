// The compositor's core: windows, surfaces, input routing, frames and the host bridge,
// with the kernel and the GPU behind interfaces (the worker, compositor.worker.ts, plugs
// in the real ones; compositor.test.ts plugs in fakes). Layer: gpu.
//
// Trust: apps are untrusted. A client's message names only windows that client opened;
// a surface header an app scribbles over yields at worst a wrong picture of that app's
// own window (sizes come from the compositor's copy, dirty rects are clipped). Keys go only
// to the focused window's client, pointer events only to the window under the pointer (or
// the one a press began in), and chords the window manager reserves reach no app.
//
// Frames: nothing is drawn unless the scene has damage (an app presented, a window moved,
// an animation runs), so an idle desktop schedules no work at all. After each drawn frame
// every surface presented since the last one is acknowledged (SURFACE.WORD_CONSUMED).
import {
  DISPLAY_LIMITS,
  type CompositorToHost,
  type DesktopCall,
  type DesktopWindow,
  type HostToCompositor,
} from '../../abi/display-protocol.ts';
import {
  SURFACE,
  surfaceBufferOffset,
  WINDOW_LIMITS,
  type AppEvent,
  type AppRequest,
} from '../../abi/window-protocol.ts';
import type { Frame, SurfaceContent } from '../render/frame.ts';
import { deviceSize, toDeviceRect } from '../render/layout.ts';
import type { Renderer } from '../render/renderer.ts';
import { contentRect, TITLE_BAR_HEIGHT, type FramePart } from '../wm/frame.ts';
import { intersect, isEmpty, type Rect } from '../wm/geometry.ts';
import { parseLayout, serializeLayout } from '../wm/persist.ts';
import type { WindowId } from '../wm/scene.ts';
import { shortcutFor } from '../wm/shortcuts.ts';
import { WindowManager } from '../wm/window-manager.ts';

/** An app connected to the compositor. */
export interface Client {
  readonly pid: number;
  readonly app: string;
  /** Sends an event; a failure means the client is gone (the worker calls `disconnect`). */
  send(event: AppEvent, handles?: readonly number[]): void;
}

/** What the compositor needs from the system. */
export interface CompositorDeps {
  readonly renderer: Renderer;
  /** Initial viewport, CSS px, and device pixel ratio. */
  readonly width: number;
  readonly height: number;
  readonly dpr: number;
  toHost(message: CompositorToHost): void;
  /** A shared zero-filled region of `bytes` for a new surface: its buffer and the handle to give the app. */
  createSurface(bytes: number): Promise<{ buffer: SharedArrayBuffer; handle: number } | string>;
  /** Asks init to start an app. */
  launch(app: string): void;
  /** Runs `draw` before the next screen refresh. */
  requestFrame(draw: () => void): void;
  now(): number;
  /** ms since the epoch, comparable across threads (performance.timeOrigin + now()). */
  wallClock(): number;
  /** Runs `fn` after `ms` (layout saving); no repeating timers. */
  later(fn: () => void, ms: number): void;
  /** False for reduced motion. */
  readonly animate?: boolean;
}

interface Surface {
  readonly id: WindowId;
  readonly client: Client;
  width: number;
  height: number;
  buffer: SharedArrayBuffer;
  words: Int32Array;
  /** A bigger or smaller surface is being made for the window's new content size. */
  resizing: boolean;
  content: SurfaceContent | null;
  /** The content has not been drawn yet (a present after it merges its dirty rects in). */
  fresh: boolean;
  /** FRAME as of the last present not yet acknowledged, or null. */
  unacked: number | null;
  text: string;
}

/** How long after the last change the layout is saved. */
const LAYOUT_SAVE_MS = 400;
/** How long a window's content size must hold still before its app gets a surface of that size. */
const SURFACE_RESIZE_MS = 120;

const CURSORS: Readonly<Record<string, string>> = {
  n: 'ns-resize',
  s: 'ns-resize',
  e: 'ew-resize',
  w: 'ew-resize',
  ne: 'nesw-resize',
  sw: 'nesw-resize',
  nw: 'nwse-resize',
  se: 'nwse-resize',
};

function cursorFor(part: FramePart | null): string {
  if (part === null) return 'default';
  if (part.kind === 'resize') return CURSORS[part.edge] ?? 'default';
  return part.kind === 'button' ? 'pointer' : 'default';
}

function surfaceHeader(buffer: SharedArrayBuffer, width: number, height: number): Int32Array {
  const words = new Int32Array(buffer, 0, SURFACE.HEADER_BYTES / 4);
  words[SURFACE.WORD_WIDTH] = width;
  words[SURFACE.WORD_HEIGHT] = height;
  Atomics.store(words, SURFACE.WORD_MAGIC, SURFACE.MAGIC);
  return words;
}

/** The surface size a window's frame calls for, within the protocol's limits. */
function surfaceSize(frame: Rect): { w: number; h: number } {
  const c = contentRect(frame);
  const side = (v: number) => Math.min(WINDOW_LIMITS.SURFACE_MAX, Math.max(1, Math.round(v)));
  return { w: side(c.w), h: side(c.h) };
}

export class Compositor {
  readonly wm: WindowManager;
  readonly #deps: CompositorDeps;
  readonly #renderer: Renderer;
  readonly #surfaces = new Map<WindowId, Surface>();
  readonly #clients = new Map<Client, Set<WindowId>>();
  #width: number;
  #height: number;
  #dpr: number;
  #frameRequested = false;
  #firstFrame = true;
  #mirror = '';
  #cursor = 'default';
  #layoutText = '';
  #layoutPending = false;
  /** The window whose app was last told it has focus. */
  #told: WindowId | null = null;
  /** Frames drawn so far (the idle benchmark checks it stays put). */
  framesDrawn = 0;
  /** When the latest frames were drawn (deps.wallClock), oldest first. */
  readonly #frameTimes: number[] = [];

  constructor(deps: CompositorDeps) {
    this.#deps = deps;
    this.#renderer = deps.renderer;
    this.#width = deps.width;
    this.#height = deps.height;
    this.#dpr = deps.dpr;
    this.wm = new WindowManager({
      viewport: { w: deps.width, h: deps.height },
      animate: deps.animate ?? true,
    });
    this.#renderer.resize(deps.width, deps.height, deps.dpr);
    deps.toHost({ t: 'ready', renderer: this.#renderer.kind });
    this.#schedule();
  }

  // ---- apps -------------------------------------------------------------------------

  connect(client: Client): void {
    this.#clients.set(client, new Set());
  }

  /** The client went away: its windows close. */
  disconnect(client: Client): void {
    const windows = this.#clients.get(client);
    if (!windows) return;
    this.#clients.delete(client);
    for (const id of windows) {
      this.#surfaces.delete(id);
      this.wm.command({ name: 'close' }, id);
    }
    this.#changed();
  }

  /** One decoded request from `client`. */
  async request(client: Client, m: AppRequest): Promise<void> {
    const mine = this.#clients.get(client);
    if (!mine) return;
    if (m.op === 'create') {
      await this.#create(client, mine, m.title, m.width, m.height);
      return;
    }
    const s = mine.has(m.window as WindowId) ? this.#surfaces.get(m.window as WindowId) : undefined;
    if (s === undefined) return; // not this client's window (or closed): dropped
    switch (m.op) {
      case 'present':
        this.#present(s);
        break;
      case 'title':
        this.wm.setTitle(s.id, m.title);
        break;
      case 'text':
        s.text = m.text;
        break;
      case 'close':
        mine.delete(s.id);
        this.#surfaces.delete(s.id);
        this.wm.command({ name: 'close' }, s.id);
        break;
    }
    this.#changed();
  }

  async #create(
    client: Client,
    mine: Set<WindowId>,
    title: string,
    width: number,
    height: number,
  ): Promise<void> {
    if (mine.size >= WINDOW_LIMITS.WINDOWS_PER_CLIENT) {
      client.send({ ev: 'refused', reason: `at most ${WINDOW_LIMITS.WINDOWS_PER_CLIENT} windows per app` });
      return;
    }
    const bytes = SURFACE.HEADER_BYTES + 2 * width * height * 4;
    const region = await this.#deps.createSurface(bytes);
    if (typeof region === 'string') {
      client.send({ ev: 'refused', reason: `no memory for the surface: ${region}` });
      return;
    }
    if (!this.#clients.has(client)) return; // went away meanwhile
    const opened = this.wm.open({
      owner: client.pid,
      title,
      appKey: `${client.app}:${mine.size}`,
      size: { w: width, h: height + TITLE_BAR_HEIGHT },
    });
    if (!opened.ok) {
      client.send({ ev: 'refused', reason: opened.error });
      return;
    }
    const id = opened.value;
    const words = surfaceHeader(region.buffer, width, height);
    mine.add(id);
    this.#surfaces.set(id, {
      id,
      client,
      width,
      height,
      buffer: region.buffer,
      words,
      resizing: false,
      content: null,
      fresh: false,
      unacked: null,
      text: '',
    });
    client.send({ ev: 'surface', window: id, width, height }, [region.handle]);
    this.#changed();
  }

  #present(s: Surface): void {
    const w = s.words;
    const frame = Atomics.load(w, SURFACE.WORD_FRAME);
    const front = Atomics.load(w, SURFACE.WORD_FRONT) & 1;
    const count = Atomics.load(w, SURFACE.WORD_DIRTY_COUNT);
    const whole: Rect = { x: 0, y: 0, w: s.width, h: s.height };
    s.unacked = frame; // acknowledged after the next drawn frame, whatever it holds
    let dirty: Rect[] = [];
    if (count > 0 && count <= WINDOW_LIMITS.DIRTY_MAX) {
      for (let i = 0; i < count; i++) {
        const at = SURFACE.WORD_DIRTY + i * 4;
        const r = intersect(
          { x: w[at] ?? 0, y: w[at + 1] ?? 0, w: w[at + 2] ?? 0, h: w[at + 3] ?? 0 },
          whole,
        );
        if (!isEmpty(r)) dirty.push(r);
      }
      if (dirty.length === 0) return; // nothing inside the surface changed
    }
    let prev = s.content;
    if (prev !== null && (prev.width !== s.width || prev.height !== s.height)) {
      // The first frame of a resized surface: all of it is new.
      dirty = [];
      s.fresh = false;
      prev = { ...prev, dirty: [] };
    }
    // Not drawn yet: this frame replaces it, and must carry its dirty rects too.
    if (prev !== null && s.fresh)
      dirty = prev.dirty.length === 0 || dirty.length === 0 ? [] : [...prev.dirty, ...dirty];
    const pixels = new Uint8Array(
      s.buffer,
      surfaceBufferOffset(s.width, s.height, front),
      s.width * s.height * 4,
    );
    const version = prev === null ? 1 : s.fresh ? prev.version : prev.version + 1;
    s.content = {
      width: s.width,
      height: s.height,
      pixels,
      version,
      dirty: dirty.length > WINDOW_LIMITS.DIRTY_MAX ? [] : dirty,
    };
    s.fresh = true;
    this.wm.scene.damageContent(s.id, prev === null ? [] : dirty);
  }

  // ---- the host ----------------------------------------------------------------------

  /** One decoded message from the host's display bridge. */
  async host(m: HostToCompositor): Promise<void> {
    switch (m.t) {
      case 'resize':
        this.#width = m.width;
        this.#height = m.height;
        this.#dpr = m.dpr;
        this.#renderer.resize(m.width, m.height, m.dpr);
        this.wm.setViewport({ w: m.width, h: m.height });
        this.#firstFrame = true;
        break;
      case 'layout': {
        const layout = parseLayout(m.text);
        if (layout.ok) this.wm.remember(layout.value);
        this.#layoutText = m.text;
        break;
      }
      case 'key':
        this.#key(m);
        break;
      case 'text':
        this.#sendFocused((window) => ({ ev: 'text', window, data: m.data, sent: m.sent }));
        break;
      case 'pointer':
        this.#pointer(m.phase, m.x, m.y, m.buttons);
        break;
      case 'call':
        await this.#call(m.id, m.call);
        return;
    }
    this.#changed();
  }

  #key(m: Extract<HostToCompositor, { t: 'key' }>): void {
    const command = shortcutFor(m.input);
    if (command !== null) {
      if (m.phase === 'down') this.wm.command(command);
      return; // reserved: no app sees either half of the chord
    }
    const { key, code, ctrl, alt, shift, meta } = m.input;
    this.#sendFocused((window) => ({
      ev: 'key',
      window,
      phase: m.phase,
      key: { key, code, ctrl, alt, shift, meta },
      sent: m.sent,
    }));
  }

  /** Sends to the focused window's client only, if the focused window has one. */
  #sendFocused(event: (window: number) => AppEvent): void {
    const id = this.wm.focused;
    const s = id === null ? undefined : this.#surfaces.get(id);
    if (s !== undefined && this.wm.routeKey() === s.client.pid) s.client.send(event(s.id));
  }

  #pointer(phase: 'down' | 'move' | 'up' | 'cancel', x: number, y: number, buttons: number): void {
    if (phase === 'cancel') {
      this.wm.pointerCancel();
      return;
    }
    const target =
      phase === 'down'
        ? this.wm.pointerDown(x, y)
        : phase === 'up'
          ? this.wm.pointerUp(x, y)
          : this.wm.pointerMove(x, y);
    if (target !== null) {
      const s = this.#surfaces.get(target.id);
      s?.client.send({ ev: 'pointer', window: target.id, phase, x: target.x, y: target.y, buttons });
    }
    const cursor = cursorFor(this.wm.hitTest(x, y)?.part ?? null);
    if (cursor !== this.#cursor) {
      this.#cursor = cursor;
      this.#deps.toHost({ t: 'cursor', cursor });
    }
  }

  async #call(id: number, call: DesktopCall): Promise<void> {
    const reply = (error: string | null, extra: object = {}): void =>
      this.#deps.toHost({ t: 'reply', id, error, ...extra } as CompositorToHost);
    switch (call.op) {
      case 'windows':
        return reply(null, { windows: this.windows() });
      case 'focus': {
        const r = this.wm.command({ name: 'focus' }, call.window as WindowId);
        this.#changed();
        return reply(r.ok ? null : r.error);
      }
      case 'launch':
        this.#deps.launch(call.app);
        return reply(null);
      case 'stats':
        return reply(null, { stats: { framesDrawn: this.framesDrawn, frameTimes: [...this.#frameTimes] } });
      case 'pixels': {
        let rect: Rect = { x: 0, y: 0, w: this.#width, h: this.#height };
        if (call.window !== null) {
          const w = this.wm.list().find((v) => v.id === call.window);
          if (w === undefined) return reply(`no window ${call.window}`);
          rect = contentRect(w.rect);
        }
        this.#draw(); // what is on screen now, pending damage included
        const size = deviceSize(this.#width, this.#height, this.#dpr);
        const device = toDeviceRect(rect, this.#dpr, size);
        const data = await this.#renderer.readPixels(rect);
        return reply(null, { pixels: { width: device.w, height: device.h, data } });
      }
    }
  }

  /** Live windows as automation and the accessibility mirror see them. */
  windows(): DesktopWindow[] {
    return this.wm.list().map((w) => ({
      id: w.id,
      title: w.title,
      x: w.rect.x,
      y: w.rect.y,
      w: w.rect.w,
      h: w.rect.h,
      focused: w.focused && w.workspace === this.wm.activeWorkspace,
      minimized: w.state.kind === 'minimized',
      owner: w.owner,
      text: this.#surfaces.get(w.id)?.text ?? '',
    }));
  }

  // ---- after every change -------------------------------------------------------------

  /** Passes window-manager events on, updates the mirror, schedules a frame and the layout save. */
  #changed(): void {
    for (const e of this.wm.takeEvents()) {
      if (e.type === 'closed') {
        const s = this.#surfaces.get(e.id);
        if (s !== undefined) {
          this.#surfaces.delete(e.id);
          this.#clients.get(s.client)?.delete(e.id);
          s.client.send({ ev: 'closed', window: e.id });
        }
      }
    }
    const focused = this.wm.focused;
    if (focused !== this.#told) {
      const was = this.#told === null ? undefined : this.#surfaces.get(this.#told);
      was?.client.send({ ev: 'focus', window: was.id, focused: false });
      const now = focused === null ? undefined : this.#surfaces.get(focused);
      now?.client.send({ ev: 'focus', window: now.id, focused: true });
      this.#told = focused;
    }
    this.#resizeSoon();
    const windows = this.windows();
    const mirror = JSON.stringify(windows);
    if (mirror !== this.#mirror) {
      this.#mirror = mirror;
      this.#deps.toHost({ t: 'mirror', windows });
      this.#saveLayoutSoon();
    }
    this.#schedule();
  }

  #resizePending = false;

  /** Once sizes hold still, gives every window whose content size changed a surface of that size. */
  #resizeSoon(): void {
    if (this.#resizePending || !this.#needsResize()) return;
    this.#resizePending = true;
    this.#deps.later(() => {
      this.#resizePending = false;
      if (this.wm.dragging) {
        this.#resizeSoon(); // not while the user is still dragging
        return;
      }
      for (const w of this.wm.list()) {
        const s = this.#surfaces.get(w.id);
        const size = surfaceSize(w.rect);
        if (s !== undefined && !s.resizing && (size.w !== s.width || size.h !== s.height))
          void this.#resize(s, size.w, size.h);
      }
    }, SURFACE_RESIZE_MS);
  }

  #needsResize(): boolean {
    return this.wm.list().some((w) => {
      const s = this.#surfaces.get(w.id);
      const size = surfaceSize(w.rect);
      return s !== undefined && !s.resizing && (size.w !== s.width || size.h !== s.height);
    });
  }

  /** A new surface for `s`'s window, sent to its app as another `surface` event. */
  async #resize(s: Surface, width: number, height: number): Promise<void> {
    s.resizing = true;
    const region = await this.#deps.createSurface(SURFACE.HEADER_BYTES + 2 * width * height * 4);
    s.resizing = false;
    if (typeof region === 'string' || this.#surfaces.get(s.id) !== s) return; // kept its old surface, or gone
    s.width = width;
    s.height = height;
    s.buffer = region.buffer;
    s.words = surfaceHeader(region.buffer, width, height);
    // The old frame stays on screen until the app draws the new surface's first frame.
    s.unacked = null;
    s.client.send({ ev: 'surface', window: s.id, width, height }, [region.handle]);
    this.#resizeSoon(); // it may have changed again meanwhile
  }

  #saveLayoutSoon(): void {
    if (this.#layoutPending) return;
    this.#layoutPending = true;
    this.#deps.later(() => {
      this.#layoutPending = false;
      const text = serializeLayout(this.wm.layout());
      if (text === this.#layoutText) return;
      this.#layoutText = text;
      this.#deps.toHost({ t: 'layout', text });
    }, LAYOUT_SAVE_MS);
  }

  #schedule(): void {
    if (this.#frameRequested) return;
    this.#frameRequested = true;
    this.#deps.requestFrame(() => {
      this.#frameRequested = false;
      this.#draw();
      if (this.wm.scene.animating) this.#schedule();
    });
  }

  /** Draws the damage, if any, and acknowledges every surface presented before it. */
  #draw(): void {
    this.wm.scene.step(this.#deps.now());
    const damage = this.wm.scene.takeDamage();
    if (damage.length > 0 || this.#firstFrame) {
      this.#renderer.render(
        this.frame(),
        this.#firstFrame ? [{ x: 0, y: 0, w: this.#width, h: this.#height }] : damage,
      );
      this.#firstFrame = false;
      this.framesDrawn++;
      this.#frameTimes.push(this.#deps.wallClock());
      if (this.#frameTimes.length > DISPLAY_LIMITS.FRAME_TIMES_MAX) this.#frameTimes.shift();
    }
    for (const s of this.#surfaces.values()) {
      s.fresh = false;
      if (s.unacked === null) continue;
      Atomics.store(s.words, SURFACE.WORD_CONSUMED, s.unacked);
      Atomics.notify(s.words, SURFACE.WORD_CONSUMED);
      s.unacked = null;
    }
  }

  /** The scene as the renderer draws it. */
  frame(): Frame {
    return {
      width: this.#width,
      height: this.#height,
      dpr: this.#dpr,
      preview: this.wm.scene.preview,
      windows: this.wm.scene.drawList().map((w) => ({
        id: w.id,
        rect: w.rect,
        title: w.title,
        focused: w.focused,
        opacity: w.opacity,
        scale: w.scale,
        content: this.#surfaces.get(w.id)?.content ?? null,
      })),
    };
  }
}
