// bench-idle: a resident domain with nothing to do. It says hello on its channel
// (initial handle 0), then parks in object.wait_one until the peer closes, as a server
// waiting for clients would. The ipc benchmark measures the CPU five of these cost.
// Layer: apps.
import { Signal } from '../../abi/objects.ts';
import { startDomain } from '../../workers/domain.ts';
import { send, waitFor } from './channel.ts';
import { hello } from './programs.ts';

declare const self: DedicatedWorkerGlobalScope;

startDomain((ctx) => {
  const [channel = 0] = ctx.handles;
  send(ctx.sys, ctx.channel(channel), hello('bench-idle'));
  waitFor(ctx.sys, channel, Signal.PEER_CLOSED);
  return 0;
}, self);
