// The host link's writer: writes go out in the order asked for, without waiting for each
// other while they fit, and never more than LINK_IN_FLIGHT_BYTES at once (but always one).
import { describe, expect, it } from 'vitest';
import { LINK_IN_FLIGHT_BYTES, LinkWriter } from './link-writer.ts';

function setup() {
  const submitted: number[] = [];
  const pending: (() => void)[] = [];
  const writer = new LinkWriter((data) => {
    submitted.push(data.byteLength);
    return new Promise<void>((done) => pending.push(done));
  });
  const settle = async (): Promise<void> => {
    for (let i = 0; i < 5; i++) await Promise.resolve();
  };
  return { writer, submitted, pending, settle };
}

describe('LinkWriter', () => {
  it('submits small writes at once, in order, before any completes', async () => {
    const { writer, submitted, pending, settle } = setup();
    const done = [1, 2, 3].map((n) => writer.write(new Uint8Array(n)));
    await settle();
    expect(submitted).toEqual([1, 2, 3]);
    expect(writer.inFlight).toBe(6);
    for (const p of pending) p();
    await Promise.all(done);
    expect(writer.inFlight).toBe(0);
  });

  it('holds what does not fit until room is made, and keeps the order behind it', async () => {
    const { writer, submitted, pending, settle } = setup();
    const big = LINK_IN_FLIGHT_BYTES - 10;
    const writes = [
      writer.write(new Uint8Array(big)),
      writer.write(new Uint8Array(20)), // does not fit beside the first
      writer.write(new Uint8Array(1)), // would fit, but goes after the one waiting
    ];
    await settle();
    expect(submitted).toEqual([big]);
    pending.shift()?.();
    await settle();
    expect(submitted).toEqual([big, 20, 1]);
    for (const p of pending) p();
    await Promise.all(writes);
  });

  it('lets a message larger than the room go alone, and a failed write frees its room', async () => {
    const writer = new LinkWriter((data) =>
      data.byteLength === 1 ? Promise.reject(new Error('closed')) : Promise.resolve(),
    );
    await writer.write(new Uint8Array(LINK_IN_FLIGHT_BYTES + 1));
    await expect(writer.write(new Uint8Array(1))).rejects.toThrow('closed');
    expect(writer.inFlight).toBe(0);
    await writer.write(new Uint8Array(2));
  });
});
