// bench-echo: answers every message on its channel (initial handle 0) with the same
// bytes, until the peer closes. argv[0]: how it uses the channel (ChannelMode). The far
// end of the ipc benchmark's channel round trips. Layer: apps.
import { startDomain } from '../../workers/domain.ts';
import { isChannelMode, open, receive, send } from './channel.ts';
import { hello } from './programs.ts';

declare const self: DedicatedWorkerGlobalScope;

startDomain(async (ctx) => {
  const [handle = 0] = ctx.handles;
  const mode = ctx.argv[0];
  if (!isChannelMode(mode)) throw new Error(`bench-echo: bad argv ${JSON.stringify(ctx.argv)}`);
  const channel = await open(ctx, handle, mode);
  send(ctx.sys, channel, hello('bench-echo'));
  const local = new Uint8Array(64);
  const next = () => receive(ctx.sys, channel, true, Infinity, local);
  // Wait first: each ping arrives after its reply was sent, so it is never there yet.
  for (let m = next(); m !== null; m = next()) send(ctx.sys, channel, m.data);
  return 0;
}, self);
