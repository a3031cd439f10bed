// bench-echo: answers every message on its channel (initial handle 0) with the same
// bytes, until the peer closes. The far end of the ipc benchmark's channel round trip.
// Layer: apps.
import { startDomain } from '../../workers/domain.ts';
import { receive, send } from './channel.ts';
import { hello } from './programs.ts';

declare const self: DedicatedWorkerGlobalScope;

startDomain((ctx) => {
  const [channel = 0] = ctx.handles;
  send(ctx.sys, channel, hello('bench-echo'));
  // Wait first: each ping arrives after its reply was sent, so it is never there yet.
  for (let m = receive(ctx.sys, channel, true); m !== null; m = receive(ctx.sys, channel, true))
    send(ctx.sys, channel, m.data);
  return 0;
}, self);
