// bench-ipc: the ipc benchmark's driver, run as pid 1 by bench/ipc (init = "bench-ipc").
// It measures the kernel from inside a domain, as any program sees it, using the other
// bench programs as peers, and reports raw samples as log lines (report.ts); the page
// computes the figures and compares them with the platform baselines it measured in the
// same run. Layer: apps. Figures and method: bench/README.md, "ipc".
import { ObjectType, Priority, Signal } from '../../abi/objects.ts';
import { ProcessState } from '../../abi/sys.ts';
import type { DomainContext } from '../../workers/domain.ts';
import type { Channel } from '../../workers/channel.ts';
import { check, expect, open, send, waitFor, type ChannelMode } from './channel.ts';
import { isStamped, stamp } from './message.ts';
import { EMPTY_EXIT_CODE, hello, programHandleIndex, SINK, type ProgramName } from './programs.ts';
import { histogram, report, startDriver } from './report.ts';
import { breathe, timeLoop, timeOnce, type TimedLoop } from './timing.ts';

declare const self: DedicatedWorkerGlobalScope;

/** As the platform baselines count (bench/page/platform.ts), except where noted. */
const COUNTS = {
  roundTrips: { warmup: 2_000, measured: 20_000 },
  streamRuns: { warmup: 1, measured: 7 },
  spawns: { warmup: 3, measured: 30 },
} as const;

/** Streams over mapped channels (rings), and one over the kernel for comparison. */
const STREAMS = [
  { name: 'channel_64b_msgs', bytes: 64, count: 100_000, handles: 0, mode: 'mapped' },
  { name: 'channel_4k_msgs', bytes: 4096, count: 50_000, handles: 0, mode: 'mapped' },
  { name: 'channel_kernel_4k_msgs', bytes: 4096, count: 10_000, handles: 0, mode: 'kernel' },
  // Each message moves one handle; a stream's worth must fit in both handle tables.
  { name: 'channel_handle_transfer_msgs', bytes: 8, count: 2_000, handles: 1, mode: 'mapped' },
] as const;

/** How long a helper may take to start (and bench-empty to end) before the run fails. */
const START_TIMEOUT_MS = 10_000;

/** Round trips between pauses for the event loop; well under a second each. */
const CHUNK = 1_000;

const IDLE = {
  domains: 5,
  /** How long the system stays idle; the page measures 5 s within it. */
  holdMs: 7_500,
} as const;

type Sys = DomainContext['sys'];
const NONE: readonly number[] = [];

interface Helper {
  readonly channel: Channel;
  readonly process: number;
}

/** Our Program capability for `program` (pid 1's initial handles; see programs.ts). */
function program(ctx: DomainContext, name: ProgramName): number {
  const handle = ctx.handles[programHandleIndex(name, 'bench-ipc')] ?? 0;
  const info = ctx.sys.objectInfo(handle);
  check(info.status, `object.info on the handle for ${name}`);
  if (info.type !== ObjectType.PROGRAM) throw new Error(`initial handle for ${name} is not a Program`);
  return handle;
}

function spawn(sys: Sys, prog: number, name: string, argv: readonly string[], handles: number[]): number {
  const r = sys.processSpawn(prog, name, argv.join('\0'), '', Priority.INTERACTIVE, handles);
  check(r.status, `process.spawn ${name}`);
  return r.process ?? 0;
}

/**
 * Spawns the program `name` on a fresh channel and returns once it has said hello (over
 * the kernel: this end is not mapped yet); then uses our end in `mode`.
 */
async function startHelper(
  ctx: DomainContext,
  name: ProgramName,
  argv: readonly string[] = [],
  mode: ChannelMode = 'kernel',
): Promise<Helper> {
  const { status, end0 = 0, end1 = 0 } = ctx.sys.channelCreate();
  check(status, 'channel.create');
  const process = spawn(ctx.sys, program(ctx, name), name, argv, [end1]);
  // A program that is not the one asked for may never say anything: do not wait forever.
  const greeting = new TextDecoder().decode(expect(ctx.sys, ctx.channel(end0), false, START_TIMEOUT_MS).data);
  const wanted = new TextDecoder().decode(hello(name));
  if (greeting !== wanted)
    throw new Error(
      `spawned ${name}, which says "${greeting}": is src/abi/programs.ts in step with the kernel?`,
    );
  return { channel: await open(ctx, end0, mode), process };
}

/** Closes the helper's channel and waits for it to exit cleanly. */
function stopHelper(sys: Sys, helper: Helper): void {
  check(sys.handleClose(helper.channel.handle).status, 'handle.close');
  waitFor(sys, helper.process, Signal.TERMINATED);
  const info = sys.processInfo(helper.process);
  if (info.state !== ProcessState.EXITED || info.exit_code !== 0)
    throw new Error(`a helper ended in state ${String(info.state)} with code ${String(info.exit_code)}`);
  check(sys.handleClose(helper.process).status, 'handle.close');
}

/**
 * A latency figure: one discarded warm-up loop, then one measured loop. Loops run in
 * chunks with a pause for the event loop in between (not timed): a domain that stays in
 * syscalls for seconds without returning to its event loop misses heartbeats, and the
 * kernel's watchdog reports it as a runaway.
 */
async function latency(ctx: DomainContext, name: string, roundTrip: (i: number) => void): Promise<void> {
  await timeLoopChunked(COUNTS.roundTrips.warmup, roundTrip);
  const { totalMs, samplesMs } = await timeLoopChunked(COUNTS.roundTrips.measured, roundTrip);
  report(ctx, { kind: 'latency', name, totalMs, count: samplesMs.length, histogram: histogram(samplesMs) });
}

async function timeLoopChunked(count: number, body: (i: number) => void): Promise<TimedLoop> {
  const samplesMs = new Float64Array(count);
  let totalMs = 0;
  for (let done = 0; done < count; done += CHUNK) {
    const loop = timeLoop(Math.min(CHUNK, count - done), (i) => body(done + i));
    samplesMs.set(loop.samplesMs, done);
    totalMs += loop.totalMs;
    await breathe();
  }
  return { totalMs, samplesMs };
}

function nullSyscall(ctx: DomainContext): Promise<void> {
  return latency(ctx, 'null_syscall_rtt_us', () => check(ctx.sys.schedYield().status, 'sched.yield'));
}

async function channelRtt(ctx: DomainContext, name: string, mode: ChannelMode): Promise<void> {
  const echo = await startHelper(ctx, 'bench-echo', [mode], mode);
  const ping = new Uint8Array(8);
  await latency(ctx, name, (i) => {
    stamp(ping, i);
    send(ctx.sys, echo.channel, ping);
    // Wait first: the echo cannot have answered yet.
    if (!isStamped(expect(ctx.sys, echo.channel, true).data, i, ping.length))
      throw new Error('bench-echo answered with another message');
  });
  stopHelper(ctx.sys, echo);
}

/** `count` duplicates of `handle`, to be moved one per message. */
function duplicates(sys: Sys, handle: number, count: number): number[] {
  const info = sys.objectInfo(handle);
  check(info.status, 'object.info');
  return Array.from({ length: count }, () => {
    const r = sys.handleDuplicate(handle, info.rights ?? 0);
    check(r.status, 'handle.duplicate');
    return r.duplicate ?? 0;
  });
}

/** The sink's answer: [kind, value]. */
function sinkAnswer(sys: Sys, helper: Helper, kind: number): number {
  const data = expect(sys, helper.channel, true).data;
  const words = new Uint32Array(data.slice().buffer);
  if (words.length !== 2 || words[0] !== kind) throw new Error('bench-sink answered out of turn');
  return words[1] ?? 0;
}

/** Messages per second to bench-sink, one stream per sample; the first stream is warm-up. */
async function stream(ctx: DomainContext, spec: (typeof STREAMS)[number]): Promise<void> {
  const { name, bytes, count, handles, mode } = spec;
  const { warmup, measured } = COUNTS.streamRuns;
  const argv = [...[bytes, count, handles, warmup + measured].map(String), mode];
  const sink = await startHelper(ctx, 'bench-sink', argv, mode);
  const timer = ctx.sys.timerCreate();
  check(timer.status, 'timer.create');
  const msg = new Uint8Array(bytes).fill(0x3c);
  const rates: number[] = [];
  for (let run = 0; run < warmup + measured; run++) {
    const moving = handles > 0 ? duplicates(ctx.sys, timer.timer ?? 0, count) : [];
    let bad = 0;
    const ms = timeOnce(() => {
      for (let seq = 0; seq < count; seq++) {
        stamp(msg, seq);
        send(ctx.sys, sink.channel, msg, handles > 0 ? [moving[seq] ?? 0] : NONE);
      }
      bad = sinkAnswer(ctx.sys, sink, SINK.DONE);
    });
    if (bad !== 0) throw new Error(`${name}: ${bad} of ${count} messages arrived damaged`);
    sinkAnswer(ctx.sys, sink, SINK.CLEAN);
    if (run >= warmup) rates.push(count / (ms / 1000));
    await breathe();
  }
  check(ctx.sys.handleClose(timer.timer ?? 0).status, 'handle.close');
  stopHelper(ctx.sys, sink);
  report(ctx, { kind: 'samples', name, unit: 'msgs/s', samples: rates });
}

/** Spawns bench-empty and waits until it has terminated; milliseconds. */
function spawnExitOnce(ctx: DomainContext, prog: number): number {
  const start = performance.now();
  const child = spawn(ctx.sys, prog, 'bench-empty', [], []);
  waitFor(ctx.sys, child, Signal.TERMINATED, START_TIMEOUT_MS);
  const ms = performance.now() - start;
  const info = ctx.sys.processInfo(child);
  if (info.state !== ProcessState.EXITED || info.exit_code !== EMPTY_EXIT_CODE)
    throw new Error('bench-empty did not exit as bench-empty does: is src/abi/programs.ts in step?');
  check(ctx.sys.handleClose(child).status, 'handle.close');
  return ms;
}

async function spawnExit(ctx: DomainContext): Promise<void> {
  const prog = program(ctx, 'bench-empty');
  const samples: number[] = [];
  for (let i = 0; i < COUNTS.spawns.warmup + COUNTS.spawns.measured; i++) {
    const ms = spawnExitOnce(ctx, prog);
    if (i >= COUNTS.spawns.warmup) samples.push(ms);
    await breathe();
  }
  report(ctx, { kind: 'samples', name: 'spawn_exit_ms', unit: 'ms', samples });
}

/** Five resident idle domains, and this one parked on a timer, for IDLE.holdMs. */
async function idle(ctx: DomainContext): Promise<void> {
  const helpers: Helper[] = [];
  for (let i = 0; i < IDLE.domains; i++) helpers.push(await startHelper(ctx, 'bench-idle'));
  const { status, timer = 0 } = ctx.sys.timerCreate();
  check(status, 'timer.create');
  check(ctx.sys.timerSet(timer, IDLE.holdMs).status, 'timer.set');
  report(ctx, { kind: 'idle', holdMs: IDLE.holdMs, domains: IDLE.domains });
  waitFor(ctx.sys, timer, Signal.FIRED);
  report(ctx, { kind: 'busy' });
  check(ctx.sys.handleClose(timer).status, 'handle.close');
  for (const h of helpers) stopHelper(ctx.sys, h);
}

async function run(ctx: DomainContext): Promise<void> {
  await idle(ctx);
  await breathe();
  await nullSyscall(ctx);
  await channelRtt(ctx, 'channel_rtt_us', 'mapped');
  await channelRtt(ctx, 'channel_kernel_rtt_us', 'kernel');
  for (const spec of STREAMS) await stream(ctx, spec);
  await spawnExit(ctx);
  report(ctx, { kind: 'done' });
}

startDriver(run, self);
