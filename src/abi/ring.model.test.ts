// Property test: any interleaving of writes, reserved batches, reads, peeks and drains
// behaves like a FIFO queue under a plainly written model of the byte accounting,
// across wrap-around and with counters starting near 2^32.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pair, payload, unwrap } from './ring.test-support.ts';
import { recordBytes, type RingConsumer, type RingProducer } from './ring.ts';

type Op =
  | { kind: 'write'; length: number; seed: number }
  | { kind: 'batch'; lengths: number[]; seed: number }
  | { kind: 'read' }
  | { kind: 'peek' }
  | { kind: 'drain'; max: number };

const opArb = (maxPayload: number): fc.Arbitrary<Op> =>
  fc.oneof(
    {
      arbitrary: fc.record({
        kind: fc.constant('write' as const),
        length: fc.nat(maxPayload),
        seed: fc.nat(),
      }),
      weight: 4,
    },
    {
      arbitrary: fc.record({
        kind: fc.constant('batch' as const),
        lengths: fc.array(fc.nat(maxPayload), { maxLength: 4 }),
        seed: fc.nat(),
      }),
      weight: 1,
    },
    { arbitrary: fc.constant({ kind: 'read' as const }), weight: 3 },
    { arbitrary: fc.constant({ kind: 'peek' as const }), weight: 1 },
    {
      arbitrary: fc.record({ kind: fc.constant('drain' as const), max: fc.integer({ min: 0, max: 5 }) }),
      weight: 1,
    },
  );

/** The specification, written plainly: byte counters, skip rule, FIFO of payloads. */
class Model {
  #head: number;
  #tail: number;
  /** Each queued payload with the bytes it spans, a skip before it included. */
  readonly #queue: { bytes: Uint8Array; span: number }[] = [];
  constructor(
    readonly capacity: number,
    start: number,
  ) {
    this.#head = this.#tail = start;
  }
  push(bytes: Uint8Array): boolean {
    const size = recordBytes(bytes.length);
    const toEnd = this.capacity - (this.#tail % this.capacity);
    const span = toEnd < size ? toEnd + size : size;
    if (span > this.capacity - (this.#tail - this.#head)) return false;
    this.#tail += span;
    this.#queue.push({ bytes, span });
    return true;
  }
  front(): Uint8Array | null {
    return this.#queue[0]?.bytes ?? null;
  }
  pop(max = 1): Uint8Array[] {
    const out = this.#queue.splice(0, max);
    for (const r of out) this.#head += r.span;
    return out.map((r) => r.bytes);
  }
}

function step(op: Op, p: RingProducer, c: RingConsumer, m: Model): void {
  switch (op.kind) {
    case 'write': {
      const rec = payload(op.length, op.seed);
      const expected = m.push(rec);
      expect(unwrap(p.tryWrite(rec))).toBe(expected);
      return;
    }
    case 'batch': {
      op.lengths.forEach((len, i) => {
        const rec = payload(len, op.seed + i);
        const expected = m.push(rec);
        const view = unwrap(p.tryReserve(len));
        expect(view !== null).toBe(expected);
        view?.set(rec);
      });
      p.commit();
      return;
    }
    case 'read':
      expect(unwrap(c.tryRead())).toEqual(m.pop()[0] ?? null);
      return;
    case 'peek': {
      const got = unwrap(c.peek());
      expect(got).toEqual(m.front());
      if (got) c.release();
      m.pop(got ? 1 : 0);
      return;
    }
    case 'drain': {
      const seen: Uint8Array[] = [];
      unwrap(c.drain((r) => seen.push(r.slice()), op.max));
      expect(seen).toEqual(m.pop(op.max));
      return;
    }
  }
}

describe('ring matches a FIFO model (fast-check)', () => {
  it('for any interleaving of writes, batches, reads, peeks and drains', () => {
    const scenario = fc
      .record({
        capacity: fc.constantFrom(16, 32, 64, 128, 1024),
        start: fc.oneof(
          fc.constant(0),
          fc.integer({ min: 1, max: 512 }).map((k) => 2 ** 32 - 8 * k),
        ),
      })
      .chain(({ capacity, start }) =>
        fc.record({
          capacity: fc.constant(capacity),
          start: fc.constant(start),
          ops: fc.array(opArb(capacity / 2 - 4), { maxLength: 300 }),
        }),
      );
    fc.assert(
      fc.property(scenario, ({ capacity, start, ops }) => {
        const { p, c } = pair(capacity, start);
        const m = new Model(capacity, start);
        for (const op of ops) step(op, p, c, m);
        for (let r = unwrap(c.tryRead()); r !== null; r = unwrap(c.tryRead())) expect(r).toEqual(m.pop()[0]);
        expect(m.front()).toBeNull();
      }),
      { numRuns: 300 },
    );
  });
});
