// poll_oneoff for Tessera fds: any number of clock, fd_read and fd_write subscriptions.
// Layer: workers. Nothing busy-waits: with no fd to wait on the worker sleeps in
// Atomics.wait, with one it parks in the kernel on that handle (object.wait_one), with
// several on a Port bound to each. Subscriptions come from guest memory and are checked.
import { LIMITS } from '../../abi/limits.ts';
import { Signal } from '../../abi/objects.ts';
import { Status } from '../../abi/status.ts';
import { wasi } from '@bjorn3/browser_wasi_shim';
import type { Stubs } from '../stubs.ts';
import type { TesseraFd } from './fd.ts';

const SUBSCRIPTION_BYTES = 48;
const EVENT_BYTES = 32;

interface Sub {
  readonly userdata: bigint;
  readonly tag: number;
  /** Clock subscriptions: when it fires, on the performance.now() ms scale; NaN for a bad clock. */
  readonly deadline: number;
  readonly fd: number;
}

export interface PollEnv {
  readonly sys: Stubs;
  fd(n: number): TesseraFd | undefined;
  /** Runs a wait the watchdog must count as blocked, not runaway. */
  blocked(wait: () => void): void;
}

/** ms on the performance.now() scale at which a clock subscription fires. */
function deadlineOf(clock: number, timeout: bigint, absolute: boolean): number {
  const nowMs = performance.now();
  const ms = Number(timeout) / 1e6;
  if (!absolute) return nowMs + ms;
  if (clock === wasi.CLOCKID_REALTIME) return nowMs + (ms - (performance.timeOrigin + nowMs));
  if (clock === wasi.CLOCKID_MONOTONIC) return ms;
  return Number.NaN;
}

function readSubs(view: DataView, at: number, n: number): Sub[] {
  const subs: Sub[] = [];
  for (let i = 0; i < n; i++) {
    const p = at + i * SUBSCRIPTION_BYTES;
    const tag = view.getUint8(p + 8);
    const clock = view.getUint32(p + 16, true);
    const known = clock === wasi.CLOCKID_REALTIME || clock === wasi.CLOCKID_MONOTONIC;
    const deadline =
      tag === wasi.EVENTTYPE_CLOCK && known
        ? deadlineOf(clock, view.getBigUint64(p + 24, true), (view.getUint16(p + 40, true) & 1) !== 0)
        : Number.NaN;
    subs.push({ userdata: view.getBigUint64(p, true), tag, deadline, fd: clock });
  }
  return subs;
}

interface Event {
  readonly userdata: bigint;
  readonly error: number;
  readonly type: number;
  readonly nbytes: number;
  readonly hangup: boolean;
}

/** The events due now, or none. */
function due(env: PollEnv, subs: readonly Sub[]): Event[] {
  const now = performance.now();
  const events: Event[] = [];
  for (const s of subs) {
    const base = { userdata: s.userdata, type: s.tag, nbytes: 0, hangup: false };
    if (s.tag === wasi.EVENTTYPE_CLOCK) {
      if (Number.isNaN(s.deadline)) events.push({ ...base, error: wasi.ERRNO_INVAL });
      else if (s.deadline <= now) events.push({ ...base, error: wasi.ERRNO_SUCCESS });
      continue;
    }
    if (s.tag !== wasi.EVENTTYPE_FD_READ && s.tag !== wasi.EVENTTYPE_FD_WRITE) {
      events.push({ ...base, error: wasi.ERRNO_INVAL });
      continue;
    }
    const fd = env.fd(s.fd);
    if (!fd) {
      events.push({ ...base, error: wasi.ERRNO_BADF });
      continue;
    }
    // An fd without POLL_FD_READWRITE cannot be polled: its own event says so, the rest stand.
    if (fd.need(wasi.RIGHTS_POLL_FD_READWRITE) !== wasi.ERRNO_SUCCESS) {
      events.push({ ...base, error: wasi.ERRNO_NOTCAPABLE });
      continue;
    }
    const r = fd.readiness(s.tag === wasi.EVENTTYPE_FD_WRITE);
    if (r.ready) events.push({ ...base, error: wasi.ERRNO_SUCCESS, nbytes: r.nbytes, hangup: r.hangup });
  }
  return events;
}

function writeEvents(view: DataView, at: number, events: readonly Event[]): void {
  events.forEach((e, i) => {
    const p = at + i * EVENT_BYTES;
    for (let b = 0; b < EVENT_BYTES; b += 8) view.setBigUint64(p + b, 0n, true);
    view.setBigUint64(p, e.userdata, true);
    view.setUint16(p + 8, e.error, true);
    view.setUint8(p + 10, e.type);
    view.setBigUint64(p + 16, BigInt(e.nbytes), true);
    view.setUint16(p + 24, e.hangup ? wasi.EVENTRWFLAGS_FD_READWRITE_HANGUP : 0, true);
  });
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));

/** Blocks until one of `handles` may be ready or `ms` passes (Infinity: no timeout). */
function wait(env: PollEnv, handles: readonly number[], ms: number): void {
  const timeout = Number.isFinite(ms) ? Math.min(Math.max(0, ms), LIMITS.TIMER_MS) : -1;
  const signals = Signal.READABLE | Signal.PEER_CLOSED;
  if (handles.length === 0) {
    env.blocked(() => Atomics.wait(sleeper, 0, 0, timeout < 0 ? undefined : timeout));
    return;
  }
  if (handles.length === 1) {
    env.sys.objectWaitOne(handles[0] ?? 0, signals, timeout);
    return;
  }
  const port = env.sys.portCreate();
  if (port.status !== Status.OK || port.port === undefined) return;
  handles.forEach((h, key) => env.sys.portBind(port.port ?? 0, h, signals, key));
  env.sys.portWait(port.port, timeout);
  env.sys.handleClose(port.port);
}

/** The poll_oneoff import: errno, with the events written and their count at `neventsPtr`. */
export function pollOneoff(
  env: PollEnv,
  memory: () => ArrayBuffer,
  inPtr: number,
  outPtr: number,
  nsubs: number,
  neventsPtr: number,
): number {
  if (nsubs === 0) return wasi.ERRNO_INVAL;
  const subs = readSubs(new DataView(memory()), inPtr, nsubs);
  const handles = subs
    .filter((s) => s.tag === wasi.EVENTTYPE_FD_READ || s.tag === wasi.EVENTTYPE_FD_WRITE)
    .map((s) => env.fd(s.fd)?.waitHandle(s.tag === wasi.EVENTTYPE_FD_WRITE))
    .filter((h): h is number => typeof h === 'number');
  const firstDeadline = Math.min(
    ...subs.filter((s) => s.tag === wasi.EVENTTYPE_CLOCK && !Number.isNaN(s.deadline)).map((s) => s.deadline),
  );
  for (;;) {
    const events = due(env, subs);
    if (events.length > 0) {
      const view = new DataView(memory());
      writeEvents(view, outPtr, events);
      view.setUint32(neventsPtr, events.length, true);
      return wasi.ERRNO_SUCCESS;
    }
    wait(env, handles, firstDeadline - performance.now());
  }
}
