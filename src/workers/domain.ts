// The runtime every protection domain links: takes the kernel's bootstrap, attaches the
// syscall rings and runs the program's main with a DomainContext.
// Layer: workers. After the bootstrap, a domain talks to the kernel only through its rings.
import {
  decodeDomainBootstrap,
  type DisplayGrant,
  type DomainBootstrap,
  type LogLevel,
} from '../abi/boot.ts';
import { CONTROL, HEARTBEAT_MS } from '../abi/control.ts';
import { Ring } from '../abi/ring.ts';
import { Status } from '../abi/status.ts';
import { Channel, runBlocked } from './channel.ts';
import { KernelInbox } from './kernel-inbox.ts';
import { ringTransport, SyscallClient } from './syscall-client.ts';
import { makeStubs, type Stubs } from './stubs.ts';
import { Sys, syscallByNum, type SyscallDef } from '../abi/sys.ts';

const PROCESS_EXIT = syscallByNum(Sys.PROCESS_EXIT) as SyscallDef;

export interface DomainContext {
  readonly pid: number;
  readonly name: string;
  /** Koid of the process that spawned this one (0: the kernel did), from the kernel. */
  readonly spawner: number;
  /** The handles the spawner gave, in its order. */
  readonly handles: readonly number[];
  readonly argv: readonly string[];
  readonly env: readonly string[];
  /** Every syscall, blocking (`channelRead`) and async (`channelReadAsync`). */
  readonly sys: Stubs;
  /** A line in the system log, under this domain's name. */
  log(level: LogLevel, message: string): void;
  /** Maps a Memory handle: its buffer, or the status memory.map failed with. */
  mapMemory(handle: number): Promise<SharedArrayBuffer | number>;
  /** Takes the host's display (display.map, ADR 0017): its canvas and port, or the status it failed with. */
  mapDisplay(handle: number): Promise<DisplayGrant | number>;
  /**
   * Takes a link end's port (link.map, ADR 0020): a MessagePort entangled with the other
   * end's, or the status link.map failed with.
   */
  mapLink(handle: number): Promise<MessagePort | number>;
  /** A channel end used through the kernel (for a mapped end, the Channel mapChannel gave). */
  channel(handle: number): Channel;
  /**
   * Maps a channel end (channel.map): bytes-only messages then travel through shared
   * rings, without the kernel. The end is pinned to this process for good.
   */
  mapChannel(handle: number): Promise<Channel | number>;
  /**
   * Runs a wait that does not go through the kernel (Atomics.wait on the domain's own
   * memory) so that the watchdog counts the domain as blocked, not runaway.
   */
  blocked(wait: () => void): void;
  /** Runtime plumbing: where the kernel's posted messages go. */
  readonly inbox: KernelInbox;
}

/**
 * A program's entry. Returning a number exits with it; returning nothing leaves the
 * domain resident (a server); throwing crashes it.
 */
export type Main = (ctx: DomainContext) => number | undefined | Promise<number | undefined>;

/** The part of a worker's global scope the runtime uses; injectable for tests. */
export interface DomainScope {
  addEventListener(
    type: 'message',
    listener: (e: MessageEvent<unknown>) => void,
    options?: { once?: boolean },
  ): void;
}

const LEVELS: Record<LogLevel, number> = { info: 0, warn: 1, error: 2 };

/** Builds the context from a decoded bootstrap; throws if the kernel's rings are unusable. */
export function attach(bootstrap: DomainBootstrap): DomainContext {
  return attachWith(bootstrap).ctx;
}

function attachWith(bootstrap: DomainBootstrap): { ctx: DomainContext; client: SyscallClient } {
  const submission = Ring.attach(bootstrap.submission);
  const completion = Ring.attach(bootstrap.completion);
  if (!submission.ok || !completion.ok) throw new Error('bootstrap rings are not valid rings');
  const producer = submission.value.producer();
  const consumer = completion.value.consumer();
  if (!producer.ok || !consumer.ok) throw new Error('bootstrap rings are inconsistent');
  const client = new SyscallClient(ringTransport(producer.value, consumer.value, bootstrap.doorbell));
  const sys = makeStubs(client);
  const { pid, name, spawner, handles, argv, env } = bootstrap;
  const inbox = new KernelInbox();
  const mapMemory = async (handle: number): Promise<SharedArrayBuffer | number> => {
    const mapped = await sys.memoryMapAsync(handle);
    return mapped.status === Status.OK ? inbox.take(mapped.koid as number) : mapped.status;
  };
  const mapDisplay = async (handle: number): Promise<DisplayGrant | number> => {
    const mapped = await sys.displayMapAsync(handle);
    return mapped.status === Status.OK ? inbox.takeDisplay(mapped.koid as number) : mapped.status;
  };
  const mapLink = async (handle: number): Promise<MessagePort | number> => {
    const mapped = await sys.linkMapAsync(handle);
    if (mapped.status !== Status.OK) return mapped.status;
    // The decoder checked the shape; in a worker it is the MessagePort the kernel moved.
    return (await inbox.takeLink(mapped.koid as number)).port as MessagePort;
  };
  const channelEnv = {
    sys,
    doorbell: new Int32Array(bootstrap.doorbell),
    control: new Int32Array(bootstrap.control),
  };
  const channel = (handle: number): Channel => Channel.unmapped(channelEnv, handle);
  const mapChannel = async (handle: number): Promise<Channel | number> => {
    const mapped = await sys.channelMapAsync(handle);
    if (mapped.status !== Status.OK) return mapped.status;
    return Channel.mapped(channelEnv, handle, await inbox.takeChannel(mapped.koid as number));
  };
  const log = (level: LogLevel, message: string): void => void sys.debugLog(LEVELS[level], message);
  const blocked = (wait: () => void): void => runBlocked(channelEnv.control, wait);
  const ctx = {
    pid,
    name,
    spawner,
    handles,
    argv,
    env,
    sys,
    log,
    mapMemory,
    mapDisplay,
    mapLink,
    channel,
    mapChannel,
    blocked,
    inbox,
  };
  return { ctx, client };
}

export interface DomainOptions {
  /**
   * The worker may serve one process after another (the kernel's warm pool recycles it,
   * ADR 0015): when main returns an exit code the domain exits and then waits for the
   * next bootstrap instead of idling until it is terminated. Only for programs whose
   * main leaves nothing running behind it (no timers, no pending calls): what a worker
   * keeps between processes is this module's own state, never a handle, since the
   * kernel closes the old process's handles and gives the next one fresh rings.
   */
  readonly reusable?: boolean;
}

/**
 * Runs `main` once the kernel's bootstrap arrives. A malformed bootstrap, or a main
 * that throws or rejects, becomes an uncaught error: the worker dies and the kernel
 * reaps it as CRASHED.
 */
export function startDomain(main: Main, scope: DomainScope, options: DomainOptions = {}): void {
  let current: DomainContext | null = null;
  const begin = (data: unknown): void => {
    const bootstrap = decodeDomainBootstrap(data);
    if (!bootstrap.ok) throw new Error(`bad bootstrap from the kernel: ${bootstrap.error}`);
    const { ctx, client } = attachWith(bootstrap.value);
    current = ctx;
    const control = new Int32Array(bootstrap.value.control);
    // The watchdog's sign of life: this only runs while the event loop is free.
    const heartbeat = setInterval(() => Atomics.add(control, CONTROL.HEARTBEAT, 1), HEARTBEAT_MS);
    const crash = (error: unknown): void => {
      // Rethrown from a task so it is an uncaught error, not an unhandled rejection.
      setTimeout(() => {
        throw error;
      });
    };
    new Promise<number | undefined>((resolve) => resolve(main(ctx))).then((code) => {
      if (typeof code !== 'number') return;
      if (!options.reusable) return void ctx.sys.processExit(code);
      // Detached before the exit is submitted, so the next bootstrap finds the worker ready.
      clearInterval(heartbeat);
      current = null;
      client.post(PROCESS_EXIT, [code]);
    }, crash);
  };
  scope.addEventListener('message', (e) => {
    // Only a reusable domain between processes has no context: anything else is the
    // kernel's word for the process running here, never a second bootstrap.
    if (current) current.inbox.deliver(e.data);
    else begin(e.data);
  });
}
