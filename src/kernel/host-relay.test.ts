// The host link's kernel relay: bytes both ways, backpressure with a bound, the close,
// and hostile input from both sides (handles on the link, a page that floods it, a
// domain that writes after the page's copy changed). The last block runs a real domain
// in-thread and uses the link through syscalls.
import { afterEach, describe, expect, it } from 'vitest';
import type { KernelReport } from '../abi/boot.ts';
import { LIMITS } from '../abi/limits.ts';
import { DEFAULT_RIGHTS, ObjectType } from '../abi/objects.ts';
import { Status } from '../abi/status.ts';
import { ProcessState } from '../abi/sys.ts';
import { attach, type DomainContext } from '../workers/domain.ts';
import { Capability } from './capability.ts';
import { HostRelay } from './host-relay.ts';
import type { ChannelEnd } from './objects/channel.ts';
import { harness, type Harness } from './test-harness.ts';
import { TestObject } from './test-objects.ts';

const bytes = (...b: number[]) => new Uint8Array(b);
const message = (data: Uint8Array, caps: Capability[] = []) => ({
  data,
  caps,
  badge: 0,
  rights: 0,
  marked: false,
});

function relay() {
  const reports: KernelReport[] = [];
  const logs: string[] = [];
  const made = HostRelay.create({ report: (r) => reports.push(r), log: (_l, m) => logs.push(m) });
  const end = made.domainEnd.object as ChannelEnd;
  /** What the domain has been sent so far, taken out of its queue. */
  const drain = (): Uint8Array[] => {
    const out: Uint8Array[] = [];
    for (let m = end.peek(); typeof m !== 'number'; m = end.peek()) {
      end.take();
      out.push(m.data);
    }
    return out;
  };
  return { ...made, end, reports, logs, drain };
}

const hostData = (reports: KernelReport[]) =>
  reports.flatMap((r) => (r.kind === 'host' ? [[...r.data]] : []));

describe('the host relay', () => {
  it('relays what the domain writes to the page, in order', () => {
    const r = relay();
    expect(r.end.write(message(bytes(1, 2)))).toBe(Status.OK);
    expect(r.end.write(message(bytes(3)))).toBe(Status.OK);
    expect(hostData(r.reports)).toEqual([[1, 2], [3]]);
  });

  it('writes a copy of what the page sends into the domain’s end', () => {
    const r = relay();
    const sent = bytes(7, 8, 9);
    r.relay.deliver(sent);
    sent[0] = 0; // the page (or a shared buffer) changing its bytes later changes nothing
    expect(r.drain().map((d) => [...d])).toEqual([[7, 8, 9]]);
  });

  it('drops a domain message that carries handles, closing them, and goes on relaying', () => {
    const r = relay();
    const object = new TestObject();
    const cap = Capability.root(object, DEFAULT_RIGHTS[ObjectType.TIMER]);
    expect(r.end.write(message(bytes(1), [cap]))).toBe(Status.OK);
    expect(r.end.write(message(bytes(2)))).toBe(Status.OK);
    expect(hostData(r.reports)).toEqual([[2]]);
    expect(object.capabilityCount).toBe(0);
    expect(r.logs.some((l) => /dropped a message with 1 handle/.test(l))).toBe(true);
  });

  it('holds page messages while the domain’s queue is full, then refuses past the bound', () => {
    const r = relay();
    const total = LIMITS.QUEUED_MESSAGES + LIMITS.HOST_LINK_QUEUED;
    for (let i = 0; i < total + 3; i++) r.relay.deliver(bytes(i & 0xff, i >> 8));
    expect(r.relay.held).toBe(LIMITS.HOST_LINK_QUEUED);
    const refused = r.reports.filter((x) => x.kind === 'host-refused');
    expect(refused).toHaveLength(3);
    expect(refused[0]).toMatchObject({ reason: expect.stringMatching(/full/) });
    // The domain reads: the held messages follow, in order, and nothing is lost or reordered.
    const got = [...r.drain(), ...r.drain()];
    expect(got).toHaveLength(total);
    expect(got.every((d, i) => d[0] === (i & 0xff) && d[1] === i >> 8)).toBe(true);
    expect(r.relay.held).toBe(0);
  });

  it('reports host-closed once when the domain closes its end, after what it wrote before', () => {
    const r = relay();
    r.end.write(message(bytes(5)));
    r.relay.deliver(bytes(6));
    r.domainEnd.close();
    expect(r.reports.filter((x) => x.kind !== 'log').map((x) => x.kind)).toEqual(['host', 'host-closed']);
    r.relay.deliver(bytes(7));
    expect(r.reports.at(-1)).toMatchObject({ kind: 'host-refused', reason: 'the host link is closed' });
    expect(r.relay.closed).toBe(true);
  });

  it('drops held messages when the domain closes with its queue full', () => {
    const r = relay();
    for (let i = 0; i < LIMITS.QUEUED_MESSAGES + 5; i++) r.relay.deliver(bytes(1));
    r.domainEnd.close();
    expect(r.relay.held).toBe(0);
    expect(r.logs.some((l) => /5 held message\(s\) dropped/.test(l))).toBe(true);
  });

  it('close() lets go of the kernel’s end: the domain sees PEER_CLOSED and nothing is reported', () => {
    const r = relay();
    r.relay.close();
    expect(r.end.write(message(bytes(1)))).toBe(Status.PEER_CLOSED);
    expect(r.reports).toEqual([]);
  });
});

describe('the host link through syscalls', () => {
  let h: Harness<DomainContext>;
  afterEach(() => h.stop());

  function start() {
    h = harness(attach);
    const reports: KernelReport[] = [];
    const made = HostRelay.create({ report: (r) => reports.push(r), log: () => undefined });
    const { ctx, process } = h.start('init', [made.domainEnd]);
    return { ctx, process, relay: made.relay, reports, link: ctx.handles[0] as number };
  }

  const until = async (probe: () => boolean): Promise<void> => {
    for (let i = 0; i < 2000 && !probe(); i++) await new Promise((r) => setTimeout(r, 1));
    expect(probe()).toBe(true);
  };

  it('carries bytes both ways', async () => {
    const { ctx, relay, reports, link } = start();
    expect((await ctx.sys.channelWriteAsync(link, bytes(1, 2, 3), [])).status).toBe(Status.OK);
    await until(() => hostData(reports).length === 1);
    expect(hostData(reports)).toEqual([[1, 2, 3]]);
    relay.deliver(bytes(4));
    expect((await ctx.sys.channelReadAsync(link)).data).toEqual(bytes(4));
  });

  it('a domain that sends a handle over the link loses it, and the page never sees the message', async () => {
    const { ctx, reports, link } = start();
    const timer = (await ctx.sys.timerCreateAsync()).timer as number;
    expect((await ctx.sys.channelWriteAsync(link, bytes(9), [timer])).status).toBe(Status.OK);
    expect((await ctx.sys.handleCloseAsync(timer)).status).toBe(Status.BAD_HANDLE);
    expect((await ctx.sys.channelWriteAsync(link, bytes(10), [])).status).toBe(Status.OK);
    await until(() => hostData(reports).length === 1);
    expect(hostData(reports)).toEqual([[10]]);
  });

  it('a domain that writes an oversized message is faulted, and the page hears the link close', async () => {
    const { ctx, process, reports, link } = start();
    void ctx.sys.channelWriteAsync(link, new Uint8Array(LIMITS.MESSAGE_BYTES + 1), []);
    await until(() => !process.alive);
    expect(process.state).toBe(ProcessState.FAULTED);
    expect(reports.some((r) => r.kind === 'host')).toBe(false);
    expect(reports.at(-1)).toEqual({ kind: 'host-closed' });
  });
});
