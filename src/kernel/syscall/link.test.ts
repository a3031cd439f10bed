// link.create and link.map (ADR 0020): the two ends' ports are entangled, each goes to
// whoever maps its end first, the end travels as any handle does, and a handle without
// MAP, or to something else, takes nothing.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_RIGHTS, ObjectType } from '../../abi/objects.ts';
import { Right, rights } from '../../abi/rights.ts';
import { Status } from '../../abi/status.ts';
import { attach, type DomainContext } from '../../workers/domain.ts';
import { Capability } from '../capability.ts';
import { ChannelEnd } from '../objects/channel.ts';
import { harness, type Harness } from '../test-harness.ts';

let h: Harness<DomainContext>;
let alice: DomainContext;
let bob: DomainContext;
const opened: MessagePort[] = [];

beforeEach(() => {
  h = harness(attach);
  h.start('init');
  const [a, b] = ChannelEnd.pair();
  const channel = DEFAULT_RIGHTS[ObjectType.CHANNEL];
  alice = h.start('alice', [Capability.root(a, channel)]).ctx;
  bob = h.start('bob', [Capability.root(b, channel)]).ctx;
});
afterEach(() => {
  for (const port of opened.splice(0)) port.close();
  h.stop();
});

async function created(ctx: DomainContext): Promise<[number, number]> {
  const link = await ctx.sys.linkCreateAsync();
  expect(link.status).toBe(Status.OK);
  return [link.end0 as number, link.end1 as number];
}

async function mapped(ctx: DomainContext, end: number): Promise<MessagePort> {
  const port = await ctx.mapLink(end);
  if (typeof port === 'number') throw new Error(`link.map failed: ${port}`);
  opened.push(port);
  return port;
}

const nextMessage = (port: MessagePort): Promise<unknown> =>
  new Promise((resolve) => {
    port.addEventListener('message', (e) => resolve(e.data), { once: true });
    port.start();
  });

describe('link', () => {
  it('entangles the two ends: an end sent to another process maps to the peer of the one kept', async () => {
    const [mine, theirs] = await created(alice);
    const info = await alice.sys.objectInfoAsync(mine);
    expect(info.type).toBe(ObjectType.LINK);
    expect(info.rights).toBe(DEFAULT_RIGHTS[ObjectType.LINK]);
    const sent = await alice.sys.channelWriteAsync(alice.handles[0] as number, new Uint8Array([1]), [theirs]);
    expect(sent.status).toBe(Status.OK);
    const read = await bob.sys.channelReadAsync(bob.handles[0] as number);
    expect(read.status).toBe(Status.OK);
    const [received] = read.handles as number[];
    const a = await mapped(alice, mine);
    const b = await mapped(bob, received as number);
    const atBob = nextMessage(b);
    a.postMessage({ frame: 1 });
    expect(await atBob).toEqual({ frame: 1 });
    const atAlice = nextMessage(a);
    b.postMessage('ack');
    expect(await atAlice).toBe('ack');
  });

  it('hands each port out once: a second map, through any handle, is BAD_STATE', async () => {
    const [end] = await created(alice);
    const dup = await alice.sys.handleDuplicateAsync(end, DEFAULT_RIGHTS[ObjectType.LINK]);
    expect(dup.status).toBe(Status.OK);
    await mapped(alice, end);
    expect(await alice.mapLink(end)).toBe(Status.BAD_STATE);
    expect(await alice.mapLink(dup.duplicate as number)).toBe(Status.BAD_STATE);
  });

  it('refuses a handle without MAP, a handle to another object and a bad handle; the end stays untaken', async () => {
    const [end] = await created(alice);
    const weak = await alice.sys.handleDuplicateAsync(end, rights(Right.DUPLICATE, Right.INSPECT));
    expect(weak.status).toBe(Status.OK);
    expect(await alice.mapLink(weak.duplicate as number)).toBe(Status.ACCESS_DENIED);
    const timer = await alice.sys.timerCreateAsync();
    expect(await alice.mapLink(timer.timer as number)).toBe(Status.WRONG_TYPE);
    expect(await alice.mapLink(0x7fff)).toBe(Status.BAD_HANDLE);
    expect(typeof (await mapped(alice, end))).toBe('object');
  });

  it('closes the port of an end nobody mapped when its last handle closes', async () => {
    const [kept, dropped] = await created(alice);
    const port = await mapped(alice, kept);
    // A closed MessagePort's peer hears `close` (node's ports do; the browser's may not).
    const closed = new Promise<void>((resolve) => port.addEventListener('close', () => resolve()));
    port.start();
    expect((await alice.sys.handleCloseAsync(dropped)).status).toBe(Status.OK);
    await closed;
  });
});
