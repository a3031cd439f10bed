// channel.map and channel rings, in-thread: two domains on one channel, each end mapped
// or not, checking where messages travel (the kernel's queue stays empty on the ring
// path), stream order across the two paths, pinning, signals, close, and a hostile peer.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CHANNEL_RECORD, CHANNEL_RING } from '../../abi/channel-ring.ts';
import { LIMITS } from '../../abi/limits.ts';
import { DEFAULT_RIGHTS, ObjectType, Signal } from '../../abi/objects.ts';
import { Ring, RING_HEADER } from '../../abi/ring.ts';
import { Right, rights } from '../../abi/rights.ts';
import { Status } from '../../abi/status.ts';
import { ProcessState } from '../../abi/sys.ts';
import type { Channel, ReadResult } from '../../workers/channel.ts';
import { attach, type DomainContext } from '../../workers/domain.ts';
import { Capability } from '../capability.ts';
import { ChannelEnd } from '../objects/channel.ts';
import type { Process } from '../process.ts';
import { harness, type Harness } from '../test-harness.ts';

let h: Harness<DomainContext>;
let ends: [ChannelEnd, ChannelEnd];
let alice: { process: Process; ctx: DomainContext };
let bob: { process: Process; ctx: DomainContext };

beforeEach(() => {
  h = harness(attach);
  h.start('init');
  ends = ChannelEnd.pair();
  const rights = DEFAULT_RIGHTS[ObjectType.CHANNEL];
  alice = h.start('alice', [Capability.root(ends[0], rights)]);
  bob = h.start('bob', [Capability.root(ends[1], rights)]);
});
afterEach(() => h.stop());

const text = (s: string) => new TextEncoder().encode(s);
const handleOf = (ctx: DomainContext) => ctx.handles[0] as number;

async function mapped(ctx: DomainContext): Promise<Channel> {
  const c = await ctx.mapChannel(handleOf(ctx));
  if (typeof c === 'number') throw new Error(`channel.map failed: ${c}`);
  return c;
}

function decoded(r: ReadResult): string {
  if (r.status !== Status.OK) throw new Error(`read failed: ${r.status}`);
  return new TextDecoder().decode(r.message.data);
}

describe('channel.map', () => {
  it('moves bytes-only messages through the ring, not the kernel, both ways', async () => {
    const a = await mapped(alice.ctx);
    const b = await mapped(bob.ctx);
    expect(await a.writeAsync(text('ping'))).toBe(Status.OK);
    expect(ends[1].queued).toBe(0);
    const got = await b.readAsync(1000);
    expect(decoded(got)).toBe('ping');
    expect(await b.writeAsync(text('pong'))).toBe(Status.OK);
    expect(ends[0].queued).toBe(0);
    expect(decoded(await a.readAsync(1000))).toBe('pong');
  });

  it('keeps stream order across kernel and ring paths, with handles and badges', async () => {
    const b = await mapped(bob.ctx);
    const bare = alice.ctx.channel(handleOf(alice.ctx));
    // Before alice maps: kernel messages (unmarked), read first by the mapped reader.
    expect(await bare.writeAsync(text('1'))).toBe(Status.OK);
    expect(await bare.writeAsync(text('2'))).toBe(Status.OK);
    const a = await mapped(alice.ctx);
    expect(await a.writeAsync(text('3'))).toBe(Status.OK);
    const timer = (await alice.ctx.sys.timerCreateAsync()).timer as number;
    expect(await a.writeAsync(text('4+timer'), [timer])).toBe(Status.OK);
    expect(await a.writeAsync(text('5'))).toBe(Status.OK);
    expect(ends[1].queued).toBe(3); // '1', '2' and the marked one

    const seen: string[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await b.readAsync(1000);
      seen.push(decoded(r));
      if (r.status === Status.OK && r.message.handles.length > 0) {
        const info = await bob.ctx.sys.objectInfoAsync(r.message.handles[0] as number);
        expect(info.type).toBe(ObjectType.TIMER);
      }
    }
    expect(seen).toEqual(['1', '2', '3', '4+timer', '5']);
    expect((await b.readAsync(0)).status).toBe(Status.SHOULD_WAIT);
    expect(ends[1].queued).toBe(0);
  });

  it('carries a message of LIMITS.MESSAGE_BYTES through the ring, and refuses one byte more', async () => {
    const a = await mapped(alice.ctx);
    const b = await mapped(bob.ctx);
    const big = new Uint8Array(LIMITS.MESSAGE_BYTES).map(() => Math.floor(Math.random() * 256));
    expect(await a.writeAsync(big)).toBe(Status.OK);
    const r = await b.readAsync(1000);
    expect(r.status === Status.OK && Buffer.compare(r.message.data, big)).toBe(0);
    expect(await a.writeAsync(new Uint8Array(LIMITS.MESSAGE_BYTES + 1))).toBe(Status.INVALID_ARGS);
    expect(ends[1].queued).toBe(0);
  });

  it('a writer uses the kernel until the reader attaches', async () => {
    const a = await mapped(alice.ctx);
    expect(await a.writeAsync(text('early'))).toBe(Status.OK);
    expect(ends[1].queued).toBe(1);
    const bare = bob.ctx.channel(handleOf(bob.ctx));
    expect(decoded(await bare.readAsync(1000))).toBe('early');
  });

  it('ring messages carry the badge and rights of the handle the writer mapped', async () => {
    const granted = rights(Right.READ, Right.WRITE, Right.SERVER_3);
    const minted = await alice.ctx.sys.handleMintAsync(handleOf(alice.ctx), granted, 77);
    expect(minted.status).toBe(Status.OK);
    // Only an end's one handle can be mapped: drop the unbadged original.
    expect((await alice.ctx.sys.channelMapAsync(minted.minted as number)).status).toBe(Status.BAD_STATE);
    expect((await alice.ctx.sys.handleCloseAsync(handleOf(alice.ctx))).status).toBe(Status.OK);
    const b = await mapped(bob.ctx);
    const a = await alice.ctx.mapChannel(minted.minted as number);
    if (typeof a === 'number') throw new Error(`map failed ${a}`);
    await a.writeAsync(text('x'));
    const r = await b.readAsync(1000);
    expect(r.status === Status.OK && r.message.badge).toBe(77);
    expect(r.status === Status.OK && r.message.rights).toBe(granted);
  });

  it('pins the end: its one handle cannot be sent, given, duplicated, minted, replaced or mapped twice', async () => {
    await mapped(alice.ctx);
    const a = handleOf(alice.ctx);
    const sys = alice.ctx.sys;
    const all = DEFAULT_RIGHTS[ObjectType.CHANNEL];
    expect((await sys.channelMapAsync(a)).status).toBe(Status.BAD_STATE);
    const carrier = (await sys.channelCreateAsync()).end0 as number;
    const size = alice.process.table.size;
    expect((await sys.channelWriteAsync(carrier, text('x'), [a])).status).toBe(Status.BAD_STATE);
    expect((await sys.handleDuplicateAsync(a, all)).status).toBe(Status.BAD_STATE);
    expect((await sys.handleMintAsync(a, all, 5)).status).toBe(Status.BAD_STATE);
    expect((await sys.handleReplaceAsync(a, all)).status).toBe(Status.BAD_STATE);
    expect((await sys.objectInfoAsync(a)).status).toBe(Status.OK); // replace did not consume it
    expect(alice.process.table.size).toBe(size);
  });

  it('BAD_STATE when the end has another handle: in this process, another one, or a queued message', async () => {
    const sys = bob.ctx.sys;
    const b = handleOf(bob.ctx);
    const dup = await sys.handleDuplicateAsync(b, DEFAULT_RIGHTS[ObjectType.CHANNEL]);
    expect((await sys.channelMapAsync(b)).status).toBe(Status.BAD_STATE);
    const pipe = await sys.channelCreateAsync();
    await sys.channelWriteAsync(pipe.end0 as number, text('carry'), [dup.duplicate as number]);
    expect((await sys.channelMapAsync(b)).status).toBe(Status.BAD_STATE);
    await sys.handleCloseAsync(pipe.end1 as number); // the queued handle closes with its queue
    expect((await sys.channelMapAsync(b)).status).toBe(Status.OK);
  });

  it('closing the mapped handle tears the rings down: the peer reads what was written, then PEER_CLOSED', async () => {
    const a = await mapped(alice.ctx);
    const b = await mapped(bob.ctx);
    await a.writeAsync(text('bye'));
    expect((await alice.ctx.sys.handleCloseAsync(handleOf(alice.ctx))).status).toBe(Status.OK);
    expect(decoded(await b.readAsync(1000))).toBe('bye');
    expect((await b.readAsync(1000)).status).toBe(Status.PEER_CLOSED);
  });

  it('needs READ and WRITE, and refuses past LIMITS.MAPPED_CHANNELS', async () => {
    const sys = alice.ctx.sys;
    const readOnly = await sys.handleDuplicateAsync(
      handleOf(alice.ctx),
      DEFAULT_RIGHTS[ObjectType.CHANNEL] & ~Right.WRITE,
    );
    expect((await sys.channelMapAsync(readOnly.duplicate as number)).status).toBe(Status.ACCESS_DENIED);
    for (let i = 0; i < LIMITS.MAPPED_CHANNELS; i++) {
      const c = await sys.channelCreateAsync();
      expect((await sys.channelMapAsync(c.end0 as number)).status).toBe(Status.OK);
    }
    const last = await sys.channelCreateAsync();
    expect((await sys.channelMapAsync(last.end0 as number)).status).toBe(Status.LIMIT_EXCEEDED);
  });

  it('a kernel wait on a mapped end wakes for a ring record', async () => {
    const a = await mapped(alice.ctx);
    await mapped(bob.ctx);
    const waiting = bob.ctx.sys.objectWaitOneAsync(handleOf(bob.ctx), Signal.READABLE, 2000);
    await new Promise((r) => setTimeout(r, 20));
    await a.writeAsync(text('wake'));
    const w = await waiting;
    expect(w.status).toBe(Status.OK);
    expect((w.observed as number) & Signal.READABLE).toBeTruthy();
  });

  it('a port bound to a mapped end gets a packet for a ring record', async () => {
    const a = await mapped(alice.ctx);
    const b = await mapped(bob.ctx);
    const sys = bob.ctx.sys;
    const port = (await sys.portCreateAsync()).port as number;
    expect((await sys.portBindAsync(port, handleOf(bob.ctx), Signal.READABLE, 9)).status).toBe(Status.OK);
    const waiting = sys.portWaitAsync(port, 2000);
    await new Promise((r) => setTimeout(r, 20));
    await a.writeAsync(text('packet'));
    expect(await waiting).toMatchObject({ status: Status.OK, key: 9 });
    expect(decoded(await b.readAsync(0))).toBe('packet');
    // Drained: a fresh wait does not fire at once on a stale READABLE.
    expect((await sys.objectWaitOneAsync(handleOf(bob.ctx), Signal.READABLE, 30)).status).toBe(
      Status.TIMED_OUT,
    );
  });

  it('the reader drains the ring after the writer dies, then sees PEER_CLOSED; the writer sees it too', async () => {
    const a = await mapped(alice.ctx);
    const b = await mapped(bob.ctx);
    await a.writeAsync(text('last words'));
    h.kernel.terminate(alice.process, ProcessState.KILLED, -9, 'killed by the test');
    expect(decoded(await b.readAsync(1000))).toBe('last words');
    expect((await b.readAsync(1000)).status).toBe(Status.PEER_CLOSED);
    expect(await b.writeAsync(text('anyone?'))).toBe(Status.PEER_CLOSED);
  });

  it('readAsync sleeps until a ring record arrives', async () => {
    const a = await mapped(alice.ctx);
    const b = await mapped(bob.ctx);
    const reading = b.readAsync(2000);
    setTimeout(() => void a.writeAsync(text('later')), 30);
    expect(decoded(await reading)).toBe('later');
  });

  it('process.list counts the mapped end’s ring', async () => {
    const memory = () => h.kernel.processRows(alice.process)[0]?.memory_bytes ?? 0;
    const unmapped = memory();
    await mapped(alice.ctx);
    expect(memory() - unmapped).toBeGreaterThanOrEqual(LIMITS.CHANNEL_RING_BYTES);
  });
});

describe('an unmapped Channel', () => {
  it('readAsync waits in one channel.read_wait: one syscall for a message that comes later', async () => {
    const a = alice.ctx.channel(handleOf(alice.ctx));
    const b = bob.ctx.channel(handleOf(bob.ctx));
    const before = bob.process.syscalls;
    const reading = b.readAsync();
    await alice.ctx.sys.schedYieldAsync();
    expect(await a.writeAsync(text('later'))).toBe(Status.OK);
    expect(decoded(await reading)).toBe('later');
    expect(bob.process.syscalls - before).toBe(1);
  });

  it('callAsync writes a request and takes its reply in one channel.call', async () => {
    const a = alice.ctx.channel(handleOf(alice.ctx));
    const b = bob.ctx.channel(handleOf(bob.ctx));
    const before = bob.process.syscalls;
    const calling = b.callAsync(text('request'));
    expect(decoded(await a.readAsync())).toBe('request');
    expect(await a.writeAsync(text('reply'))).toBe(Status.OK);
    expect(decoded(await calling)).toBe('reply');
    expect(bob.process.syscalls - before).toBe(1);
  });

  it('callAsync on mapped ends goes through the rings; a failed write is its answer', async () => {
    const a = await mapped(alice.ctx);
    const b = await mapped(bob.ctx);
    const calling = b.callAsync(text('ring request'));
    expect(decoded(await a.readAsync(1000))).toBe('ring request');
    expect(await a.writeAsync(text('ring reply'))).toBe(Status.OK);
    expect(decoded(await calling)).toBe('ring reply');
    expect(ends[0].queued + ends[1].queued).toBe(0);
    await a.closeAsync();
    expect((await b.callAsync(text('nobody'))).status).toBe(Status.PEER_CLOSED);
  });

  it('readAsync: SHOULD_WAIT once the timeout passes, and a timeout of 0 only looks', async () => {
    const b = bob.ctx.channel(handleOf(bob.ctx));
    expect((await b.readAsync(5)).status).toBe(Status.SHOULD_WAIT);
    expect((await b.readAsync(0)).status).toBe(Status.SHOULD_WAIT);
    await alice.ctx.sys.handleCloseAsync(handleOf(alice.ctx));
    expect((await b.readAsync()).status).toBe(Status.PEER_CLOSED);
  });
});

describe('channel rings against a hostile peer', () => {
  /** Alice's outbound ring, written by hand as a hostile writer would. */
  async function rawOutbound(): Promise<{ write(bytes: number[]): void; header: Int32Array }> {
    const handle = handleOf(alice.ctx);
    const m = await alice.ctx.sys.channelMapAsync(handle);
    const grant = await alice.ctx.inbox.takeChannel(m.koid as number);
    const ring = Ring.attach(grant.outbound);
    if (!ring.ok) throw new Error('no ring');
    const producer = ring.value.producer();
    if (!producer.ok) throw new Error('no producer');
    const header = new Int32Array(grant.outbound, 0, RING_HEADER.BYTES / 4);
    return {
      header,
      write: (bytes) => {
        producer.value.tryWrite(new Uint8Array(bytes));
        Atomics.add(header, CHANNEL_RING.WAKE, 1);
      },
    };
  }

  it('skips records of unknown kind and markers with no message behind them', async () => {
    const b = await mapped(bob.ctx);
    const evil = await rawOutbound();
    evil.write([99, 1, 2, 3]);
    evil.write([CHANNEL_RECORD.MARKER, 0, 0, 0]);
    evil.write([CHANNEL_RECORD.DATA]); // shorter than the prefix
    evil.write([CHANNEL_RECORD.DATA, 0, 0, 0, ...text('real')]);
    expect(decoded(await b.readAsync(1000))).toBe('real');
    expect((await b.readAsync(0)).status).toBe(Status.SHOULD_WAIT);
  });

  it('a corrupted ring reads as the peer having closed, and the reader is not harmed', async () => {
    const b = await mapped(bob.ctx);
    const evil = await rawOutbound();
    Atomics.store(evil.header, RING_HEADER.TAIL, 12345); // not a multiple of 8
    expect((await b.readAsync(1000)).status).toBe(Status.PEER_CLOSED);
    expect(bob.process.alive).toBe(true);
    expect((await bob.ctx.sys.objectInfoAsync(handleOf(bob.ctx))).status).toBe(Status.OK);
  });
});
