// Programs for the kernel's tests: well-behaved ones (echo, exit) and hostile ones
// (garbage records, forged handles, a postMessage after bootstrap, a crash, a busy loop,
// an oversized message, a syscall flood). Layer: workers (test support). Run by
// node-domain.worker.mjs on a node worker thread, and in the browser by the built-in
// program conformance-peer (src/apps/conformance), which picks one by process name.
import { decodeDomainBootstrap } from '../../abi/boot.ts';
import { ringDoorbell } from '../../abi/doorbell.ts';
import { LIMITS } from '../../abi/limits.ts';
import { Sys, syscallByNum } from '../../abi/sys.ts';
import { encodeCall } from '../../abi/syscall-codec.ts';
import { Signal } from '../../abi/objects.ts';
import { Ring } from '../../abi/ring.ts';
import { Status } from '../../abi/status.ts';
import { startDomain, type DomainContext, type DomainScope, type Main } from '../domain.ts';

/** Reads a channel and writes every message back (handles included) until the peer closes. */
function echo(ctx: DomainContext, channel = ctx.handles[0]): number {
  if (channel === undefined) return 2;
  for (;;) {
    const waited = ctx.sys.objectWaitOne(channel, Signal.READABLE | Signal.PEER_CLOSED, -1);
    if (waited.status === Status.REVOKED) return 3;
    if (waited.status !== Status.OK) return 4;
    const message = ctx.sys.channelRead(channel);
    if (message.status === Status.PEER_CLOSED) return 0;
    if (message.status !== Status.OK) return 5;
    const wrote = ctx.sys.channelWrite(channel, message.data ?? new Uint8Array(), message.handles ?? []);
    if (wrote.status !== Status.OK) return 6;
  }
}

/** Tries handle values it was never given: every one must be BAD_HANDLE, none a fault. */
function forger(ctx: DomainContext): number {
  let wrong = 0;
  for (const value of [0, 1, 2, 0xffffffff, 0x12345678, 4096, 65536]) {
    if (ctx.sys.handleClose(value).status !== Status.BAD_HANDLE) wrong++;
    if (ctx.sys.channelWrite(value, new Uint8Array(1), []).status !== Status.BAD_HANDLE) wrong++;
  }
  return wrong;
}

/** Maps its channel, then echoes over the channel rings with blocking reads until the peer closes. */
async function ringEcho(ctx: DomainContext): Promise<number> {
  const channel = await ctx.mapChannel(ctx.handles[0] ?? 0);
  if (typeof channel === 'number') return 2;
  for (;;) {
    const r = channel.readWait();
    if (r.status === Status.PEER_CLOSED) return 0;
    if (r.status !== Status.OK) return 3;
    if (channel.write(r.message.data, r.message.handles) !== Status.OK) return 4;
  }
}

/**
 * Maps its channel and sends argv[0] numbered messages (every 50th carrying a timer)
 * through a ring-echo, checking each comes back in order with its handle. 0 on success.
 */
async function ringClient(ctx: DomainContext): Promise<number> {
  const channel = await ctx.mapChannel(ctx.handles[0] ?? 0);
  if (typeof channel === 'number') return 2;
  const count = Number(ctx.argv[0] ?? 100);
  const text = new TextDecoder();
  for (let i = 0; i < count; i++) {
    const handles = i % 50 === 0 ? [ctx.sys.timerCreate().timer ?? 0] : [];
    if (channel.write(new TextEncoder().encode(`m${i}`), handles) !== Status.OK) return 3;
    const r = channel.readWait(10_000);
    if (r.status !== Status.OK) return 4;
    if (text.decode(r.message.data) !== `m${i}`) return 5;
    if (r.message.handles.length !== handles.length) return 6;
    for (const h of r.message.handles) ctx.sys.handleClose(h);
  }
  return 0;
}

const PROGRAMS: Record<string, Main> = {
  init: (ctx) => {
    ctx.log('info', `init started as pid ${ctx.pid} with ${ctx.handles.length} handle(s)`);
  },
  echo: (ctx) => echo(ctx),
  /** As pid 1: echoes the page's messages on the host link (its last initial handle). */
  'host-echo': (ctx) => {
    ctx.log('info', 'echoing the host link');
    return echo(ctx, ctx.handles.at(-1));
  },
  forger,
  'ring-echo': ringEcho,
  'ring-client': ringClient,
  exit: (ctx) => Number(ctx.argv[0] ?? 0),
  crash: () => {
    throw new Error('deliberate crash');
  },
  /** Resident without ever making a syscall: never becomes RUNNING. */
  silent: () => {},
  /** Computes for argv[0] ms without returning to its event loop, but calling in all along. */
  'busy-caller': (ctx) => {
    const until = performance.now() + Number(ctx.argv[0] ?? 1000);
    while (performance.now() < until) ctx.sys.schedYield();
    return 0;
  },
  spin: (ctx) => {
    ctx.sys.schedYield();
    for (;;);
  },
  /** A channel message one byte over the limit: the kernel must fault it, not read it. */
  oversize: (ctx) => {
    ctx.sys.channelWrite(ctx.handles[0] ?? 0, new Uint8Array(LIMITS.MESSAGE_BYTES + 1), []);
    return 1; // not reached if the kernel faults the caller
  },
};

/** Hostile programs that need the raw bootstrap, not the runtime. */
const RAW: Record<string, (data: unknown, scope: NodeLikePort) => void> = {
  garbage: (data) => {
    const b = decodeDomainBootstrap(data);
    if (!b.ok) return;
    const ring = Ring.attach(b.value.submission);
    const producer = ring.ok ? ring.value.producer() : null;
    if (!producer?.ok) return;
    producer.value.tryWrite(new Uint8Array([1, 2, 3, 4, 0xff, 0xff, 0, 0, 9]));
    ringDoorbell(new Int32Array(b.value.doorbell));
  },
  postmessage: (_data, scope) => scope.postMessage('let me talk to you directly'),
  /** Submits sched.yield as fast as the ring takes it and never reads a completion. */
  flood: (data) => {
    const b = decodeDomainBootstrap(data);
    if (!b.ok) return;
    const ring = Ring.attach(b.value.submission);
    const producer = ring.ok ? ring.value.producer() : null;
    const def = syscallByNum(Sys.SCHED_YIELD);
    if (!producer?.ok || !def) return;
    const bell = new Int32Array(b.value.doorbell);
    for (let tag = 1; ; tag++) if (producer.value.tryWrite(encodeCall(def, tag, [])).ok) ringDoorbell(bell);
  },
};

interface NodeLikePort extends DomainScope {
  postMessage(message: unknown): void;
}

export function runScenario(program: string, scope: NodeLikePort): void {
  const raw = RAW[program];
  if (raw) {
    scope.addEventListener('message', (e) => raw(e.data, scope), { once: true });
    return;
  }
  const main = PROGRAMS[program];
  if (!main) throw new Error(`no test program "${program}"`);
  startDomain(main, scope);
}
