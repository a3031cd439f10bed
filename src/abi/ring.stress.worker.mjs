// The far end for ring.stress.test.ts: a node worker thread that runs one role per job
// message against the ring buffer the job carries, and answers with the outcome. Test
// code only. Plain JS because it loads ring.ts through
// tsx's API: a worker thread does not inherit the test runner's TypeScript loader.
import { parentPort } from 'node:worker_threads';
import { tsImport } from 'tsx/esm/api';

const { Ring, RING_HEADER } = await tsImport('./ring.ts', import.meta.url);

/** Record `i`: its length and content. ring.stress.test.ts checks the same formula. */
const lengthOf = (i, max) => (i % 1000 === 0 ? (i * 7) % (max + 1) : (i * 37) % 97);
const byteOf = (i, k) => (i + k * 13) & 0xff;

const sleep = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/** As in ring.stress.test.ts: a wait that lasts LOST_MS slept through a notify. */
const LOST_MS = 1000;
function wokeInTime(wait) {
  const t0 = performance.now();
  return unwrap(wait()) && performance.now() - t0 < LOST_MS;
}

function unwrap(result) {
  if (!result.ok) throw new Error(`ring error: ${result.error.detail}`);
  return result.value;
}

/**
 * Writes `count` records in place (reserve, fill, commit), sleeping for room when full. With `burst`, pauses `pauseMs`
 * after every `burst` records and counts how often it then finds the consumer asleep.
 */
function produce({ buffer, count, spin, burst = 0, pauseMs = 0 }) {
  const ring = unwrap(Ring.attach(buffer));
  const p = unwrap(ring.producer({ spin }));
  const header = new Int32Array(buffer, 0, RING_HEADER.BYTES / 4);
  let sleepersSeen = 0;
  for (let i = 0; i < count; i++) {
    const length = lengthOf(i, ring.maxRecordBytes);
    let record = unwrap(p.tryReserve(length));
    while (record === null) {
      if (!wokeInTime(() => p.waitWritable(length, LOST_MS)))
        throw new Error(`lost wake-up before record ${i}`);
      record = unwrap(p.tryReserve(length));
    }
    for (let k = 0; k < length; k++) record[k] = byteOf(i, k);
    p.commit();
    if (burst > 0 && i % burst === burst - 1) {
      sleep(pauseMs);
      if (Atomics.load(header, RING_HEADER.CONSUMER_WAITING) !== 0) sleepersSeen++;
    }
  }
  return { sleepersSeen };
}

/**
 * Reads and checks `count` records, pausing every `pauseEvery` records so the producer
 * must sleep, and counts how often it finds the producer asleep after a pause.
 */
function consume({ buffer, count, spin, pauseEvery, pauseMs }) {
  const ring = unwrap(Ring.attach(buffer));
  const c = unwrap(ring.consumer({ spin }));
  const header = new Int32Array(buffer, 0, RING_HEADER.BYTES / 4);
  let bad = 0;
  let sleepersSeen = 0;
  for (let i = 0; i < count; i++) {
    if (!wokeInTime(() => c.waitReadable(LOST_MS))) throw new Error(`lost wake-up before record ${i}`);
    const record = unwrap(c.tryRead());
    const ok =
      record.length === lengthOf(i, ring.maxRecordBytes) && record.every((b, k) => b === byteOf(i, k));
    if (!ok) bad++;
    if (i % pauseEvery === 0) {
      sleep(pauseMs);
      if (Atomics.load(header, RING_HEADER.PRODUCER_WAITING) !== 0) sleepersSeen++;
    }
  }
  return { bad, sleepersSeen };
}

/**
 * A hostile producer with no honest half: it stores plausible and garbage values to TAIL
 * and to data words (record lengths, payloads), rewriting records while they are read.
 * It stops once the consumer reports enough records and errors in `progress`
 * ([stop, records, corrupt]), or after `ms`, and then raises `stop`.
 */
function scribble({ buffer, ms, seed, progress, enough }) {
  const words = new Int32Array(buffer);
  const stats = new Int32Array(progress);
  const capacity = buffer.byteLength - RING_HEADER.BYTES;
  const dataWords = capacity / 4;
  let x = seed >>> 0 || 1;
  const rand = () => ((x ^= x << 13), (x ^= x >>> 17), (x ^= x << 5), x >>> 0);
  const end = Date.now() + ms;
  let stores = 0;
  const done = () => Atomics.load(stats, 1) >= enough && Atomics.load(stats, 2) >= enough;
  while (Date.now() < end && !done()) {
    const r = rand() % 8;
    const head = Atomics.load(words, RING_HEADER.HEAD);
    if (r === 0) Atomics.store(words, RING_HEADER.TAIL, rand() | 0);
    else if (r < 3) Atomics.store(words, RING_HEADER.TAIL, head + 8 * (rand() % (capacity / 8 + 1)));
    else if (r < 7) words[RING_HEADER.BYTES / 4 + (rand() % dataWords)] = rand() % 4 === 0 ? -1 : rand() % 96;
    else words[RING_HEADER.BYTES / 4 + (rand() % dataWords)] = rand() | 0;
    stores++;
  }
  Atomics.store(stats, 0, 1);
  return { stores };
}

const roles = { produce, consume, scribble };
parentPort.on('message', (job) => {
  try {
    parentPort.postMessage({ id: job.id, result: roles[job.role](job) });
  } catch (e) {
    parentPort.postMessage({ id: job.id, error: String(e?.stack ?? e) });
  }
});
parentPort.postMessage({ ready: true });
