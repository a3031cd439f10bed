// The provisional boot protocol: the postMessage handshake that brings up the kernel
// worker and its first domain (init). Issue "Kernel" replaces the kernel<->domain half
// with syscall rings; only this file and the two ends that speak it change then.
// Layer: abi. Every message arrives as `unknown` and goes through a decoder here,
// which never trusts a field it has not checked.
import { isControlBlock } from './control.ts';
import { LIMITS } from './limits.ts';
import { err, ok, type Result } from './result.ts';

/** Limits on boot messages. */
export const BOOT_LIMITS = {
  /** Longest domain or program name. */
  NAME_MAX: 64,
  /** How long the kernel waits for init to report running, in ms. */
  INIT_TIMEOUT_MS: 10_000,
  /** Largest display side in CSS pixels, and largest device pixel ratio, the kernel accepts. */
  DISPLAY_MAX_PX: 16_384,
  DISPLAY_MAX_DPR: 8,
} as const;

export const LOG_LEVELS = ['info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * One line of the boot log. `at` is wall-clock milliseconds on the shared epoch
 * (`performance.timeOrigin + performance.now()` in the emitting thread), so lines
 * from different workers order correctly.
 */
export interface BootEvent {
  readonly at: number;
  readonly source: string;
  readonly level: LogLevel;
  readonly message: string;
}

// host -> kernel
export interface BootRequest {
  readonly kind: 'boot';
  readonly initTimeoutMs: number;
  /** The built-in program to run as pid 1; "init" unless a benchmark or test asks otherwise. */
  readonly init: string;
  /** The page's screen, when it shows a desktop (ADR 0017): moved to the kernel with the request. */
  readonly display?: HostDisplay;
}

/**
 * What the host hands over for its screen: an OffscreenCanvas and a MessagePort whose
 * peer is the host's display bridge. Typed loosely here (the ABI has no DOM types); the
 * decoder checks their shape and the compositor uses them as what they are.
 */
export interface HostDisplay {
  readonly canvas: object;
  readonly port: object;
  /** CSS pixels and device pixel ratio when the page booted. */
  readonly width: number;
  readonly height: number;
  readonly dpr: number;
}

// host -> kernel, after the BootRequest: bytes for pid 1's host link (ADR 0011).
export interface HostLinkMessage {
  readonly kind: 'host';
  /** One channel message, at most LIMITS.MESSAGE_BYTES. */
  readonly data: Uint8Array;
}

// kernel -> host
export type KernelReport =
  | { readonly kind: 'log'; readonly event: BootEvent }
  | { readonly kind: 'ready'; readonly at: number; readonly initPid: number }
  | { readonly kind: 'failed'; readonly at: number; readonly reason: string }
  /** A message pid 1's side of the host link wrote. */
  | { readonly kind: 'host'; readonly data: Uint8Array }
  /** pid 1's side of the host link is gone: nothing more will be relayed either way. */
  | { readonly kind: 'host-closed' }
  /** A host message was not delivered (malformed, the link closed, or its queue full). */
  | { readonly kind: 'host-refused'; readonly reason: string };

// kernel -> domain: the one postMessage a domain gets; from then on it talks over rings.
export interface DomainBootstrap {
  readonly kind: 'bootstrap';
  readonly pid: number;
  readonly name: string;
  /**
   * Koid of the process that spawned this one, 0 when the kernel did: the kernel's word,
   * so a runtime may keep what one spawner vouched for apart from another's (ADR 0033).
   */
  readonly spawner: number;
  /** Syscall submission ring (domain produces) and completion ring (kernel produces). */
  readonly submission: SharedArrayBuffer;
  readonly completion: SharedArrayBuffer;
  /** The kernel's doorbell (see doorbell.ts). */
  readonly doorbell: SharedArrayBuffer;
  /** This domain's control block (see control.ts). */
  readonly control: SharedArrayBuffer;
  /** The initial handles, in the order the spawner gave them. */
  readonly handles: readonly number[];
  readonly argv: readonly string[];
  readonly env: readonly string[];
}

// kernel -> domain, after bootstrap: what rings cannot carry.
export interface MemoryGrant {
  readonly kind: 'memory';
  readonly koid: number;
  readonly buffer: SharedArrayBuffer;
}

// kernel -> domain, after display.map: the host's screen (ADR 0017).
export interface DisplayGrant extends HostDisplay {
  readonly kind: 'display';
  readonly koid: number;
}

// kernel -> domain, after link.map: a link end's MessagePort (ADR 0020), typed loosely
// as the display's is.
export interface LinkGrant {
  readonly kind: 'link';
  readonly koid: number;
  readonly port: object;
}

type Fields = Record<string, unknown>;

function record(data: unknown, kind: string): Result<Fields> {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return err('not an object');
  const fields = data as Fields;
  if (fields['kind'] !== kind) return err(`expected kind "${kind}"`);
  return ok(fields);
}

const isTime = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;
const isLevel = (v: unknown): v is LogLevel => LOG_LEVELS.some((l) => l === v);
const isText = (v: unknown, max: number): v is string => typeof v === 'string' && v.length <= max;
/** Program names: lower-case words joined by dashes, as in the kernel's program table. */
export const isProgramName = (v: unknown): v is string =>
  typeof v === 'string' && v.length <= BOOT_LIMITS.NAME_MAX && /^[a-z][a-z0-9-]*$/.test(v);
const isPid = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) > 0;

export function decodeBootRequest(data: unknown): Result<BootRequest> {
  const r = record(data, 'boot');
  if (!r.ok) return r;
  const { initTimeoutMs: t, init } = r.value;
  if (!isTime(t) || t === 0) return err('initTimeoutMs must be a positive number');
  if (init !== undefined && !isProgramName(init)) return err('init must be a program name');
  const request = { kind: 'boot' as const, initTimeoutMs: t, init: init ?? 'init' };
  if (r.value['display'] === undefined) return ok(request);
  const display = decodeHostDisplay(r.value['display']);
  return display.ok ? ok({ ...request, display: display.value }) : err(`display: ${display.error}`);
}

const hasMethod = (v: unknown, name: string): v is object =>
  typeof v === 'object' && v !== null && typeof (v as Fields)[name] === 'function';
const isExtent = (v: unknown): v is number =>
  Number.isInteger(v) && (v as number) > 0 && (v as number) <= BOOT_LIMITS.DISPLAY_MAX_PX;

function decodeHostDisplay(data: unknown): Result<HostDisplay> {
  if (typeof data !== 'object' || data === null) return err('not an object');
  const { canvas, port, width, height, dpr } = data as Fields;
  if (!hasMethod(canvas, 'getContext')) return err('canvas must be an OffscreenCanvas');
  if (!hasMethod(port, 'postMessage')) return err('port must be a MessagePort');
  if (!isExtent(width) || !isExtent(height))
    return err(`width and height must be whole CSS pixels in 1..${BOOT_LIMITS.DISPLAY_MAX_PX}`);
  if (typeof dpr !== 'number' || !(dpr > 0 && dpr <= BOOT_LIMITS.DISPLAY_MAX_DPR))
    return err(`dpr must be in (0, ${BOOT_LIMITS.DISPLAY_MAX_DPR}]`);
  return ok({ canvas, port, width, height, dpr });
}

/** Run by the domain runtime on a display grant (the kernel is trusted, but checked for shape). */
export function decodeDisplayGrant(data: unknown): Result<DisplayGrant> {
  const r = record(data, 'display');
  if (!r.ok) return r;
  const koid = r.value['koid'];
  if (!isPid(koid)) return err('malformed display grant');
  const display = decodeHostDisplay(r.value);
  return display.ok
    ? ok({ kind: 'display', koid, ...display.value })
    : err(`display grant: ${display.error}`);
}

/** Run by the domain runtime on a link grant. */
export function decodeLinkGrant(data: unknown): Result<LinkGrant> {
  const r = record(data, 'link');
  if (!r.ok) return r;
  const { koid, port } = r.value;
  if (!isPid(koid)) return err('malformed link grant');
  if (!hasMethod(port, 'postMessage')) return err('link grant: port must be a MessagePort');
  return ok({ kind: 'link', koid, port });
}

const isMessageBytes = (v: unknown): v is Uint8Array =>
  v instanceof Uint8Array && v.byteLength <= LIMITS.MESSAGE_BYTES;

/** Run by the kernel on every message from the page after the BootRequest. */
export function decodeHostLinkMessage(data: unknown): Result<HostLinkMessage> {
  const r = record(data, 'host');
  if (!r.ok) return r;
  const bytes = r.value['data'];
  if (!isMessageBytes(bytes))
    return err(`data must be a Uint8Array of at most ${LIMITS.MESSAGE_BYTES} bytes`);
  return ok({ kind: 'host', data: bytes });
}

const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');
const isHandles = (v: unknown): v is number[] =>
  Array.isArray(v) && v.every((x) => Number.isInteger(x) && x > 0 && x <= 0xffffffff);

/** Run by the domain runtime on the kernel's bootstrap (trusted, but checked for shape). */
export function decodeDomainBootstrap(data: unknown): Result<DomainBootstrap> {
  const r = record(data, 'bootstrap');
  if (!r.ok) return r;
  const { pid, name, spawner, submission, completion, doorbell, control, handles, argv, env } = r.value;
  if (!isPid(pid)) return err('pid must be a positive integer');
  if (!Number.isSafeInteger(spawner) || (spawner as number) < 0) return err('spawner must be a koid or 0');
  if (!isText(name, BOOT_LIMITS.NAME_MAX) || name === '') return err('name must be a short non-empty string');
  if (!(submission instanceof SharedArrayBuffer) || !(completion instanceof SharedArrayBuffer))
    return err('submission and completion must be SharedArrayBuffers');
  if (!(doorbell instanceof SharedArrayBuffer)) return err('doorbell must be a SharedArrayBuffer');
  if (!isControlBlock(control)) return err('control must be a control block');
  if (!isHandles(handles) || !isStrings(argv) || !isStrings(env))
    return err('handles, argv or env malformed');
  return ok({
    kind: 'bootstrap',
    pid,
    name,
    spawner: spawner as number,
    submission,
    completion,
    doorbell,
    control,
    handles,
    argv,
    env,
  });
}

export function decodeMemoryGrant(data: unknown): Result<MemoryGrant> {
  const r = record(data, 'memory');
  if (!r.ok) return r;
  const { koid, buffer } = r.value;
  if (!isPid(koid) || !(buffer instanceof SharedArrayBuffer)) return err('malformed memory grant');
  return ok({ kind: 'memory', koid, buffer });
}

export function decodeKernelReport(data: unknown): Result<KernelReport> {
  if (typeof data !== 'object' || data === null) return err('not an object');
  const fields = data as Fields;
  switch (fields['kind']) {
    case 'log': {
      const e = fields['event'];
      if (typeof e !== 'object' || e === null) return err('event must be an object');
      const { at, source, level, message } = e as Fields;
      if (
        !isTime(at) ||
        !isLevel(level) ||
        !isText(source, BOOT_LIMITS.NAME_MAX) ||
        typeof message !== 'string'
      )
        return err('malformed boot event');
      return ok({ kind: 'log', event: { at, source, level, message } });
    }
    case 'ready': {
      const { at, initPid } = fields;
      if (!isTime(at) || !isPid(initPid)) return err('malformed ready report');
      return ok({ kind: 'ready', at, initPid });
    }
    case 'failed': {
      const { at, reason } = fields;
      if (!isTime(at) || typeof reason !== 'string') return err('malformed failure report');
      return ok({ kind: 'failed', at, reason });
    }
    case 'host': {
      const bytes = fields['data'];
      return isMessageBytes(bytes) ? ok({ kind: 'host', data: bytes }) : err('malformed host report');
    }
    case 'host-closed':
      return ok({ kind: 'host-closed' });
    case 'host-refused': {
      const { reason } = fields;
      return typeof reason === 'string'
        ? ok({ kind: 'host-refused', reason })
        : err('malformed host-refused report');
    }
    default:
      return err('unknown report kind');
  }
}
