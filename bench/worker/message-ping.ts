// postMessage round trips from inside a worker, over any endpoint: the worker's own
// scope (relayed by the page) or a MessagePort. One side pings and times, the other
// echoes; messages of other kinds on the endpoint are ignored.
import { isPing, pingMessage } from '../lib/message.ts';
import { timeLoopAsync, type TimedLoop } from '../lib/timing.ts';

/** What both a DedicatedWorkerGlobalScope and a MessagePort offer. */
export interface Endpoint {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (e: MessageEvent<unknown>) => void): void;
  removeEventListener(type: 'message', listener: (e: MessageEvent<unknown>) => void): void;
}

/** Sends `count` pings one at a time, each after the previous came back, timing each. */
export async function pingOver(endpoint: Endpoint, count: number): Promise<TimedLoop> {
  let wake = (): void => undefined;
  const onMessage = (e: MessageEvent<unknown>): void => {
    if (isPing(e.data)) wake();
  };
  endpoint.addEventListener('message', onMessage);
  try {
    return await timeLoopAsync(
      count,
      (seq) =>
        new Promise<void>((resolve) => {
          wake = resolve;
          endpoint.postMessage(pingMessage(seq));
        }),
    );
  } finally {
    endpoint.removeEventListener('message', onMessage);
  }
}

/** Echoes `count` pings back where they came from, then resolves. */
export function echoOver(endpoint: Endpoint, count: number): Promise<null> {
  return new Promise((resolve) => {
    let seen = 0;
    const onMessage = (e: MessageEvent<unknown>): void => {
      if (!isPing(e.data)) return;
      endpoint.postMessage(e.data);
      if (++seen < count) return;
      endpoint.removeEventListener('message', onMessage);
      resolve(null);
    };
    endpoint.addEventListener('message', onMessage);
  });
}
