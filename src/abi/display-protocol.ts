// The display bridge protocol: what the host page and the compositor say over the
// Display's MessagePort (ADR 0017). The host sends input, size changes and automation
// calls; the compositor sends its renderer, call replies and the accessibility mirror.
// Layer: abi. Neither side trusts the other: every message is decoded here, bounded, and
// a message that does not decode is dropped by its receiver.
import { err, ok, type Result } from './result.ts';

export const DISPLAY_LIMITS = {
  /** Longest key name, code, title or text piece, in UTF-16 units. */
  TEXT_MAX: 4096,
  /** Largest coordinate accepted, CSS pixels (either sign). */
  COORD_MAX: 1 << 15,
  /** Windows listed in one mirror update or reply. */
  WINDOWS_MAX: 256,
  /** Frame times one stats reply carries (the latest). */
  FRAME_TIMES_MAX: 1024,
  /** A saved window layout (src/gpu/wm/persist.ts), in UTF-16 units. */
  LAYOUT_MAX: 1 << 18,
  /** Clipboard text, UTF-16 units (WINDOW_LIMITS.CLIPBOARD_MAX). */
  CLIPBOARD_MAX: 1 << 16,
  /** Largest wheel delta accepted per event, px. */
  WHEEL_MAX: 1 << 14,
} as const;

export type PointerPhase = 'down' | 'move' | 'up' | 'cancel';
export type KeyPhase = 'down' | 'up';

export interface KeyInput {
  readonly key: string;
  readonly code: string;
  readonly ctrl: boolean;
  readonly alt: boolean;
  readonly shift: boolean;
  readonly meta: boolean;
  readonly repeat: boolean;
}

/** Automation calls the page makes on the desktop (docs/automation.md, `tessera.desktop`). */
export type DesktopCall =
  | { readonly op: 'windows' }
  | { readonly op: 'focus'; readonly window: number }
  | { readonly op: 'pixels'; readonly window: number | null }
  /** Starts a desktop app by program name (init decides which names it knows). */
  | { readonly op: 'launch'; readonly app: string }
  /** Frames drawn so far and when the latest were drawn (benchmarks). */
  | { readonly op: 'stats' }
  /** The active workspace and the shell's visible layers. */
  | { readonly op: 'shell' };

export type HostToCompositor =
  | { readonly t: 'resize'; readonly width: number; readonly height: number; readonly dpr: number }
  | {
      readonly t: 'pointer';
      readonly phase: PointerPhase;
      readonly x: number;
      readonly y: number;
      readonly buttons: number;
    }
  /** `sent`: when the host saw the input, ms since the epoch (performance.timeOrigin + now()). */
  | { readonly t: 'key'; readonly phase: KeyPhase; readonly input: KeyInput; readonly sent: number }
  | { readonly t: 'text'; readonly data: string; readonly sent: number }
  | { readonly t: 'call'; readonly id: number; readonly call: DesktopCall }
  /** The window layout saved by the last session (sent once, before any input). */
  | { readonly t: 'layout'; readonly text: string }
  /** A wheel turned over (x, y); deltas in CSS px (WheelEvent in pixel mode). */
  | { readonly t: 'wheel'; readonly x: number; readonly y: number; readonly dx: number; readonly dy: number }
  /** The answer to clipboard-read `id`. */
  | { readonly t: 'clipboard'; readonly id: number; readonly text: string };

/** A window as automation and the accessibility mirror see it. */
export interface DesktopWindow {
  readonly id: number;
  readonly title: string;
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
  readonly focused: boolean;
  readonly minimized: boolean;
  readonly owner: number;
  /** What the app published for screen readers (its visible text). */
  readonly text: string;
}

/** Pixels read back: RGBA8, `width`×`height` device pixels. */
export interface DesktopPixels {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
}

export type CompositorToHost =
  | { readonly t: 'ready'; readonly renderer: 'webgpu' | 'canvas2d' }
  | { readonly t: 'mirror'; readonly windows: readonly DesktopWindow[] }
  | { readonly t: 'cursor'; readonly cursor: string }
  /** The window layout changed: the host keeps it for the next session. */
  | { readonly t: 'layout'; readonly text: string }
  /** An app holding the notify grant posted a notification (the host announces it). */
  | { readonly t: 'notify'; readonly app: string; readonly title: string; readonly body: string }
  /** An app holding the clipboard grant, with the keyboard, copied text. */
  | { readonly t: 'clipboard-write'; readonly text: string }
  /** ...or asks for the clipboard's text: the host answers with a `clipboard` message. */
  | { readonly t: 'clipboard-read'; readonly id: number }
  | {
      readonly t: 'reply';
      readonly id: number;
      readonly error: string | null;
      readonly windows?: readonly DesktopWindow[];
      readonly pixels?: DesktopPixels;
      readonly stats?: DesktopStats;
      readonly shell?: DesktopShell;
    };

/** What a shell call answers. */
export interface DesktopShell {
  readonly workspace: number;
  readonly layers: readonly {
    readonly anchor: string;
    readonly x: number;
    readonly y: number;
    readonly w: number;
    readonly h: number;
    readonly keyboard: boolean;
    /** What the layer's app published for screen readers (setText). */
    readonly text: string;
  }[];
}

/** What a stats call answers. */
export interface DesktopStats {
  readonly framesDrawn: number;
  /** When each of the latest frames was drawn, ms since the epoch, oldest first. */
  readonly frameTimes: readonly number[];
}

type Fields = Record<string, unknown>;

const fields = (v: unknown): Fields | null =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Fields) : null;
const isCoord = (v: unknown): v is number =>
  typeof v === 'number' && Number.isFinite(v) && Math.abs(v) <= DISPLAY_LIMITS.COORD_MAX;
const isText = (v: unknown): v is string => typeof v === 'string' && v.length <= DISPLAY_LIMITS.TEXT_MAX;
const isId = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) > 0;
const isBool = (v: unknown): v is boolean => typeof v === 'boolean';
const isLayout = (v: unknown): v is string => typeof v === 'string' && v.length <= DISPLAY_LIMITS.LAYOUT_MAX;
const isTime = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;
const POINTER_PHASES: readonly string[] = ['down', 'move', 'up', 'cancel'];

function decodeCall(v: unknown): Result<DesktopCall> {
  const f = fields(v);
  if (!f) return err('call must be an object');
  switch (f['op']) {
    case 'windows':
      return ok({ op: 'windows' });
    case 'stats':
      return ok({ op: 'stats' });
    case 'shell':
      return ok({ op: 'shell' });
    case 'focus':
      return isId(f['window']) ? ok({ op: 'focus', window: f['window'] }) : err('focus needs a window id');
    case 'pixels': {
      const w = f['window'] ?? null;
      return w === null || isId(w)
        ? ok({ op: 'pixels', window: w })
        : err('pixels takes a window id or null');
    }
    case 'launch':
      return typeof f['app'] === 'string' && /^[a-z][a-z0-9-]{0,63}$/.test(f['app'])
        ? ok({ op: 'launch', app: f['app'] })
        : err('launch needs a program name');
    default:
      return err(`unknown call ${String(f['op'])}`);
  }
}

/** Run by the compositor on every message from the host. */
export function decodeHostMessage(data: unknown): Result<HostToCompositor> {
  const f = fields(data);
  if (!f) return err('not an object');
  switch (f['t']) {
    case 'resize': {
      const { width, height, dpr } = f;
      if (!isCoord(width) || !isCoord(height) || (width as number) < 1 || (height as number) < 1)
        return err('resize: width and height must be positive CSS pixels');
      if (typeof dpr !== 'number' || !(dpr > 0 && dpr <= 8)) return err('resize: dpr must be in (0, 8]');
      return ok({ t: 'resize', width: Math.round(width), height: Math.round(height), dpr });
    }
    case 'pointer': {
      const { phase, x, y, buttons } = f;
      if (typeof phase !== 'string' || !POINTER_PHASES.includes(phase)) return err('pointer: bad phase');
      if (!isCoord(x) || !isCoord(y)) return err('pointer: x and y must be finite CSS pixels');
      if (!Number.isInteger(buttons) || (buttons as number) < 0 || (buttons as number) > 0xffff)
        return err('pointer: buttons must be a bit mask');
      return ok({ t: 'pointer', phase: phase as PointerPhase, x, y, buttons: buttons as number });
    }
    case 'key': {
      const { phase, input, sent } = f;
      const i = fields(input);
      if ((phase !== 'down' && phase !== 'up') || !i || !isTime(sent)) return err('key: bad phase or input');
      const { key, code, ctrl, alt, shift, meta, repeat } = i;
      if (!isText(key) || !isText(code)) return err('key: key and code must be short strings');
      if (![ctrl, alt, shift, meta, repeat].every(isBool)) return err('key: modifiers must be booleans');
      return ok({
        t: 'key',
        phase,
        sent,
        input: { key, code, ctrl, alt, shift, meta, repeat } as KeyInput,
      });
    }
    case 'text':
      return isText(f['data']) && isTime(f['sent'])
        ? ok({ t: 'text', data: f['data'], sent: f['sent'] })
        : err('text: data must be a short string');
    case 'call': {
      if (!isId(f['id'])) return err('call: id must be a positive integer');
      const call = decodeCall(f['call']);
      return call.ok ? ok({ t: 'call', id: f['id'], call: call.value }) : err(`call: ${call.error}`);
    }
    case 'layout':
      return isLayout(f['text']) ? ok({ t: 'layout', text: f['text'] }) : err('layout: text too long');
    case 'wheel': {
      const { x, y, dx, dy } = f;
      if (!isCoord(x) || !isCoord(y)) return err('wheel: x and y must be finite CSS pixels');
      if (![dx, dy].every((d) => typeof d === 'number' && Number.isFinite(d)))
        return err('wheel: deltas must be finite numbers');
      const clamp = (d: number) => Math.max(-DISPLAY_LIMITS.WHEEL_MAX, Math.min(DISPLAY_LIMITS.WHEEL_MAX, d));
      return ok({ t: 'wheel', x, y, dx: clamp(dx as number), dy: clamp(dy as number) });
    }
    case 'clipboard':
      return isId(f['id']) &&
        typeof f['text'] === 'string' &&
        f['text'].length <= DISPLAY_LIMITS.CLIPBOARD_MAX
        ? ok({ t: 'clipboard', id: f['id'], text: f['text'] })
        : err('clipboard: bad id or text too long');
    default:
      return err(`unknown message type ${String(f['t'])}`);
  }
}

function decodeWindow(v: unknown): DesktopWindow | null {
  const f = fields(v);
  if (!f) return null;
  const { id, title, x, y, w, h, focused, minimized, owner, text } = f;
  if (!isId(id) || !isText(title) || !isText(text) || !isId(owner)) return null;
  if (![x, y, w, h].every(isCoord) || !isBool(focused) || !isBool(minimized)) return null;
  return { id, title, x, y, w, h, focused, minimized, owner, text } as DesktopWindow;
}

function decodeWindows(v: unknown): readonly DesktopWindow[] | null {
  if (!Array.isArray(v) || v.length > DISPLAY_LIMITS.WINDOWS_MAX) return null;
  const out = v.map(decodeWindow);
  return out.every((w) => w !== null) ? (out as DesktopWindow[]) : null;
}

/** Run by the host on every message from the compositor. */
export function decodeCompositorMessage(data: unknown): Result<CompositorToHost> {
  const f = fields(data);
  if (!f) return err('not an object');
  switch (f['t']) {
    case 'ready':
      return f['renderer'] === 'webgpu' || f['renderer'] === 'canvas2d'
        ? ok({ t: 'ready', renderer: f['renderer'] })
        : err('ready: unknown renderer');
    case 'mirror': {
      const windows = decodeWindows(f['windows']);
      return windows ? ok({ t: 'mirror', windows }) : err('mirror: malformed window list');
    }
    case 'layout':
      return isLayout(f['text']) ? ok({ t: 'layout', text: f['text'] }) : err('layout: text too long');
    case 'notify': {
      const { app, title, body } = f;
      return typeof app === 'string' && /^[a-z][a-z0-9-]{0,63}$/.test(app) && isText(title) && isText(body)
        ? ok({ t: 'notify', app, title, body })
        : err('notify: bad app, title or body');
    }
    case 'clipboard-write':
      return typeof f['text'] === 'string' && f['text'].length <= DISPLAY_LIMITS.CLIPBOARD_MAX
        ? ok({ t: 'clipboard-write', text: f['text'] })
        : err('clipboard-write: text too long');
    case 'clipboard-read':
      return isId(f['id']) ? ok({ t: 'clipboard-read', id: f['id'] }) : err('clipboard-read: bad id');
    case 'cursor':
      return typeof f['cursor'] === 'string' && /^[a-z-]{1,32}$/.test(f['cursor'])
        ? ok({ t: 'cursor', cursor: f['cursor'] })
        : err('cursor: not a CSS cursor keyword');
    case 'reply': {
      const { id, error } = f;
      if (!isId(id) || (error !== null && !isText(error))) return err('reply: bad id or error');
      const reply: {
        t: 'reply';
        id: number;
        error: string | null;
        windows?: readonly DesktopWindow[];
        pixels?: DesktopPixels;
        stats?: DesktopStats;
        shell?: DesktopShell;
      } = {
        t: 'reply',
        id,
        error: error as string | null,
      };
      if (f['windows'] !== undefined) {
        const windows = decodeWindows(f['windows']);
        if (!windows) return err('reply: malformed window list');
        reply.windows = windows;
      }
      if (f['pixels'] !== undefined) {
        const p = fields(f['pixels']);
        const { width, height, data: bytes } = p ?? {};
        if (!isCoord(width) || !isCoord(height) || !(bytes instanceof Uint8Array))
          return err('reply: malformed pixels');
        if (bytes.byteLength !== (width as number) * (height as number) * 4)
          return err('reply: pixel data does not match its size');
        reply.pixels = { width: width as number, height: height as number, data: bytes };
      }
      if (f['stats'] !== undefined) {
        const { framesDrawn, frameTimes } = fields(f['stats']) ?? {};
        if (!Number.isSafeInteger(framesDrawn) || (framesDrawn as number) < 0)
          return err('reply: malformed stats');
        if (
          !Array.isArray(frameTimes) ||
          frameTimes.length > DISPLAY_LIMITS.FRAME_TIMES_MAX ||
          !frameTimes.every(isTime)
        )
          return err('reply: malformed frame times');
        reply.stats = { framesDrawn: framesDrawn as number, frameTimes: frameTimes as number[] };
      }
      if (f['shell'] !== undefined) {
        const { workspace, layers } = fields(f['shell']) ?? {};
        if (
          !Number.isInteger(workspace) ||
          !Array.isArray(layers) ||
          layers.length > DISPLAY_LIMITS.WINDOWS_MAX
        )
          return err('reply: malformed shell');
        const decoded = layers.map((v: unknown) => {
          const l = fields(v) ?? {};
          return typeof l['anchor'] === 'string' &&
            isText(l['anchor']) &&
            [l['x'], l['y'], l['w'], l['h']].every(isCoord) &&
            isBool(l['keyboard']) &&
            isText(l['text'])
            ? {
                anchor: l['anchor'],
                x: l['x'] as number,
                y: l['y'] as number,
                w: l['w'] as number,
                h: l['h'] as number,
                keyboard: l['keyboard'],
                text: l['text'],
              }
            : null;
        });
        if (!decoded.every((l) => l !== null)) return err('reply: malformed layer');
        reply.shell = { workspace: workspace as number, layers: decoded as DesktopShell['layers'] };
      }
      return ok(reply);
    }
    default:
      return err(`unknown message type ${String(f['t'])}`);
  }
}
