import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LIMITS } from '../../abi/limits.ts';
import { ALL_SIGNALS, DEFAULT_RIGHTS, ObjectType, Signal } from '../../abi/objects.ts';
import { Right, rights } from '../../abi/rights.ts';
import { Status } from '../../abi/status.ts';
import { attach, type DomainContext } from '../../workers/domain.ts';
import { harness, type Harness } from '../test-harness.ts';
import { fixtures } from './fixtures.ts';

let h: Harness<DomainContext>;
let sys: DomainContext['sys'];

beforeEach(() => {
  h = harness(attach);
  sys = h.start('init').ctx.sys;
});
afterEach(() => h.stop());

const { channel, timer, weaker } = fixtures(() => sys);

/** A duplicate of `handle` whose ancestor has been revoked. */
async function revoked(handle: number): Promise<number> {
  const d = await weaker(handle, rights(Right.INSPECT, Right.WAIT, Right.SIGNAL));
  expect((await sys.handleRevokeAsync(handle)).status).toBe(Status.OK);
  return d;
}

/** Tracks whether a promise has settled, for "still parked" assertions. */
function track<T>(p: Promise<T>): { promise: Promise<T>; settled: () => boolean } {
  let settled = false;
  void p.then(() => (settled = true));
  return { promise: p, settled: () => settled };
}

const denials = () => h.kernel.audit.since(0).filter((e) => e.kind === 'deny');

describe('object.info', () => {
  it('reports type, koid, rights, badge and the peer of a channel end', async () => {
    const [a, b] = await channel();
    const ia = await sys.objectInfoAsync(a);
    const ib = await sys.objectInfoAsync(b);
    expect(ia).toMatchObject({
      status: Status.OK,
      type: ObjectType.CHANNEL,
      rights: DEFAULT_RIGHTS[ObjectType.CHANNEL],
      badge: 0,
      related: ib.koid,
    });
    expect(ib.related).toBe(ia.koid);
    expect(ia.koid).not.toBe(ib.koid);
  });

  it('reports the same koid and the narrowed rights and badge for a derived handle', async () => {
    const t = await timer();
    const minted = await sys.handleMintAsync(t, rights(Right.INSPECT), 9);
    const info = await sys.objectInfoAsync(minted.minted as number);
    expect(info).toMatchObject({
      status: Status.OK,
      type: ObjectType.TIMER,
      rights: Right.INSPECT,
      badge: 9,
    });
    expect(info.koid).toBe((await sys.objectInfoAsync(t)).koid);
    expect(info.related).toBe(0);
  });

  it('BAD_HANDLE for a value the process was never given', async () => {
    expect((await sys.objectInfoAsync(0x1234_5678)).status).toBe(Status.BAD_HANDLE);
  });

  it('ACCESS_DENIED without INSPECT, and the denial is audited', async () => {
    const t = await weaker(await timer(), Right.WAIT);
    expect((await sys.objectInfoAsync(t)).status).toBe(Status.ACCESS_DENIED);
    expect(denials()).toHaveLength(1);
    expect(denials()[0]?.detail).toMatch(/object\.info: TIMER #\d+ lacks INSPECT/);
  });

  it('REVOKED for a handle whose ancestor was revoked', async () => {
    expect((await sys.objectInfoAsync(await revoked(await timer()))).status).toBe(Status.REVOKED);
  });

  it('checks revocation before rights: a revoked handle without INSPECT is REVOKED', async () => {
    const t = await timer();
    const noInspect = await weaker(t, Right.WAIT);
    await sys.handleRevokeAsync(t);
    expect((await sys.objectInfoAsync(noInspect)).status).toBe(Status.REVOKED);
    expect(denials()).toHaveLength(0);
  });
});

describe('object.wait_one', () => {
  it('returns at once with the asserted signals when one is already set', async () => {
    const [a] = await channel();
    const w = await sys.objectWaitOneAsync(a, Signal.WRITABLE | Signal.READABLE, -1);
    expect(w).toEqual({ status: Status.OK, observed: Signal.WRITABLE });
  });

  it('parks until a signal in the mask is asserted', async () => {
    const [a, b] = await channel();
    const wait = track(sys.objectWaitOneAsync(a, Signal.READABLE, -1));
    await sys.objectInfoAsync(a); // completions are in order: the wait, had it finished, came first
    expect(wait.settled()).toBe(false);
    expect((await sys.channelWriteAsync(b, new Uint8Array([1]), [])).status).toBe(Status.OK);
    expect(await wait.promise).toEqual({ status: Status.OK, observed: Signal.READABLE | Signal.WRITABLE });
  });

  it('wakes on a timer firing', async () => {
    const t = await timer();
    await sys.timerSetAsync(t, 5);
    expect(await sys.objectWaitOneAsync(t, Signal.FIRED, -1)).toEqual({
      status: Status.OK,
      observed: Signal.FIRED,
    });
  });

  it('TIMED_OUT when nothing is asserted before the timeout', async () => {
    const t = await timer();
    const started = performance.now();
    expect((await sys.objectWaitOneAsync(t, Signal.FIRED, 20)).status).toBe(Status.TIMED_OUT);
    expect(performance.now() - started).toBeGreaterThanOrEqual(19);
  });

  it('a timeout of 0 polls: TIMED_OUT if unset, OK if set', async () => {
    const [a] = await channel();
    expect((await sys.objectWaitOneAsync(a, Signal.READABLE, 0)).status).toBe(Status.TIMED_OUT);
    expect((await sys.objectWaitOneAsync(a, Signal.WRITABLE, 0)).status).toBe(Status.OK);
  });

  it('a negative or very long timeout does not time out', async () => {
    const [a, b] = await channel();
    const waits = [-1, 1e12, Infinity].map((ms) => track(sys.objectWaitOneAsync(a, Signal.READABLE, ms)));
    const t = await timer();
    await sys.timerSetAsync(t, 30);
    await sys.objectWaitOneAsync(t, Signal.FIRED, -1); // 30 ms passed; no wait may have ended
    expect(waits.map((w) => w.settled())).toEqual([false, false, false]);
    await sys.channelWriteAsync(b, new Uint8Array(), []);
    for (const w of waits) expect((await w.promise).status).toBe(Status.OK);
  });

  it('BAD_HANDLE for a value the process was never given', async () => {
    expect((await sys.objectWaitOneAsync(77, Signal.READABLE, 0)).status).toBe(Status.BAD_HANDLE);
  });

  it('ACCESS_DENIED without WAIT', async () => {
    const [a] = await channel();
    const noWait = await weaker(a, Right.INSPECT);
    expect((await sys.objectWaitOneAsync(noWait, Signal.WRITABLE, 0)).status).toBe(Status.ACCESS_DENIED);
  });

  it('REVOKED when the handle was revoked before the call', async () => {
    const r = await revoked(await timer());
    expect((await sys.objectWaitOneAsync(r, Signal.FIRED, -1)).status).toBe(Status.REVOKED);
  });

  it('REVOKED when the handle is revoked during the wait', async () => {
    const t = await timer();
    const d = await weaker(t, Right.WAIT);
    const wait = sys.objectWaitOneAsync(d, Signal.FIRED, -1);
    expect(await sys.handleRevokeAsync(t)).toEqual({ status: Status.OK, revoked: 1 });
    expect((await wait).status).toBe(Status.REVOKED);
  });

  it('INVALID_ARGS for an empty mask, unknown signal bits or a NaN timeout', async () => {
    const [a] = await channel();
    expect((await sys.objectWaitOneAsync(a, 0, 0)).status).toBe(Status.INVALID_ARGS);
    expect((await sys.objectWaitOneAsync(a, 1 << 12, 0)).status).toBe(Status.INVALID_ARGS);
    expect((await sys.objectWaitOneAsync(a, Signal.WRITABLE | (1 << 31), 0)).status).toBe(
      Status.INVALID_ARGS,
    );
    expect((await sys.objectWaitOneAsync(a, Signal.WRITABLE, NaN)).status).toBe(Status.INVALID_ARGS);
  });

  it('LIMIT_EXCEEDED past OBSERVERS_PER_OBJECT waits on one object', async () => {
    const t = await timer();
    const waits = Array.from({ length: LIMITS.OBSERVERS_PER_OBJECT }, () =>
      sys.objectWaitOneAsync(t, Signal.FIRED, -1),
    );
    expect((await sys.objectWaitOneAsync(t, Signal.FIRED, -1)).status).toBe(Status.LIMIT_EXCEEDED);
    await sys.timerSetAsync(t, 0);
    const done = await Promise.all(waits);
    expect(done.every((w) => w.status === Status.OK && w.observed === Signal.FIRED)).toBe(true);
    expect((await sys.objectWaitOneAsync(t, Signal.FIRED, -1)).status).toBe(Status.OK);
  });

  it('CANCELED when the handle is closed during the wait', async () => {
    const t = await timer();
    const d = await weaker(t, Right.WAIT);
    const other = track(sys.objectWaitOneAsync(t, Signal.FIRED, -1));
    const wait = sys.objectWaitOneAsync(d, Signal.FIRED, -1);
    expect((await sys.handleCloseAsync(d)).status).toBe(Status.OK);
    expect((await wait).status).toBe(Status.CANCELED);
    expect(other.settled()).toBe(false); // only waits through the closed handle end
    await sys.timerSetAsync(t, 0);
    expect((await other.promise).status).toBe(Status.OK);
  });
  it('CANCELED when the handle is consumed by handle.replace during the wait', async () => {
    const t = await timer();
    const d = await weaker(t, rights(Right.WAIT, Right.INSPECT));
    const wait = sys.objectWaitOneAsync(d, Signal.FIRED, -1);
    expect((await sys.handleReplaceAsync(d, Right.WAIT)).status).toBe(Status.OK);
    expect((await wait).status).toBe(Status.CANCELED);
  });
});

describe('object.signal', () => {
  it('sets and clears user signals, which waiters see', async () => {
    const [a] = await channel();
    const wait = sys.objectWaitOneAsync(a, Signal.USER_1, -1);
    expect((await sys.objectSignalAsync(a, 0, Signal.USER_0 | Signal.USER_1)).status).toBe(Status.OK);
    expect((await wait).observed).toBe(Signal.WRITABLE | Signal.USER_0 | Signal.USER_1);
    expect((await sys.objectSignalAsync(a, Signal.USER_0, Signal.USER_3)).status).toBe(Status.OK);
    expect((await sys.objectWaitOneAsync(a, Signal.USER_0, 0)).status).toBe(Status.TIMED_OUT);
    expect((await sys.objectWaitOneAsync(a, Signal.USER_3, 0)).observed).toBe(
      Signal.WRITABLE | Signal.USER_1 | Signal.USER_3,
    );
  });

  it('BAD_HANDLE for a value the process was never given', async () => {
    expect((await sys.objectSignalAsync(3, 0, Signal.USER_0)).status).toBe(Status.BAD_HANDLE);
  });

  it('ACCESS_DENIED without SIGNAL', async () => {
    const [a] = await channel();
    const noSignal = await weaker(a, rights(Right.WAIT, Right.INSPECT));
    expect((await sys.objectSignalAsync(noSignal, 0, Signal.USER_0)).status).toBe(Status.ACCESS_DENIED);
    expect((await sys.objectWaitOneAsync(a, Signal.USER_0, 0)).status).toBe(Status.TIMED_OUT);
  });

  it('REVOKED for a handle whose ancestor was revoked', async () => {
    const r = await revoked(await timer());
    expect((await sys.objectSignalAsync(r, 0, Signal.USER_0)).status).toBe(Status.REVOKED);
  });

  it('INVALID_ARGS for kernel-owned bits in clear or set, and changes nothing', async () => {
    const [a, b] = await channel();
    expect((await sys.objectSignalAsync(a, 0, Signal.READABLE)).status).toBe(Status.INVALID_ARGS);
    expect((await sys.objectSignalAsync(a, Signal.WRITABLE, 0)).status).toBe(Status.INVALID_ARGS);
    expect((await sys.objectSignalAsync(a, 0, Signal.USER_0 | Signal.PEER_CLOSED)).status).toBe(
      Status.INVALID_ARGS,
    );
    expect((await sys.objectWaitOneAsync(a, ALL_SIGNALS, 0)).observed).toBe(Signal.WRITABLE);
    expect((await sys.channelReadAsync(a)).status).toBe(Status.SHOULD_WAIT);
    expect((await sys.channelWriteAsync(b, new Uint8Array(), [])).status).toBe(Status.OK);
  });
});
