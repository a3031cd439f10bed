// The ring and the ping-pong across real threads (node worker_threads): no message is
// lost, damaged or reordered, and no wake-up is lost, whether a side blocks at once
// (spin 0) or spins first. Both ends run in workers so a hang can be terminated.
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { createPingPong } from './ping-pong.ts';
import { createRing } from './spsc-ring.ts';
import { SPIN_HYBRID, SPIN_WAIT } from './wait.ts';

const here = fileURLToPath(import.meta.url);
const tsxRequire = createRequire(import.meta.url).resolve('tsx/cjs/api');
const modules = {
  ring: fileURLToPath(new URL('./spsc-ring.ts', import.meta.url)),
  message: fileURLToPath(new URL('./message.ts', import.meta.url)),
  pingPong: fileURLToPath(new URL('./ping-pong.ts', import.meta.url)),
};

// Worker bodies: plain JavaScript that loads the TypeScript under test through tsx.
const PRODUCER = `
  const { RingProducer } = load(modules.ring);
  const { stampMessage } = load(modules.message);
  const producer = new RingProducer(sab, layout, spin);
  const msg = new Uint8Array(layout.slotBytes);
  producer.awaitConsumer();
  for (let seq = 0; seq < count; seq++) { stampMessage(msg, seq); producer.push(msg); }
  producer.drain();
  return 'drained';`;
const CONSUMER = `
  const { RingConsumer } = load(modules.ring);
  const { isMessage } = load(modules.message);
  const consumer = new RingConsumer(sab, layout, spin);
  const got = new Uint8Array(layout.slotBytes);
  let bad = 0;
  consumer.attach();
  for (let seq = 0; seq < count; seq++) { consumer.pop(got); if (!isMessage(got, seq)) bad++; }
  return bad;`;
const PINGER = `
  const { ping } = load(modules.pingPong);
  const view = new Int32Array(sab);
  for (let seq = 1; seq <= count; seq++) ping(view, seq, spin);
  return 'done';`;
const PONGER = `
  const { pong } = load(modules.pingPong);
  pong(new Int32Array(sab), count, spin);
  return 'done';`;

const started: Worker[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((w) => w.terminate()));
});

function run(body: string, data: Record<string, unknown>): Promise<unknown> {
  const code = `
    const { parentPort, workerData } = require('node:worker_threads');
    const load = (path) => require(workerData.tsxRequire).require(path, workerData.here);
    (async ({ modules, sab, layout, count, spin }) => { ${body} })(workerData).then(
      (result) => parentPort.postMessage({ result }),
      (error) => parentPort.postMessage({ error: String(error) }),
    );`;
  const worker = new Worker(code, { eval: true, workerData: { modules, here, tsxRequire, ...data } });
  started.push(worker);
  return new Promise((resolve, reject) => {
    worker.on('message', (m: { result?: unknown; error?: string }) =>
      m.error === undefined ? resolve(m.result) : reject(new Error(m.error)),
    );
    worker.on('error', reject);
  });
}

// Well under a second when the wake-ups work; a lost one hangs until the timeout.
const HANG = { timeout: 20_000 };

describe.each([
  ['blocking at once', SPIN_WAIT],
  ['spinning first', SPIN_HYBRID],
])('across threads, %s', (_, spin) => {
  it('a 4-slot ring delivers 20 000 messages intact and in order', HANG, async () => {
    const layout = { slots: 4, slotBytes: 64 };
    const data = { sab: createRing(layout), layout, count: 20_000, spin };
    const [bad, drained] = await Promise.all([run(CONSUMER, data), run(PRODUCER, data)]);
    expect(bad).toBe(0);
    expect(drained).toBe('drained');
  });

  it('ping-pong completes 5 000 round trips', HANG, async () => {
    const data = { sab: createPingPong(), count: 5_000, spin };
    await expect(Promise.all([run(PONGER, data), run(PINGER, data)])).resolves.toEqual(['done', 'done']);
  });
});
