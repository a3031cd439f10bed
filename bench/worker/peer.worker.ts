// Platform peer: a module worker that plays either end of every worker <->
// worker measurement, as the page directs (lib/peer-ops.ts). Two run side by side.
import { ping, pong } from '../lib/ping-pong.ts';
import { echoOver, pingOver } from './message-ping.ts';
import { consumeOver, produceOver } from './message-stream.ts';
import { consumeRing, produceRing } from './ring-stream.ts';
import { serve } from './serve.ts';
import { timeLoop } from '../lib/timing.ts';
import type { PeerOps } from '../lib/peer-ops.ts';

serve<PeerOps>({
  'relay-ping': ({ count }) => pingOver(self, count),
  'relay-echo': ({ count }) => echoOver(self, count),
  'port-ping': ({ port, count }) => {
    port.start();
    return pingOver(port, count);
  },
  'port-echo': ({ port, count }) => {
    port.start();
    return echoOver(port, count);
  },
  'sab-ping': ({ sab, count, spin }) => {
    const view = new Int32Array(sab);
    return timeLoop(count, (i) => ping(view, i + 1, spin));
  },
  'sab-pong': ({ sab, count, spin }) => {
    pong(new Int32Array(sab), count, spin);
    return null;
  },
  'ring-produce': ({ sab, layout, count, spin }) => produceRing(sab, layout, count, spin),
  'ring-consume': ({ sab, layout, count, spin }) => consumeRing(sab, layout, count, spin),
  'port-produce': ({ port, count, bytes }) => produceOver(port, count, bytes),
  'port-consume': ({ port, count }) => consumeOver(port, count),
});
