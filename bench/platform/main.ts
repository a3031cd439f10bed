// Platform benchmark page: the browser's own worker <-> worker IPC costs, measured in
// one page run. These are the floors later Tessera figures are compared with.
// Figure names, baselines and method: bench/README.md; the measurements: page/platform.ts.
import { defineBenchmark } from '../page/harness.ts';
import {
  PeerPair,
  portRtt,
  portStream,
  Recorder,
  relayRtt,
  ringStream,
  sabRtt,
  spawnTime,
  STREAMS,
  type StreamSize,
} from '../page/platform.ts';

defineBenchmark('platform', async (progress) => {
  const record = new Recorder(progress);
  const peers = new PeerPair();
  try {
    await record.measure(() => relayRtt(peers, null));
    await record.measure(() => portRtt(peers, 'postmessage_rtt_us'));
    await record.measure(() => sabRtt(peers, 'wait', 'messagechannel_rtt_us'));
    await record.measure(() => sabRtt(peers, 'hybrid', 'messagechannel_rtt_us'));
    for (const size of Object.keys(STREAMS) as StreamSize[]) {
      await record.measure(() => portStream(peers, size, null));
      await record.measure(() => ringStream(peers, size, `postmessage_${size}_msgs`));
    }
  } finally {
    peers.terminate();
  }
  await record.measure(() => spawnTime(null));
  return record.results;
});
