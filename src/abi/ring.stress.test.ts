// Cross-thread tests of the ring: one end in a node worker thread (ring.stress.worker.mjs),
// the other here, blocking with spin-then-wait or waiting async. Assertions are on content
// and order, never on timing; timeouts only turn a lost wake-up into a failure.
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Result } from './result.ts';
import { NEAR_WRAP, unwrap } from './ring.test-support.ts';
import { Ring, RING_HEADER, type RingConsumer, type RingError, type RingProducer } from './ring.ts';

/** Record `i`: the same formula as ring.stress.worker.mjs. */
const lengthOf = (i: number, max: number): number => (i % 1000 === 0 ? (i * 7) % (max + 1) : (i * 37) % 97);
const byteOf = (i: number, k: number): number => (i + k * 13) & 0xff;
const record = (i: number, max: number): Uint8Array =>
  Uint8Array.from({ length: lengthOf(i, max) }, (_, k) => byteOf(i, k));
const isRecord = (r: Uint8Array, i: number, max: number): boolean =>
  r.length === lengthOf(i, max) && r.every((b, k) => b === byteOf(i, k));

type Outcome = Record<string, number>;
type Reply = { ready?: true; id?: number; result?: Outcome; error?: string };

// One worker thread serves every test: loading ring.ts through tsx takes a few hundred ms.
let worker: Worker;
let jobs = 0;
const pending = new Map<number, { resolve: (o: Outcome) => void; reject: (e: Error) => void }>();

beforeAll(async () => {
  worker = new Worker(new URL('./ring.stress.worker.mjs', import.meta.url));
  const failAll = (e: Error) => {
    for (const p of pending.values()) p.reject(e);
    pending.clear();
  };
  worker.on('error', failAll);
  worker.on('exit', (code) => failAll(new Error(`ring worker exited (${code})`)));
  await new Promise<void>((resolve, reject) => {
    worker.on('message', (m: Reply) => {
      if (m.ready) return resolve();
      const job = pending.get(m.id ?? -1);
      pending.delete(m.id ?? -1);
      if (m.error !== undefined) job?.reject(new Error(m.error));
      else if (m.result) job?.resolve(m.result);
    });
    worker.once('error', reject);
  });
});

afterAll(async () => {
  await worker.terminate();
});

/** Starts a role in the worker; resolves with its outcome once it has finished. */
function peer(job: Record<string, unknown>): Promise<Outcome> {
  const id = ++jobs;
  const done = new Promise<Outcome>((resolve, reject) => pending.set(id, { resolve, reject }));
  worker.postMessage({ ...job, id });
  return done;
}

/**
 * Longest a wait may last. The peers never pause for more than a millisecond, so a wait
 * this long slept through a notify (a wait that times out re-checks and then succeeds,
 * so its result alone would turn a lost wake-up into a slow pass, not a failure).
 */
const LOST_MS = 1000;
function wokeInTime(wait: () => Result<boolean, RingError>): boolean {
  const t0 = performance.now();
  return unwrap(wait()) && performance.now() - t0 < LOST_MS;
}

/** Blocking, zero-copy consumer: reads `count` records; returns how many were wrong or missing. */
function consumeBlocking(c: RingConsumer, count: number, max: number): number {
  let bad = 0;
  for (let i = 0; i < count; i++) {
    if (!wokeInTime(() => c.waitReadable(LOST_MS))) return bad + count - i;
    const r = unwrap(c.peek());
    if (r === null || !isRecord(r, i, max)) bad++;
    if (r !== null) c.release();
  }
  return bad;
}

/** Blocking producer: false on a lost wake-up. */
function writeBlocking(p: RingProducer, r: Uint8Array): boolean {
  while (!unwrap(p.tryWrite(r))) if (!wokeInTime(() => p.waitWritable(r.length, LOST_MS))) return false;
  return true;
}

describe('ring across threads', () => {
  it('carries 200k variable-size records in order, intact, through spin-then-wait', async () => {
    const ring = Ring.create(64 * 1024, { startCounter: NEAR_WRAP });
    const c = unwrap(ring.consumer());
    const producer = peer({ role: 'produce', buffer: ring.buffer, count: 200_000, spin: 1000 });
    expect(consumeBlocking(c, 200_000, ring.maxRecordBytes)).toBe(0);
    await producer;
    expect(unwrap(c.tryRead())).toBeNull();
  });

  it('wakes a sleeping consumer for every burst (no lost wake-up)', async () => {
    const ring = Ring.create(4096);
    const c = unwrap(ring.consumer({ spin: 0 }));
    const count = 3000;
    const producer = peer({ role: 'produce', buffer: ring.buffer, count, spin: 0, burst: 3, pauseMs: 0.2 });
    expect(consumeBlocking(c, count, ring.maxRecordBytes)).toBe(0);
    const { sleepersSeen } = await producer;
    // The consumer really slept between bursts, so the notify path was exercised.
    expect(sleepersSeen).toBeGreaterThan(0);
  });

  it('wakes a producer sleeping for room (no lost wake-up)', async () => {
    const ring = Ring.create(256);
    const count = 5000;
    const consumer = peer({
      role: 'consume',
      buffer: ring.buffer,
      count,
      spin: 0,
      pauseEvery: 7,
      pauseMs: 0.1,
    });
    const p = unwrap(ring.producer({ spin: 0 }));
    let written = 0;
    while (written < count && writeBlocking(p, record(written, ring.maxRecordBytes))) written++;
    expect(written).toBe(count);
    const { bad, sleepersSeen } = await consumer;
    expect(bad).toBe(0);
    expect(sleepersSeen).toBeGreaterThan(0);
  });

  it('serves an event-loop consumer through waitReadableAsync', async () => {
    const ring = Ring.create(8192);
    const c = unwrap(ring.consumer());
    const count = 20_000;
    const producer = peer({ role: 'produce', buffer: ring.buffer, count, spin: 0, burst: 500, pauseMs: 1 });
    let bad = 0;
    let read = 0;
    const check = (r: Uint8Array) => (isRecord(r, read++, ring.maxRecordBytes) ? undefined : bad++);
    for (let t0 = performance.now(); read < count; t0 = performance.now()) {
      if (!unwrap(await c.waitReadableAsync(LOST_MS)) || performance.now() - t0 >= LOST_MS) break;
      unwrap(c.drain(check));
    }
    expect(read).toBe(count);
    expect(bad).toBe(0);
    await producer;
  });

  it('a producer scribbling while the consumer reads never breaks the consumer', async () => {
    const ring = Ring.create(1024);
    // [stop, records, corrupt]: the attacker stops once both counts reach `enough`.
    const progress = new Int32Array(new SharedArrayBuffer(12));
    const enough = 50;
    const attacker = peer({
      role: 'scribble',
      buffer: ring.buffer,
      ms: 2000,
      seed: 0x5eed,
      progress: progress.buffer,
      enough,
    });
    let outOfBounds = 0;
    const dataEnd = RING_HEADER.BYTES + ring.capacity;
    const inBounds = (v: Uint8Array) =>
      v.byteOffset >= RING_HEADER.BYTES &&
      v.byteOffset + v.length <= dataEnd &&
      v.length <= ring.maxRecordBytes;
    const running = () => Atomics.load(progress, 0) === 0;
    while (running()) {
      // A corrupt ring stays corrupt for its endpoint, so start a fresh one each time.
      const c = ring.consumer({ spin: 0 });
      while (c.ok && running()) {
        const r = c.value.peek();
        if (!r.ok) {
          Atomics.add(progress, 2, 1);
          break;
        }
        if (r.value === null) continue;
        if (!inBounds(r.value)) outOfBounds++;
        c.value.release();
        Atomics.add(progress, 1, 1);
      }
    }
    const { stores } = await attacker;
    expect(stores).toBeGreaterThan(0);
    expect(outOfBounds).toBe(0);
    expect(Atomics.load(progress, 1)).toBeGreaterThan(0);
    expect(Atomics.load(progress, 2)).toBeGreaterThan(0);
  });
});
