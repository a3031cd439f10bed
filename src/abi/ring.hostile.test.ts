// A hostile peer scribbles garbage (random and boundary values) on every word it shares:
// the trusted end must answer with records inside the data area or a sticky corrupt
// error, never throw, never loop. Concurrent scribbling is in ring.stress.test.ts.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Result } from './result.ts';
import { header, isCorrupt, NEAR_WRAP, pair, payload, tailOf, unwrap } from './ring.test-support.ts';
import { type Ring, RING_HEADER, RING_RECORD, type RingConsumer, type RingError } from './ring.ts';

const CAP = 128;
const DATA_BASE = RING_HEADER.BYTES;

/** Values a hostile peer would try: boundaries of every check, and anything at all. */
const hostileValue = fc.oneof(
  fc.constantFrom(
    0,
    1,
    -1,
    4,
    7,
    8,
    60,
    64,
    68,
    CAP - 8,
    CAP,
    CAP + 8,
    2 ** 31 - 1,
    -(2 ** 31),
    -8,
    RING_RECORD.SKIP | 0,
  ),
  fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
  fc.integer({ min: 0, max: 2 * CAP }),
);

/** A word to scribble on: a header word, a live record length, or any data word. */
const hostileTarget = fc.oneof(
  fc
    .constantFrom(RING_HEADER.MAGIC, RING_HEADER.CAPACITY, RING_HEADER.TAIL, RING_HEADER.HEAD)
    .map((w) => ({ word: w })),
  fc.constantFrom(RING_HEADER.PRODUCER_WAITING, RING_HEADER.CONSUMER_WAITING).map((w) => ({ word: w })),
  fc.nat(CAP / 4 - 1).map((i) => ({ word: DATA_BASE / 4 + i })),
  fc.nat(CAP / 8 - 1).map((i) => ({ word: DATA_BASE / 4 + 2 * i })),
);

const scribbles = fc.array(fc.record({ target: hostileTarget, value: hostileValue, after: fc.nat(6) }), {
  minLength: 1,
  maxLength: 4,
});

/** Every view the consumer hands out must lie inside the data area of this ring. */
function expectInBounds(ring: Ring, view: Uint8Array | null): void {
  if (view === null) return;
  expect(view.length).toBeLessThanOrEqual(ring.maxRecordBytes);
  if (view.buffer !== ring.buffer) return; // a private copy
  expect(view.byteOffset).toBeGreaterThanOrEqual(DATA_BASE);
  expect(view.byteOffset + view.length).toBeLessThanOrEqual(DATA_BASE + ring.capacity);
}

/** Runs one consumer operation; returns whether it failed as corrupt. Never tolerates a throw. */
function hostileRead(ring: Ring, c: RingConsumer, kind: number): boolean {
  let r: Result<unknown, RingError>;
  if (kind === 0) r = c.tryRead();
  else if (kind === 1) {
    r = c.peek();
    if (r.ok) expectInBounds(ring, r.value as Uint8Array | null);
    if (r.ok && r.value) c.release();
  } else if (kind === 2) r = c.drain((v) => expectInBounds(ring, v), 3);
  else r = c.waitReadable(0);
  if (r.ok && r.value instanceof Uint8Array) expectInBounds(ring, r.value);
  return isCorrupt(r);
}

describe('a hostile producer cannot hurt the consumer', () => {
  it('garbage in any shared word yields records in bounds or a sticky corrupt error', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(0, NEAR_WRAP),
        fc.array(fc.nat(CAP / 2 - 4), { maxLength: 12 }),
        scribbles,
        fc.array(fc.nat(3), { minLength: 8, maxLength: 40 }),
        (start, lengths, attacks, reads) => {
          const { ring, p, c } = pair(CAP, start);
          for (const [i, len] of lengths.entries()) unwrap(p.tryWrite(payload(len, i)));
          const words = new Int32Array(ring.buffer);
          let corrupt = false;
          reads.forEach((kind, i) => {
            for (const a of attacks) if (a.after === i) words[a.target.word] = a.value;
            const failed = hostileRead(ring, c, kind);
            if (corrupt) expect(failed).toBe(true);
            corrupt ||= failed;
          });
        },
      ),
      { numRuns: 1000 },
    );
  });

  const attacked = (start = 0) => {
    const { ring, p, c } = pair(CAP, start);
    unwrap(p.tryWrite(payload(10, 1)));
    unwrap(p.tryWrite(payload(20, 2)));
    const h = header(ring);
    const data = new Uint32Array(ring.buffer, DATA_BASE);
    return { ring, p, c, h, data, tail: tailOf(ring) };
  };

  it.each([
    ['a tail past head + capacity', (a: ReturnType<typeof attacked>) => (a.h[RING_HEADER.TAIL] = CAP + 8)],
    ['a misaligned tail', (a: ReturnType<typeof attacked>) => (a.h[RING_HEADER.TAIL] = a.tail + 4)],
    ['a tail far behind head', (a: ReturnType<typeof attacked>) => (a.h[RING_HEADER.TAIL] = -8)],
    ['a length above the maximum', (a: ReturnType<typeof attacked>) => (a.data[0] = CAP / 2 - 3)],
    ['a length past the published tail', (a: ReturnType<typeof attacked>) => (a.data[0] = 56)],
    ['a skip marker at offset 0', (a: ReturnType<typeof attacked>) => (a.data[0] = RING_RECORD.SKIP)],
  ])('%s is corrupt before any record is handed out', (_name, attack) => {
    const a = attacked();
    attack(a);
    let visited = 0;
    expect(isCorrupt(a.c.drain(() => visited++))).toBe(true);
    expect(visited).toBe(0);
    expect(isCorrupt(a.c.tryRead())).toBe(true);
    expect(isCorrupt(a.c.waitReadable(10))).toBe(true);
  });

  it('a skip marker with no record after it is corrupt', () => {
    const { ring, p, c } = pair(64);
    unwrap(p.tryWrite(payload(28, 0)));
    unwrap(p.tryWrite(payload(4, 1)));
    unwrap(c.drain(() => undefined));
    const data = new Uint32Array(ring.buffer, DATA_BASE);
    data[40 / 4] = RING_RECORD.SKIP;
    header(ring)[RING_HEADER.TAIL] = 64;
    expect(isCorrupt(c.tryRead())).toBe(true);
  });

  it('a record that would cross the end of the data area is corrupt', () => {
    const { ring, p, c } = pair(CAP);
    for (let i = 0; i < 5; i++) unwrap(p.tryWrite(payload(20, i))); // 5 x 24 bytes: head ends at 120
    expect(unwrap(c.drain(() => undefined))).toBe(5);
    new Uint32Array(ring.buffer, DATA_BASE)[120 / 4] = 20; // 24 bytes from 120 would end at 144
    header(ring)[RING_HEADER.TAIL] = 160;
    expect(isCorrupt(c.peek())).toBe(true);
  });

  it('a tail moved backwards after being seen is corrupt', () => {
    const { ring, p, c } = pair(CAP);
    for (let i = 0; i < 4; i++) unwrap(p.tryWrite(payload(4, i))); // 4 x 8 bytes
    expect(unwrap(c.tryRead())).toEqual(payload(4, 0)); // sees tail 32
    header(ring)[RING_HEADER.TAIL] = 16; // behind 32, though still ahead of head 8
    let visited = 0;
    expect(isCorrupt(c.drain(() => visited++))).toBe(true);
    expect(visited).toBe(0);
  });

  it('a tail moved backwards past head is corrupt', () => {
    const a = attacked();
    expect(unwrap(a.c.peek())).toEqual(payload(10, 1));
    a.h[RING_HEADER.TAIL] = a.tail - 8;
    a.c.release();
    expect(unwrap(a.c.tryRead())).toEqual(payload(20, 2));
    expect(isCorrupt(a.c.tryRead())).toBe(true);
  });

  it('a rewritten length after peek does not change what release frees', () => {
    const a = attacked();
    expect(unwrap(a.c.peek())?.length).toBe(10);
    a.data[0] = 0;
    a.c.release();
    expect(unwrap(a.c.tryRead())).toEqual(payload(20, 2));
  });

  it('overwriting the consumer-owned HEAD changes nothing the consumer believes', () => {
    const a = attacked();
    a.h[RING_HEADER.HEAD] = 12345;
    expect(unwrap(a.c.tryRead())).toEqual(payload(10, 1));
    expect(unwrap(a.c.tryRead())).toEqual(payload(20, 2));
  });
});

describe('a hostile consumer cannot hurt the producer', () => {
  it('garbage in HEAD or the flags yields writes in bounds or a sticky corrupt error', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(0, NEAR_WRAP),
        fc.constantFrom(
          RING_HEADER.HEAD,
          RING_HEADER.TAIL,
          RING_HEADER.CONSUMER_WAITING,
          RING_HEADER.CAPACITY,
        ),
        hostileValue,
        fc.array(fc.nat(CAP / 2 - 4), { minLength: 1, maxLength: 30 }),
        (start, word, value, lengths) => {
          const { ring, p } = pair(CAP, start);
          unwrap(p.tryWrite(payload(8, 0)));
          header(ring)[word] = value;
          let corrupt = false;
          for (const len of lengths) {
            const r = len % 3 === 0 ? p.waitWritable(len, 0) : p.tryWrite(payload(len, len));
            if (corrupt) expect(isCorrupt(r)).toBe(true);
            corrupt ||= isCorrupt(r);
            if (!corrupt) expect(r.ok).toBe(true);
            const v = p.tryReserve(0);
            if (v.ok && v.value) expectInBounds(ring, v.value);
          }
        },
      ),
      { numRuns: 1000 },
    );
  });

  it.each([
    ['past the published tail', (tail: number) => tail + 8],
    ['backwards', (tail: number) => tail - 8 * 100],
    ['misaligned', (tail: number) => tail - 4],
  ])('a head moved %s is corrupt', (_name, move) => {
    const { ring, p } = pair(64);
    for (let i = 0; i < 8; i++) unwrap(p.tryWrite(payload(4, i)));
    const h = header(ring);
    h[RING_HEADER.HEAD] = move(tailOf(ring));
    expect(isCorrupt(p.tryWrite(payload(4, 9)))).toBe(true);
    expect(isCorrupt(p.waitWritable(4, 5))).toBe(true);
  });
});
