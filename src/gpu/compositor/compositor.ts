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
// The shell (ADR 0018): a client init introduced with the `shell` grant may draw layers —
// undecorated surfaces above every window (the taskbar along the bottom, whose height the
// window manager keeps free; the launcher; notification toasts) — and hears about every
// window and notification. `notify` and `clipboard` grants let an app post notifications
// and use the host's clipboard (only while it has the keyboard). Without the grant a
// request is refused, never obeyed.
//
// Frames: nothing is drawn unless the scene has damage (an app presented, a window moved,
// an animation runs), so an idle desktop schedules no work at all. After each drawn frame
// every surface presented since the last one is acknowledged (SURFACE.WORD_CONSUMED).
//
// Bitmap windows (ADR 0020): a window opened with `bitmaps` has no shared pixels. Its app
// draws frames itself and posts them as ImageBitmaps on a link (a kernel object whose two
// ends hold an entangled MessagePort pair); the compositor keeps the newest frame, closes
// any it replaces or drops, and says `drawn` on the link once a frame is on screen.
import {
  DISPLAY_LIMITS,
  type CompositorToHost,
  type DesktopCall,
  type DesktopWindow,
  type HostToCompositor,
} from '../../abi/display-protocol.ts';
import {
  decodeBitmapFrame,
  SURFACE,
  surfaceBufferOffset,
  surfaceBytes,
  WINDOW_LIMITS,
  type AppEvent,
  type AppRequest,
  type BitmapDrawn,
  type Grant,
  type LayerAnchor,
  type ShellWindow,
} from '../../abi/window-protocol.ts';
import type { Frame, SurfaceContent } from '../render/frame.ts';
import { deviceSize, toDeviceRect } from '../render/layout.ts';
import type { Renderer } from '../render/renderer.ts';
import { contentRect, TITLE_BAR_HEIGHT, type FramePart } from '../wm/frame.ts';
import { containsPoint, intersect, isEmpty, type Rect } from '../wm/geometry.ts';
import { parseLayout, serializeLayout } from '../wm/persist.ts';
import type { WindowId } from '../wm/scene.ts';
import { isLauncherChord, shortcutFor } from '../wm/shortcuts.ts';
import { WindowManager } from '../wm/window-manager.ts';

/** An app connected to the compositor. */
export interface Client {
  readonly pid: number;
  readonly app: string;
  /** What init granted this connection beyond opening windows. */
  readonly grants: readonly Grant[];
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
  /** A link for a bitmap window: the compositor's end, and the handle of the app's end to give it. */
  createLink(): Promise<{ link: FrameLink; handle: number } | string>;
  /** Asks init to start an app. */
  launch(app: string): void;
  /** The host's clipboard text ('' when it holds none or the page may not read it). */
  readClipboard(): Promise<string>;
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

/** The compositor's end of a bitmap window's link (ADR 0020). */
export interface FrameLink {
  /** Calls `receive` with everything the app posts, in order; set once. */
  listen(receive: (data: unknown) => void): void;
  send(message: BitmapDrawn): void;
  close(): void;
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
  /** A bitmap window's link, and the number of the newest frame it brought (0: none yet). */
  link: FrameLink | null;
  bitmapFrame: number;
}

/** A shell layer: a surface above the windows, at an anchor, drawn only while visible. */
interface Layer {
  readonly surface: Surface;
  readonly anchor: LayerAnchor;
  /** The size asked for; a bottom bar's width follows the viewport instead. */
  readonly width: number;
  readonly height: number;
  visible: boolean;
  keyboard: boolean;
}

/** A bitmap frame's `pixels`: it has none. */
const NO_PIXELS = new Uint8Array(0);

/** Closes the bitmap in something an app posted that will not be drawn, if it has one. */
function closeBitmapIn(data: unknown): void {
  const bitmap: unknown =
    typeof data === 'object' && data !== null ? (data as { bitmap?: unknown }).bitmap : null;
  if (
    typeof bitmap === 'object' &&
    bitmap !== null &&
    typeof (bitmap as { close?: unknown }).close === 'function'
  )
    (bitmap as { close(): void }).close();
}

/** Layer ids come from their own range, so they never collide with window ids. */
const FIRST_LAYER_ID = 1 << 30;
/** Gap between a corner layer and the screen edge (or the bar), px. */
const LAYER_GAP = 8;
/** Notifications one app may post within NOTIFY_WINDOW_MS; more are refused. */
const NOTIFY_BURST = 5;
const NOTIFY_WINDOW_MS = 10_000;

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
  readonly #layers = new Map<WindowId, Layer>();
  #nextLayerId = FIRST_LAYER_ID;
  /** The layer a press began in: it gets the pointer until the release. */
  #layerGrab: Layer | null = null;
  /** The last window list the shell was sent. */
  #shellList = '';
  /** When each client's latest notifications were posted (deps.now). */
  readonly #posted = new Map<Client, number[]>();
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
    if (client.grants.includes('shell')) client.send(this.#shellWindows());
  }

  /** The client went away: its windows close. */
  disconnect(client: Client): void {
    const windows = this.#clients.get(client);
    if (!windows) return;
    this.#clients.delete(client);
    this.#posted.delete(client);
    for (const id of windows) {
      this.#forget(id);
      if (this.#layers.has(id)) this.#dropLayer(id);
      else this.wm.command({ name: 'close' }, id);
    }
    this.#changed();
  }

  /** One decoded request from `client`. */
  async request(client: Client, m: AppRequest): Promise<void> {
    const mine = this.#clients.get(client);
    if (!mine) return;
    switch (m.op) {
      case 'create':
        await this.#create(client, mine, m.title, m.width, m.height, m.bitmaps === true);
        return;
      case 'layer':
      case 'show':
      case 'activate':
      case 'workspace':
      case 'launch':
        if (!client.grants.includes('shell')) return this.#refuse(client, m.op, 'shell');
        if (m.op === 'layer') return this.#createLayer(client, mine, m.anchor, m.width, m.height);
        this.#shell(m, mine);
        this.#changed();
        return;
      case 'notify':
        if (!client.grants.includes('notify')) return this.#refuse(client, m.op, 'notify');
        this.#notify(client, m.title, m.body);
        return;
      case 'clipboard-write':
      case 'clipboard-read':
        if (!client.grants.includes('clipboard')) return this.#refuse(client, m.op, 'clipboard');
        if (!this.#hasKeyboard(client)) {
          client.send({
            ev: 'refused',
            reason: `${m.op}: only the app with the keyboard may use the clipboard`,
          });
          return;
        }
        if (m.op === 'clipboard-write') this.#deps.toHost({ t: 'clipboard-write', text: m.text });
        else client.send({ ev: 'clipboard', text: await this.#deps.readClipboard() });
        return;
    }
    const s = mine.has(m.window as WindowId) ? this.#surfaces.get(m.window as WindowId) : undefined;
    if (s === undefined) return; // not this client's window (or closed): dropped
    const layer = this.#layers.get(s.id);
    switch (m.op) {
      case 'present':
        if (s.link === null) this.#present(s); // a bitmap window's frames come on its link
        break;
      case 'title':
        if (layer === undefined) this.wm.setTitle(s.id, m.title);
        break;
      case 'text':
        s.text = m.text;
        break;
      case 'close':
        mine.delete(s.id);
        this.#forget(s.id);
        if (layer !== undefined) this.#dropLayer(s.id);
        else this.wm.command({ name: 'close' }, s.id);
        break;
    }
    this.#changed();
  }

  #refuse(client: Client, op: string, grant: Grant): void {
    client.send({ ev: 'refused', reason: `${op}: this connection holds no ${grant} grant` });
  }

  /** The shell's requests on windows, workspaces and apps. */
  #shell(
    m: Extract<AppRequest, { op: 'show' | 'activate' | 'workspace' | 'launch' }>,
    mine: Set<WindowId>,
  ): void {
    switch (m.op) {
      case 'show': {
        const layer = mine.has(m.window as WindowId) ? this.#layers.get(m.window as WindowId) : undefined;
        if (layer === undefined) return;
        layer.visible = m.visible;
        layer.keyboard = m.keyboard;
        if (this.#layerGrab === layer && !m.visible) this.#layerGrab = null;
        this.#layersChanged(layer);
        return;
      }
      case 'activate': {
        const w = this.wm.list().find((v) => v.id === m.window);
        if (w === undefined) return;
        const shown = w.workspace === this.wm.activeWorkspace && w.state.kind !== 'minimized';
        this.wm.command({ name: w.focused && shown ? 'minimize' : 'focus' }, w.id);
        return;
      }
      case 'workspace':
        this.wm.command({ name: 'switch-workspace', workspace: m.workspace });
        return;
      case 'launch':
        this.#deps.launch(m.app);
        return;
    }
  }

  #notify(client: Client, title: string, body: string): void {
    const now = this.#deps.now();
    const recent = (this.#posted.get(client) ?? []).filter((t) => now - t < NOTIFY_WINDOW_MS);
    if (recent.length >= NOTIFY_BURST) {
      client.send({
        ev: 'refused',
        reason: `notify: at most ${NOTIFY_BURST} notifications in ${NOTIFY_WINDOW_MS / 1000} s`,
      });
      return;
    }
    recent.push(now);
    this.#posted.set(client, recent);
    for (const c of this.#clients.keys())
      if (c.grants.includes('shell')) c.send({ ev: 'notification', app: client.app, title, body });
    this.#deps.toHost({ t: 'notify', app: client.app, title, body });
  }

  /** True when `client` gets the keys now: it owns the keyboard layer, or the focused window. */
  #hasKeyboard(client: Client): boolean {
    const layer = this.#keyboardLayer();
    if (layer !== null) return layer.surface.client === client;
    const id = this.wm.focused;
    return id !== null && this.#surfaces.get(id)?.client === client && this.wm.routeKey() === client.pid;
  }

  // ---- layers --------------------------------------------------------------------------

  async #createLayer(
    client: Client,
    mine: Set<WindowId>,
    anchor: LayerAnchor,
    width: number,
    height: number,
  ): Promise<void> {
    if (this.#full(client, mine)) return;
    if (anchor === 'bottom' && [...this.#layers.values()].some((l) => l.anchor === 'bottom')) {
      client.send({ ev: 'refused', reason: 'layer: there is a bottom bar already' });
      return;
    }
    const id = this.#nextLayerId++ as WindowId;
    const pending: Layer = {
      surface: this.#blankSurface(id, client),
      anchor,
      width,
      height,
      visible: anchor === 'bottom',
      keyboard: false,
    };
    const size = this.#layerRect(pending);
    const region = await this.#deps.createSurface(surfaceBytes(size.w, size.h));
    if (typeof region === 'string') {
      client.send({ ev: 'refused', reason: `no memory for the surface: ${region}` });
      return;
    }
    if (!this.#clients.has(client)) return; // went away meanwhile
    const s = pending.surface;
    s.width = size.w;
    s.height = size.h;
    s.buffer = region.buffer;
    s.words = surfaceHeader(region.buffer, size.w, size.h);
    mine.add(id);
    this.#surfaces.set(id, s);
    this.#layers.set(id, pending);
    client.send({ ev: 'surface', window: id, width: size.w, height: size.h }, [region.handle]);
    this.#layersChanged(pending);
    this.#changed();
  }

  /** True (and the client told) when it has all the windows and layers it may have. */
  #full(client: Client, mine: Set<WindowId>): boolean {
    if (mine.size < WINDOW_LIMITS.WINDOWS_PER_CLIENT) return false;
    client.send({ ev: 'refused', reason: `at most ${WINDOW_LIMITS.WINDOWS_PER_CLIENT} windows per app` });
    return true;
  }

  #blankSurface(id: WindowId, client: Client): Surface {
    const buffer = new SharedArrayBuffer(SURFACE.HEADER_BYTES);
    return {
      id,
      client,
      width: 1,
      height: 1,
      buffer,
      words: new Int32Array(buffer),
      resizing: false,
      content: null,
      fresh: false,
      unacked: null,
      text: '',
      link: null,
      bitmapFrame: 0,
    };
  }

  /** Drops a window's surface, closing a bitmap window's link and its newest frame. */
  #forget(id: WindowId): void {
    const s = this.#surfaces.get(id);
    if (s === undefined) return;
    this.#surfaces.delete(id);
    if (s.link === null) return;
    s.link.close();
    s.content?.bitmap?.close();
  }

  #dropLayer(id: WindowId): void {
    const layer = this.#layers.get(id);
    if (layer === undefined) return;
    this.#layers.delete(id);
    if (this.#layerGrab === layer) this.#layerGrab = null;
    this.wm.scene.damage(this.#layerRect(layer));
    this.#layersChanged(layer);
  }

  /** The bottom bar's height, or 0 when there is none. */
  #barHeight(): number {
    for (const l of this.#layers.values())
      if (l.anchor === 'bottom' && l.visible) return Math.min(l.height, Math.floor(this.#height / 2));
    return 0;
  }

  /** Where a layer is drawn, viewport px (whole pixels; a surface pixel per CSS pixel at dpr 1). */
  #layerRect(l: Layer): Rect {
    const W = this.#width;
    const H = this.#height;
    const bar = this.#barHeight();
    const w = Math.max(1, Math.min(l.width, W - 2 * LAYER_GAP));
    switch (l.anchor) {
      case 'bottom': {
        const h = Math.max(1, Math.min(l.height, Math.floor(H / 2)));
        return { x: 0, y: H - h, w: Math.max(1, Math.min(W, WINDOW_LIMITS.SURFACE_MAX)), h };
      }
      case 'bottom-left': {
        const h = Math.max(1, Math.min(l.height, H - bar - 2 * LAYER_GAP));
        return { x: LAYER_GAP, y: H - bar - LAYER_GAP - h, w, h };
      }
      case 'top-right': {
        const h = Math.max(1, Math.min(l.height, H - bar - 2 * LAYER_GAP));
        return { x: W - LAYER_GAP - w, y: LAYER_GAP, w, h };
      }
    }
  }

  /** A layer appeared, moved, or was shown or hidden: redraw where it is, keep the bar's space free. */
  #layersChanged(l: Layer): void {
    this.wm.scene.damage(this.#layerRect(l));
    const bottom = this.#barHeight();
    if (this.#height - this.wm.workArea.h !== bottom)
      this.wm.setViewport({ w: this.#width, h: this.#height }, { top: 0, right: 0, bottom, left: 0 });
  }

  /** The visible layer that takes the keys, or null. */
  #keyboardLayer(): Layer | null {
    for (const l of this.#layers.values()) if (l.visible && l.keyboard) return l;
    return null;
  }

  /** The topmost visible layer under (x, y), or null. */
  #layerAt(x: number, y: number): Layer | null {
    let hit: Layer | null = null;
    for (const l of this.#layers.values()) if (l.visible && containsPoint(this.#layerRect(l), x, y)) hit = l;
    return hit;
  }

  /** The list the shell's taskbar shows. */
  #shellWindows(): AppEvent {
    const windows: ShellWindow[] = this.wm.list().map((w) => ({
      id: w.id,
      title: w.title,
      focused: w.focused && w.workspace === this.wm.activeWorkspace,
      minimized: w.state.kind === 'minimized',
      workspace: w.workspace,
    }));
    return { ev: 'windows', workspace: this.wm.activeWorkspace, windows };
  }

  async #create(
    client: Client,
    mine: Set<WindowId>,
    title: string,
    width: number,
    height: number,
    bitmaps: boolean,
  ): Promise<void> {
    if (this.#full(client, mine)) return;
    const region = bitmaps
      ? await this.#deps.createLink()
      : await this.#deps.createSurface(SURFACE.HEADER_BYTES + 2 * width * height * 4);
    if (typeof region === 'string') {
      client.send({ ev: 'refused', reason: `no ${bitmaps ? 'link' : 'memory'} for the surface: ${region}` });
      return;
    }
    const link = 'link' in region ? region.link : null;
    if (!this.#clients.has(client)) return link?.close(); // went away meanwhile
    const opened = this.wm.open({
      owner: client.pid,
      title,
      appKey: `${client.app}:${mine.size}`,
      size: { w: width, h: height + TITLE_BAR_HEIGHT },
    });
    if (!opened.ok) {
      client.send({ ev: 'refused', reason: opened.error });
      return link?.close();
    }
    const id = opened.value;
    const s: Surface = { ...this.#blankSurface(id, client), width, height, link };
    if ('buffer' in region) {
      s.buffer = region.buffer;
      s.words = surfaceHeader(region.buffer, width, height);
    }
    mine.add(id);
    this.#surfaces.set(id, s);
    link?.listen((data) => this.#bitmap(s, data));
    client.send({ ev: 'surface', window: id, width, height }, [region.handle]);
    this.#changed();
  }

  /** Something a bitmap window's app posted on its link: its newest frame, or dropped. */
  #bitmap(s: Surface, data: unknown): void {
    const m = decodeBitmapFrame(data);
    if (!m.ok || m.value.frame <= s.bitmapFrame || this.#surfaces.get(s.id) !== s) {
      closeBitmapIn(data); // a bitmap that will not be drawn is freed now
      return;
    }
    const { frame, bitmap } = m.value;
    const prev = s.content;
    prev?.bitmap?.close(); // the renderer holds its own copy of any frame it drew
    s.bitmapFrame = frame;
    s.unacked = frame;
    s.content = {
      width: bitmap.width,
      height: bitmap.height,
      pixels: NO_PIXELS,
      version: (prev?.version ?? 0) + 1,
      dirty: [],
      bitmap,
    };
    this.wm.scene.damageContent(s.id, []);
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
    const layer = this.#layers.get(s.id);
    if (layer === undefined) this.wm.scene.damageContent(s.id, prev === null ? [] : dirty);
    else if (layer.visible) {
      const at = this.#layerRect(layer);
      if (prev === null || dirty.length === 0) this.wm.scene.damage(at);
      for (const r of prev === null ? [] : dirty)
        this.wm.scene.damage(intersect({ x: at.x + r.x, y: at.y + r.y, w: r.w, h: r.h }, at));
    }
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
        this.wm.setViewport(
          { w: m.width, h: m.height },
          { top: 0, right: 0, bottom: this.#barHeight(), left: 0 },
        );
        this.#firstFrame = true;
        break;
      case 'wheel':
        this.#wheel(m.x, m.y, m.dx, m.dy);
        return;
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
    if (isLauncherChord(m.input)) {
      if (m.phase === 'down')
        for (const c of this.#clients.keys()) if (c.grants.includes('shell')) c.send({ ev: 'launcher' });
      return;
    }
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

  /** Sends to the keyboard layer's client, else to the focused window's client only, if it has one. */
  #sendFocused(event: (window: number) => AppEvent): void {
    const layer = this.#keyboardLayer();
    if (layer !== null) {
      layer.surface.client.send(event(layer.surface.id));
      return;
    }
    const id = this.wm.focused;
    const s = id === null ? undefined : this.#surfaces.get(id);
    if (s !== undefined && this.wm.routeKey() === s.client.pid) s.client.send(event(s.id));
  }

  #pointer(phase: 'down' | 'move' | 'up' | 'cancel', x: number, y: number, buttons: number): void {
    if (phase === 'cancel') {
      this.#layerGrab = null;
      this.wm.pointerCancel();
      return;
    }
    if (this.#layerPointer(phase, x, y, buttons)) {
      this.#setCursor('default');
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
    this.#setCursor(cursorFor(this.wm.hitTest(x, y)?.part ?? null));
  }

  #setCursor(cursor: string): void {
    if (cursor === this.#cursor) return;
    this.#cursor = cursor;
    this.#deps.toHost({ t: 'cursor', cursor });
  }

  /**
   * Layers see the pointer first: a press in one is its app's until the release; a press
   * outside a keyboard layer hides it (the app hears `dismissed`) and goes on to the windows.
   * True when a layer took the event.
   */
  #layerPointer(phase: 'down' | 'move' | 'up', x: number, y: number, buttons: number): boolean {
    const send = (l: Layer): true => {
      const at = this.#layerRect(l);
      l.surface.client.send({
        ev: 'pointer',
        window: l.surface.id,
        phase,
        x: x - at.x,
        y: y - at.y,
        buttons,
      });
      return true;
    };
    const grab = this.#layerGrab;
    if (grab !== null) {
      if (phase === 'up') this.#layerGrab = null;
      return send(grab);
    }
    if (this.wm.dragging) return false;
    const hit = this.#layerAt(x, y);
    if (phase === 'down') {
      const open = this.#keyboardLayer();
      if (open !== null && open !== hit) {
        open.visible = false;
        open.keyboard = false;
        this.#layersChanged(open);
        open.surface.client.send({ ev: 'dismissed', window: open.surface.id });
      }
      if (hit === null) return false;
      this.#layerGrab = hit;
      return send(hit);
    }
    return hit !== null && send(hit);
  }

  #wheel(x: number, y: number, dx: number, dy: number): void {
    const layer = this.#layerAt(x, y);
    if (layer !== null) {
      const at = this.#layerRect(layer);
      layer.surface.client.send({ ev: 'wheel', window: layer.surface.id, x: x - at.x, y: y - at.y, dx, dy });
      return;
    }
    const target = this.wm.routePointer(x, y);
    const s = target === null ? undefined : this.#surfaces.get(target.id);
    if (target !== null) s?.client.send({ ev: 'wheel', window: target.id, x: target.x, y: target.y, dx, dy });
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
      case 'shell':
        return reply(null, {
          shell: {
            workspace: this.wm.activeWorkspace,
            layers: [...this.#layers.values()]
              .filter((l) => l.visible)
              .map((l) => ({
                anchor: l.anchor,
                ...this.#layerRect(l),
                keyboard: l.keyboard,
                text: l.surface.text,
              })),
          },
        });
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
          this.#forget(e.id);
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
    const shell = this.#shellWindows();
    const listed = JSON.stringify(shell);
    if (listed !== this.#shellList) {
      this.#shellList = listed;
      for (const c of this.#clients.keys()) if (c.grants.includes('shell')) c.send(shell);
    }
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
      for (const [s, size] of this.#stale()) void this.#resize(s, size.w, size.h);
    }, SURFACE_RESIZE_MS);
  }

  #needsResize(): boolean {
    return this.#stale().length > 0;
  }

  /** Surfaces whose window's content (or layer) is now another size, with that size. */
  #stale(): [Surface, { w: number; h: number }][] {
    const out: [Surface, { w: number; h: number }][] = [];
    const check = (s: Surface | undefined, size: { w: number; h: number }): void => {
      if (s !== undefined && !s.resizing && (size.w !== s.width || size.h !== s.height)) out.push([s, size]);
    };
    for (const w of this.wm.list()) check(this.#surfaces.get(w.id), surfaceSize(w.rect));
    for (const l of this.#layers.values()) {
      const r = this.#layerRect(l);
      check(l.surface, { w: r.w, h: r.h });
    }
    return out;
  }

  /** A new surface for `s`'s window, sent to its app as another `surface` event. */
  async #resize(s: Surface, width: number, height: number): Promise<void> {
    if (s.link !== null) {
      // A bitmap window has no memory to remake: its app draws the next frame at this size.
      s.width = width;
      s.height = height;
      s.client.send({ ev: 'surface', window: s.id, width, height });
      return;
    }
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
      if (s.link !== null) s.link.send({ t: 'drawn', frame: s.unacked });
      else {
        Atomics.store(s.words, SURFACE.WORD_CONSUMED, s.unacked);
        Atomics.notify(s.words, SURFACE.WORD_CONSUMED);
      }
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
      windows: [
        ...this.wm.scene.drawList().map((w) => ({
          id: w.id,
          rect: w.rect,
          title: w.title,
          focused: w.focused,
          opacity: w.opacity,
          scale: w.scale,
          chrome: true,
          content: this.#surfaces.get(w.id)?.content ?? null,
        })),
        ...[...this.#layers.values()]
          .filter((l) => l.visible)
          .map((l) => ({
            id: l.surface.id,
            rect: this.#layerRect(l),
            title: '',
            focused: false,
            opacity: 1,
            scale: 1,
            chrome: false,
            content: l.surface.content,
          })),
      ],
    };
  }
}
