// The compositor domain: maps the host's Display (its OffscreenCanvas and the port to the
// host's display bridge), draws the desktop with the WebGPU renderer or, without a GPU,
// the Canvas2D one, and serves apps on the connections init hands it. Layer: gpu.
//
// Initial handles: 0 the Display, 1 the control channel to init (window-protocol.ts,
// ControlMessage). Every app connection is served by its own loop; a connection that
// closes closes its windows; handles an app sends are closed unread.
import { decodeHostMessage } from '../abi/display-protocol.ts';
import { Status, statusName } from '../abi/status.ts';
import {
  decodeAppRequest,
  decodeControlMessage,
  encodeControlMessage,
  encodeWindowMessage,
  type AppEvent,
  type Grant,
} from '../abi/window-protocol.ts';
import type { Channel } from '../workers/channel.ts';
import { startDomain, type DomainContext } from '../workers/domain.ts';
import { Compositor, type Client, type FrameLink } from './compositor/compositor.ts';
import { createRenderer } from './render/renderer.ts';

declare const self: DedicatedWorkerGlobalScope;

/** How long a clipboard read waits for the host before answering ''. */
const CLIPBOARD_TIMEOUT_MS = 2000;

/** A frame's length at 60 Hz, ms. */
const FRAME_MS = 1000 / 60;
/** When the last frame that drew anything was drawn (performance.now()). */
let lastDraw = -Infinity;
/** How many frames the compositor has drawn (it counts only frames with damage). */
let framesDrawn = (): number => 0;
/** True while a frame draws: a frame it asks for (an animation's next) keeps the pace. */
let drawing = false;

// A worker may have requestAnimationFrame and still refuse it (Chromium does in some
// workers, NotSupportedError): then frames are paced by a timer.
let animationFrames = typeof self.requestAnimationFrame === 'function';
const requestFrame = (draw: () => void): void => {
  const drawn = (): void => {
    const before = framesDrawn();
    drawing = true;
    try {
      draw();
    } finally {
      drawing = false;
    }
    if (framesDrawn() !== before) lastDraw = performance.now();
  };
  // Damage after a frame or more of quiet (a key's echo, a clock tick) is drawn at once:
  // waiting for the next animation frame and then drawing would miss the vsync after it,
  // a frame of latency for nothing. Damage while frames are running keeps their pace.
  if (!drawing && performance.now() - lastDraw >= FRAME_MS) {
    setTimeout(drawn, 0);
    return;
  }
  if (animationFrames) {
    try {
      self.requestAnimationFrame(drawn);
      return;
    } catch {
      animationFrames = false;
    }
  }
  setTimeout(drawn, FRAME_MS);
};

/** Serves one app's connection until it closes. */
async function serveClient(
  ctx: DomainContext,
  compositor: Compositor,
  pid: number,
  app: string,
  grants: readonly Grant[],
  handle: number,
) {
  const channel: Channel = ctx.channel(handle);
  let tail: Promise<unknown> = Promise.resolve();
  let gone = false;
  const client: Client = {
    pid,
    app,
    grants,
    // Sends are chained so the app sees events in the order they were made.
    send: (event: AppEvent, handles: readonly number[] = []) => {
      tail = tail.then(async () => {
        if (gone) return;
        const s = await channel.writeAsync(encodeWindowMessage(event), handles);
        if (s !== Status.OK) gone = true;
      });
    },
  };
  compositor.connect(client);
  for (;;) {
    const r = await channel.readAsync();
    if (r.status !== Status.OK) break;
    for (const h of r.message.handles) void ctx.sys.handleCloseAsync(h);
    const m = decodeAppRequest(r.message.data);
    if (!m.ok) {
      ctx.log('warn', `pid ${pid} (${app}) sent a bad window request: ${m.error}`);
      continue;
    }
    await compositor.request(client, m.value);
  }
  gone = true;
  compositor.disconnect(client);
  void ctx.sys.handleCloseAsync(handle);
}

startDomain(async (ctx) => {
  const [displayHandle = 0, controlHandle = 0] = ctx.handles;
  const grant = await ctx.mapDisplay(displayHandle);
  if (typeof grant === 'number') throw new Error(`display.map: ${statusName(grant)}`);
  const canvas = grant.canvas as OffscreenCanvas;
  const port = grant.port as MessagePort;
  const renderer = await createRenderer(canvas, 'auto');
  const control = ctx.channel(controlHandle);
  // Clipboard reads the host answers, by request id.
  const clipboardReads = new Map<number, (text: string) => void>();
  let nextRead = 1;
  const compositor = new Compositor({
    renderer,
    width: grant.width,
    height: grant.height,
    dpr: grant.dpr,
    toHost: (m) => port.postMessage(m),
    createSurface: async (bytes) => {
      const created = await ctx.sys.memoryCreateAsync(bytes);
      if (created.status !== Status.OK) return statusName(created.status);
      const handle = created.memory as number;
      const buffer = await ctx.mapMemory(handle);
      if (typeof buffer === 'number') {
        void ctx.sys.handleCloseAsync(handle);
        return statusName(buffer);
      }
      return { buffer, handle };
    },
    createLink: async () => {
      const created = await ctx.sys.linkCreateAsync();
      if (created.status !== Status.OK) return statusName(created.status);
      const [mine, theirs] = [created.end0 as number, created.end1 as number];
      const linkPort = await ctx.mapLink(mine);
      void ctx.sys.handleCloseAsync(mine); // the port is ours now; the handle is not needed
      if (typeof linkPort === 'number') {
        void ctx.sys.handleCloseAsync(theirs);
        return statusName(linkPort);
      }
      const link: FrameLink = {
        listen: (receive) => {
          linkPort.onmessage = (e: MessageEvent<unknown>) => receive(e.data);
        },
        send: (m) => linkPort.postMessage(m),
        close: () => linkPort.close(),
      };
      return { link, handle: theirs };
    },
    launch: (app) => void control.writeAsync(encodeControlMessage({ op: 'launch', app })),
    readClipboard: () =>
      new Promise<string>((resolve) => {
        const id = nextRead++;
        clipboardReads.set(id, resolve);
        port.postMessage({ t: 'clipboard-read', id });
        // A host that never answers must not stall the app's connection.
        setTimeout(() => clipboardReads.delete(id) && resolve(''), CLIPBOARD_TIMEOUT_MS);
      }),
    requestFrame,
    now: () => performance.now(),
    wallClock: () => performance.timeOrigin + performance.now(),
    later: (fn, ms) => void setTimeout(fn, ms),
  });
  framesDrawn = () => compositor.framesDrawn;
  port.onmessage = (e: MessageEvent<unknown>) => {
    const m = decodeHostMessage(e.data);
    if (m.ok && m.value.t === 'clipboard') {
      clipboardReads.get(m.value.id)?.(m.value.text);
      clipboardReads.delete(m.value.id);
      return;
    }
    if (m.ok) {
      void compositor.host(m.value);
      return;
    }
    // A malformed automation call still gets its answer, so the caller is not left to time out.
    const { t, id } = (typeof e.data === 'object' && e.data !== null ? e.data : {}) as {
      t?: unknown;
      id?: unknown;
    };
    if (t === 'call' && Number.isSafeInteger(id) && (id as number) > 0)
      port.postMessage({ t: 'reply', id, error: m.error });
    else ctx.log('warn', `dropped a bad message from the host: ${m.error}`);
  };
  ctx.log('info', `compositor drawing with ${renderer.kind} at ${grant.width}x${grant.height}@${grant.dpr}`);
  for (;;) {
    const r = await control.readAsync();
    if (r.status !== Status.OK) break;
    const m = decodeControlMessage(r.message.data);
    const [end] = r.message.handles;
    if (!m.ok || m.value.op !== 'client' || end === undefined || r.message.handles.length !== 1) {
      for (const h of r.message.handles) void ctx.sys.handleCloseAsync(h);
      ctx.log('warn', `dropped a bad control message: ${m.ok ? 'no connection' : m.error}`);
      continue;
    }
    void serveClient(ctx, compositor, m.value.pid, m.value.app, m.value.grants, end);
  }
  ctx.log('info', 'init closed the control channel');
}, self);
