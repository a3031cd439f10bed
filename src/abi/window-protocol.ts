// The window protocol: what an app and the compositor say over the app's connection
// channel (ADR 0017), and the layout of a Surface, the Memory an app draws into.
// Layer: abi. Messages are JSON text in channel messages; a surface's Memory travels as
// the one handle of a `surface` event. The compositor trusts nothing an app sends: a
// message that does not decode, or names a window the app does not own, is dropped.
import { err, ok, type Result } from './result.ts';
import { utf8Decode, utf8Encode } from './utf8.ts';

export const WINDOW_LIMITS = {
  /** Windows one connection may have open. */
  WINDOWS_PER_CLIENT: 16,
  TITLE_MAX: 200,
  /** Text an app publishes for screen readers. */
  TEXT_MAX: 4096,
  /** Largest surface side, px. */
  SURFACE_MAX: 4096,
  /** Dirty rects one present carries; more means the whole surface. */
  DIRTY_MAX: 16,
  /** A notification's title and body. */
  NOTIFY_TITLE_MAX: 120,
  NOTIFY_BODY_MAX: 1000,
  /** Clipboard text one message carries. */
  CLIPBOARD_MAX: 1 << 16,
  /** Tallest layer, px. */
  LAYER_MAX: 600,
} as const;

/**
 * What init grants an app's connection when it introduces the app to the compositor
 * (ADR 0018). The connection is the capability: only the process holding it can use it,
 * and what it may do beyond opening windows is fixed by these grants.
 *   shell      draw layers (the taskbar, launcher, toasts), hear about every window and
 *              every notification, switch workspaces, activate windows, launch apps
 *   notify     post notifications
 *   clipboard  read and write the host's clipboard
 */
export const GRANTS = ['shell', 'notify', 'clipboard'] as const;
export type Grant = (typeof GRANTS)[number];

/**
 * Where a layer sits: `bottom` is a full-width bar along the bottom edge whose height the
 * window manager keeps free of windows; `bottom-left` sits just above that bar at the left
 * (a launcher); `top-right` in the top-right corner (notification toasts).
 */
export const LAYER_ANCHORS = ['bottom', 'bottom-left', 'top-right'] as const;
export type LayerAnchor = (typeof LAYER_ANCHORS)[number];

/** A window as the shell sees it (the taskbar's buttons). */
export interface ShellWindow {
  readonly id: number;
  readonly title: string;
  readonly focused: boolean;
  readonly minimized: boolean;
  readonly workspace: number;
}

/** [x, y, w, h] in surface pixels. */
export type DirtyRect = readonly [number, number, number, number];

export type AppRequest =
  /** `bitmaps`: the app draws its frames itself and posts them as ImageBitmaps (see BitmapFrame). */
  | {
      readonly op: 'create';
      readonly title: string;
      readonly width: number;
      readonly height: number;
      readonly bitmaps?: boolean;
    }
  /** The front buffer of the window's surface holds a new frame (SURFACE.FRAME was bumped). */
  | { readonly op: 'present'; readonly window: number }
  | { readonly op: 'title'; readonly window: number; readonly title: string }
  | { readonly op: 'text'; readonly window: number; readonly text: string }
  | { readonly op: 'close'; readonly window: number }
  /** shell: a surface drawn above every window, undecorated, at `anchor` (a `surface` event answers). */
  | { readonly op: 'layer'; readonly anchor: LayerAnchor; readonly width: number; readonly height: number }
  /** shell: shows or hides a layer; a shown layer with `keyboard` receives the keys until hidden. */
  | { readonly op: 'show'; readonly window: number; readonly visible: boolean; readonly keyboard: boolean }
  /** shell: a taskbar button was pressed — focus the window (restoring it), or minimize it if focused. */
  | { readonly op: 'activate'; readonly window: number }
  /** shell: switch to a workspace (from 0). */
  | { readonly op: 'workspace'; readonly workspace: number }
  /** shell: start an app by program name. */
  | { readonly op: 'launch'; readonly app: string }
  /** notify: post a notification. */
  | { readonly op: 'notify'; readonly title: string; readonly body: string }
  /** clipboard: replace the clipboard's text. */
  | { readonly op: 'clipboard-write'; readonly text: string }
  /** clipboard: ask for the clipboard's text (a `clipboard` event answers). */
  | { readonly op: 'clipboard-read' };

export interface KeyEvent {
  readonly key: string;
  readonly code: string;
  readonly ctrl: boolean;
  readonly alt: boolean;
  readonly shift: boolean;
  readonly meta: boolean;
}

export type AppEvent =
  /**
   * The window exists; its surface (one handle on the message) is `width`×`height`. For a
   * window opened with `bitmaps` the handle is the app's end of the window's link instead,
   * and only the first `surface` event carries it: a resize just says the new size.
   */
  | { readonly ev: 'surface'; readonly window: number; readonly width: number; readonly height: number }
  | { readonly ev: 'refused'; readonly reason: string }
  /** `sent`: when the host saw the input, ms since the epoch (performance.timeOrigin + now()). */
  | {
      readonly ev: 'key';
      readonly window: number;
      readonly phase: 'down' | 'up';
      readonly key: KeyEvent;
      readonly sent: number;
    }
  | { readonly ev: 'text'; readonly window: number; readonly data: string; readonly sent: number }
  | {
      readonly ev: 'pointer';
      readonly window: number;
      readonly phase: 'down' | 'move' | 'up';
      readonly x: number;
      readonly y: number;
      readonly buttons: number;
    }
  | {
      readonly ev: 'wheel';
      readonly window: number;
      readonly x: number;
      readonly y: number;
      readonly dx: number;
      readonly dy: number;
    }
  | { readonly ev: 'focus'; readonly window: number; readonly focused: boolean }
  /** The user closed the window: it is gone on screen; the app may exit. */
  | { readonly ev: 'closed'; readonly window: number }
  /** shell: the windows (bottom to top) and the active workspace, whenever either changes. */
  | { readonly ev: 'windows'; readonly workspace: number; readonly windows: readonly ShellWindow[] }
  /** shell: an app posted a notification. */
  | { readonly ev: 'notification'; readonly app: string; readonly title: string; readonly body: string }
  /** shell: the user pressed the launcher shortcut (Ctrl+Alt+Enter). */
  | { readonly ev: 'launcher' }
  /** shell: a keyboard layer was hidden because the user clicked outside it. */
  | { readonly ev: 'dismissed'; readonly window: number }
  /** clipboard: the answer to clipboard-read ('' when the clipboard holds no text). */
  | { readonly ev: 'clipboard'; readonly text: string };

/**
 * A surface's Memory: a header of Int32 words, then two RGBA8 buffers of
 * WIDTH×HEIGHT pixels. The app draws into the buffer FRONT does not name, stores the
 * dirty rects, stores FRONT, adds 1 to FRAME and sends `present`; the compositor copies
 * the front buffer's dirty rects out, stores CONSUMED = FRAME and notifies it. The app
 * draws into a buffer again only once CONSUMED has caught up with FRAME, so the
 * compositor never reads pixels being written.
 */
export const SURFACE = {
  MAGIC: 0x53524631, // "SRF1"
  WORD_MAGIC: 0,
  WORD_WIDTH: 1,
  WORD_HEIGHT: 2,
  /** 0 or 1: the buffer holding the newest frame. */
  WORD_FRONT: 3,
  WORD_FRAME: 4,
  WORD_CONSUMED: 5,
  WORD_DIRTY_COUNT: 6,
  /** DIRTY_MAX rects of four words from here. */
  WORD_DIRTY: 8,
  HEADER_BYTES: 256,
} as const;

/**
 * A window opened with `bitmaps` takes frames the app drew itself (with WebGPU, WebGL or
 * a 2D OffscreenCanvas, then transferToImageBitmap) on the link whose end came with its
 * `surface` event (ADR 0020). The app posts a BitmapFrame with the bitmap transferred,
 * frame numbers rising; the compositor keeps the newest, closing any bitmap it replaces,
 * and posts BitmapDrawn once a frame is on screen. The app sends its next frame only then,
 * so at most one waits. A bitmap is drawn like surface pixels: at the content area's
 * top-left, one pixel per device pixel, cropped. Typed loosely: the ABI has no DOM types.
 */
export interface SurfaceBitmap {
  readonly width: number;
  readonly height: number;
  close(): void;
}

export interface BitmapFrame {
  readonly t: 'frame';
  readonly frame: number;
  readonly bitmap: SurfaceBitmap;
}

export interface BitmapDrawn {
  readonly t: 'drawn';
  readonly frame: number;
}

/** Bytes of a surface's Memory for a `width`×`height` surface. */
export const surfaceBytes = (width: number, height: number): number =>
  SURFACE.HEADER_BYTES + 2 * width * height * 4;

/** Byte offset of buffer `index` (0 or 1) in a surface's Memory. */
export const surfaceBufferOffset = (width: number, height: number, index: number): number =>
  SURFACE.HEADER_BYTES + index * width * height * 4;

type Fields = Record<string, unknown>;

export const encodeWindowMessage = (m: AppRequest | AppEvent): Uint8Array => utf8Encode(JSON.stringify(m));

function parse(bytes: Uint8Array): Fields | null {
  try {
    const v: unknown = JSON.parse(utf8Decode(bytes) ?? '');
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Fields) : null;
  } catch {
    return null;
  }
}

const isId = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) > 0;
const isSide = (v: unknown): v is number =>
  Number.isInteger(v) && (v as number) > 0 && (v as number) <= WINDOW_LIMITS.SURFACE_MAX;
const isText = (v: unknown, max: number): v is string => typeof v === 'string' && v.length <= max;
const isBool = (v: unknown): v is boolean => typeof v === 'boolean';
const isCoord = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isApp = (v: unknown): v is string => typeof v === 'string' && /^[a-z][a-z0-9-]{0,63}$/.test(v);
const isSent = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;

const isBitmap = (v: unknown): v is SurfaceBitmap => {
  if (typeof v !== 'object' || v === null || typeof (v as Fields)['close'] !== 'function') return false;
  const { width, height } = v as Fields;
  return isSide(width) && isSide(height);
};

/** Run by the compositor on everything an app posts on a window's link. */
export function decodeBitmapFrame(data: unknown): Result<BitmapFrame> {
  if (typeof data !== 'object' || data === null) return err('not an object');
  const { t, frame, bitmap } = data as Fields;
  if (t !== 'frame') return err(`unknown message ${String(t)}`);
  if (!isId(frame)) return err('frame: the frame number must be a positive integer');
  if (!isBitmap(bitmap))
    return err(`frame: bitmap must be an ImageBitmap of 1..${WINDOW_LIMITS.SURFACE_MAX} px a side`);
  return ok({ t, frame, bitmap });
}

/** Run by the app on what the compositor posts on a window's link. */
export function decodeBitmapDrawn(data: unknown): Result<BitmapDrawn> {
  if (typeof data !== 'object' || data === null) return err('not an object');
  const { t, frame } = data as Fields;
  return t === 'drawn' && isId(frame) ? ok({ t, frame }) : err('not a drawn message');
}

/** Run by the compositor on every message from an app. */
export function decodeAppRequest(bytes: Uint8Array): Result<AppRequest> {
  const f = parse(bytes);
  if (!f) return err('not a JSON object');
  const { op, window, title, width, height, text } = f;
  switch (op) {
    case 'layer': {
      const anchor = f['anchor'];
      if (!LAYER_ANCHORS.includes(anchor as LayerAnchor)) return err('layer: unknown anchor');
      if (
        !isSide(width) ||
        !Number.isInteger(height) ||
        (height as number) < 1 ||
        (height as number) > WINDOW_LIMITS.LAYER_MAX
      )
        return err(
          `layer: width must be 1..${WINDOW_LIMITS.SURFACE_MAX}, height 1..${WINDOW_LIMITS.LAYER_MAX}`,
        );
      return ok({ op, anchor: anchor as LayerAnchor, width, height: height as number });
    }
    case 'show':
      return isId(window) && isBool(f['visible']) && isBool(f['keyboard'])
        ? ok({ op, window, visible: f['visible'], keyboard: f['keyboard'] })
        : err('show: bad window or flags');
    case 'activate':
      return isId(window) ? ok({ op, window }) : err('activate: window must be an id');
    case 'workspace':
      return Number.isInteger(f['workspace']) &&
        (f['workspace'] as number) >= 0 &&
        (f['workspace'] as number) < 64
        ? ok({ op, workspace: f['workspace'] as number })
        : err('workspace: bad index');
    case 'launch':
      return isApp(f['app']) ? ok({ op, app: f['app'] }) : err('launch: app must be a program name');
    case 'notify':
      return isText(title, WINDOW_LIMITS.NOTIFY_TITLE_MAX) &&
        title.length > 0 &&
        isText(f['body'], WINDOW_LIMITS.NOTIFY_BODY_MAX)
        ? ok({ op, title, body: f['body'] })
        : err(
            `notify: title must be 1..${WINDOW_LIMITS.NOTIFY_TITLE_MAX} characters, body at most ${WINDOW_LIMITS.NOTIFY_BODY_MAX}`,
          );
    case 'clipboard-write':
      return isText(text, WINDOW_LIMITS.CLIPBOARD_MAX)
        ? ok({ op, text })
        : err('clipboard-write: text too long or missing');
    case 'clipboard-read':
      return ok({ op });
    case 'create':
      if (!isText(title, WINDOW_LIMITS.TITLE_MAX)) return err('create: title too long or missing');
      if (!isSide(width) || !isSide(height))
        return err(`create: width and height must be 1..${WINDOW_LIMITS.SURFACE_MAX}`);
      if (f['bitmaps'] !== undefined && !isBool(f['bitmaps']))
        return err('create: bitmaps must be a boolean');
      return ok(
        f['bitmaps'] === true ? { op, title, width, height, bitmaps: true } : { op, title, width, height },
      );
    case 'present':
    case 'close':
      return isId(window) ? ok({ op, window }) : err(`${op}: window must be an id`);
    case 'title':
      return isId(window) && isText(title, WINDOW_LIMITS.TITLE_MAX)
        ? ok({ op, window, title })
        : err('title: bad window or title');
    case 'text':
      return isId(window) && isText(text, WINDOW_LIMITS.TEXT_MAX)
        ? ok({ op, window, text })
        : err('text: bad window or text');
    default:
      return err(`unknown op ${String(op)}`);
  }
}

/** Run by an app on every message from the compositor. */
export function decodeAppEvent(bytes: Uint8Array): Result<AppEvent> {
  const f = parse(bytes);
  if (!f) return err('not a JSON object');
  const { ev, window } = f;
  if (ev === 'refused')
    return isText(f['reason'], 1024) ? ok({ ev, reason: f['reason'] }) : err('bad refusal');
  if (ev === 'launcher') return ok({ ev });
  if (ev === 'clipboard')
    return isText(f['text'], WINDOW_LIMITS.CLIPBOARD_MAX)
      ? ok({ ev, text: f['text'] })
      : err('clipboard: bad text');
  if (ev === 'notification') {
    const { app, title, body } = f;
    return isApp(app) &&
      isText(title, WINDOW_LIMITS.NOTIFY_TITLE_MAX) &&
      isText(body, WINDOW_LIMITS.NOTIFY_BODY_MAX)
      ? ok({ ev, app, title, body })
      : err('notification: bad fields');
  }
  if (ev === 'windows') {
    const list = f['windows'];
    const ws = f['workspace'];
    if (!Number.isInteger(ws) || !Array.isArray(list) || list.length > 256) return err('windows: bad list');
    const windows: ShellWindow[] = [];
    for (const v of list as unknown[]) {
      const w = typeof v === 'object' && v !== null ? (v as Fields) : {};
      if (
        !isId(w['id']) ||
        !isText(w['title'], WINDOW_LIMITS.TITLE_MAX) ||
        !isBool(w['focused']) ||
        !isBool(w['minimized']) ||
        !Number.isInteger(w['workspace'])
      )
        return err('windows: bad window');
      windows.push({
        id: w['id'],
        title: w['title'],
        focused: w['focused'],
        minimized: w['minimized'],
        workspace: w['workspace'] as number,
      });
    }
    return ok({ ev, workspace: ws as number, windows });
  }
  if (!isId(window)) return err('window must be an id');
  switch (ev) {
    case 'surface':
      return isSide(f['width']) && isSide(f['height'])
        ? ok({ ev, window, width: f['width'], height: f['height'] })
        : err('surface: bad size');
    case 'key': {
      const k = f['key'] as Fields | null;
      const phase = f['phase'];
      if ((phase !== 'down' && phase !== 'up') || typeof k !== 'object' || k === null)
        return err('key: bad event');
      const { key, code, ctrl, alt, shift, meta } = k;
      if (!isText(key, 64) || !isText(code, 64) || ![ctrl, alt, shift, meta].every(isBool))
        return err('key: bad key');
      if (!isSent(f['sent'])) return err('key: bad time');
      return ok({
        ev,
        window,
        phase,
        key: { key, code, ctrl, alt, shift, meta } as KeyEvent,
        sent: f['sent'],
      });
    }
    case 'text':
      return isText(f['data'], WINDOW_LIMITS.TEXT_MAX) && isSent(f['sent'])
        ? ok({ ev, window, data: f['data'], sent: f['sent'] })
        : err('text: bad data or time');
    case 'pointer': {
      const { phase, x, y, buttons } = f;
      if ((phase !== 'down' && phase !== 'move' && phase !== 'up') || !isCoord(x) || !isCoord(y))
        return err('pointer: bad event');
      return Number.isInteger(buttons)
        ? ok({ ev, window, phase, x, y, buttons: buttons as number })
        : err('pointer: bad buttons');
    }
    case 'wheel': {
      const { x, y, dx, dy } = f;
      return [x, y, dx, dy].every(isCoord)
        ? ok({ ev, window, x: x as number, y: y as number, dx: dx as number, dy: dy as number })
        : err('wheel: bad event');
    }
    case 'dismissed':
      return ok({ ev, window });
    case 'focus':
      return isBool(f['focused']) ? ok({ ev, window, focused: f['focused'] }) : err('focus: bad flag');
    case 'closed':
      return ok({ ev, window });
    default:
      return err(`unknown event ${String(ev)}`);
  }
}

/**
 * init and the compositor, on the control channel init gives the compositor when it
 * starts it. init introduces each app it starts (`client`, with the compositor's end of
 * the app's connection as the message's one handle); the compositor asks init to start
 * an app the user launched (`launch`).
 */
export type ControlMessage =
  | { readonly op: 'client'; readonly pid: number; readonly app: string; readonly grants: readonly Grant[] }
  | { readonly op: 'launch'; readonly app: string };

export const encodeControlMessage = (m: ControlMessage): Uint8Array => utf8Encode(JSON.stringify(m));

export function decodeControlMessage(bytes: Uint8Array): Result<ControlMessage> {
  const f = parse(bytes);
  if (!f) return err('not a JSON object');
  const { op, pid, app, grants } = f;
  if (!isApp(app)) return err('app must be a program name');
  if (op === 'launch') return ok({ op, app });
  if (op !== 'client') return err(`unknown op ${String(op)}`);
  if (!isId(pid)) return err('client: pid must be a process id');
  if (!Array.isArray(grants) || !grants.every((g) => GRANTS.includes(g as Grant)))
    return err('client: grants must name known grants');
  return ok({ op, pid, app, grants: [...new Set(grants as Grant[])] });
}
