// The kernel against real domains: each test program runs on a node worker thread with
// the real domain runtime, talking to the kernel over real rings.
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import type { KernelReport } from '../abi/boot.ts';
import { HEARTBEAT_MS } from '../abi/control.ts';
import { DEFAULT_RIGHTS, ObjectType, Priority, Signal } from '../abi/objects.ts';
import { Right, rights } from '../abi/rights.ts';
import { Status } from '../abi/status.ts';
import { ProcessState } from '../abi/sys.ts';
import { bootKernel } from './boot.ts';
import { Capability } from './capability.ts';
import type { Kernel } from './kernel.ts';
import { type KernelHost } from './kernel.ts';
import { ChannelEnd } from './objects/channel.ts';
import { Timer } from './objects/timer.ts';
import type { DomainLink, Process } from './process.ts';

const DOMAIN = new URL('../workers/testing/node-domain.worker.mjs', import.meta.url);
const workers = new Set<Worker>();
let kernels: Kernel[] = [];

function nodeHost(reports: KernelReport[]): KernelHost {
  return {
    launch: (program) => {
      const worker = new Worker(DOMAIN, { workerData: { program } });
      workers.add(worker);
      const link: DomainLink = {
        post: (m) => worker.postMessage(m),
        onMessage: (l) => worker.on('message', l),
        onCrash: (l) => worker.on('error', (e: Error) => l(e.message)),
        terminate: () => {
          workers.delete(worker);
          void worker.terminate();
        },
      };
      return link;
    },
    report: (r) => reports.push(r),
    now: () => performance.timeOrigin + performance.now(),
    clock: {
      setTimeout: (fn, ms) => setTimeout(fn, ms),
      clearTimeout: (id) => clearTimeout(id as NodeJS.Timeout),
    },
  };
}

async function boot(): Promise<{ kernel: Kernel; init: Process; reports: KernelReport[] }> {
  const reports: KernelReport[] = [];
  const kernel = await bootKernel({ kind: 'boot', initTimeoutMs: 20_000, init: 'init' }, nodeHost(reports), [
    'init',
    'echo',
  ]);
  if (!kernel) throw new Error(`boot failed: ${JSON.stringify(reports.at(-1))}`);
  kernels.push(kernel);
  const init = kernel.process(1);
  if (!init) throw new Error('no init');
  return { kernel, init, reports };
}

function spawn(
  kernel: Kernel,
  parent: Process,
  program: string,
  caps: Capability[] = [],
  argv: string[] = [],
) {
  const child = kernel.spawn({
    parent,
    program,
    name: program,
    argv,
    env: [],
    priority: Priority.INTERACTIVE,
    caps,
  });
  if (typeof child === 'number') throw new Error(`spawn failed: ${child}`);
  return child;
}

async function until<T>(probe: () => T | undefined | false, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}

const ended = (p: Process) => until(() => !p.alive && p);

afterEach(async () => {
  for (const k of kernels) k.stop();
  kernels = [];
  await Promise.all([...workers].map((w) => w.terminate()));
  workers.clear();
});

// Real worker threads each load the runtime through tsx: slow on a busy 2-core machine.
describe('kernel with real domains', { timeout: 30_000 }, () => {
  it('boots init, which runs and logs through debug.log', async () => {
    const { kernel, init, reports } = await boot();
    expect(init.state).toBe(ProcessState.RUNNING);
    const lines = reports.flatMap((r) => (r.kind === 'log' ? [`${r.event.source}: ${r.event.message}`] : []));
    expect(lines).toContain('init: init started as pid 1 with 4 handle(s)');
    // The audit log, a Program per other program, its own Process, and last the host link.
    const caps = [...init.table.entries()].map(([, cap]) => cap.object);
    expect(caps.at(-2)).toBe(init);
    expect(caps.at(-1)).toBeInstanceOf(ChannelEnd);
    expect(kernel.hostLink?.closed).toBe(false);
    expect(lines.at(-1)).toBe('kernel: init running (pid 1)');
    expect(reports.filter((r) => r.kind === 'ready')).toHaveLength(1);
  });

  it('passes messages and moved handles through a channel, both ways', async () => {
    const { kernel, init } = await boot();
    const [mine, theirs] = ChannelEnd.pair();
    const root = Capability.root(mine, DEFAULT_RIGHTS[ObjectType.CHANNEL]);
    const echo = spawn(kernel, init, 'echo', [Capability.root(theirs, DEFAULT_RIGHTS[ObjectType.CHANNEL])]);
    const timer = Capability.root(new Timer(kernel.clock), DEFAULT_RIGHTS[ObjectType.TIMER]);
    expect(
      mine.write({
        data: new TextEncoder().encode('ping'),
        caps: [timer],
        badge: 0,
        rights: 0,
        marked: false,
      }),
    ).toBe(Status.OK);
    const reply = await until(() => {
      const m = mine.peek();
      return typeof m === 'number' ? undefined : m;
    });
    mine.take();
    expect(new TextDecoder().decode(reply.data)).toBe('ping');
    expect(reply.caps).toEqual([timer]); // the same capability came back: it moved, twice
    expect(echo.table.size).toBe(1);
    root.close(); // echo sees PEER_CLOSED and exits 0
    expect((await ended(echo)).exitCode).toBe(0);
    expect(echo.state).toBe(ProcessState.EXITED);
  });

  it('two domains talk over mapped channel rings with blocking calls, handles kept in order', async () => {
    const { kernel, init } = await boot();
    const [a, b] = ChannelEnd.pair();
    const rights = DEFAULT_RIGHTS[ObjectType.CHANNEL];
    const echo = spawn(kernel, init, 'ring-echo', [Capability.root(a, rights)]);
    const client = spawn(kernel, init, 'ring-client', [Capability.root(b, rights)], ['300']);
    expect((await ended(client)).exitCode).toBe(0);
    // Over the kernel each round trip would cost the client two syscalls (write, read):
    // 600. Through the rings only the six handle-carrying ones (and their reads) do.
    expect(client.syscalls).toBeLessThan(60);
    expect(a.queued + b.queued).toBe(0);
    expect((await ended(echo)).exitCode).toBe(0); // the client's exit closed its end
  });

  it('ends a wait in flight with REVOKED when the capability is revoked', async () => {
    const { kernel, init } = await boot();
    const [mine, theirs] = ChannelEnd.pair();
    const keep = Capability.root(mine, DEFAULT_RIGHTS[ObjectType.CHANNEL]);
    const original = Capability.root(theirs, DEFAULT_RIGHTS[ObjectType.CHANNEL]);
    const echo = spawn(kernel, init, 'echo', [original.derive(rights(Right.READ, Right.WRITE, Right.WAIT))]);
    await until(() => echo.state === ProcessState.RUNNING);
    await new Promise((r) => setTimeout(r, 50)); // let it park in object.wait_one
    expect(original.revokeDescendants()).toBe(1);
    expect((await ended(echo)).exitCode).toBe(3);
    keep.close();
  });

  it('reaps exits, crashes and kills, and tells the parent', async () => {
    const { kernel, init } = await boot();
    const exit = spawn(kernel, init, 'exit', [], ['7']);
    const crash = spawn(kernel, init, 'crash');
    expect(await ended(exit)).toMatchObject({ state: ProcessState.EXITED, exitCode: 7 });
    expect(await ended(crash)).toMatchObject({ state: ProcessState.CRASHED });
    expect(crash.reason).toMatch(/deliberate crash/);
    expect(exit.signals & Signal.TERMINATED).toBe(Signal.TERMINATED);
    expect(init.children.has(exit)).toBe(false);
  });

  it('closes a dead process’s handles, so its peers see PEER_CLOSED', async () => {
    const { kernel, init } = await boot();
    const [mine, theirs] = ChannelEnd.pair();
    const keep = Capability.root(mine, DEFAULT_RIGHTS[ObjectType.CHANNEL]);
    const echo = spawn(kernel, init, 'echo', [Capability.root(theirs, DEFAULT_RIGHTS[ObjectType.CHANNEL])]);
    await until(() => echo.state === ProcessState.RUNNING);
    kernel.terminate(echo, ProcessState.KILLED, -9, 'killed by the test');
    expect(mine.signals & Signal.PEER_CLOSED).toBe(Signal.PEER_CLOSED);
    expect(echo.table.size).toBe(0);
    keep.close();
  });

  describe('the watchdog', () => {
    it('kills a domain that never yields, under the kill policy', async () => {
      const { kernel, init } = await boot();
      kernel.watch({ periodMs: 50, runawayMs: 4 * HEARTBEAT_MS, action: 'kill', quotaWindowMs: 1000 });
      const spin = spawn(kernel, init, 'spin');
      expect(await ended(spin)).toMatchObject({ state: ProcessState.KILLED });
      expect(spin.reason).toMatch(/killed by the watchdog: spin \(pid \d+\) has not yielded/);
      expect(init.alive).toBe(true); // init idles in its event loop, heartbeating: not a runaway
    });

    it('does not take a domain that keeps making syscalls for a runaway', async () => {
      const { kernel, init } = await boot();
      kernel.watch({ periodMs: 50, runawayMs: 4 * HEARTBEAT_MS, action: 'kill', quotaWindowMs: 1000 });
      // Busy for longer than the runaway limit, without an event-loop turn: never a heartbeat.
      const busy = spawn(kernel, init, 'busy-caller', [], [String(6 * HEARTBEAT_MS)]);
      expect(await ended(busy)).toMatchObject({ state: ProcessState.EXITED, exitCode: 0 });
    });

    it('only reports a runaway under the report policy', async () => {
      const { kernel, init } = await boot();
      kernel.watch({ periodMs: 50, runawayMs: 4 * HEARTBEAT_MS, action: 'report', quotaWindowMs: 1000 });
      const spin = spawn(kernel, init, 'spin');
      await until(() =>
        kernel.audit.since(0).some((e) => e.pid === spin.pid && e.detail.startsWith('runaway')),
      );
      expect(spin.alive).toBe(true);
    });
  });

  describe('hostile domains are faulted or refused, and nothing else is harmed', () => {
    it('a malformed syscall record faults the sender', async () => {
      const { kernel, init } = await boot();
      const garbage = spawn(kernel, init, 'garbage');
      expect(await ended(garbage)).toMatchObject({ state: ProcessState.FAULTED });
      expect(garbage.reason).toMatch(/malformed syscall/);
      expect(kernel.audit.since(0).some((e) => e.kind === 'fault' && e.pid === garbage.pid)).toBe(true);
      expect(init.alive).toBe(true);
    });

    it('a postMessage after bootstrap faults the sender', async () => {
      const { kernel, init } = await boot();
      const talker = spawn(kernel, init, 'postmessage');
      expect(await ended(talker)).toMatchObject({ state: ProcessState.FAULTED });
    });

    it('forged handle values get BAD_HANDLE, not a fault and not someone else’s object', async () => {
      const { kernel, init } = await boot();
      const forger = spawn(kernel, init, 'forger');
      const done = await ended(forger);
      expect(done.reason).toBe('exited with 0');
      expect(done).toMatchObject({ state: ProcessState.EXITED, exitCode: 0 });
    });
  });
});
