import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LIMITS } from '../../abi/limits.ts';
import { DEFAULT_RIGHTS, ObjectType, Signal } from '../../abi/objects.ts';
import { Right, rights } from '../../abi/rights.ts';
import { Status } from '../../abi/status.ts';
import { ProcessState } from '../../abi/sys.ts';
import { attach, type DomainContext } from '../../workers/domain.ts';
import { Capability } from '../capability.ts';
import type { Process } from '../process.ts';
import { harness, type Harness } from '../test-harness.ts';
import { fixtures } from './fixtures.ts';
import { TestObject } from '../test-objects.ts';

let h: Harness<DomainContext>;
let sys: DomainContext['sys'];
let init: Process;

beforeEach(() => {
  h = harness(attach);
  const started = h.start('init');
  sys = started.ctx.sys;
  init = started.process;
});
afterEach(() => h.stop());

const { channel, timer, weaker } = fixtures(() => sys);

const bytes = (...b: number[]) => new Uint8Array(b);

/** A duplicate of `handle` (with rights `r`) whose ancestor has been revoked. */
async function revoked(handle: number, r = rights(Right.TRANSFER, Right.INSPECT)): Promise<number> {
  const d = await weaker(handle, r);
  await sys.handleRevokeAsync(handle);
  return d;
}

const koid = async (handle: number) => (await sys.objectInfoAsync(handle)).koid;

/** Fills init's table directly until `free` slots are left. */
function fill(free: number): void {
  while (init.table.size < LIMITS.HANDLES_PER_PROCESS - free)
    init.table.add(Capability.root(new TestObject(), DEFAULT_RIGHTS[ObjectType.TIMER]));
}

describe('channel.create', () => {
  it('returns two connected ends with the default channel rights', async () => {
    const [a, b] = await channel();
    expect(a).not.toBe(b);
    for (const end of [a, b])
      expect(await sys.objectInfoAsync(end)).toMatchObject({
        type: ObjectType.CHANNEL,
        rights: DEFAULT_RIGHTS[ObjectType.CHANNEL],
      });
    await sys.channelWriteAsync(a, bytes(1), []);
    await sys.channelWriteAsync(b, bytes(2), []);
    expect((await sys.channelReadAsync(b)).data).toEqual(bytes(1));
    expect((await sys.channelReadAsync(a)).data).toEqual(bytes(2));
  });

  it('LIMIT_EXCEEDED when the table has room for only one more handle, and installs none', async () => {
    fill(1);
    expect((await sys.channelCreateAsync()).status).toBe(Status.LIMIT_EXCEEDED);
    expect(init.table.size).toBe(LIMITS.HANDLES_PER_PROCESS - 1);
    init.table.closeAll();
    fill(2);
    expect((await sys.channelCreateAsync()).status).toBe(Status.OK);
    expect(init.table.size).toBe(LIMITS.HANDLES_PER_PROCESS);
  });
});

describe('channel.write', () => {
  it('queues bytes on the peer and asserts READABLE there', async () => {
    const [a, b] = await channel();
    expect((await sys.objectWaitOneAsync(b, Signal.READABLE, 0)).status).toBe(Status.TIMED_OUT);
    expect((await sys.channelWriteAsync(a, bytes(1, 2, 3), [])).status).toBe(Status.OK);
    expect((await sys.objectWaitOneAsync(b, Signal.READABLE, 0)).status).toBe(Status.OK);
    expect((await sys.objectWaitOneAsync(a, Signal.READABLE, 0)).status).toBe(Status.TIMED_OUT);
    expect(await sys.channelReadAsync(b)).toEqual({
      status: Status.OK,
      data: bytes(1, 2, 3),
      handles: [],
      badge: 0,
      rights: DEFAULT_RIGHTS[ObjectType.CHANNEL],
    });
  });

  it('tells the reader the rights of the handle a message came through, SERVER_* bits included', async () => {
    const [a, b] = await channel();
    const weak = await weaker(a, rights(Right.WRITE, Right.SERVER_0, Right.SERVER_2));
    await sys.channelWriteAsync(weak, bytes(7), []);
    expect((await sys.channelReadAsync(b)).rights).toBe(rights(Right.WRITE, Right.SERVER_0, Right.SERVER_2));
  });

  it('moves handles: they leave the sender and arrive, in order, with their rights', async () => {
    const [a, b] = await channel();
    const t = await timer();
    const weak = await weaker(await timer(), rights(Right.INSPECT, Right.TRANSFER));
    const koids = [await koid(t), await koid(weak)];
    expect((await sys.channelWriteAsync(a, bytes(), [t, weak])).status).toBe(Status.OK);
    expect((await sys.objectInfoAsync(t)).status).toBe(Status.BAD_HANDLE);
    expect((await sys.objectInfoAsync(weak)).status).toBe(Status.BAD_HANDLE);
    const got = (await sys.channelReadAsync(b)).handles as number[];
    expect(got).toHaveLength(2);
    const infos = await Promise.all(got.map((v) => sys.objectInfoAsync(v)));
    expect(infos.map((i) => i.koid)).toEqual(koids);
    expect(infos.map((i) => i.rights)).toEqual([
      DEFAULT_RIGHTS[ObjectType.TIMER],
      rights(Right.INSPECT, Right.TRANSFER),
    ]);
    expect(h.kernel.audit.since(0).filter((e) => e.kind === 'transfer')).toHaveLength(2);
  });

  it('ends the sender’s waits through a handle it sends away (CANCELED)', async () => {
    const [a, b] = await channel();
    const t = await timer();
    const wait = sys.objectWaitOneAsync(t, Signal.FIRED, -1);
    expect((await sys.channelWriteAsync(a, bytes(), [t])).status).toBe(Status.OK);
    expect((await wait).status).toBe(Status.CANCELED);
    const [moved] = (await sys.channelReadAsync(b)).handles as number[];
    await sys.timerSetAsync(moved as number, 0);
    expect((await sys.objectWaitOneAsync(moved as number, Signal.FIRED, -1)).status).toBe(Status.OK);
  });

  it('BAD_HANDLE for a bad channel or a bad handle to send; nothing moves', async () => {
    const [a, b] = await channel();
    const t = await timer();
    expect((await sys.channelWriteAsync(0xdead, bytes(1), [])).status).toBe(Status.BAD_HANDLE);
    expect((await sys.channelWriteAsync(a, bytes(1), [t, 0xdead])).status).toBe(Status.BAD_HANDLE);
    expect((await sys.objectInfoAsync(t)).status).toBe(Status.OK);
    expect((await sys.channelReadAsync(b)).status).toBe(Status.SHOULD_WAIT);
  });

  it('WRONG_TYPE for a handle that is not a channel', async () => {
    expect((await sys.channelWriteAsync(await timer(), bytes(1), [])).status).toBe(Status.WRONG_TYPE);
  });

  it('ACCESS_DENIED without WRITE on the channel', async () => {
    const [a, b] = await channel();
    const readOnly = await weaker(a, rights(Right.READ));
    expect((await sys.channelWriteAsync(readOnly, bytes(1), [])).status).toBe(Status.ACCESS_DENIED);
    expect((await sys.channelReadAsync(b)).status).toBe(Status.SHOULD_WAIT);
  });

  it('ACCESS_DENIED for a handle to send without TRANSFER; nothing moves', async () => {
    const [a, b] = await channel();
    const t = await timer();
    const stuck = await weaker(await timer(), rights(Right.INSPECT));
    expect((await sys.channelWriteAsync(a, bytes(1), [t, stuck])).status).toBe(Status.ACCESS_DENIED);
    expect((await sys.objectInfoAsync(t)).status).toBe(Status.OK);
    expect((await sys.objectInfoAsync(stuck)).status).toBe(Status.OK);
    expect((await sys.channelReadAsync(b)).status).toBe(Status.SHOULD_WAIT);
  });

  it('REVOKED for a revoked channel handle or a revoked handle to send', async () => {
    const [a] = await channel();
    const r = await revoked(a, Right.WRITE);
    expect((await sys.channelWriteAsync(r, bytes(1), [])).status).toBe(Status.REVOKED);
    const [c] = await channel();
    expect((await sys.channelWriteAsync(c, bytes(1), [await revoked(await timer())])).status).toBe(
      Status.REVOKED,
    );
  });

  it('INVALID_ARGS for the same handle twice, or for either end of the channel itself', async () => {
    const [a, b] = await channel();
    const t = await timer();
    expect((await sys.channelWriteAsync(a, bytes(), [t, t])).status).toBe(Status.INVALID_ARGS);
    expect((await sys.channelWriteAsync(a, bytes(), [a])).status).toBe(Status.INVALID_ARGS);
    expect((await sys.channelWriteAsync(a, bytes(), [b])).status).toBe(Status.INVALID_ARGS);
    const aAgain = await weaker(a, DEFAULT_RIGHTS[ObjectType.CHANNEL]);
    expect((await sys.channelWriteAsync(a, bytes(), [aAgain])).status).toBe(Status.INVALID_ARGS);
    expect((await sys.objectInfoAsync(t)).status).toBe(Status.OK);
    expect((await sys.objectInfoAsync(b)).status).toBe(Status.OK);
  });

  it('PEER_CLOSED once the other end is closed; nothing moves', async () => {
    const [a, b] = await channel();
    const t = await timer();
    await sys.handleCloseAsync(b);
    expect((await sys.channelWriteAsync(a, bytes(1), [t])).status).toBe(Status.PEER_CLOSED);
    expect((await sys.objectInfoAsync(t)).status).toBe(Status.OK);
  });

  it('SHOULD_WAIT when the peer’s queue is full; nothing moves', async () => {
    const [a, b] = await channel();
    const writes = await Promise.all(
      Array.from({ length: LIMITS.QUEUED_MESSAGES }, (_, i) => sys.channelWriteAsync(a, bytes(i & 0xff), [])),
    );
    expect(writes.every((w) => w.status === Status.OK)).toBe(true);
    const t = await timer();
    expect((await sys.channelWriteAsync(a, bytes(), [t])).status).toBe(Status.SHOULD_WAIT);
    expect((await sys.objectInfoAsync(t)).status).toBe(Status.OK);
    expect((await sys.channelReadAsync(b)).data).toEqual(bytes(0));
    expect((await sys.channelWriteAsync(a, bytes(), [t])).status).toBe(Status.OK);
  });

  // LIMIT_EXCEEDED cannot happen: a message over MESSAGE_BYTES or MESSAGE_HANDLES is malformed and faults.
  it('faults the sender of a message over MESSAGE_BYTES instead of returning LIMIT_EXCEEDED', async () => {
    const { process, ctx } = h.start('big');
    const c = await ctx.sys.channelCreateAsync();
    void ctx.sys.channelWriteAsync(c.end0 as number, new Uint8Array(LIMITS.MESSAGE_BYTES + 1), []);
    await expect.poll(() => process.state).toBe(ProcessState.FAULTED);
  });
});

describe('channel.read', () => {
  it('takes the oldest message first and clears READABLE when empty', async () => {
    const [a, b] = await channel();
    await sys.channelWriteAsync(a, bytes(1), []);
    await sys.channelWriteAsync(a, bytes(2), []);
    expect((await sys.channelReadAsync(b)).data).toEqual(bytes(1));
    expect((await sys.objectWaitOneAsync(b, Signal.READABLE, 0)).status).toBe(Status.OK);
    expect((await sys.channelReadAsync(b)).data).toEqual(bytes(2));
    expect((await sys.objectWaitOneAsync(b, Signal.READABLE, 0)).status).toBe(Status.TIMED_OUT);
  });

  it('reports the badge of the handle the message was written through', async () => {
    const [a, b] = await channel();
    const badged = await sys.handleMintAsync(a, Right.WRITE, 0xfeed);
    await sys.channelWriteAsync(badged.minted as number, bytes(1), []);
    await sys.channelWriteAsync(a, bytes(2), []);
    expect((await sys.channelReadAsync(b)).badge).toBe(0xfeed);
    expect((await sys.channelReadAsync(b)).badge).toBe(0);
  });

  it('BAD_HANDLE for a value the process was never given', async () => {
    expect((await sys.channelReadAsync(0xbeef)).status).toBe(Status.BAD_HANDLE);
  });

  it('WRONG_TYPE for a handle that is not a channel', async () => {
    expect((await sys.channelReadAsync(await timer())).status).toBe(Status.WRONG_TYPE);
  });

  it('ACCESS_DENIED without READ, and the message stays queued', async () => {
    const [a, b] = await channel();
    await sys.channelWriteAsync(a, bytes(7), []);
    const writeOnly = await weaker(b, Right.WRITE);
    expect((await sys.channelReadAsync(writeOnly)).status).toBe(Status.ACCESS_DENIED);
    expect((await sys.channelReadAsync(b)).data).toEqual(bytes(7));
  });

  it('REVOKED for a handle whose ancestor was revoked', async () => {
    const [, b] = await channel();
    expect((await sys.channelReadAsync(await revoked(b, Right.READ))).status).toBe(Status.REVOKED);
  });

  it('SHOULD_WAIT when empty and the peer is open', async () => {
    const [, b] = await channel();
    expect((await sys.channelReadAsync(b)).status).toBe(Status.SHOULD_WAIT);
  });

  it('PEER_CLOSED when empty and the peer is gone, after the queued messages', async () => {
    const [a, b] = await channel();
    await sys.channelWriteAsync(a, bytes(9), []);
    await sys.handleCloseAsync(a);
    expect((await sys.objectWaitOneAsync(b, Signal.PEER_CLOSED, 0)).status).toBe(Status.OK);
    expect((await sys.channelReadAsync(b)).data).toEqual(bytes(9));
    expect((await sys.channelReadAsync(b)).status).toBe(Status.PEER_CLOSED);
  });

  it('LIMIT_EXCEEDED when the table cannot hold the handles; the message is kept', async () => {
    const [a, b] = await channel();
    const [t1, t2] = [await timer(), await timer()];
    await sys.channelWriteAsync(a, bytes(5), [t1, t2]);
    fill(1);
    expect((await sys.channelReadAsync(b)).status).toBe(Status.LIMIT_EXCEEDED);
    expect(init.table.size).toBe(LIMITS.HANDLES_PER_PROCESS - 1);
    const last = [...init.table.entries()].at(-1)?.[0];
    expect((await sys.handleCloseAsync(last as number)).status).toBe(Status.OK);
    const read = await sys.channelReadAsync(b);
    expect(read).toMatchObject({ status: Status.OK, data: bytes(5) });
    expect(read.handles).toHaveLength(2);
  });
});

describe('channel.read_wait', () => {
  it('takes a queued message at once, as channel.read does', async () => {
    const [a, b] = await channel();
    await sys.channelWriteAsync(a, bytes(1), []);
    expect(await sys.channelReadWaitAsync(b, -1)).toMatchObject({ status: Status.OK, data: bytes(1) });
  });

  it('parks while empty, then takes the message that comes, with its handles and badge', async () => {
    const [a, b] = await channel();
    const read = sys.channelReadWaitAsync(b, -1);
    const t = await timer();
    const badged = await sys.handleMintAsync(a, Right.WRITE, 0xbeef);
    await sys.channelWriteAsync(badged.minted as number, bytes(2), [t]);
    const r = await read;
    expect(r).toMatchObject({ status: Status.OK, data: bytes(2), badge: 0xbeef });
    expect(r.handles).toHaveLength(1);
    expect((await sys.objectWaitOneAsync(b, Signal.READABLE, 0)).status).toBe(Status.TIMED_OUT);
  });

  it('PEER_CLOSED when the peer closes while it waits', async () => {
    const [a, b] = await channel();
    const read = sys.channelReadWaitAsync(b, -1);
    await sys.handleCloseAsync(a);
    expect((await read).status).toBe(Status.PEER_CLOSED);
  });

  it('TIMED_OUT when nothing comes in time; a timeout of 0 only looks', async () => {
    const [, b] = await channel();
    expect((await sys.channelReadWaitAsync(b, 0)).status).toBe(Status.TIMED_OUT);
    expect((await sys.channelReadWaitAsync(b, 5)).status).toBe(Status.TIMED_OUT);
  });

  it('CANCELED when the handle it waits through is closed; the message stays for another handle', async () => {
    const [a, b] = await channel();
    const d = await weaker(b, rights(Right.READ, Right.WAIT));
    const read = sys.channelReadWaitAsync(d, -1);
    await sys.schedYieldAsync();
    await sys.handleCloseAsync(d);
    expect((await read).status).toBe(Status.CANCELED);
    await sys.channelWriteAsync(a, bytes(3), []);
    expect((await sys.channelReadAsync(b)).data).toEqual(bytes(3));
  });

  it('two readers of one end: each message goes to one of them, and the other waits on', async () => {
    const [a, b] = await channel();
    const d = await weaker(b, rights(Right.READ, Right.WAIT));
    const first = sys.channelReadWaitAsync(b, -1);
    const second = sys.channelReadWaitAsync(d, -1);
    await sys.channelWriteAsync(a, bytes(4), []);
    await sys.channelWriteAsync(a, bytes(5), []);
    const got = [(await first).data, (await second).data];
    expect(got).toEqual([bytes(4), bytes(5)]);
  });

  it('ACCESS_DENIED without READ or without WAIT; the message stays queued', async () => {
    const [a, b] = await channel();
    await sys.channelWriteAsync(a, bytes(7), []);
    for (const r of [Right.READ, Right.WAIT]) {
      const lacking = await weaker(b, DEFAULT_RIGHTS[ObjectType.CHANNEL] & ~r);
      expect((await sys.channelReadWaitAsync(lacking, -1)).status).toBe(Status.ACCESS_DENIED);
    }
    expect((await sys.channelReadAsync(b)).data).toEqual(bytes(7));
  });

  it('BAD_HANDLE, WRONG_TYPE, REVOKED and INVALID_ARGS (a timeout that is not a number)', async () => {
    const [, b] = await channel();
    expect((await sys.channelReadWaitAsync(0xbeef, -1)).status).toBe(Status.BAD_HANDLE);
    expect((await sys.channelReadWaitAsync(await timer(), -1)).status).toBe(Status.WRONG_TYPE);
    expect((await sys.channelReadWaitAsync(b, NaN)).status).toBe(Status.INVALID_ARGS);
    const r = await revoked(b, rights(Right.READ, Right.WAIT));
    expect((await sys.channelReadWaitAsync(r, -1)).status).toBe(Status.REVOKED);
  });

  it('BAD_STATE on a mapped end, whose reader reads the rings', async () => {
    const [, b] = await channel();
    expect((await sys.channelMapAsync(b)).status).toBe(Status.OK);
    expect((await sys.channelReadWaitAsync(b, 0)).status).toBe(Status.BAD_STATE);
  });

  it('LIMIT_EXCEEDED when the table cannot hold the handles; the message is kept', async () => {
    const [a, b] = await channel();
    const t1 = await timer();
    const read = sys.channelReadWaitAsync(b, -1);
    await sys.schedYieldAsync();
    fill(0);
    await sys.channelWriteAsync(a, bytes(6), [t1]);
    expect((await read).status).toBe(Status.LIMIT_EXCEEDED);
    const last = [...init.table.entries()].at(-1)?.[0];
    expect((await sys.handleCloseAsync(last as number)).status).toBe(Status.OK);
    expect(await sys.channelReadWaitAsync(b, -1)).toMatchObject({ status: Status.OK, data: bytes(6) });
  });
});

describe('channel.call', () => {
  it('writes the request, then parks until the next message and takes it', async () => {
    const [a, b] = await channel();
    const t = await timer();
    const call = sys.channelCallAsync(a, bytes(1), [t], -1);
    const request = await sys.channelReadWaitAsync(b, -1);
    expect(request).toMatchObject({ status: Status.OK, data: bytes(1) });
    expect(request.handles).toHaveLength(1);
    await sys.channelWriteAsync(b, bytes(2), []);
    expect(await call).toMatchObject({ status: Status.OK, data: bytes(2) });
  });

  it('a failed write is the answer and nothing is read (PEER_CLOSED; SHOULD_WAIT when full)', async () => {
    const [a, b] = await channel();
    await sys.channelWriteAsync(b, bytes(9), []);
    await sys.handleCloseAsync(b);
    expect((await sys.channelCallAsync(a, bytes(1), [], -1)).status).toBe(Status.PEER_CLOSED);
    expect((await sys.channelReadAsync(a)).data).toEqual(bytes(9));
    const [c] = await channel();
    let status: number = Status.OK;
    while (status === Status.OK) status = (await sys.channelWriteAsync(c, bytes(0), [])).status;
    expect(status).toBe(Status.SHOULD_WAIT);
    expect((await sys.channelCallAsync(c, bytes(1), [], -1)).status).toBe(Status.SHOULD_WAIT);
  });

  it('checks READ, WRITE and WAIT before it writes: ACCESS_DENIED sends nothing', async () => {
    const [a, b] = await channel();
    for (const r of [Right.READ, Right.WRITE, Right.WAIT]) {
      const lacking = await weaker(a, DEFAULT_RIGHTS[ObjectType.CHANNEL] & ~r);
      expect((await sys.channelCallAsync(lacking, bytes(1), [], -1)).status).toBe(Status.ACCESS_DENIED);
    }
    expect((await sys.channelReadAsync(b)).status).toBe(Status.SHOULD_WAIT);
  });

  it('TIMED_OUT when no reply comes in time; the request stands', async () => {
    const [a, b] = await channel();
    expect((await sys.channelCallAsync(a, bytes(3), [], 5)).status).toBe(Status.TIMED_OUT);
    expect((await sys.channelReadAsync(b)).data).toEqual(bytes(3));
  });

  it('BAD_HANDLE, WRONG_TYPE, INVALID_ARGS (a timeout that is not a number) and BAD_STATE on a mapped end', async () => {
    const [a, b] = await channel();
    expect((await sys.channelCallAsync(0xbeef, bytes(1), [], -1)).status).toBe(Status.BAD_HANDLE);
    expect((await sys.channelCallAsync(await timer(), bytes(1), [], -1)).status).toBe(Status.WRONG_TYPE);
    expect((await sys.channelCallAsync(a, bytes(1), [], NaN)).status).toBe(Status.INVALID_ARGS);
    expect((await sys.channelMapAsync(a)).status).toBe(Status.OK);
    expect((await sys.channelCallAsync(a, bytes(1), [], -1)).status).toBe(Status.BAD_STATE);
    expect((await sys.channelReadAsync(b)).status).toBe(Status.SHOULD_WAIT);
  });
});
