// Single-thread unit tests of the ring: layout checks, record handling, wrap-around, the
// zero-copy and batch paths, waiting. Property tests: ring.model.test.ts; hostile peers:
// ring.hostile.test.ts; cross-thread: ring.stress.test.ts.
import { describe, expect, it } from 'vitest';
import { blockUntil, waitUntil, type WaitCondition } from './ring-wait.ts';
import { header, isCorrupt, NEAR_WRAP, pair, payload, tailOf, unwrap } from './ring.test-support.ts';
import { Ring, RING_HEADER, RING_MAGIC, RING_RECORD, ringBufferBytes } from './ring.ts';

describe('Ring.create and Ring.attach', () => {
  it('round-trip a ring through attach', () => {
    const ring = Ring.create(1024);
    const again = unwrap(Ring.attach(ring.buffer));
    expect(again.capacity).toBe(1024);
    expect(again.maxRecordBytes).toBe(508);
    expect(ring.buffer.byteLength).toBe(ringBufferBytes(1024));
    unwrap(unwrap(again.producer()).tryWrite(payload(3, 1)));
    expect(unwrap(unwrap(ring.consumer()).tryRead())).toEqual(payload(3, 1));
  });

  it('reject what is not a ring', () => {
    const bad = (buffer: unknown) => {
      const r = Ring.attach(buffer);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.kind).toBe('layout');
    };
    bad(new ArrayBuffer(ringBufferBytes(64)));
    bad(null);
    bad(new SharedArrayBuffer(8));
    const withHeader = (magic: number, capacity: number, bytes = ringBufferBytes(64)) => {
      const sab = new SharedArrayBuffer(bytes);
      const h = new Int32Array(sab, 0, RING_HEADER.BYTES / 4);
      h[RING_HEADER.MAGIC] = magic;
      h[RING_HEADER.CAPACITY] = capacity;
      return sab;
    };
    bad(withHeader(RING_MAGIC + 1, 64));
    bad(withHeader(0, 64));
    bad(withHeader(RING_MAGIC, 48, ringBufferBytes(48)));
    bad(withHeader(RING_MAGIC, 8, ringBufferBytes(8)));
    bad(withHeader(RING_MAGIC, -64));
    bad(withHeader(RING_MAGIC, 2 ** 31 - 1));
    bad(withHeader(RING_MAGIC, 64, ringBufferBytes(64) + 8));
    bad(withHeader(RING_MAGIC, 128, ringBufferBytes(64)));
    expect(Ring.attach(withHeader(RING_MAGIC, 64)).ok).toBe(true);
  });

  it('refuse bad capacities and start counters with RangeError', () => {
    for (const cap of [0, 8, 24, 100, 2 ** 31, 1.5, Number.NaN])
      expect(() => Ring.create(cap)).toThrow(RangeError);
    for (const start of [-8, 4, 2 ** 32, 0.5])
      expect(() => Ring.create(64, { startCounter: start })).toThrow(RangeError);
    expect(() => Ring.create(64).consumer({ spin: -1 })).toThrow(RangeError);
  });

  it('refuse endpoints over inconsistent counters', () => {
    const ring = Ring.create(64);
    header(ring)[RING_HEADER.TAIL] = 72;
    expect(isCorrupt(ring.consumer())).toBe(true);
    expect(isCorrupt(ring.producer())).toBe(true);
    header(ring)[RING_HEADER.TAIL] = 4;
    expect(isCorrupt(ring.consumer())).toBe(true);
  });
});

describe('records', () => {
  it('an empty ring reads as empty', () => {
    const { c } = pair(64);
    expect(c.tryRead()).toEqual({ ok: true, value: null });
    expect(c.peek()).toEqual({ ok: true, value: null });
    expect(c.drain(() => undefined)).toEqual({ ok: true, value: 0 });
    expect(c.waitReadable(0)).toEqual({ ok: true, value: false });
    expect(() => c.release()).toThrow(Error);
  });

  it('carry zero-length and maximum-size records', () => {
    const { p, c } = pair(64);
    expect(p.maxRecordBytes).toBe(28);
    expect(unwrap(p.tryWrite(new Uint8Array(0)))).toBe(true);
    expect(unwrap(p.tryWrite(payload(28, 9)))).toBe(true);
    expect(unwrap(c.tryRead())).toEqual(new Uint8Array(0));
    expect(unwrap(c.tryRead())).toEqual(payload(28, 9));
    expect(unwrap(c.tryRead())).toBeNull();
  });

  it('throw RangeError for a record larger than the maximum', () => {
    const { p } = pair(64);
    expect(() => p.tryWrite(new Uint8Array(29))).toThrow(RangeError);
    expect(() => p.tryReserve(29)).toThrow(RangeError);
    expect(() => p.tryReserve(-1)).toThrow(RangeError);
    expect(() => p.waitWritable(29, 0)).toThrow(RangeError);
    expect(() => p.waitWritable(1, -1)).toThrow(RangeError);
  });

  it('fill exactly, report full, and accept again after a read', () => {
    const { p, c } = pair(64);
    for (let i = 0; i < 8; i++) expect(unwrap(p.tryWrite(payload(4, i)))).toBe(true);
    expect(unwrap(p.tryWrite(new Uint8Array(0)))).toBe(false);
    expect(unwrap(p.tryReserve(0))).toBeNull();
    expect(unwrap(p.waitWritable(0, 0))).toBe(false);
    expect(unwrap(c.tryRead())).toEqual(payload(4, 0));
    expect(unwrap(p.waitWritable(4, 0))).toBe(true);
    expect(unwrap(p.tryWrite(payload(4, 8)))).toBe(true);
    for (let i = 1; i <= 8; i++) expect(unwrap(c.tryRead())).toEqual(payload(4, i));
  });

  it('skip to offset 0 when a record would cross the end, and count the skip as used', () => {
    const { ring, p, c } = pair(64);
    unwrap(p.tryWrite(payload(28, 0))); // 32 bytes at offset 0
    unwrap(p.tryWrite(payload(4, 1))); // 8 bytes at offset 32
    expect(unwrap(c.drain(() => undefined))).toBe(2);
    // 24 bytes remain before the end; a 28-byte payload needs 32, so it goes to 0.
    expect(unwrap(p.tryWrite(payload(28, 2)))).toBe(true);
    const words = new Uint32Array(ring.buffer, RING_HEADER.BYTES);
    expect(words[40 / 4]).toBe(RING_RECORD.SKIP);
    expect(words[0]).toBe(28);
    // Used: 24 skipped + 32 = 56 of 64; a 4-byte record (8) fits, a 12-byte one does not.
    expect(unwrap(p.tryWrite(payload(12, 3)))).toBe(false);
    expect(unwrap(p.tryWrite(payload(4, 3)))).toBe(true);
    expect(unwrap(c.tryRead())).toEqual(payload(28, 2));
    expect(unwrap(c.tryRead())).toEqual(payload(4, 3));
  });

  it('wrap many times with assorted sizes, counters starting near 2^32', () => {
    const { ring, p, c } = pair(128, NEAR_WRAP);
    const sizes = [0, 1, 7, 8, 9, 60, 33, 4, 17, 59, 2];
    let written = 0;
    let read = 0;
    for (let round = 0; round < 500; round++) {
      while (unwrap(p.tryWrite(payload(sizes[written % sizes.length] ?? 0, written)))) written++;
      const got = unwrap(c.tryRead());
      expect(got).toEqual(payload(sizes[read % sizes.length] ?? 0, read));
      read++;
    }
    for (let r = unwrap(c.tryRead()); r !== null; r = unwrap(c.tryRead())) {
      expect(r).toEqual(payload(sizes[read % sizes.length] ?? 0, read));
      read++;
    }
    expect(read).toBe(written);
    // The counters really wrapped: TAIL is now a small number again.
    expect(tailOf(ring)).toBeLessThan(NEAR_WRAP);
  });

  it('peek returns the same record until release', () => {
    const { ring, p, c } = pair(64);
    unwrap(p.tryWrite(payload(5, 1)));
    unwrap(p.tryWrite(payload(6, 2)));
    const first = unwrap(c.peek());
    expect(first).toEqual(payload(5, 1));
    expect(first?.buffer).toBe(ring.buffer);
    expect(unwrap(c.peek())).toEqual(payload(5, 1));
    c.release();
    expect(unwrap(c.peek())).toEqual(payload(6, 2));
    expect(unwrap(c.tryRead())).toEqual(payload(6, 2));
  });

  it('publish reserved records only at commit, as one batch', () => {
    const { p, c } = pair(256);
    for (let i = 0; i < 3; i++) unwrap(p.tryReserve(10))?.set(payload(10, i));
    expect(unwrap(c.tryRead())).toBeNull();
    p.commit();
    for (let i = 0; i < 3; i++) expect(unwrap(c.tryRead())).toEqual(payload(10, i));
  });

  it('drain visits records in place, honours max, and frees their space', () => {
    const { p, c } = pair(64);
    for (let i = 0; i < 8; i++) unwrap(p.tryWrite(payload(4, i)));
    const seen: Uint8Array[] = [];
    expect(unwrap(c.drain((r) => seen.push(r.slice()), 3))).toBe(3);
    expect(unwrap(p.tryWrite(payload(20, 8)))).toBe(true);
    expect(unwrap(c.drain((r) => seen.push(r.slice())))).toBe(6);
    expect(seen).toEqual([...[0, 1, 2, 3, 4, 5, 6, 7].map((i) => payload(4, i)), payload(20, 8)]);
  });

  it('drain leaves the record whose visitor threw peeked, and releases the ones before', () => {
    const { p, c } = pair(64);
    for (let i = 0; i < 3; i++) unwrap(p.tryWrite(payload(4, i)));
    let calls = 0;
    const boom = () => {
      if (++calls === 2) throw new Error('visitor failed');
    };
    expect(() => c.drain(boom)).toThrow('visitor failed');
    expect(unwrap(c.tryRead())).toEqual(payload(4, 1));
    expect(unwrap(c.tryRead())).toEqual(payload(4, 2));
  });

  it('async waits resolve on a write and time out when nothing comes', async () => {
    const { ring, p, c } = pair(64);
    expect(unwrap(await c.waitReadableAsync(5))).toBe(false);
    setTimeout(() => unwrap(p.tryWrite(payload(3, 3))), 5);
    expect(unwrap(await c.waitReadableAsync(5000))).toBe(true);
    expect(unwrap(c.tryRead())).toEqual(payload(3, 3));
    for (let i = 0; i < 8; i++) unwrap(p.tryWrite(payload(4, i)));
    setTimeout(() => unwrap(c.tryRead()), 5);
    expect(unwrap(await p.waitWritableAsync(4, 5000))).toBe(true);
    expect(header(ring)[RING_HEADER.CONSUMER_WAITING]).toBe(0);
    expect(header(ring)[RING_HEADER.PRODUCER_WAITING]).toBe(0);
  });

  it('a blocking wait that ends under an async wait leaves the flag up, so the async one is still woken', async () => {
    const { ring, p, c } = pair(64);
    let woke = false;
    const pending = c.waitReadableAsync(5000).then((r) => ((woke = true), unwrap(r)));
    await Promise.resolve();
    expect(header(ring)[RING_HEADER.CONSUMER_WAITING]).toBe(1);
    // A blocking wait made from the same thread meanwhile (as a blocking syscall is): it
    // raises the flag, sleeps and lowers it again when it times out.
    expect(unwrap(c.waitReadable(20))).toBe(false);
    // The async wait still sleeps, so the producer must still see a waiter.
    expect(header(ring)[RING_HEADER.CONSUMER_WAITING]).toBe(1);
    expect(woke).toBe(false);
    unwrap(p.tryWrite(payload(2, 2)));
    expect(await pending).toBe(true);
    expect(unwrap(c.tryRead())).toEqual(payload(2, 2));
    expect(header(ring)[RING_HEADER.CONSUMER_WAITING]).toBe(0);
  });

  it('a blocking wait times out and lowers its flag', () => {
    const { ring, c } = pair(64);
    const t0 = performance.now();
    expect(unwrap(c.waitReadable(20))).toBe(false);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(15);
    expect(header(ring)[RING_HEADER.CONSUMER_WAITING]).toBe(0);
  });
});

describe('the sleeping side of the wake-up protocol', () => {
  const probe = () => {
    const header = new Int32Array(new SharedArrayBuffer(8));
    const flagAtCheck: number[] = [];
    const condition: WaitCondition = {
      header,
      flag: 0,
      word: 1,
      ready: () => {
        flagAtCheck.push(Atomics.load(header, 0));
        return { ok: true, value: false };
      },
      seen: () => Atomics.load(header, 1),
      waiters: 0,
    };
    return { header, flagAtCheck, condition };
  };

  it.each([
    ['blockUntil', (c: WaitCondition) => Promise.resolve(blockUntil(c, 3, 5))],
    ['waitUntil', (c: WaitCondition) => waitUntil(c, 5)],
  ])(
    '%s raises its flag before every check that may lead to sleep, and lowers it after',
    async (_n, wait) => {
      const { header, flagAtCheck, condition } = probe();
      expect(await wait(condition)).toEqual({ ok: true, value: false });
      // The first check runs unflagged (spins only re-check when the word moves, and it
      // does not here); every later check, each of which may be followed by a sleep, sees the flag up.
      expect(flagAtCheck[0]).toBe(0);
      expect(flagAtCheck.length).toBeGreaterThan(1);
      expect(flagAtCheck.slice(1).every((f) => f === 1)).toBe(true);
      expect(Atomics.load(header, 0)).toBe(0);
    },
  );
});
