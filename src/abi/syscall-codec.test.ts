import { describe, expect, it } from 'vitest';
import { Status } from './status.ts';
import { decodeCall, decodeCompletion, encodeCall, encodeCompletion, RecordBuffer } from './syscall-codec.ts';
import { Sys, syscallByNum, type SyscallDef } from './sys.ts';

const def = (num: number): SyscallDef => {
  const d = syscallByNum(num);
  if (!d) throw new Error(`no syscall ${num}`);
  return d;
};

describe('syscall records', () => {
  it('round-trip a call with every kind of argument', () => {
    const write = def(Sys.CHANNEL_WRITE);
    const record = encodeCall(write, 7, [0x1234, new Uint8Array([1, 2, 3]), [5, 6]]);
    expect(decodeCall(record)).toEqual({
      ok: true,
      value: { def: write, tag: 7, args: [0x1234, new Uint8Array([1, 2, 3]), [5, 6]] },
    });
  });

  it('zero the reserved header bits, whatever record was encoded before', () => {
    // A failed call's status is negative: its header ends in 0xff 0xff where a call's
    // reserved bits are.
    encodeCompletion(def(Sys.CHANNEL_READ), 0xffffffff, Status.SHOULD_WAIT);
    encodeCall(def(Sys.DEBUG_LOG), 0xffffffff, [2, new Uint8Array(300).fill(0xff)]);
    const record = encodeCall(def(Sys.SCHED_YIELD), 1, []);
    expect([...record]).toEqual([1, 0, 0, 0, Sys.SCHED_YIELD, 0, 0, 0]);
    expect(decodeCall(record).ok).toBe(true);
  });

  it('are independent copies: encoding or decoding another record changes none', () => {
    const info = def(Sys.OBJECT_INFO);
    const first = encodeCall(info, 1, [11]);
    const copy = first.slice();
    encodeCall(info, 2, [22]);
    expect(first).toEqual(copy);

    const read = def(Sys.CHANNEL_READ);
    const a = decodeCompletion(
      read,
      encodeCompletion(read, 1, Status.OK, [new Uint8Array([1, 2]), [], 0, 12]),
    );
    decodeCompletion(read, encodeCompletion(read, 2, Status.OK, [new Uint8Array([3, 4]), [], 0, 12]));
    expect(a).toEqual({
      ok: true,
      value: { tag: 1, status: Status.OK, results: [new Uint8Array([1, 2]), [], 0, 12] },
    });
  });

  it('grow past the reused buffer for large records', () => {
    const write = def(Sys.CHANNEL_WRITE);
    const data = new Uint8Array(64 * 1024).map((_, i) => i & 0xff);
    const decoded = decodeCall(encodeCall(write, 3, [1, data, []]));
    expect(decoded.ok && decoded.value.args[1]).toEqual(data);
  });

  it('encode into a caller’s RecordBuffer as views of it, byte for byte as the copies', () => {
    const read = def(Sys.CHANNEL_READ);
    const out = new RecordBuffer();
    const data = new Uint8Array(3000).map((_, i) => i & 0xff);
    const copy = encodeCompletion(read, 9, Status.OK, [data, [1, 2], 5, 6]);
    const view = encodeCompletion(read, 9, Status.OK, [data, [1, 2], 5, 6], out);
    expect(view).toEqual(copy);
    const again = encodeCompletion(read, 10, Status.OK, [new Uint8Array(2), [], 0, 0], out);
    expect(again.buffer).toBe(view.buffer); // valid until the buffer's next use
    const call = encodeCall(def(Sys.CHANNEL_WRITE), 3, [1, data, []], out);
    expect(call).toEqual(encodeCall(def(Sys.CHANNEL_WRITE), 3, [1, data, []]));
  });

  it('decode in place on request: byte fields are views of the record, values equal', () => {
    const read = def(Sys.CHANNEL_READ);
    const data = new Uint8Array([9, 8, 7]);
    const record = encodeCompletion(read, 4, Status.OK, [data, [3], 1, 2]);
    const copied = decodeCompletion(read, record);
    const inPlace = decodeCompletion(read, record, true);
    expect(inPlace).toEqual(copied);
    if (!inPlace.ok) throw new Error(inPlace.error);
    const bytes = inPlace.value.results[0] as Uint8Array;
    expect(bytes.buffer).toBe(record.buffer);
    const call = encodeCall(def(Sys.CHANNEL_WRITE), 3, [1, data, []]);
    const decoded = decodeCall(call, undefined, true);
    if (!decoded.ok) throw new Error(decoded.error);
    expect((decoded.value.args[1] as Uint8Array).buffer).toBe(call.buffer);
    expect(decodeCall(call.subarray(0, call.length - 1), undefined, true).ok).toBe(false); // as strict
  });
});
