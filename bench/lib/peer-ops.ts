// The operations a platform peer worker (worker/peer.worker.ts) offers the page
// (page/platform.ts). Each latency operation returns its timed loop; each stream
// operation returns the producer's time or the consumer's count of damaged messages.
import type { RingLayout } from './spsc-ring.ts';
import type { TimedLoop } from './timing.ts';

interface Sab {
  readonly sab: SharedArrayBuffer;
  readonly count: number;
  readonly spin: number;
}

export interface PeerOps {
  /** Round trips relayed by the page: this worker -> page -> other worker -> page -> this worker. */
  'relay-ping': { args: { count: number }; result: TimedLoop };
  'relay-echo': { args: { count: number }; result: null };
  'port-ping': { args: { port: MessagePort; count: number }; result: TimedLoop };
  'port-echo': { args: { port: MessagePort; count: number }; result: null };
  'sab-ping': { args: Sab; result: TimedLoop };
  'sab-pong': { args: Sab; result: null };
  'ring-produce': { args: Sab & { layout: RingLayout }; result: number };
  'ring-consume': { args: Sab & { layout: RingLayout }; result: number };
  'port-produce': { args: { port: MessagePort; count: number; bytes: number }; result: number };
  'port-consume': { args: { port: MessagePort; count: number }; result: number };
}
