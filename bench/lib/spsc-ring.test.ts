import { describe, expect, it } from 'vitest';
import { isMessage, stampMessage } from './message.ts';
import { createPingPong, PING_PONG, ping, pong } from './ping-pong.ts';
import { createRing, RingConsumer, RingProducer } from './spsc-ring.ts';
import { awaitChange, publish, SPIN_HYBRID } from './wait.ts';

const layout = { slots: 4, slotBytes: 16 };

describe('SPSC ring', () => {
  it('delivers messages in order across many wrap-arounds, and is full at `slots`', () => {
    const sab = createRing(layout);
    const producer = new RingProducer(sab, layout, SPIN_HYBRID);
    const consumer = new RingConsumer(sab, layout, SPIN_HYBRID);
    const msg = new Uint8Array(layout.slotBytes);
    const got = new Uint8Array(layout.slotBytes);
    let sent = 0;
    let received = 0;
    for (let round = 0; round < 50; round++) {
      for (let i = 0; i < 4; i++) {
        stampMessage(msg, sent++);
        expect(producer.tryPush(msg)).toBe(true);
      }
      expect(producer.tryPush(msg)).toBe(false);
      for (let i = 0; i < 4; i++) {
        expect(consumer.tryPop(got)).toBe(true);
        expect(isMessage(got, received++)).toBe(true);
      }
      expect(consumer.tryPop(got)).toBe(false);
    }
    expect(received).toBe(200);
  });

  it('the consumer gets a copy: later writes to the ring do not change it', () => {
    const sab = createRing(layout);
    const producer = new RingProducer(sab, layout, 0);
    const consumer = new RingConsumer(sab, layout, 0);
    const got = new Uint8Array(layout.slotBytes);
    producer.push(new Uint8Array(layout.slotBytes).fill(7));
    consumer.pop(got);
    new Uint8Array(sab).fill(9);
    expect([...got]).toEqual(Array<number>(16).fill(7));
  });

  it('drain returns once everything pushed has been read; attach releases awaitConsumer', () => {
    const sab = createRing(layout);
    const producer = new RingProducer(sab, layout, 10);
    const consumer = new RingConsumer(sab, layout, 10);
    consumer.attach();
    producer.awaitConsumer();
    producer.push(new Uint8Array(16));
    consumer.pop(new Uint8Array(16));
    producer.drain();
  });

  it('rejects layouts it cannot index and buffers of the wrong size', () => {
    expect(() => createRing({ slots: 3, slotBytes: 16 })).toThrow(/power of two/);
    expect(() => createRing({ slots: 4, slotBytes: 6 })).toThrow(/multiple of 4/);
    expect(() => new RingProducer(new SharedArrayBuffer(64), layout, 0)).toThrow(/does not match/);
  });
});

describe('spin-then-wait', () => {
  it('returns a value that has already changed without sleeping, and leaves the flag clear', () => {
    const view = new Int32Array(4);
    publish(view, 0, 5, 1);
    expect(awaitChange(view, 0, 4, 1, 0)).toBe(5);
    expect(view[1]).toBe(0);
  });

  it('the ponger answers a ping already waiting, and the pinger returns once answered', () => {
    const view = new Int32Array(createPingPong());
    view[PING_PONG.PING] = 1;
    pong(view, 1, 0);
    expect(view[PING_PONG.PONG]).toBe(1);
    ping(view, 1, 0);
    expect(view[PING_PONG.PINGER_SLEEPING]).toBe(0);
  });
});

describe('test messages', () => {
  it('tell the right message from a stale, torn or foreign one', () => {
    const msg = new Uint8Array(64);
    stampMessage(msg, 0x01020304);
    expect(isMessage(msg, 0x01020304)).toBe(true);
    expect(isMessage(msg, 0x01020305)).toBe(false);
    msg[63] = (msg[63] ?? 0) ^ 1;
    expect(isMessage(msg, 0x01020304)).toBe(false);
  });
});
