import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DomainBootstrap } from '../../abi/boot.ts';
import { ringDoorbell } from '../../abi/doorbell.ts';
import { LIMITS } from '../../abi/limits.ts';
import { DEFAULT_RIGHTS, ObjectType, Signal } from '../../abi/objects.ts';
import { Ring, RING_HEADER, type RingProducer } from '../../abi/ring.ts';
import { Status } from '../../abi/status.ts';
import { ProcessState, Sys, syscallByNum, type SyscallDef } from '../../abi/sys.ts';
import { encodeCall } from '../../abi/syscall-codec.ts';
import { attach, type DomainContext } from '../../workers/domain.ts';
import { ringTransport, SyscallClient } from '../../workers/syscall-client.ts';
import { Capability } from '../capability.ts';
import { ChannelEnd } from '../objects/channel.ts';
import type { Process } from '../process.ts';
import { harness, type Harness } from '../test-harness.ts';

let h: Harness<DomainContext>;
let init: { process: Process; ctx: DomainContext };

beforeEach(() => {
  h = harness(attach);
  init = h.start('init');
});
afterEach(() => h.stop());

/** A process whose submission ring the test writes raw records into. */
interface Victim {
  process: Process;
  bootstrap: DomainBootstrap;
  producer: RingProducer;
  /** The submission ring's header words, for corrupting it. */
  header: Int32Array;
}

function victim(caps: Capability[] = []): Victim {
  const { process, bootstrap } = h.start('victim', caps);
  const ring = Ring.attach(bootstrap.submission);
  if (!ring.ok) throw new Error(ring.error.detail);
  const producer = ring.value.producer();
  if (!producer.ok) throw new Error(producer.error.detail);
  const header = new Int32Array(bootstrap.submission, 0, RING_HEADER.BYTES / 4);
  return { process, bootstrap, producer: producer.value, header };
}

const bell = (v: Victim) => ringDoorbell(new Int32Array(v.bootstrap.doorbell));

function submit(v: Victim, ...records: Uint8Array[]): void {
  for (const r of records) expect(v.producer.tryWrite(r)).toEqual({ ok: true, value: true });
  bell(v);
}

/** Little-endian u32 words: the header is [tag, num | reserved << 16]. */
function words(...w: number[]): Uint8Array {
  const out = new Uint8Array(w.length * 4);
  const view = new DataView(out.buffer);
  w.forEach((x, i) => view.setUint32(i * 4, x >>> 0, true));
  return out;
}

const def = (num: number): SyscallDef => {
  const d = syscallByNum(num);
  if (!d) throw new Error(`no syscall ${num}`);
  return d;
};

/** The victim ends FAULTED with an audit entry, and init can still make syscalls. */
async function expectFaulted(v: Victim, reason: RegExp): Promise<void> {
  await vi.waitFor(() => expect(v.process.state).toBe(ProcessState.FAULTED), { interval: 2 });
  expect(v.process.reason).toMatch(reason);
  const faults = h.kernel.audit.since(0).filter((e) => e.kind === 'fault' && e.pid === v.process.pid);
  expect(faults).toHaveLength(1);
  expect(v.process.table.size).toBe(0);
  expect(init.process.alive).toBe(true);
  expect((await init.ctx.sys.timerCreateAsync()).status).toBe(Status.OK);
}

describe('malformed syscall records fault the sender and nothing else', () => {
  const cases: [string, () => Uint8Array, RegExp][] = [
    ['an unknown syscall number', () => words(1, 999), /no call number 999/],
    ['a number in a gap of the table', () => words(1, 6), /no call number 6/],
    ['the largest syscall number', () => words(1, 0xffff), /no call number 65535/],
    ['an empty record', () => new Uint8Array(0), /shorter than its header/],
    ['a record shorter than its header', () => new Uint8Array([1, 0, 0, 0, Sys.SCHED_YIELD]), /shorter/],
    ['reserved header bits set', () => words(1, Sys.SCHED_YIELD | (1 << 16)), /reserved header bits/],
    ['a record that ends before a fixed argument', () => words(1, Sys.OBJECT_INFO), /ends before handle/],
    [
      'a record cut off inside an f64',
      () => words(1, Sys.OBJECT_WAIT_ONE, 5, Signal.READABLE, 0),
      /ends before timeout_ms/,
    ],
    ['trailing bytes after the arguments', () => words(1, Sys.TIMER_CREATE, 0), /4 unexpected trailing/],
    [
      'a byte length over every limit',
      () => words(1, Sys.CHANNEL_WRITE, 5, 0xffff_ffff, 0),
      /data has 4294967295 entries/,
    ],
    [
      'a byte length one past the message limit',
      () => words(1, Sys.CHANNEL_WRITE, 5, LIMITS.MESSAGE_BYTES + 1, 0),
      new RegExp(`data has ${LIMITS.MESSAGE_BYTES + 1} entries`),
    ],
    [
      'a byte length that runs past the record',
      () => words(1, Sys.CHANNEL_WRITE, 5, 1000, 0, 0),
      /data runs past the record/,
    ],
    [
      'a string length that runs past the record',
      () => words(1, Sys.DEBUG_LOG, 0, 12, 0x41414141),
      /message runs past the record/,
    ],
    [
      'too many handles',
      () => words(1, Sys.CHANNEL_WRITE, 5, 0, LIMITS.MESSAGE_HANDLES + 1, ...new Array<number>(65).fill(7)),
      /handles has 65 entries; the limit is 64/,
    ],
    [
      'a handle count that runs past the record',
      () => words(1, Sys.CHANNEL_WRITE, 5, 0, 3, 7),
      /handles runs past the record/,
    ],
  ];

  it.each(cases)('%s', async (_name, make, reason) => {
    const v = victim();
    submit(v, make());
    await expectFaulted(v, new RegExp(`malformed syscall: .*${reason.source}`));
  });

  it('answers the records before a malformed one and serves none after it', async () => {
    const v = victim();
    const create = (tag: number) => encodeCall(def(Sys.TIMER_CREATE), tag, []);
    submit(v, create(1), words(2, 999), create(3));
    await expectFaulted(v, /no call number 999/);
    const completions = Ring.attach(v.bootstrap.completion);
    const consumer = completions.ok ? completions.value.consumer() : null;
    if (!consumer?.ok) throw new Error('completion ring');
    const tags: number[] = [];
    consumer.value.drain((r) => tags.push(new DataView(r.buffer, r.byteOffset).getUint32(0, true)));
    expect(tags).toEqual([1]);
  });
});

describe('a corrupted submission ring faults the domain that shares it', () => {
  it('TAIL beyond HEAD + capacity', async () => {
    const v = victim();
    Atomics.store(v.header, RING_HEADER.TAIL, LIMITS.SYSCALL_RING_BYTES + 8);
    bell(v);
    await expectFaulted(v, /submission ring: producer tail/);
  });

  it('a misaligned TAIL', async () => {
    const v = victim();
    Atomics.store(v.header, RING_HEADER.TAIL, 4);
    bell(v);
    await expectFaulted(v, /submission ring: producer tail 4/);
  });

  it('TAIL moved backwards after a served record', async () => {
    const v = victim();
    submit(v, encodeCall(def(Sys.TIMER_CREATE), 1, []));
    await vi.waitFor(() => expect(v.process.table.size).toBe(1), { interval: 2 });
    Atomics.store(v.header, RING_HEADER.TAIL, 0);
    bell(v);
    await expectFaulted(v, /submission ring: producer tail 0/);
  });

  it('a record length larger than the ring carries', async () => {
    const v = victim();
    new Uint32Array(v.bootstrap.submission, RING_HEADER.BYTES, 1)[0] = 0x7fff_ffff;
    Atomics.store(v.header, RING_HEADER.TAIL, 8);
    bell(v);
    await expectFaulted(v, /submission ring: record length 2147483647/);
  });

  it('a record longer than the bytes published', async () => {
    const v = victim();
    new Uint32Array(v.bootstrap.submission, RING_HEADER.BYTES, 1)[0] = 64;
    Atomics.store(v.header, RING_HEADER.TAIL, 8);
    bell(v);
    await expectFaulted(v, /submission ring: record of 72 bytes at head 0, 8 published/);
  });

  it('a skip marker at offset 0', async () => {
    const v = victim();
    new Uint32Array(v.bootstrap.submission, RING_HEADER.BYTES, 1)[0] = 0xffff_ffff;
    Atomics.store(v.header, RING_HEADER.TAIL, 8);
    bell(v);
    await expectFaulted(v, /submission ring: record length 4294967295/);
  });
});

describe('a faulted domain is cleaned up', () => {
  it('its handles close (peers see PEER_CLOSED) and its parked waits end without an answer', async () => {
    const [mine, theirs] = ChannelEnd.pair();
    const keep = Capability.root(mine, DEFAULT_RIGHTS[ObjectType.CHANNEL]);
    const v = victim([Capability.root(theirs, DEFAULT_RIGHTS[ObjectType.CHANNEL])]);
    const client = new SyscallClient(ringTransport(v.producer, consumerOf(v), v.bootstrap.doorbell));
    const end = v.bootstrap.handles[0] as number;
    let answered = false;
    void client.callAsync(def(Sys.OBJECT_WAIT_ONE), [end, Signal.READABLE, -1]).then(() => (answered = true));
    const probe = await client.callAsync(def(Sys.OBJECT_WAIT_ONE), [end, Signal.WRITABLE, 0]);
    expect(probe.status).toBe(Status.OK); // served after the wait, which therefore parked
    expect(answered).toBe(false);
    submit(v, words(9, 999));
    await expectFaulted(v, /no call number 999/);
    expect(mine.signals & Signal.PEER_CLOSED).toBe(Signal.PEER_CLOSED);
    expect(answered).toBe(false);
    keep.close();
  });
});

function consumerOf(v: Victim) {
  const ring = Ring.attach(v.bootstrap.completion);
  const consumer = ring.ok ? ring.value.consumer() : null;
  if (!consumer?.ok) throw new Error('completion ring');
  return consumer.value;
}

describe('hostile values in well-formed records are expected failures, not faults', () => {
  it('NaN timeouts, unknown rights or signal bits and invalid UTF-8 get INVALID_ARGS', async () => {
    const v = victim();
    const client = new SyscallClient(ringTransport(v.producer, consumerOf(v), v.bootstrap.doorbell));
    const t = (await client.callAsync(def(Sys.TIMER_CREATE), [])).results[0] as number;
    const calls: [number, (number | Uint8Array)[]][] = [
      [Sys.OBJECT_WAIT_ONE, [t, Signal.FIRED, NaN]],
      [Sys.OBJECT_WAIT_ONE, [t, 1 << 20, 0]],
      [Sys.HANDLE_DUPLICATE, [t, 0xffff_ffff]],
      [Sys.OBJECT_SIGNAL, [t, 0, Signal.FIRED]],
      [Sys.TIMER_SET, [t, NaN]],
      [Sys.DEBUG_LOG, [0, new Uint8Array([0xff, 0xfe])]],
      [Sys.DEBUG_LOG, [0, new Uint8Array([0xed, 0xa0, 0x80])]], // a UTF-8-encoded lone surrogate
    ];
    for (const [num, args] of calls)
      expect((await client.callAsync(def(num), args)).status, `syscall ${num}`).toBe(Status.INVALID_ARGS);
    expect(v.process.alive).toBe(true);
  });
});

describe('handle values are unforgeable', () => {
  it('random values get BAD_HANDLE from every call that takes a handle, and nothing faults', async () => {
    const { process, ctx } = h.start('forger');
    const own = new Set([(await ctx.sys.timerCreateAsync()).timer]);
    const values = [0, 1, 2, 4095, 4096, 0x7fff_ffff, 0x8000_0000, 0xffff_ffff];
    for (const r of crypto.getRandomValues(new Uint32Array(200))) if (!own.has(r)) values.push(r);
    const results = await Promise.all(
      values.flatMap((x) => [
        ctx.sys.objectInfoAsync(x),
        ctx.sys.handleCloseAsync(x),
        ctx.sys.channelWriteAsync(x, new Uint8Array(1), []),
        ctx.sys.processKillAsync(x),
      ]),
    );
    expect(results.filter((r) => r.status !== Status.BAD_HANDLE)).toEqual([]);
    const more = [
      ctx.sys.channelReadAsync(0x1234),
      ctx.sys.objectWaitOneAsync(0x1234, Signal.READABLE, -1),
      ctx.sys.objectSignalAsync(0x1234, 0, Signal.USER_0),
      ctx.sys.handleDuplicateAsync(0x1234, 0),
      ctx.sys.handleReplaceAsync(0x1234, 0),
      ctx.sys.handleRevokeAsync(0x1234),
      ctx.sys.handleMintAsync(0x1234, 0, 1),
      ctx.sys.timerSetAsync(0x1234, 1),
      ctx.sys.auditReadAsync(0x1234, 0),
      ctx.sys.processInfoAsync(0x1234),
      ctx.sys.processSpawnAsync(0x1234, 'x', '', '', 1, []),
    ];
    expect((await Promise.all(more)).map((r) => r.status)).toEqual(more.map(() => Status.BAD_HANDLE));
    expect(process.state).toBe(ProcessState.RUNNING);
    expect(h.kernel.audit.since(0).filter((e) => e.kind === 'fault')).toEqual([]);
  });

  it('a process cannot use or close another process’s handle value', async () => {
    const mine = await init.ctx.sys.channelCreateAsync();
    const value = mine.end0 as number;
    const other = h.start('other');
    expect((await other.ctx.sys.objectInfoAsync(value)).status).toBe(Status.BAD_HANDLE);
    expect((await other.ctx.sys.channelWriteAsync(value, new Uint8Array(1), [])).status).toBe(
      Status.BAD_HANDLE,
    );
    expect((await other.ctx.sys.handleCloseAsync(value)).status).toBe(Status.BAD_HANDLE);
    expect((await init.ctx.sys.objectInfoAsync(value)).status).toBe(Status.OK);
    expect((await init.ctx.sys.channelReadAsync(mine.end1 as number)).status).toBe(Status.SHOULD_WAIT);
    expect(other.process.alive).toBe(true);
  });
});
