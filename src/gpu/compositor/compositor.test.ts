// The compositor's core with a fake renderer and fake apps: routing (keys only to the
// focused window's app, reserved chords to none), ownership (an app cannot touch another's
// window), surfaces (frames acknowledged after they are drawn, hostile headers clipped) and
// idleness (no damage, no frame).
import { beforeEach, describe, expect, it } from 'vitest';
import type { CompositorToHost, KeyInput } from '../../abi/display-protocol.ts';
import { SURFACE, type AppEvent } from '../../abi/window-protocol.ts';
import type { Frame } from '../render/frame.ts';
import type { Renderer } from '../render/renderer.ts';
import type { Rect } from '../wm/geometry.ts';
import { Compositor, type Client } from './compositor.ts';

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
const surfaces = new Map<number, SharedArrayBuffer>();

const runFrames = (): number => {
  let n = 0;
  while (frames.length > 0 && n < 100) {
    frames.shift()?.();
    n++;
  }
  return n;
};

function app(pid: number, name = 'clock'): FakeApp {
  const events: AppEvent[] = [];
  const buffers = new Map<number, SharedArrayBuffer>();
  const client: FakeApp = {
    pid,
    app: name,
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
  surfaces.clear();
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
    launch: () => undefined,
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
    launch: () => undefined,
    requestFrame: () => undefined,
    now: () => 0,
    wallClock: () => 0,
    later: () => undefined,
    animate: false,
  });
}
