// The compositor's core with a fake renderer and fake apps: routing (keys only to the
// focused window's app, reserved chords to none), ownership (an app cannot touch another's
// window), surfaces (frames acknowledged after they are drawn, hostile headers clipped) and
// idleness (no damage, no frame).
import { beforeEach, describe, expect, it } from 'vitest';
import type { CompositorToHost, KeyInput } from '../../abi/display-protocol.ts';
import { SURFACE, type AppEvent, type BitmapDrawn, type Grant } from '../../abi/window-protocol.ts';
import type { Frame } from '../render/frame.ts';
import type { Renderer } from '../render/renderer.ts';
import type { Rect } from '../wm/geometry.ts';
import { Compositor, type Client, type FrameLink } from './compositor.ts';

class FakeRenderer implements Renderer {
  readonly kind = 'canvas2d' as const;
  readonly frames: { frame: Frame; damage: readonly Rect[] }[] = [];
  render(frame: Frame, damage: readonly Rect[]): void {
    this.frames.push({ frame, damage });
  }
  resize(): void {}
  readPixels(rect: Rect): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(rect.w * rect.h * 4));
  }
  destroy(): void {}
}

interface FakeApp extends Client {
  readonly events: AppEvent[];
  readonly buffers: Map<number, SharedArrayBuffer>;
}

let renderer: FakeRenderer;
let toHost: CompositorToHost[];
let frames: (() => void)[];
let timers: (() => void)[];
let compositor: Compositor;
let launched: string[];
let clipboard: string;
const surfaces = new Map<number, SharedArrayBuffer>();

/** The compositor's end of a fake link: what it said, and the app's side posts through `post`. */
class FakeLink implements FrameLink {
  readonly said: BitmapDrawn[] = [];
  closed = false;
  #receive: ((data: unknown) => void) | null = null;
  listen(receive: (data: unknown) => void): void {
    this.#receive = receive;
  }
  send(m: BitmapDrawn): void {
    this.said.push(m);
  }
  close(): void {
    this.closed = true;
  }
  post(data: unknown): void {
    this.#receive?.(data);
  }
}
const links = new Map<number, FakeLink>();

/** A stand-in ImageBitmap: its size, and whether the compositor closed it. */
const bitmap = (width: number, height: number) => ({
  width,
  height,
  closed: false,
  close() {
    this.closed = true;
  },
});

const runFrames = (): number => {
  let n = 0;
  while (frames.length > 0 && n < 100) {
    frames.shift()?.();
    n++;
  }
  return n;
};

function app(pid: number, name = 'clock', grants: readonly Grant[] = []): FakeApp {
  const events: AppEvent[] = [];
  const buffers = new Map<number, SharedArrayBuffer>();
  const client: FakeApp = {
    pid,
    app: name,
    grants,
    events,
    buffers,
    send: (event, handles = []) => {
      events.push(event);
      if (event.ev === 'surface')
        buffers.set(event.window, surfaces.get(handles[0] ?? -1) as SharedArrayBuffer);
    },
  };
  compositor.connect(client);
  return client;
}

async function open(client: FakeApp, width = 100, height = 50): Promise<number> {
  await compositor.request(client, { op: 'create', title: `w${client.pid}`, width, height });
  const surface = client.events.filter((v) => v.ev === 'surface').pop();
  if (surface?.ev !== 'surface') throw new Error('no surface');
  return surface.window;
}

const key = (k: Partial<KeyInput> & { key: string }): KeyInput => ({
  code: k.key,
  ctrl: false,
  alt: false,
  shift: false,
  meta: false,
  repeat: false,
  ...k,
});

beforeEach(() => {
  renderer = new FakeRenderer();
  toHost = [];
  frames = [];
  timers = [];
  launched = [];
  clipboard = 'from the host';
  surfaces.clear();
  links.clear();
  let nextHandle = 10;
  compositor = new Compositor({
    renderer,
    width: 1280,
    height: 720,
    dpr: 1,
    toHost: (m) => toHost.push(m),
    createSurface: (bytes) => {
      const buffer = new SharedArrayBuffer(bytes);
      const handle = nextHandle++;
      surfaces.set(handle, buffer);
      return Promise.resolve({ buffer, handle });
    },
    createLink: () => {
      const link = new FakeLink();
      const handle = nextHandle++;
      links.set(handle, link);
      return Promise.resolve({ link, handle });
    },
    launch: (name) => launched.push(name),
    readClipboard: () => Promise.resolve(clipboard),
    requestFrame: (draw) => frames.push(draw),
    now: () => 0,
    wallClock: () => 0,
    later: (fn) => timers.push(fn),
    animate: false,
  });
});

describe('Compositor', () => {
  it('says which renderer it uses, draws the first frame, then nothing while idle', async () => {
    expect(toHost[0]).toEqual({ t: 'ready', renderer: 'canvas2d' });
    const a = app(2);
    await open(a);
    runFrames();
    const drawn = compositor.framesDrawn;
    expect(drawn).toBeGreaterThan(0);
    expect(runFrames()).toBe(0); // nothing scheduled
    await compositor.host({ t: 'pointer', phase: 'move', x: 1000, y: 700, buttons: 0 }); // over the wallpaper
    runFrames();
    expect(compositor.framesDrawn).toBe(drawn);
  });

  it('sends keys and text only to the focused window’s app, and reserved chords to none', async () => {
    const a = app(2);
    const b = app(3);
    const wa = await open(a);
    const wb = await open(b);
    expect(compositor.wm.focused).toBe(wb);
    a.events.length = 0;
    b.events.length = 0;
    await compositor.host({ t: 'key', phase: 'down', input: key({ key: 'x' }), sent: 0 });
    await compositor.host({ t: 'text', data: 'x', sent: 0 });
    expect(a.events.filter((e) => e.ev === 'key' || e.ev === 'text')).toEqual([]);
    expect(b.events.filter((e) => e.ev === 'key' || e.ev === 'text').map((e) => e.ev)).toEqual([
      'key',
      'text',
    ]);

    b.events.length = 0;
    const chord = key({ key: 'ArrowLeft', ctrl: true, alt: true });
    await compositor.host({ t: 'key', phase: 'down', input: chord, sent: 0 });
    await compositor.host({ t: 'key', phase: 'up', input: chord, sent: 0 });
    expect([...a.events, ...b.events].filter((e) => e.ev === 'key')).toEqual([]);
    expect(compositor.windows().find((w) => w.id === wb)).toMatchObject({ x: 0, y: 0, w: 640, h: 720 });

    // Focus moves with automation; the keys follow it, and both apps hear about it.
    await compositor.host({ t: 'call', id: 1, call: { op: 'focus', window: wa } });
    expect(a.events).toContainEqual({ ev: 'focus', window: wa, focused: true });
    expect(b.events).toContainEqual({ ev: 'focus', window: wb, focused: false });
    await compositor.host({ t: 'text', data: 'y', sent: 0 });
    expect(a.events).toContainEqual({ ev: 'text', window: wa, data: 'y', sent: 0 });
    expect(b.events.filter((e) => e.ev === 'text')).toEqual([]);
  });

  it('drops requests naming another app’s window', async () => {
    const a = app(2);
    const b = app(3);
    const wb = await open(b);
    await compositor.request(a, { op: 'close', window: wb });
    await compositor.request(a, { op: 'title', window: wb, title: 'hijacked' });
    await compositor.request(a, { op: 'text', window: wb, text: 'hijacked' });
    await compositor.request(a, { op: 'present', window: wb });
    expect(compositor.windows()).toMatchObject([{ id: wb, title: 'w3', text: '' }]);
    expect(b.events.filter((e) => e.ev === 'closed')).toEqual([]);
  });

  it('acknowledges a presented frame once it is drawn, and clips hostile dirty rects', async () => {
    const a = app(2);
    const w = await open(a, 40, 20);
    runFrames();
    const words = new Int32Array(a.buffers.get(w) as SharedArrayBuffer, 0, SURFACE.HEADER_BYTES / 4);
    expect(words[SURFACE.WORD_MAGIC]).toBe(SURFACE.MAGIC);
    expect([words[SURFACE.WORD_WIDTH], words[SURFACE.WORD_HEIGHT]]).toEqual([40, 20]);

    const present = async (rects: number[][]) => {
      Atomics.store(words, SURFACE.WORD_DIRTY_COUNT, rects.length);
      rects.flat().forEach((v, i) => (words[SURFACE.WORD_DIRTY + i] = v));
      Atomics.add(words, SURFACE.WORD_FRAME, 1);
      await compositor.request(a, { op: 'present', window: w });
    };
    await present([]);
    expect(Atomics.load(words, SURFACE.WORD_CONSUMED)).toBe(0);
    runFrames();
    expect(Atomics.load(words, SURFACE.WORD_CONSUMED)).toBe(1);

    await present([[-1000, -1000, 5000, 5000]]);
    runFrames();
    const content = renderer.frames.at(-1)?.frame.windows.find((v) => v.id === w)?.content;
    expect(content?.dirty).toEqual([{ x: 0, y: 0, w: 40, h: 20 }]);
    expect(content?.version).toBe(2);
    expect(Atomics.load(words, SURFACE.WORD_CONSUMED)).toBe(2);

    // A rect wholly outside the surface changes nothing; a count out of range means all of it.
    const drawn = compositor.framesDrawn;
    await present([[500, 500, 10, 10]]);
    runFrames();
    expect(compositor.framesDrawn).toBe(drawn);
    await present(new Array(SURFACE.WORD_DIRTY).fill([0, 0, 1, 1]));
    Atomics.store(words, SURFACE.WORD_DIRTY_COUNT, 1 << 20);
    await compositor.request(a, { op: 'present', window: w });
    runFrames();
    expect(renderer.frames.at(-1)?.frame.windows.find((v) => v.id === w)?.content?.dirty).toEqual([]);
  });

  it('gives a resized window’s app a surface of the new size once the size holds still', async () => {
    const a = app(2);
    const w = await open(a, 100, 50);
    const chord = key({ key: 'ArrowLeft', ctrl: true, alt: true });
    await compositor.host({ t: 'key', phase: 'down', input: chord, sent: 0 });
    timers.splice(0).forEach((fn) => fn());
    await Promise.resolve(); // createSurface resolves
    await Promise.resolve();
    const surfaces = a.events.filter((e) => e.ev === 'surface');
    expect(surfaces).toEqual([
      { ev: 'surface', window: w, width: 100, height: 50 },
      { ev: 'surface', window: w, width: 640, height: 720 - 32 },
    ]);
    const words = new Int32Array(a.buffers.get(w) as SharedArrayBuffer, 0, SURFACE.HEADER_BYTES / 4);
    expect([words[SURFACE.WORD_WIDTH], words[SURFACE.WORD_HEIGHT]]).toEqual([640, 688]);
    // Nothing more while the size stays.
    timers.splice(0).forEach((fn) => fn());
    expect(a.events.filter((e) => e.ev === 'surface')).toHaveLength(2);
  });

  it('closes an app’s windows when it disconnects, and refuses past the per-app limit', async () => {
    const a = app(2);
    await open(a);
    compositor.disconnect(a);
    expect(compositor.windows()).toEqual([]);
    const b = app(3);
    for (let i = 0; i < 16; i++) await open(b, 10, 10);
    await compositor.request(b, { op: 'create', title: 'one too many', width: 10, height: 10 });
    expect(b.events.at(-1)).toMatchObject({ ev: 'refused' });
    expect(compositor.windows()).toHaveLength(16);
  });

  it('saves the layout after changes and restores remembered geometry', async () => {
    const a = app(2);
    const w = await open(a);
    await compositor.host({ t: 'call', id: 1, call: { op: 'focus', window: w } });
    const chord = key({ key: 'ArrowRight', ctrl: true, alt: true });
    await compositor.host({ t: 'key', phase: 'down', input: chord, sent: 0 });
    timers.splice(0).forEach((fn) => fn());
    const saved = toHost.filter((m) => m.t === 'layout').pop();
    expect(saved).toBeDefined();
    compositor.disconnect(a);

    // A fresh compositor told the saved layout opens the same app's window where it was.
    const before = compositor;
    beforeEachAgain();
    if (saved?.t === 'layout') await compositor.host({ t: 'layout', text: saved.text });
    const w2 = await open(app(5));
    expect(compositor.windows().find((v) => v.id === w2)).toMatchObject({ x: 640, y: 0, w: 640, h: 720 });
    expect(compositor).not.toBe(before);
  });
});

function beforeEachAgain(): void {
  compositor = new Compositor({
    renderer: new FakeRenderer(),
    width: 1280,
    height: 720,
    dpr: 1,
    toHost: () => undefined,
    createSurface: (bytes) => Promise.resolve({ buffer: new SharedArrayBuffer(bytes), handle: 99 }),
    createLink: () => Promise.resolve('NOT_SUPPORTED'),
    launch: () => undefined,
    readClipboard: () => Promise.resolve(''),
    requestFrame: () => undefined,
    now: () => 0,
    wallClock: () => 0,
    later: () => undefined,
    animate: false,
  });
}

const refusals = (a: FakeApp): string[] => a.events.flatMap((e) => (e.ev === 'refused' ? [e.reason] : []));

async function layer(shell: FakeApp, anchor: 'bottom' | 'bottom-left' | 'top-right', w: number, h: number) {
  await compositor.request(shell, { op: 'layer', anchor, width: w, height: h });
  const surface = shell.events.filter((v) => v.ev === 'surface').pop();
  if (surface?.ev !== 'surface') throw new Error('no layer surface');
  return surface;
}

describe('the shell and the grants', () => {
  it('refuses every shell, notify and clipboard request from a connection without the grant', async () => {
    const plain = app(2);
    await open(plain);
    await compositor.request(plain, { op: 'layer', anchor: 'bottom', width: 1, height: 40 });
    await compositor.request(plain, { op: 'launch', app: 'clock' });
    await compositor.request(plain, { op: 'workspace', workspace: 1 });
    await compositor.request(plain, { op: 'notify', title: 'hi', body: '' });
    await compositor.request(plain, { op: 'clipboard-write', text: 'x' });
    await compositor.request(plain, { op: 'clipboard-read' });
    expect(refusals(plain)).toEqual([
      'layer: this connection holds no shell grant',
      'launch: this connection holds no shell grant',
      'workspace: this connection holds no shell grant',
      'notify: this connection holds no notify grant',
      'clipboard-write: this connection holds no clipboard grant',
      'clipboard-read: this connection holds no clipboard grant',
    ]);
    expect(launched).toEqual([]);
    expect(compositor.wm.activeWorkspace).toBe(0);
    expect(toHost.some((m) => m.t === 'notify' || m.t === 'clipboard-write')).toBe(false);
    expect(plain.events.some((e) => e.ev === 'clipboard')).toBe(false);
  });

  it('a bottom bar is as wide as the screen, keeps its height free of windows and follows a resize', async () => {
    const shell = app(3, 'panel', ['shell']);
    const bar = await layer(shell, 'bottom', 1, 40);
    expect(bar).toMatchObject({ width: 1280, height: 40 });
    expect(compositor.wm.workArea).toEqual({ x: 0, y: 0, w: 1280, h: 680 });
    const w = await open(app(4));
    compositor.wm.command({ name: 'maximize' }, w as never);
    expect(compositor.windows()[0]).toMatchObject({ y: 0, h: 680 });
    await compositor.request(shell, { op: 'layer', anchor: 'bottom', width: 1, height: 40 });
    expect(refusals(shell)).toEqual(['layer: there is a bottom bar already']);
    await compositor.host({ t: 'resize', width: 1000, height: 600, dpr: 1 });
    expect(compositor.windows()[0]).toMatchObject({ w: 1000, h: 560 });
    timers.splice(0).forEach((fn) => fn());
    await Promise.resolve();
    const resized = shell.events.filter((e) => e.ev === 'surface' && e.window === bar.window).pop();
    expect(resized).toMatchObject({ width: 1000, height: 40 });
  });

  it('draws visible layers above every window, undecorated, and hidden ones not at all', async () => {
    const shell = app(3, 'panel', ['shell']);
    const bar = await layer(shell, 'bottom', 1, 40);
    const launcher = await layer(shell, 'bottom-left', 320, 300);
    await open(app(4));
    runFrames();
    const last = () => renderer.frames.at(-1)?.frame.windows ?? [];
    compositor.request(shell, { op: 'present', window: bar.window });
    runFrames();
    expect(last().map((w) => [w.id, w.chrome])).toEqual([
      [expect.any(Number), true],
      [bar.window, false],
    ]);
    expect(last().at(-1)?.rect).toEqual({ x: 0, y: 680, w: 1280, h: 40 });
    await compositor.request(shell, { op: 'show', window: launcher.window, visible: true, keyboard: true });
    runFrames();
    expect(last().at(-1)).toMatchObject({ id: launcher.window, rect: { x: 8, y: 372, w: 320, h: 300 } });
  });

  it('gives a keyboard layer the keys and text, and hides it when the user clicks elsewhere', async () => {
    const shell = app(3, 'panel', ['shell']);
    const launcher = await layer(shell, 'bottom-left', 320, 300);
    const clock = app(4);
    const w = await open(clock);
    await compositor.request(shell, { op: 'show', window: launcher.window, visible: true, keyboard: true });
    await compositor.host({ t: 'key', phase: 'down', input: key({ key: 'a' }), sent: 0 });
    await compositor.host({ t: 'text', data: 'cl', sent: 0 });
    expect(shell.events.filter((e) => e.ev === 'key' || e.ev === 'text')).toHaveLength(2);
    expect(clock.events.some((e) => e.ev === 'key' || e.ev === 'text')).toBe(false);
    // A press on the window: the launcher is dismissed, and the window gets the press.
    const win = compositor.windows().find((v) => v.id === w) ?? { x: 0, y: 0 };
    await compositor.host({ t: 'pointer', phase: 'down', x: win.x + 20, y: win.y + 60, buttons: 1 });
    expect(shell.events.at(-1)).toEqual({ ev: 'dismissed', window: launcher.window });
    expect(clock.events.some((e) => e.ev === 'pointer')).toBe(true);
    await compositor.host({ t: 'text', data: 'x', sent: 0 });
    expect(clock.events.filter((e) => e.ev === 'text')).toHaveLength(1);
  });

  it('tells the shell about windows, and lets it activate, minimize, switch workspaces and launch', async () => {
    const shell = app(3, 'panel', ['shell']);
    const w = await open(app(4));
    const list = () => shell.events.filter((e) => e.ev === 'windows').pop();
    expect(list()).toMatchObject({ workspace: 0, windows: [{ id: w, focused: true, minimized: false }] });
    await compositor.request(shell, { op: 'activate', window: w });
    expect(list()).toMatchObject({ windows: [{ id: w, focused: false, minimized: true }] });
    await compositor.request(shell, { op: 'activate', window: w });
    expect(list()).toMatchObject({ windows: [{ id: w, focused: true, minimized: false }] });
    await compositor.request(shell, { op: 'workspace', workspace: 2 });
    expect(list()).toMatchObject({ workspace: 2 });
    await compositor.request(shell, { op: 'launch', app: 'clock' });
    expect(launched).toEqual(['clock']);
    await compositor.host({
      t: 'key',
      phase: 'down',
      input: key({ key: 'Enter', ctrl: true, alt: true }),
      sent: 0,
    });
    expect(shell.events.at(-1)).toEqual({ ev: 'launcher' });
  });

  it('passes notifications to the shell and the host, at most five in ten seconds per app', async () => {
    const shell = app(3, 'panel', ['shell']);
    const poster = app(4, 'clock', ['notify']);
    for (let i = 0; i < 7; i++) await compositor.request(poster, { op: 'notify', title: `n${i}`, body: 'b' });
    const seen = shell.events.filter((e) => e.ev === 'notification');
    expect(seen).toHaveLength(5);
    expect(seen[0]).toEqual({ ev: 'notification', app: 'clock', title: 'n0', body: 'b' });
    expect(toHost.filter((m) => m.t === 'notify')).toHaveLength(5);
    expect(refusals(poster)).toHaveLength(2);
  });

  it('lets a clipboard app read and write only while it has the keyboard', async () => {
    const a = app(4, 'clock', ['clipboard']);
    const b = app(5, 'clock', ['clipboard']);
    await open(a);
    await open(b); // b is focused
    await compositor.request(a, { op: 'clipboard-read' });
    await compositor.request(a, { op: 'clipboard-write', text: 'stolen' });
    expect(refusals(a)).toEqual([
      'clipboard-read: only the app with the keyboard may use the clipboard',
      'clipboard-write: only the app with the keyboard may use the clipboard',
    ]);
    await compositor.request(b, { op: 'clipboard-write', text: 'copied' });
    await compositor.request(b, { op: 'clipboard-read' });
    expect(toHost.filter((m) => m.t === 'clipboard-write')).toEqual([
      { t: 'clipboard-write', text: 'copied' },
    ]);
    expect(b.events.at(-1)).toEqual({ ev: 'clipboard', text: 'from the host' });
  });

  it('sends the wheel to the window under the pointer at content coordinates', async () => {
    const a = app(4);
    const w = await open(a);
    const win = compositor.windows().find((v) => v.id === w) ?? { x: 0, y: 0 };
    await compositor.host({ t: 'wheel', x: win.x + 10, y: win.y + 40, dx: 0, dy: 120 });
    expect(a.events.at(-1)).toMatchObject({ ev: 'wheel', window: w, x: 10, dx: 0, dy: 120 });
    const before = a.events.length;
    await compositor.host({ t: 'wheel', x: 1270, y: 710, dx: 0, dy: 120 });
    expect(a.events).toHaveLength(before);
  });
});

describe('bitmap windows (ADR 0020)', () => {
  /**
   * Opens a bitmap window; its id, the link whose end the app was given, and the app (a
   * copy of `client` that also notes the handles it is sent, connected in its place).
   */
  async function openBitmaps(client: FakeApp): Promise<{ w: number; link: FakeLink; a: FakeApp }> {
    let handle = -1;
    const send = client.send;
    const seen = (event: AppEvent, handles: readonly number[] = []) => {
      if (event.ev === 'surface') handle = handles[0] ?? -1;
      send(event, handles);
    };
    const spy: FakeApp = { ...client, send: seen };
    compositor.disconnect(client);
    compositor.connect(spy);
    await compositor.request(spy, { op: 'create', title: 'gl', width: 80, height: 40, bitmaps: true });
    const surface = spy.events.filter((v) => v.ev === 'surface').pop();
    const link = links.get(handle);
    if (surface?.ev !== 'surface' || link === undefined) throw new Error('no bitmap window');
    return { w: surface.window, link, a: spy };
  }
  const contentOf = (w: number) => renderer.frames.at(-1)?.frame.windows.find((v) => v.id === w)?.content;

  it('draws the newest frame, closes each one it replaces, and says drawn once it is on screen', async () => {
    const { w, link } = await openBitmaps(app(2));
    expect(surfaces.size).toBe(0); // no shared pixels for a bitmap window
    const b1 = bitmap(80, 40);
    link.post({ t: 'frame', frame: 1, bitmap: b1 });
    runFrames();
    expect(contentOf(w)).toMatchObject({ width: 80, height: 40, version: 1, bitmap: b1 });
    expect(link.said).toEqual([{ t: 'drawn', frame: 1 }]);
    expect(b1.closed).toBe(false); // kept: the window may need drawing again

    const [b2, b3] = [bitmap(80, 40), bitmap(80, 40)];
    link.post({ t: 'frame', frame: 2, bitmap: b2 });
    link.post({ t: 'frame', frame: 3, bitmap: b3 });
    expect([b1.closed, b2.closed, b3.closed]).toEqual([true, true, false]);
    runFrames();
    expect(contentOf(w)).toMatchObject({ version: 3, bitmap: b3 });
    expect(link.said).toEqual([
      { t: 'drawn', frame: 1 },
      { t: 'drawn', frame: 3 },
    ]);
    expect(runFrames()).toBe(0); // idle again
  });

  it('drops, and frees, what a hostile app posts: junk, old frame numbers, bad sizes, a pixel present', async () => {
    const { w, link, a } = await openBitmaps(app(2));
    const good = bitmap(80, 40);
    link.post({ t: 'frame', frame: 5, bitmap: good });
    runFrames();
    const drawn = compositor.framesDrawn;
    const huge = bitmap(5000, 10);
    const old = bitmap(80, 40);
    const fake = { t: 'frame', frame: 9, bitmap: { width: 80, height: 40 } }; // no close: not a bitmap
    for (const junk of ['frame', null, 42, { t: 'frame', frame: 0, bitmap: bitmap(1, 1) }, fake])
      link.post(junk);
    link.post({ t: 'frame', frame: 6, bitmap: huge });
    link.post({ t: 'frame', frame: 5, bitmap: old });
    await compositor.request(a, { op: 'present', window: w });
    runFrames();
    expect(compositor.framesDrawn).toBe(drawn);
    expect([huge.closed, old.closed, good.closed]).toEqual([true, true, false]);
    expect(link.said).toEqual([{ t: 'drawn', frame: 5 }]);
  });

  it('resizes without memory, and closing the window closes its link and its frame', async () => {
    const { w, link, a } = await openBitmaps(app(2));
    const b = bitmap(80, 40);
    link.post({ t: 'frame', frame: 1, bitmap: b });
    runFrames();
    await compositor.host({
      t: 'key',
      phase: 'down',
      input: key({ key: 'ArrowLeft', ctrl: true, alt: true }),
      sent: 0,
    });
    timers.splice(0).forEach((fn) => fn());
    await Promise.resolve();
    expect(a.events.filter((e) => e.ev === 'surface').at(-1)).toEqual({
      ev: 'surface',
      window: w,
      width: 640,
      height: 720 - 32,
    });
    expect(surfaces.size).toBe(0);
    await compositor.request(a, { op: 'close', window: w });
    expect([link.closed, b.closed]).toEqual([true, true]);
    const late = bitmap(80, 40);
    link.post({ t: 'frame', frame: 2, bitmap: late });
    expect(late.closed).toBe(true);
  });
});
