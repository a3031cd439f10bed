import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DomainBootstrap } from '../../abi/boot.ts';
import { LIMITS } from '../../abi/limits.ts';
import { Ring } from '../../abi/ring.ts';
import { DEFAULT_RIGHTS, ObjectType, Priority, Signal } from '../../abi/objects.ts';
import { Right, rights, type Rights } from '../../abi/rights.ts';
import { blockedStamp, CONTROL } from '../../abi/control.ts';
import { Status } from '../../abi/status.ts';
import { ProcessState } from '../../abi/sys.ts';
import { attach, type DomainContext } from '../../workers/domain.ts';
import { Capability } from '../capability.ts';
import { Program } from '../objects/program.ts';
import type { Process } from '../process.ts';
import { harness, type Harness } from '../test-harness.ts';
import { TestObject } from '../test-objects.ts';

type Sys = DomainContext['sys'];
let h: Harness<DomainContext>;
let sys: Sys;
let init: Process;
/** init's handle to a Program (EXECUTE). */
let program: number;

const programCap = () => Capability.root(new Program('child'), DEFAULT_RIGHTS[ObjectType.PROGRAM]);

beforeEach(() => {
  h = harness(attach);
  const started = h.start('init', [programCap()]);
  sys = started.ctx.sys;
  init = started.process;
  program = started.ctx.handles[0] as number;
});
afterEach(() => h.stop());

interface Child {
  handle: number;
  pid: number;
  process: Process;
  ctx: DomainContext;
  bootstrap: DomainBootstrap;
}

async function spawn(
  from: Sys = sys,
  prog = program,
  handles: number[] = [],
  priority: number = Priority.INTERACTIVE,
): Promise<Child> {
  const r = await from.processSpawnAsync(prog, 'child', '', '', priority, handles);
  expect(r.status).toBe(Status.OK);
  const pid = r.pid as number;
  const { process, ctx, bootstrap } = h.adopt(pid);
  return { handle: r.process as number, pid, process, ctx, bootstrap };
}

async function timer(from: Sys = sys): Promise<number> {
  const t = await from.timerCreateAsync();
  expect(t.status).toBe(Status.OK);
  return t.timer as number;
}

async function weaker(handle: number, r: number): Promise<number> {
  const d = await sys.handleDuplicateAsync(handle, r);
  expect(d.status).toBe(Status.OK);
  return d.duplicate as number;
}

/** Tracks whether a promise has settled, for "never completes" assertions. */
function track<T>(p: Promise<T>): { settled: () => boolean } {
  let settled = false;
  void p.then(() => (settled = true));
  return { settled: () => settled };
}

const spawnArgs = (name: string, argv = '', env = '', priority: number = Priority.INTERACTIVE) =>
  sys.processSpawnAsync(program, name, argv, env, priority, []);

describe('process.spawn', () => {
  it('gives each process rings and a control block of its own, never used (made ahead while idle)', async () => {
    const a = await spawn();
    await new Promise((r) => setTimeout(r, 20)); // the serve loop idles: it makes the next ones
    const b = await spawn();
    const memory = [a, b].flatMap((c) => [
      c.bootstrap.submission,
      c.bootstrap.completion,
      c.bootstrap.control,
    ]);
    expect(new Set(memory).size).toBe(6);
    expect(memory).not.toContain(init.control.buffer);
    const fresh = Ring.attach(b.bootstrap.completion);
    expect(fresh.ok && fresh.value.consumer().ok).toBe(true);
    const consumer = fresh.ok ? fresh.value.consumer() : null;
    expect(consumer?.ok ? consumer.value.tryRead() : null).toEqual({ ok: true, value: null });
  });

  it("names the spawner's koid in the child's bootstrap, and the child's own child names the child", async () => {
    const a = await spawn(sys, program, [await weaker(program, DEFAULT_RIGHTS[ObjectType.PROGRAM])]);
    expect(a.bootstrap.spawner).toBe(init.koid);
    const theirs = a.ctx.handles[0] as number; // the Program handle, in the child's table
    const grand = await a.ctx.sys.processSpawnAsync(theirs, 'grandchild', '', '', Priority.INTERACTIVE, []);
    expect(grand.status).toBe(Status.OK);
    expect(h.adopt(grand.pid as number).bootstrap.spawner).toBe(a.process.koid);
  });

  it('starts a child with its name, argv, env, priority and the given handles, moved in order', async () => {
    const t = await timer();
    const c = await sys.channelCreateAsync();
    const koids = [(await sys.objectInfoAsync(t)).koid, (await sys.objectInfoAsync(c.end1 as number)).koid];
    const r = await sys.processSpawnAsync(program, 'kid', 'one\0two', 'K=V', Priority.BATCH, [
      t,
      c.end1 as number,
    ]);
    expect(r.status).toBe(Status.OK);
    expect((await sys.objectInfoAsync(t)).status).toBe(Status.BAD_HANDLE);
    const child = h.adopt(r.pid as number);
    expect(child.process).toMatchObject({ name: 'kid', priority: Priority.BATCH, parent: init });
    expect(child.ctx).toMatchObject({ pid: r.pid, name: 'kid', argv: ['one', 'two'], env: ['K=V'] });
    expect(child.ctx.handles).toHaveLength(2);
    const seen = await Promise.all(child.ctx.handles.map((v) => child.ctx.sys.objectInfoAsync(v)));
    expect(seen.map((i) => i.koid)).toEqual(koids);
    expect(await sys.objectInfoAsync(r.process as number)).toMatchObject({
      type: ObjectType.PROCESS,
      koid: child.process.koid,
      rights: DEFAULT_RIGHTS[ObjectType.PROCESS],
      related: init.koid,
    });
  });

  it('a handle moved at spawn is still reached by revoking its ancestor in the parent', async () => {
    const t = await timer();
    const lent = await weaker(t, DEFAULT_RIGHTS[ObjectType.TIMER]);
    const child = await spawn(sys, program, [lent]);
    const [theirs] = child.ctx.handles as [number];
    expect((await child.ctx.sys.objectInfoAsync(theirs)).status).toBe(Status.OK);
    expect((await sys.handleRevokeAsync(t)).revoked).toBe(1);
    expect((await child.ctx.sys.objectInfoAsync(theirs)).status).toBe(Status.REVOKED);
  });

  it('gives empty argv and env as empty lists', async () => {
    const { ctx } = await spawn();
    expect(ctx.argv).toEqual([]);
    expect(ctx.env).toEqual([]);
  });

  it('BAD_HANDLE for a bad program handle or a bad handle to give; nothing starts or moves', async () => {
    const t = await timer();
    expect((await sys.processSpawnAsync(0x5eed, 'x', '', '', 1, [])).status).toBe(Status.BAD_HANDLE);
    expect((await sys.processSpawnAsync(program, 'x', '', '', 1, [t, 0x5eed])).status).toBe(
      Status.BAD_HANDLE,
    );
    expect((await sys.objectInfoAsync(t)).status).toBe(Status.OK);
    expect(init.children.size).toBe(0);
  });

  it('WRONG_TYPE for a program handle that is not a program', async () => {
    expect((await sys.processSpawnAsync(await timer(), 'x', '', '', 1, [])).status).toBe(Status.WRONG_TYPE);
  });

  it('ACCESS_DENIED without EXECUTE, or for a handle to give without TRANSFER', async () => {
    const noExec = await weaker(program, Right.INSPECT);
    expect((await sys.processSpawnAsync(noExec, 'x', '', '', 1, [])).status).toBe(Status.ACCESS_DENIED);
    const stuck = await weaker(await timer(), Right.INSPECT);
    expect((await sys.processSpawnAsync(program, 'x', '', '', 1, [stuck])).status).toBe(Status.ACCESS_DENIED);
    expect((await sys.objectInfoAsync(stuck)).status).toBe(Status.OK); // still held
    expect(init.children.size).toBe(0);
  });

  it('REVOKED for a program handle whose ancestor was revoked', async () => {
    const d = await weaker(program, Right.EXECUTE);
    await sys.handleRevokeAsync(program);
    expect((await sys.processSpawnAsync(d, 'x', '', '', 1, [])).status).toBe(Status.REVOKED);
  });

  it('INVALID_ARGS for a bad name, priority, handle list or oversized arguments; nothing starts', async () => {
    const t = await timer();
    const cases = [
      spawnArgs(''),
      spawnArgs('n'.repeat(LIMITS.NAME_LENGTH + 1)),
      spawnArgs('odd', '', '', 3),
      spawnArgs('big', 'a'.repeat(LIMITS.SPAWN_ARGS_BYTES), 'b'),
      sys.processSpawnAsync(program, 'twice', '', '', Priority.INTERACTIVE, [t, t]),
    ];
    expect((await Promise.all(cases)).map((r) => r.status)).toEqual(cases.map(() => Status.INVALID_ARGS));
    expect(init.children.size).toBe(0);
    expect((await sys.objectInfoAsync(t)).status).toBe(Status.OK);
    expect((await spawnArgs('n'.repeat(LIMITS.NAME_LENGTH))).status).toBe(Status.OK);
    expect((await spawnArgs('fits', 'a'.repeat(LIMITS.SPAWN_ARGS_BYTES - 1), 'b')).status).toBe(Status.OK);
  });

  it('INVALID_ARGS for a child more urgent than its parent; as urgent is fine', async () => {
    const d = await sys.handleDuplicateAsync(program, DEFAULT_RIGHTS[ObjectType.PROGRAM]);
    expect(d.status).toBe(Status.OK);
    const child = await spawn(sys, program, [d.duplicate as number], Priority.INTERACTIVE);
    const childProgram = child.ctx.handles[0] as number;
    const urgent = await child.ctx.sys.processSpawnAsync(
      childProgram,
      'urgent',
      '',
      '',
      Priority.REALTIME,
      [],
    );
    expect(urgent.status).toBe(Status.INVALID_ARGS);
    expect(child.process.children.size).toBe(0);
    const peer = await child.ctx.sys.processSpawnAsync(
      childProgram,
      'peer',
      '',
      '',
      Priority.INTERACTIVE,
      [],
    );
    expect(peer.status).toBe(Status.OK);
    // init is the root and realtime (it starts the compositor).
    expect((await spawnArgs('compositor', '', '', Priority.REALTIME)).status).toBe(Status.OK);
  });

  it('LIMIT_EXCEEDED when the caller’s table is full; nothing starts', async () => {
    while (init.table.size < LIMITS.HANDLES_PER_PROCESS)
      init.table.add(Capability.root(new TestObject(), Right.NONE));
    expect((await spawnArgs('x')).status).toBe(Status.LIMIT_EXCEEDED);
    expect(init.children.size).toBe(0);
  });
});

describe('process.exit', () => {
  it('ends the caller with its code, closes its handles and tells the parent; never completes', async () => {
    const c = await sys.channelCreateAsync();
    const child = await spawn(sys, program, [c.end1 as number]);
    const exit = track(child.ctx.sys.processExitAsync(7));
    const wait = await sys.objectWaitOneAsync(child.handle, Signal.TERMINATED, -1);
    expect(wait).toEqual({ status: Status.OK, observed: Signal.TERMINATED });
    expect(await sys.processInfoAsync(child.handle)).toEqual({
      status: Status.OK,
      pid: child.pid,
      state: ProcessState.EXITED,
      exit_code: 7,
    });
    expect(child.process.table.size).toBe(0);
    expect((await sys.objectWaitOneAsync(c.end0 as number, Signal.PEER_CLOSED, 0)).status).toBe(Status.OK);
    expect(init.children.has(child.process)).toBe(false);
    await sys.schedYieldAsync(); // one more kernel round trip: a completion for exit would have come by now
    expect(exit.settled()).toBe(false);
  });

  it('retires the worker (the host may reuse it) only after the process’s own exit', async () => {
    const exited = await spawn();
    void exited.ctx.sys.processExitAsync(0);
    await sys.objectWaitOneAsync(exited.handle, Signal.TERMINATED, -1);
    const killed = await spawn();
    expect((await sys.processKillAsync(killed.handle)).status).toBe(Status.OK);
    expect(h.ends.get(exited.pid)).toBe('retired');
    expect(h.ends.get(killed.pid)).toBe('terminated');
  });
});

describe('process.kill', () => {
  it('terminates the process with -9 and hands its children to init', async () => {
    const sibling = await spawn();
    const p = await sys.handleDuplicateAsync(program, DEFAULT_RIGHTS[ObjectType.PROGRAM]);
    const parent = await spawn(sys, program, [p.duplicate as number]);
    const grandchild = await spawn(parent.ctx.sys, parent.ctx.handles[0] as number);
    expect(grandchild.process.parent).toBe(parent.process);
    expect((await sys.processKillAsync(parent.handle)).status).toBe(Status.OK);
    expect(parent.process).toMatchObject({ state: ProcessState.KILLED, exitCode: -9 });
    expect((await sys.objectWaitOneAsync(parent.handle, Signal.TERMINATED, 0)).status).toBe(Status.OK);
    expect(grandchild.process.parent).toBe(init);
    expect(grandchild.process.alive).toBe(true);
    expect(sibling.process.alive).toBe(true);
  });

  it('a process may kill itself; the call never completes', async () => {
    const c = await sys.channelCreateAsync();
    const child = await spawn(sys, program, [c.end1 as number]);
    const self = await weaker(child.handle, rights(Right.MANAGE, Right.TRANSFER));
    await sys.channelWriteAsync(c.end0 as number, new Uint8Array(), [self]);
    const [mine] = (await child.ctx.sys.channelReadAsync(child.ctx.handles[0] as number)).handles as number[];
    const kill = track(child.ctx.sys.processKillAsync(mine as number));
    await expect.poll(() => child.process.state).toBe(ProcessState.KILLED);
    await sys.schedYieldAsync();
    expect(kill.settled()).toBe(false);
  });

  it('BAD_STATE for a process that has already ended', async () => {
    const child = await spawn();
    expect((await sys.processKillAsync(child.handle)).status).toBe(Status.OK);
    expect((await sys.processKillAsync(child.handle)).status).toBe(Status.BAD_STATE);
    expect(child.process.exitCode).toBe(-9);
  });
});

describe('process.info', () => {
  it('reports pid, STARTING before the first syscall, then RUNNING, and exit code 0', async () => {
    const child = await spawn();
    expect(await sys.processInfoAsync(child.handle)).toEqual({
      status: Status.OK,
      pid: child.pid,
      state: ProcessState.STARTING,
      exit_code: 0,
    });
    await child.ctx.sys.schedYieldAsync();
    expect((await sys.processInfoAsync(child.handle)).state).toBe(ProcessState.RUNNING);
  });
});

describe('process.wait', () => {
  it('parks until the process ends, then gives its final state and exit code in the one call', async () => {
    const child = await spawn();
    const wait = sys.processWaitAsync(child.handle, -1);
    const waiting = track(wait);
    await sys.schedYieldAsync();
    expect(waiting.settled()).toBe(false);
    void child.ctx.sys.processExitAsync(3);
    expect(await wait).toEqual({ status: Status.OK, state: ProcessState.EXITED, exit_code: 3 });
  });

  it('answers at once for a process that has already ended', async () => {
    const child = await spawn();
    expect((await sys.processKillAsync(child.handle)).status).toBe(Status.OK);
    expect(await sys.processWaitAsync(child.handle, -1)).toEqual({
      status: Status.OK,
      state: ProcessState.KILLED,
      exit_code: -9,
    });
  });

  it('TIMED_OUT while the process runs on; a timeout of 0 only looks', async () => {
    const child = await spawn();
    expect(await sys.processWaitAsync(child.handle, 0)).toEqual({ status: Status.TIMED_OUT });
    expect((await sys.processWaitAsync(child.handle, 5)).status).toBe(Status.TIMED_OUT);
    expect(child.process.alive).toBe(true);
  });

  it('CANCELED when the handle it waits through is closed', async () => {
    const child = await spawn();
    const d = await weaker(child.handle, rights(Right.WAIT, Right.INSPECT));
    const wait = sys.processWaitAsync(d, -1);
    await sys.schedYieldAsync();
    expect((await sys.handleCloseAsync(d)).status).toBe(Status.OK);
    expect((await wait).status).toBe(Status.CANCELED);
    expect(child.process.alive).toBe(true);
  });

  it('INVALID_ARGS for a timeout that is not a number', async () => {
    const child = await spawn();
    expect((await sys.processWaitAsync(child.handle, NaN)).status).toBe(Status.INVALID_ARGS);
  });
});

describe('process.suspend and process.resume', () => {
  it('a suspended process’s next syscall waits until it is resumed', async () => {
    const child = await spawn();
    await child.ctx.sys.schedYieldAsync();
    expect((await sys.processSuspendAsync(child.handle)).status).toBe(Status.OK);
    expect((await sys.processInfoAsync(child.handle)).state).toBe(ProcessState.SUSPENDED);
    const call = track(child.ctx.sys.timerCreateAsync());
    // Showing that something does NOT happen needs a fixed wait; 30 ms is many kernel passes.
    await new Promise((r) => setTimeout(r, 30));
    expect(call.settled()).toBe(false);
    expect(child.process.table.size).toBe(0);
    expect((await sys.processResumeAsync(child.handle)).status).toBe(Status.OK);
    expect((await sys.processInfoAsync(child.handle)).state).toBe(ProcessState.RUNNING);
    await expect.poll(() => call.settled()).toBe(true);
    expect(child.process.table.size).toBe(1);
  });

  it('suspend: BAD_STATE when already suspended or ended', async () => {
    const child = await spawn();
    expect((await sys.processSuspendAsync(child.handle)).status).toBe(Status.OK);
    expect((await sys.processSuspendAsync(child.handle)).status).toBe(Status.BAD_STATE);
    await sys.processKillAsync(child.handle);
    expect((await sys.processSuspendAsync(child.handle)).status).toBe(Status.BAD_STATE);
  });

  it('resume: BAD_STATE when not suspended or ended', async () => {
    const child = await spawn();
    await child.ctx.sys.schedYieldAsync();
    expect((await sys.processResumeAsync(child.handle)).status).toBe(Status.BAD_STATE);
    await sys.processSuspendAsync(child.handle);
    await sys.processKillAsync(child.handle);
    expect((await sys.processResumeAsync(child.handle)).status).toBe(Status.BAD_STATE);
    expect(child.process.state).toBe(ProcessState.KILLED);
  });
});

describe('process.list', () => {
  it('lists the process and its descendants, not its parent or siblings', async () => {
    const p = await sys.handleDuplicateAsync(program, DEFAULT_RIGHTS[ObjectType.PROGRAM]);
    const parent = await spawn(sys, program, [p.duplicate as number]);
    await spawn(); // a sibling
    const grandchild = await spawn(parent.ctx.sys, parent.ctx.handles[0] as number, [], Priority.BATCH);
    const r = await sys.processListAsync(parent.handle);
    expect(r.status).toBe(Status.OK);
    const rows = JSON.parse(r.table as string) as Record<string, unknown>[];
    expect(rows).toEqual([
      expect.objectContaining({
        pid: parent.pid,
        name: 'child',
        parent: 1,
        priority: 'interactive',
        handles: 2,
      }),
      expect.objectContaining({ pid: grandchild.pid, parent: parent.pid, priority: 'batch', handles: 0 }),
    ]);
    for (const row of rows) {
      expect(row).toHaveProperty('state');
      expect(row['cpu_ms']).toBeGreaterThanOrEqual(0);
      expect(row['memory_bytes']).toBeGreaterThan(0);
    }
  });

  it('does not count as CPU the time the runtime reports blocked in its own waits', async () => {
    const child = await spawn();
    const { control } = child.process;
    const now = child.process.startedAt + 10_000; // ten seconds in, never parked
    expect(child.process.cpuMs(now)).toBeCloseTo(10_000, -1);
    Atomics.store(control, CONTROL.BLOCKED_MS, 4_000); // waits that ended
    expect(child.process.cpuMs(now)).toBeCloseTo(6_000, -1);
    Atomics.store(control, CONTROL.BLOCKED, blockedStamp(now - 1_500)); // a wait going on
    expect(child.process.cpuMs(now)).toBeCloseTo(4_500, -1);
    Atomics.store(control, CONTROL.BLOCKED_MS, 0xffffffff); // a lie claims more than all the time
    expect(child.process.cpuMs(now)).toBe(0);
  });
});

/** The handle-checking errors every process.* call on a process handle shares. */
const onHandle: [string, Rights, (s: Sys, handle: number) => Promise<{ status: number }>][] = [
  ['process.kill', Right.MANAGE, (s, v) => s.processKillAsync(v)],
  ['process.info', Right.INSPECT, (s, v) => s.processInfoAsync(v)],
  ['process.wait', rights(Right.WAIT, Right.INSPECT), (s, v) => s.processWaitAsync(v, 0)],
  ['process.suspend', Right.MANAGE, (s, v) => s.processSuspendAsync(v)],
  ['process.resume', Right.MANAGE, (s, v) => s.processResumeAsync(v)],
  ['process.list', Right.INSPECT, (s, v) => s.processListAsync(v)],
];

describe.each(onHandle)('%s', (_name, need, call) => {
  it('BAD_HANDLE for a value the process was never given', async () => {
    expect((await call(sys, 0x0bad_f00d)).status).toBe(Status.BAD_HANDLE);
  });

  it('WRONG_TYPE for a handle that is not a process', async () => {
    expect((await call(sys, await timer())).status).toBe(Status.WRONG_TYPE);
  });

  it('ACCESS_DENIED without the right it needs, and the denial is audited', async () => {
    const child = await spawn();
    const all = DEFAULT_RIGHTS[ObjectType.PROCESS];
    const lacking = await weaker(child.handle, all & ~need);
    expect((await call(sys, lacking)).status).toBe(Status.ACCESS_DENIED);
    expect(h.kernel.audit.since(0).filter((e) => e.kind === 'deny')).toHaveLength(1);
    expect(child.process.state).toBe(ProcessState.STARTING);
  });

  it('REVOKED for a handle whose ancestor was revoked', async () => {
    const child = await spawn();
    const d = await weaker(child.handle, need);
    await sys.handleRevokeAsync(child.handle);
    expect((await call(sys, d)).status).toBe(Status.REVOKED);
    expect(child.process.alive).toBe(true);
  });
});

describe('suspending a process that has not started', () => {
  it('resumes it to STARTING, so its first syscall still makes it RUNNING', async () => {
    const started: number[] = [];
    h.kernel.onRunning = (p) => started.push(p.pid);
    const child = h.start('child');
    h.kernel.suspend(child.process, true);
    expect(child.process.state).toBe(ProcessState.SUSPENDED);
    const call = child.ctx.sys.schedYieldAsync();
    h.kernel.suspend(child.process, false);
    expect(child.process.state).toBe(ProcessState.STARTING);
    expect((await call).status).toBe(Status.OK);
    expect(child.process.state).toBe(ProcessState.RUNNING);
    expect(started).toEqual([child.process.pid]);
  });
});
