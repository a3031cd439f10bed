// bench-sink: the receiving end of the ipc benchmark's streams. argv: message bytes,
// messages per stream, handles per message, streams, channel mode. For each stream it reads every
// message, checks it, answers DONE with the count of bad ones, then closes the handles
// it received and answers CLEAN. Layer: apps.
import { startDomain } from '../../workers/domain.ts';
import { check, expect, isChannelMode, open, send, type ChannelMode } from './channel.ts';
import { isStamped } from './message.ts';
import { hello, SINK } from './programs.ts';

declare const self: DedicatedWorkerGlobalScope;

const word = (a: number, b: number): Uint8Array => new Uint8Array(new Uint32Array([a, b]).buffer);

function parse(
  argv: readonly string[],
): [bytes: number, count: number, handles: number, streams: number, mode: ChannelMode] {
  const n = argv.slice(0, 4).map(Number);
  const [bytes = -1, count = -1, handles = -1, streams = -1] = n;
  const mode = argv[4];
  if (argv.length !== 5 || !n.every((v) => Number.isSafeInteger(v) && v >= 0) || !isChannelMode(mode))
    throw new Error(`bench-sink: bad argv ${JSON.stringify(argv)}`);
  return [bytes, count, handles, streams, mode];
}

startDomain(async (ctx) => {
  const [handle = 0] = ctx.handles;
  const [bytes, count, handles, streams, mode] = parse(ctx.argv);
  const channel = await open(ctx, handle, mode);
  send(ctx.sys, channel, hello('bench-sink'));
  // Messages are copied here, as the platform baseline's consumer copies into one buffer.
  const local = new Uint8Array(bytes);
  for (let s = 0; s < streams; s++) {
    const received: number[] = [];
    let bad = 0;
    for (let seq = 0; seq < count; seq++) {
      // Read first: while a stream runs, the next message is usually queued already.
      const m = expect(ctx.sys, channel, false, Infinity, local);
      if (!isStamped(m.data, seq, bytes) || m.handles.length !== handles) bad++;
      received.push(...m.handles);
    }
    send(ctx.sys, channel, word(SINK.DONE, bad));
    for (const h of received) check(ctx.sys.handleClose(h).status, 'handle.close');
    send(ctx.sys, channel, word(SINK.CLEAN, 0));
    // Between streams, let the event loop run the heartbeat the watchdog looks for.
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  return 0;
}, self);
