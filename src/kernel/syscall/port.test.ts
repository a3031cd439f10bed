import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Signal } from '../../abi/objects.ts';
import { Right, rights } from '../../abi/rights.ts';
import { Status } from '../../abi/status.ts';
import { attach, type DomainContext } from '../../workers/domain.ts';
import { harness, type Harness } from '../test-harness.ts';

let h: Harness<DomainContext>;
let sys: DomainContext['sys'];

beforeEach(() => {
  h = harness(attach);
  sys = h.start('init').ctx.sys;
});
afterEach(() => h.stop());

async function setup() {
  const port = (await sys.portCreateAsync()).port as number;
  const ch = await sys.channelCreateAsync();
  return { port, a: ch.end0 as number, b: ch.end1 as number };
}

describe('port', () => {
  it('queues a packet with the key when a bound handle asserts a signal', async () => {
    const { port, a, b } = await setup();
    expect((await sys.portBindAsync(port, b, Signal.READABLE, 77)).status).toBe(Status.OK);
    await sys.channelWriteAsync(a, new Uint8Array([1]), []);
    expect(await sys.portWaitAsync(port, 0)).toEqual({
      status: Status.OK,
      key: 77,
      signals: Signal.READABLE | Signal.WRITABLE,
    });
    // One-shot: nothing more until bound again.
    expect((await sys.portWaitAsync(port, 0)).status).toBe(Status.TIMED_OUT);
  });

  it('parks a waiter until a packet arrives, across many watched handles', async () => {
    const { port, a, b } = await setup();
    const other = await sys.channelCreateAsync();
    await sys.portBindAsync(port, b, Signal.READABLE, 1);
    await sys.portBindAsync(port, other.end1 as number, Signal.READABLE, 2);
    const waiting = sys.portWaitAsync(port, -1);
    await sys.channelWriteAsync(other.end0 as number, new Uint8Array([9]), []);
    expect(await waiting).toMatchObject({ status: Status.OK, key: 2 });
    await sys.channelWriteAsync(a, new Uint8Array([9]), []);
    expect(await sys.portWaitAsync(port, -1)).toMatchObject({ status: Status.OK, key: 1 });
  });

  it('times out', async () => {
    const { port } = await setup();
    expect((await sys.portWaitAsync(port, 20)).status).toBe(Status.TIMED_OUT);
  });

  it('delivers REVOKED when the bound handle is revoked', async () => {
    const { port, b } = await setup();
    const weak = (await sys.handleDuplicateAsync(b, rights(Right.WAIT))).duplicate as number;
    await sys.portBindAsync(port, weak, Signal.READABLE, 5);
    await sys.handleRevokeAsync(b);
    expect(await sys.portWaitAsync(port, 0)).toEqual({ status: Status.OK, key: 5, signals: Signal.REVOKED });
  });

  it('checks handles, types, rights and arguments in order', async () => {
    const { port, a } = await setup();
    const timer = (await sys.timerCreateAsync()).timer as number;
    const readOnly = (await sys.handleDuplicateAsync(port, Right.READ)).duplicate as number;
    const noWait = (await sys.handleDuplicateAsync(a, Right.READ)).duplicate as number;
    expect((await sys.portBindAsync(12345, a, Signal.READABLE, 0)).status).toBe(Status.BAD_HANDLE);
    expect((await sys.portBindAsync(timer, a, Signal.READABLE, 0)).status).toBe(Status.WRONG_TYPE);
    expect((await sys.portBindAsync(readOnly, a, Signal.READABLE, 0)).status).toBe(Status.ACCESS_DENIED);
    expect((await sys.portBindAsync(port, noWait, Signal.READABLE, 0)).status).toBe(Status.ACCESS_DENIED);
    expect((await sys.portBindAsync(port, a, 0, 0)).status).toBe(Status.INVALID_ARGS);
    expect((await sys.portBindAsync(port, port, Signal.READABLE, 0)).status).toBe(Status.INVALID_ARGS);
    expect((await sys.portWaitAsync(port, Number.NaN)).status).toBe(Status.INVALID_ARGS);
    expect((await sys.portWaitAsync(timer, 0)).status).toBe(Status.WRONG_TYPE);
  });

  it('cancels a parked wait when the port handle is closed', async () => {
    const { port } = await setup();
    const waiting = sys.portWaitAsync(port, -1);
    await sys.schedYieldAsync(); // let the wait park first
    await sys.handleCloseAsync(port);
    expect((await waiting).status).toBe(Status.CANCELED);
  });
});
