// Streaming through the bare SAB ring (lib/spsc-ring.ts) from one worker to another.
// Both calls block their worker until the stream is over. The consumer copies every
// message out of the ring and checks it, as a real receiver would have to.
import { isMessage, stampMessage } from '../lib/message.ts';
import { RingConsumer, RingProducer, type RingLayout } from '../lib/spsc-ring.ts';

/** Pushes `count` messages once the consumer is attached; returns milliseconds until all were read. */
export function produceRing(sab: SharedArrayBuffer, layout: RingLayout, count: number, spin: number): number {
  const producer = new RingProducer(sab, layout, spin);
  const msg = new Uint8Array(layout.slotBytes).fill(0x3c);
  producer.awaitConsumer();
  const start = performance.now();
  for (let seq = 0; seq < count; seq++) {
    stampMessage(msg, seq);
    producer.push(msg);
  }
  producer.drain();
  return performance.now() - start;
}

/** Pops `count` messages; returns how many were not the expected message. */
export function consumeRing(sab: SharedArrayBuffer, layout: RingLayout, count: number, spin: number): number {
  const consumer = new RingConsumer(sab, layout, spin);
  const local = new Uint8Array(layout.slotBytes);
  let bad = 0;
  consumer.attach();
  for (let seq = 0; seq < count; seq++) {
    consumer.pop(local);
    if (!isMessage(local, seq)) bad++;
  }
  return bad;
}
