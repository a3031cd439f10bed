// The host-exchange protocol (host-protocol.ts) and its flow control (host-window.ts):
// every message kind round-trips, each side refuses the other's kinds, and malformed
// bytes are errors that still name the request when they can.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LIMITS } from './limits.ts';
import {
  decodeHostMessage,
  encodeHostMessage,
  errnoName,
  HOST_PROTOCOL,
  HostErrno,
  HostOp,
  HostStream,
  type HostMessage,
} from './host-protocol.ts';
import { ReceiveWindow, SendWindow } from './host-window.ts';

const fromPage: HostMessage[] = [
  { op: HostOp.CHUNK, id: 1, stream: HostStream.INPUT, data: new Uint8Array([1, 2, 3]) },
  { op: HostOp.END, id: 2, stream: HostStream.INPUT },
  { op: HostOp.CREDIT, id: 3, stream: HostStream.OUTPUT, count: 8 },
  { op: HostOp.CANCEL, id: 4 },
  { op: HostOp.FILES_IMPORT, id: 5, path: 'home/ünï' },
  { op: HostOp.FILES_EXPORT, id: 6, path: 'home', snapshot: 'before' },
  {
    op: HostOp.PROC_RUN,
    id: 7,
    program: 'run/1/prog.wasm',
    argv: ['prog', '', 'a b'],
    env: ['K=V', 'EMPTY='],
    preopens: [
      { guest: '/', path: 'run/1/d0' },
      { guest: '/data', path: 'run/1/d1' },
    ],
  },
  { op: HostOp.PROC_RUN, id: 8, program: 'p.wasm', argv: [], env: [], preopens: [] },
];

describe('host protocol', () => {
  it('round-trips every kind from the side that sends it', () => {
    for (const m of fromPage)
      expect(decodeHostMessage(encodeHostMessage(m), 'page')).toEqual({ ok: true, value: m });
    const result: HostMessage = { op: HostOp.RESULT, id: 9, status: 0, exit: 3, detail: 'exit status 3' };
    expect(decodeHostMessage(encodeHostMessage(result), 'init')).toEqual({ ok: true, value: result });
  });

  it("refuses the other side's kinds, naming the request", () => {
    const run = encodeHostMessage(fromPage[6] as HostMessage);
    const r = decodeHostMessage(run, 'init');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatchObject({ id: 7, op: HostOp.PROC_RUN });
    const result = encodeHostMessage({ op: HostOp.RESULT, id: 1, status: 0, exit: 0, detail: '' });
    expect(decodeHostMessage(result, 'page').ok).toBe(false);
  });

  it('refuses id 0, unknown kinds, env entries without =, unpaired preopens and lists with NUL', () => {
    const zero = encodeHostMessage({ op: HostOp.CANCEL, id: 1 });
    new DataView(zero.buffer).setUint32(0, 0, true);
    expect(decodeHostMessage(zero, 'page').ok).toBe(false);
    const unknown = encodeHostMessage({ op: HostOp.CANCEL, id: 1 });
    new DataView(unknown.buffer).setUint16(4, 99, true);
    expect(decodeHostMessage(unknown, 'page').ok).toBe(false);
    const noEq = encodeHostMessage({
      op: HostOp.PROC_RUN,
      id: 2,
      program: 'p',
      argv: [],
      env: ['NOEQ'],
      preopens: [],
    });
    expect(decodeHostMessage(noEq, 'page').ok).toBe(false);
    expect(() =>
      encodeHostMessage({ op: HostOp.PROC_RUN, id: 2, program: 'p', argv: ['a\0b'], env: [], preopens: [] }),
    ).toThrow(RangeError);
    expect(() =>
      encodeHostMessage({ op: HostOp.FILES_IMPORT, id: 2, path: 'x'.repeat(HOST_PROTOCOL.PATH_BYTES + 1) }),
    ).toThrow(RangeError);
    expect(decodeHostMessage(new Uint8Array(3), 'page')).toMatchObject({ ok: false, error: { id: null } });
    expect(decodeHostMessage(new Uint8Array(LIMITS.MESSAGE_BYTES + 1), 'page').ok).toBe(false);
  });

  it('never throws on arbitrary bytes (property)', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 200 }),
        fc.constantFrom('page' as const, 'init' as const),
        (b, from) => {
          decodeHostMessage(b, from);
        },
      ),
    );
  });

  it('a chunk of CHUNK_MAX bytes fits a message; errno names read well', () => {
    const big = encodeHostMessage({
      op: HostOp.CHUNK,
      id: 1,
      stream: 0,
      data: new Uint8Array(HOST_PROTOCOL.CHUNK_MAX),
    });
    expect(big.byteLength).toBeLessThanOrEqual(LIMITS.MESSAGE_BYTES);
    expect(errnoName(HostErrno.ENOENT)).toBe('ENOENT');
    expect(errnoName(12345)).toBe('errno 12345');
  });
});

describe('host windows', () => {
  it('a sender waits once its window is spent and goes on as credit returns', async () => {
    const w = new SendWindow();
    for (let i = 0; i < HOST_PROTOCOL.WINDOW; i++) expect(await w.take()).toBe(true);
    let got: boolean | null = null;
    void w.take().then((v) => (got = v));
    await Promise.resolve();
    expect(got).toBe(null);
    w.grant(1);
    await Promise.resolve();
    expect(got).toBe(true);
    const late = w.take();
    w.close();
    expect(await late).toBe(false);
    expect(await w.take()).toBe(false);
  });

  it('a receiver returns credit in batches and catches a sender past its window', () => {
    const r = new ReceiveWindow();
    for (let i = 0; i < HOST_PROTOCOL.WINDOW; i++) expect(r.received()).toBe(true);
    expect(r.received()).toBe(false);
    const credits: number[] = [];
    for (let i = 0; i < HOST_PROTOCOL.WINDOW; i++) credits.push(r.consumed());
    expect(credits.reduce((a, b) => a + b, 0)).toBe(HOST_PROTOCOL.WINDOW);
    expect(credits.filter((c) => c > 0).length).toBe(2);
    expect(r.received()).toBe(true);
  });
});
