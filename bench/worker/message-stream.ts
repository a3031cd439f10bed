// postMessage streaming from one worker to another over a MessagePort, with no flow
// control: the producer posts every message (a cloned Uint8Array), the consumer checks
// each and answers 'done' after the last. The producer's time covers the whole stream.
import { isMessage, stampMessage } from '../lib/message.ts';

/** Posts `count` messages of `bytes` bytes; resolves with milliseconds until the consumer had them all. */
export function produceOver(port: MessagePort, count: number, bytes: number): Promise<number> {
  return new Promise((resolve) => {
    const msg = new Uint8Array(bytes).fill(0x3c);
    let start = 0;
    port.onmessage = (e: MessageEvent<unknown>) => {
      if (e.data !== 'done') return;
      port.close();
      resolve(performance.now() - start);
    };
    start = performance.now();
    for (let seq = 0; seq < count; seq++) {
      stampMessage(msg, seq);
      port.postMessage(msg);
    }
  });
}

/** Receives `count` messages in order; resolves with how many were not the expected message. */
export function consumeOver(port: MessagePort, count: number): Promise<number> {
  return new Promise((resolve) => {
    let seq = 0;
    let bad = 0;
    port.onmessage = (e: MessageEvent<unknown>) => {
      if (!(e.data instanceof Uint8Array && isMessage(e.data, seq))) bad++;
      if (++seq < count) return;
      port.postMessage('done');
      port.close();
      resolve(bad);
    };
  });
}
