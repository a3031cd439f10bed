// The app side of the window protocol (src/abi/window-protocol.ts): opens a window on
// the app's compositor connection, maps its Surface, and hands out the back buffer to
// draw into and present; or, for a window opened with `bitmaps`, maps its link and posts
// the ImageBitmaps the app draws itself (ADR 0020). Layer: workers. Events from the compositor come through
// `next()`; the compositor is trusted for pixels' placement, not for anything else here:
// an event that does not decode ends the connection.
import { Status, statusName } from '../abi/status.ts';
import {
  decodeAppEvent,
  decodeBitmapDrawn,
  encodeWindowMessage,
  SURFACE,
  surfaceBufferOffset,
  WINDOW_LIMITS,
  type AppEvent,
  type AppRequest,
  type DirtyRect,
  type LayerAnchor,
} from '../abi/window-protocol.ts';
import type { Channel } from './channel.ts';
import type { DomainContext } from './domain.ts';

/** How long `draw` waits for the compositor to take the previous frame before drawing anyway. */
const CONSUME_WAIT_MS = 250;

/** A bitmap window's end of its link: frames go out, `drawn` comes back. */
class BitmapLink {
  readonly #port: MessagePort;
  /** The newest frame sent, and the newest the compositor said it drew. */
  #sent = 0;
  #drawn = 0;
  #wake: (() => void) | null = null;

  constructor(port: MessagePort) {
    this.#port = port;
    port.onmessage = (e: MessageEvent<unknown>) => {
      const m = decodeBitmapDrawn(e.data);
      if (!m.ok) return; // only the compositor holds the other end; nothing else is said
      this.#drawn = Math.max(this.#drawn, m.value.frame);
      this.#wake?.();
    };
  }

  get framesDrawn(): number {
    return this.#drawn;
  }

  async present(bitmap: ImageBitmap): Promise<void> {
    if (this.#drawn < this.#sent) {
      // At most one frame waits; a compositor that does not draw is not waited for long.
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, CONSUME_WAIT_MS);
        this.#wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.#wake = null;
    }
    this.#sent++;
    this.#port.postMessage({ t: 'frame', frame: this.#sent, bitmap }, [bitmap]);
  }

  close(): void {
    this.#port.close();
  }
}

const pixelSurface = (buffer: SharedArrayBuffer): { words: Int32Array; buffer: SharedArrayBuffer } => ({
  words: new Int32Array(buffer, 0, SURFACE.HEADER_BYTES / 4),
  buffer,
});

export class AppWindow {
  readonly id: number;
  /** The surface's size; it changes when the user resizes the window (a `surface` event). */
  width: number;
  height: number;
  readonly #connection: Connection;
  /** A pixel window's surface, or a bitmap window's link: the one it has. */
  #surface: { words: Int32Array; buffer: SharedArrayBuffer } | BitmapLink;

  private constructor(
    connection: Connection,
    id: number,
    width: number,
    height: number,
    surface: SharedArrayBuffer | BitmapLink,
  ) {
    this.#connection = connection;
    this.id = id;
    this.width = width;
    this.height = height;
    this.#surface = surface instanceof BitmapLink ? surface : pixelSurface(surface);
  }

  /** True for a window opened with `bitmaps`: it shows what presentBitmap posts. */
  get bitmaps(): boolean {
    return this.#surface instanceof BitmapLink;
  }

  /** @internal The compositor gave the window a new size, and a pixel window a new surface. */
  replace(width: number, height: number, buffer: SharedArrayBuffer | null): void {
    this.width = width;
    this.height = height;
    if (buffer !== null) this.#surface = pixelSurface(buffer);
  }

  /** @internal Made by Connection.open. */
  static attach(
    c: Connection,
    id: number,
    width: number,
    height: number,
    surface: SharedArrayBuffer | MessagePort,
  ): AppWindow {
    const s = surface instanceof SharedArrayBuffer ? surface : new BitmapLink(surface);
    return new AppWindow(c, id, width, height, s);
  }

  /**
   * Shows a frame the app drew itself, in a window opened with `bitmaps` (an ImageBitmap,
   * e.g. from OffscreenCanvas.transferToImageBitmap; it is transferred, so the app no
   * longer has it). Waits first, up to 250 ms, until the compositor has drawn the frame
   * before, so frames are made no faster than the screen shows them. Draw it at the
   * window's width×height: a bitmap of another size is drawn at the top-left, cropped.
   */
  async presentBitmap(bitmap: ImageBitmap): Promise<void> {
    if (!(this.#surface instanceof BitmapLink))
      throw new Error('presentBitmap: this window was not opened with bitmaps; use draw');
    await this.#surface.present(bitmap);
  }

  /** For a bitmap window: the newest frame the compositor said it drew (0: none yet). */
  get framesDrawn(): number {
    return this.#surface instanceof BitmapLink ? this.#surface.framesDrawn : 0;
  }

  /** @internal The window closed. */
  detach(): void {
    if (this.#surface instanceof BitmapLink) this.#surface.close();
  }

  /**
   * Draws a frame: `paint` gets the back buffer (RGBA8, width×height, holding the last
   * frame) and returns the rects it changed (none: all of it); then the frame is presented.
   */
  async draw(paint: (pixels: Uint8ClampedArray) => readonly DirtyRect[] | undefined): Promise<void> {
    if (this.#surface instanceof BitmapLink)
      throw new Error('draw: this window takes bitmaps; use presentBitmap');
    const { words: w, buffer } = this.#surface;
    const deadline = performance.now() + CONSUME_WAIT_MS;
    for (;;) {
      const frame = Atomics.load(w, SURFACE.WORD_FRAME);
      if (Atomics.load(w, SURFACE.WORD_CONSUMED) === frame) break;
      const left = deadline - performance.now();
      if (left <= 0) break; // a compositor that does not take frames only sees a torn one
      await Atomics.waitAsync(w, SURFACE.WORD_CONSUMED, Atomics.load(w, SURFACE.WORD_CONSUMED), left).value;
    }
    const front = Atomics.load(w, SURFACE.WORD_FRONT) & 1;
    const back = 1 - front;
    const bytes = this.width * this.height * 4;
    const frontPixels = new Uint8ClampedArray(
      buffer,
      surfaceBufferOffset(this.width, this.height, front),
      bytes,
    );
    const pixels = new Uint8ClampedArray(buffer, surfaceBufferOffset(this.width, this.height, back), bytes);
    pixels.set(frontPixels);
    const dirty = (paint(pixels) ?? []).slice(0, WINDOW_LIMITS.DIRTY_MAX);
    Atomics.store(w, SURFACE.WORD_DIRTY_COUNT, dirty.length);
    dirty.forEach((r, i) => r.forEach((v, j) => Atomics.store(w, SURFACE.WORD_DIRTY + i * 4 + j, v)));
    Atomics.store(w, SURFACE.WORD_FRONT, back);
    Atomics.add(w, SURFACE.WORD_FRAME, 1);
    await this.#connection.send({ op: 'present', window: this.id });
  }

  /** Publishes the window's text for screen readers and the automation API. */
  setText(text: string): Promise<void> {
    return this.#connection.send({
      op: 'text',
      window: this.id,
      text: text.slice(0, WINDOW_LIMITS.TEXT_MAX),
    });
  }
}

/** An app's connection to the compositor: open windows, read events. */
export class Connection {
  readonly #ctx: DomainContext;
  readonly #channel: Channel;
  readonly #queued: AppEvent[] = [];
  readonly #windows = new Map<number, AppWindow>();

  constructor(ctx: DomainContext, handle: number) {
    this.#ctx = ctx;
    this.#channel = ctx.channel(handle);
  }

  async send(m: AppRequest): Promise<void> {
    const s = await this.#channel.writeAsync(encodeWindowMessage(m));
    if (s !== Status.OK) throw new Error(`the compositor connection failed: ${statusName(s)}`);
  }

  /**
   * Opens a window; its surface is width×height pixels (the window's content area). With
   * `bitmaps`, the app shows frames it draws itself through presentBitmap instead of draw.
   */
  open(
    title: string,
    width: number,
    height: number,
    options: { bitmaps?: boolean } = {},
  ): Promise<AppWindow> {
    return this.#opened(
      options.bitmaps === true
        ? { op: 'create', title, width, height, bitmaps: true }
        : { op: 'create', title, width, height },
    );
  }

  /**
   * Opens a layer (a connection with the shell grant only): an undecorated surface above
   * the windows at `anchor`. The compositor may make it another size (a bottom bar is as
   * wide as the screen); the AppWindow has the size it got. Hidden until `show`, except a bar.
   */
  layer(anchor: LayerAnchor, width: number, height: number): Promise<AppWindow> {
    return this.#opened({ op: 'layer', anchor, width, height });
  }

  async #opened(request: AppRequest): Promise<AppWindow> {
    await this.send(request);
    for (;;) {
      const r = await this.#channel.readAsync();
      if (r.status !== Status.OK) throw new Error(`the compositor went away: ${statusName(r.status)}`);
      const e = decodeAppEvent(r.message.data);
      if (!e.ok) throw new Error(`the compositor sent a malformed event: ${e.error}`);
      if (e.value.ev === 'refused') throw new Error(`the compositor refused the window: ${e.value.reason}`);
      if (e.value.ev !== 'surface') {
        this.#queued.push(e.value);
        continue;
      }
      const bitmaps = request.op === 'create' && request.bitmaps === true;
      const surface = bitmaps ? await this.#link(r.message.handles) : await this.#surface(r.message.handles);
      const window = AppWindow.attach(this, e.value.window, e.value.width, e.value.height, surface);
      this.#windows.set(window.id, window);
      return window;
    }
  }

  async #link(handles: readonly number[]): Promise<MessagePort> {
    const [link] = handles;
    if (link === undefined || handles.length !== 1)
      throw new Error('the compositor sent a bitmap window without its link');
    const port = await this.#ctx.mapLink(link);
    void this.#ctx.sys.handleCloseAsync(link); // the port is ours now
    if (typeof port === 'number') throw new Error(`link.map: ${statusName(port)}`);
    return port;
  }

  async #surface(handles: readonly number[]): Promise<SharedArrayBuffer> {
    const [memory] = handles;
    if (memory === undefined || handles.length !== 1)
      throw new Error('the compositor sent a surface without its memory');
    const buffer = await this.#ctx.mapMemory(memory);
    if (typeof buffer === 'number') throw new Error(`memory.map: ${statusName(buffer)}`);
    void this.#ctx.sys.handleCloseAsync(memory); // the mapping keeps the bytes
    const words = new Int32Array(buffer, 0, SURFACE.HEADER_BYTES / 4);
    if (Atomics.load(words, SURFACE.WORD_MAGIC) !== SURFACE.MAGIC)
      throw new Error('the surface has no header');
    return buffer;
  }

  /**
   * The next event, or null when the compositor closed the connection. A `surface` event
   * for an open window means it was resized: the AppWindow already has the new surface
   * (its width and height), blank, and the app should draw a frame.
   */
  async next(): Promise<AppEvent | null> {
    const queued = this.#queued.shift();
    if (queued) return queued;
    const r = await this.#channel.readAsync();
    if (r.status !== Status.OK) return null;
    const e = decodeAppEvent(r.message.data);
    if (!e.ok) throw new Error(`the compositor sent a malformed event: ${e.error}`);
    const window = e.value.ev === 'surface' ? this.#windows.get(e.value.window) : undefined;
    if (e.value.ev === 'surface' && window !== undefined) {
      // A bitmap window's resize brings no memory, only the size to draw at.
      const buffer = window.bitmaps ? null : await this.#surface(r.message.handles);
      if (window.bitmaps) for (const h of r.message.handles) void this.#ctx.sys.handleCloseAsync(h);
      window.replace(e.value.width, e.value.height, buffer);
      return e.value;
    }
    for (const h of r.message.handles) void this.#ctx.sys.handleCloseAsync(h);
    if (e.value.ev === 'closed') {
      this.#windows.get(e.value.window)?.detach();
      this.#windows.delete(e.value.window);
    }
    return e.value;
  }
}
