// Platform benchmark page: the browser's own worker <-> worker IPC costs, measured in
// one page run. These are the floors later Tessera figures are compared with.
// Figure names, baselines and method: bench/README.md.
import { fromLatencyLoop, fromSamples, type Measurement } from '../lib/figures.ts';
import { formatNumber } from '../lib/format.ts';
import { isPing } from '../lib/message.ts';
import { createPingPong } from '../lib/ping-pong.ts';
import { createRing } from '../lib/spsc-ring.ts';
import { warmThenMeasure, type TimedLoop } from '../lib/timing.ts';
import { SPIN_HYBRID, SPIN_WAIT } from '../lib/wait.ts';
import { defineBenchmark } from '../page/harness.ts';
import { WorkerClient } from '../page/rpc-client.ts';
import { relayBetween, timeSpawns } from '../page/workers.ts';
import type { PeerOps } from './peer-ops.ts';

/** Sized so the whole page run stays well under two minutes on a 2-core machine. */
const ROUND_TRIPS = { warmup: 2_000, measured: 20_000 };
const STREAM_RUNS = { warmup: 1, measured: 7 };
const SPAWNS = { warmup: 3, measured: 30 };
const RING_BYTES = 256 * 1024;
const STREAMS = [
  { size: '64b', bytes: 64, ringCount: 2_000_000, portCount: 100_000 },
  { size: '4k', bytes: 4096, ringCount: 200_000, portCount: 50_000 },
] as const;

type Peer = WorkerClient<PeerOps>;

const newPeer = (label: string): Peer =>
  new WorkerClient<PeerOps>(
    new Worker(new URL('./peer.worker.ts', import.meta.url), { type: 'module', name: label }),
    label,
  );

/** A latency figure: one discarded warm-up loop, then one measured loop. */
async function latency(
  name: string,
  baseline: string | null,
  loop: (count: number) => Promise<TimedLoop>,
): Promise<Measurement> {
  await loop(ROUND_TRIPS.warmup);
  return fromLatencyLoop({ name, baseline }, await loop(ROUND_TRIPS.measured));
}

/** A throughput figure: one discarded warm-up stream, then several measured ones. */
async function throughput(name: string, baseline: string | null, once: () => Promise<number>) {
  const rates = await warmThenMeasure(STREAM_RUNS.warmup, STREAM_RUNS.measured, once);
  return fromSamples({ name, unit: 'msgs/s', baseline }, rates);
}

async function relayRtt(a: Peer, b: Peer): Promise<Measurement> {
  const stop = relayBetween(a.worker, b.worker, isPing);
  try {
    return await latency('postmessage_rtt_us', null, async (count) => {
      const echoed = b.call('relay-echo', { count });
      const loop = await a.call('relay-ping', { count });
      await echoed;
      return loop;
    });
  } finally {
    stop();
  }
}

const portRtt = (a: Peer, b: Peer): Promise<Measurement> =>
  latency('messagechannel_rtt_us', 'postmessage_rtt_us', async (count) => {
    const { port1, port2 } = new MessageChannel();
    const echoed = b.call('port-echo', { port: port2, count }, [port2]);
    const loop = await a.call('port-ping', { port: port1, count }, [port1]);
    await echoed;
    return loop;
  });

const sabRtt = (a: Peer, b: Peer, name: string, spin: number): Promise<Measurement> =>
  latency(name, 'messagechannel_rtt_us', async (count) => {
    const sab = createPingPong();
    const ponged = b.call('sab-pong', { sab, count, spin });
    const loop = await a.call('sab-ping', { sab, count, spin });
    await ponged;
    return loop;
  });

/** Messages per second through the bare SAB ring, A -> B; fails on any damaged message. */
async function ringRate(a: Peer, b: Peer, bytes: number, count: number): Promise<number> {
  const args = { layout: { slots: RING_BYTES / bytes, slotBytes: bytes }, count, spin: SPIN_HYBRID };
  const sab = createRing(args.layout);
  const consumed = b.call('ring-consume', { ...args, sab });
  const ms = await a.call('ring-produce', { ...args, sab });
  const bad = await consumed;
  if (bad !== 0) throw new Error(`SAB ring, ${bytes} B: ${bad} of ${count} messages arrived damaged`);
  return count / (ms / 1000);
}

/** Messages per second posted A -> B over a MessageChannel; fails on any damaged message. */
async function portRate(a: Peer, b: Peer, bytes: number, count: number): Promise<number> {
  const { port1, port2 } = new MessageChannel();
  const consumed = b.call('port-consume', { port: port2, count }, [port2]);
  const ms = await a.call('port-produce', { port: port1, count, bytes }, [port1]);
  const bad = await consumed;
  if (bad !== 0) throw new Error(`postMessage, ${bytes} B: ${bad} of ${count} messages arrived damaged`);
  return count / (ms / 1000);
}

async function spawnTime(): Promise<Measurement> {
  const spawn = (): Worker => new Worker(new URL('./hello.worker.ts', import.meta.url), { type: 'module' });
  await timeSpawns(spawn, SPAWNS.warmup);
  const times = await timeSpawns(spawn, SPAWNS.measured);
  return fromSamples({ name: 'worker_spawn_ms', unit: 'ms', baseline: null }, times);
}

defineBenchmark('platform', async (progress) => {
  const results: Measurement[] = [];
  const measure = async (run: () => Promise<Measurement>): Promise<void> => {
    const m = await run();
    progress(`${m.name} = ${formatNumber(m.value)} ${m.unit}`);
    results.push(m);
  };
  const a = newPeer('peer A');
  const b = newPeer('peer B');
  try {
    await measure(() => relayRtt(a, b));
    await measure(() => portRtt(a, b));
    await measure(() => sabRtt(a, b, 'sab_wait_rtt_us', SPIN_WAIT));
    await measure(() => sabRtt(a, b, 'sab_hybrid_rtt_us', SPIN_HYBRID));
    for (const { size, bytes, ringCount, portCount } of STREAMS) {
      const port = `postmessage_${size}_msgs`;
      await measure(() => throughput(port, null, () => portRate(a, b, bytes, portCount)));
      await measure(() => throughput(`sab_ring_${size}_msgs`, port, () => ringRate(a, b, bytes, ringCount)));
    }
  } finally {
    a.terminate();
    b.terminate();
  }
  await measure(spawnTime);
  return results;
});
