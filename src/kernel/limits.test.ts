import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LIMITS } from '../abi/limits.ts';
import { DEFAULT_RIGHTS, ObjectType, Priority, Signal } from '../abi/objects.ts';
import { Status } from '../abi/status.ts';
import { ProcessState } from '../abi/sys.ts';
import { attach, type DomainContext } from '../workers/domain.ts';
import { Capability } from './capability.ts';
import { Program } from './objects/program.ts';
import type { Process } from './process.ts';
import { harness, type Harness } from './test-harness.ts';

let h: Harness<DomainContext>;
let sys: DomainContext['sys'];
let init: Process;
let program: number;

beforeEach(() => {
  h = harness(attach);
  const started = h.start('init', [
    Capability.root(new Program('child'), DEFAULT_RIGHTS[ObjectType.PROGRAM]),
  ]);
  sys = started.ctx.sys;
  init = started.process;
  program = started.ctx.handles[0] as number;
});
afterEach(() => h.stop());

const statuses = async (calls: Promise<{ status: number }>[]) =>
  (await Promise.all(calls)).map((r) => r.status);
const all = (n: number, status: number) => new Array<number>(n).fill(status);

async function channel(): Promise<[number, number]> {
  const c = await sys.channelCreateAsync();
  expect(c.status).toBe(Status.OK);
  return [c.end0 as number, c.end1 as number];
}

async function timers(n: number): Promise<number[]> {
  const made = await Promise.all(Array.from({ length: n }, () => sys.timerCreateAsync()));
  expect(made.map((t) => t.status)).toEqual(all(n, Status.OK));
  return made.map((t) => t.timer as number);
}

describe('LIMITS.HANDLES_PER_PROCESS', () => {
  it('holds exactly that many handles; every call that adds one then fails until one is closed', async () => {
    const [a, b] = await channel(); // with the program handle and init's own, 4 in the table
    const t = await timers(LIMITS.HANDLES_PER_PROCESS - 4);
    await sys.channelWriteAsync(b, new Uint8Array(), [t.pop() as number]);
    await timers(1); // the last slot: the table is full
    expect(init.table.size).toBe(LIMITS.HANDLES_PER_PROCESS);
    expect(
      await statuses([
        sys.timerCreateAsync(),
        sys.channelCreateAsync(),
        sys.handleDuplicateAsync(a, 0),
        sys.handleMintAsync(a, 0, 1),
        sys.channelReadAsync(a),
        sys.processSpawnAsync(program, 'x', '', '', Priority.INTERACTIVE, []),
      ]),
    ).toEqual(all(6, Status.LIMIT_EXCEEDED));
    expect(init.table.size).toBe(LIMITS.HANDLES_PER_PROCESS);
    expect(init.children.size).toBe(0);
    await sys.handleCloseAsync(t[0] as number);
    expect((await sys.channelReadAsync(a)).handles).toHaveLength(1);
  });

  it('counts revoked handles until they are closed', async () => {
    const [first, ...rest] = await timers(LIMITS.HANDLES_PER_PROCESS - 3); // and the program handle and init's own
    const d = await sys.handleDuplicateAsync(first as number, 0);
    expect(d.status).toBe(Status.OK);
    await sys.handleRevokeAsync(first as number);
    expect((await sys.timerCreateAsync()).status).toBe(Status.LIMIT_EXCEEDED);
    expect((await sys.handleCloseAsync(d.duplicate as number)).status).toBe(Status.OK);
    expect((await sys.timerCreateAsync()).status).toBe(Status.OK);
    expect(rest).toHaveLength(LIMITS.HANDLES_PER_PROCESS - 4);
  });
});

describe('LIMITS.MESSAGE_BYTES', () => {
  it('a message of exactly that many bytes goes through intact', async () => {
    const [a, b] = await channel();
    const data = new Uint8Array(LIMITS.MESSAGE_BYTES).map(() => Math.floor(Math.random() * 256));
    expect((await sys.channelWriteAsync(a, data, [])).status).toBe(Status.OK);
    const read = (await sys.channelReadAsync(b)).data as Uint8Array;
    expect(Buffer.compare(read, data)).toBe(0);
  });

  it('one byte more faults the sender', async () => {
    const { process, ctx } = h.start('big');
    const c = await ctx.sys.channelCreateAsync();
    void ctx.sys.channelWriteAsync(c.end0 as number, new Uint8Array(LIMITS.MESSAGE_BYTES + 1), []);
    await expect.poll(() => process.state).toBe(ProcessState.FAULTED);
    const limit = Math.max(LIMITS.MESSAGE_BYTES, LIMITS.SPAWN_ARGS_BYTES);
    expect(process.reason).toContain(`data has ${LIMITS.MESSAGE_BYTES + 1} entries; the limit is ${limit}`);
    expect((await sys.timerCreateAsync()).status).toBe(Status.OK);
  });
});

describe('LIMITS.MESSAGE_HANDLES', () => {
  it('a message may carry exactly that many handles, all moved', async () => {
    const [a, b] = await channel();
    const sent = await timers(LIMITS.MESSAGE_HANDLES);
    const before = init.table.size;
    expect((await sys.channelWriteAsync(a, new Uint8Array(), sent)).status).toBe(Status.OK);
    expect(init.table.size).toBe(before - LIMITS.MESSAGE_HANDLES);
    expect((await sys.channelReadAsync(b)).handles).toHaveLength(LIMITS.MESSAGE_HANDLES);
  });

  it('one handle more faults the sender', async () => {
    const { process, ctx } = h.start('many');
    const made = await Promise.all(Array.from({ length: 66 }, () => ctx.sys.timerCreateAsync()));
    const [carrier, ...sent] = made.map((t) => t.timer as number);
    void ctx.sys.channelWriteAsync(carrier as number, new Uint8Array(), sent);
    await expect.poll(() => process.state).toBe(ProcessState.FAULTED);
    expect(process.reason).toMatch(/handles has 65 entries; the limit is 64/);
  });
});

describe('LIMITS.QUEUED_MESSAGES', () => {
  it('queues exactly that many; WRITABLE drops at the limit and returns after a read', async () => {
    const [a, b] = await channel();
    const n = LIMITS.QUEUED_MESSAGES;
    expect(
      await statuses(
        Array.from({ length: n }, (_, i) => sys.channelWriteAsync(a, new Uint8Array([i & 0xff]), [])),
      ),
    ).toEqual(all(n, Status.OK));
    expect((await sys.objectWaitOneAsync(a, Signal.WRITABLE, 0)).status).toBe(Status.TIMED_OUT);
    expect((await sys.channelWriteAsync(a, new Uint8Array([1]), [])).status).toBe(Status.SHOULD_WAIT);
    const writable = sys.objectWaitOneAsync(a, Signal.WRITABLE, -1);
    expect((await sys.channelReadAsync(b)).data).toEqual(new Uint8Array([0]));
    expect((await writable).status).toBe(Status.OK);
    expect((await sys.channelWriteAsync(a, new Uint8Array([2]), [])).status).toBe(Status.OK);
    expect((await sys.channelWriteAsync(a, new Uint8Array([3]), [])).status).toBe(Status.SHOULD_WAIT);
  });
});

describe('LIMITS.PROCESSES', () => {
  it('counts live processes, init included; an ended one frees its place', async () => {
    const spawn = () => sys.processSpawnAsync(program, 'p', '', '', Priority.INTERACTIVE, []);
    const n = LIMITS.PROCESSES - 1;
    const children = await Promise.all(Array.from({ length: n }, spawn));
    expect(children.map((c) => c.status)).toEqual(all(n, Status.OK));
    expect((await spawn()).status).toBe(Status.LIMIT_EXCEEDED);
    expect(init.children.size).toBe(n);
    expect((await sys.processKillAsync(children[0]?.process as number)).status).toBe(Status.OK);
    expect((await spawn()).status).toBe(Status.OK);
    expect((await spawn()).status).toBe(Status.LIMIT_EXCEEDED);
  });
});
