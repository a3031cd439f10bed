// The platform's own IPC figures (bench/README.md, "platform"), as page functions any
// benchmark can run: the platform benchmark reports them all, others measure the ones
// they compare with in their own run. Each takes the name of its baseline figure, since
// that depends on the benchmark; what is measured, and how often, does not.
import { fromLatencyLoop, fromSamples, type Measurement } from '../lib/figures.ts';
import { formatNumber } from '../lib/format.ts';
import { isPing } from '../lib/message.ts';
import type { PeerOps } from '../lib/peer-ops.ts';
import { createPingPong } from '../lib/ping-pong.ts';
import { createRing } from '../lib/spsc-ring.ts';
import { warmThenMeasure, type TimedLoop } from '../lib/timing.ts';
import { SPIN_HYBRID, SPIN_WAIT } from '../lib/wait.ts';
import type { Progress } from './harness.ts';
import { WorkerClient } from './rpc-client.ts';
import { relayBetween, timeSpawns } from './workers.ts';

/** Sized so the platform page run stays well under two minutes on a 2-core machine. */
export const PLATFORM_COUNTS = {
  roundTrips: { warmup: 2_000, measured: 20_000 },
  streamRuns: { warmup: 1, measured: 7 },
  spawns: { warmup: 3, measured: 30 },
} as const;
const RING_BYTES = 256 * 1024;

/** The two message sizes streamed, with the message counts per stream. */
export const STREAMS = {
  '64b': { bytes: 64, ringCount: 2_000_000, portCount: 100_000 },
  '4k': { bytes: 4096, ringCount: 200_000, portCount: 50_000 },
} as const;
export type StreamSize = keyof typeof STREAMS;

type Peer = WorkerClient<PeerOps>;

/** Two peer workers, A and B, that play both ends of every worker <-> worker figure. */
export class PeerPair {
  readonly a = newPeer('peer A');
  readonly b = newPeer('peer B');

  terminate(): void {
    this.a.terminate();
    this.b.terminate();
  }
}

const newPeer = (label: string): Peer =>
  new WorkerClient<PeerOps>(
    new Worker(new URL('../worker/peer.worker.ts', import.meta.url), { type: 'module', name: label }),
    label,
  );

/** Collects figures in measuring order and reports each as it comes. */
export class Recorder {
  readonly results: Measurement[] = [];
  readonly #progress: Progress;

  constructor(progress: Progress) {
    this.#progress = progress;
  }

  add(m: Measurement): Measurement {
    this.#progress(`${m.name} = ${formatNumber(m.value)} ${m.unit}`);
    this.results.push(m);
    return m;
  }

  async measure(run: () => Promise<Measurement>): Promise<Measurement> {
    return this.add(await run());
  }
}

/** A latency figure: one discarded warm-up loop, then one measured loop. */
async function latency(
  name: string,
  baseline: string | null,
  loop: (count: number) => Promise<TimedLoop>,
): Promise<Measurement> {
  await loop(PLATFORM_COUNTS.roundTrips.warmup);
  return fromLatencyLoop({ name, baseline }, await loop(PLATFORM_COUNTS.roundTrips.measured));
}

/** A throughput figure: one discarded warm-up stream, then several measured ones. */
async function throughput(
  name: string,
  baseline: string | null,
  once: () => Promise<number>,
): Promise<Measurement> {
  const { warmup, measured } = PLATFORM_COUNTS.streamRuns;
  const rates = await warmThenMeasure(warmup, measured, once);
  return fromSamples({ name, unit: 'msgs/s', baseline }, rates);
}

/** postmessage_rtt_us: A -> page -> B -> page -> A. */
export async function relayRtt({ a, b }: PeerPair, baseline: string | null): Promise<Measurement> {
  const stop = relayBetween(a.worker, b.worker, isPing);
  try {
    return await latency('postmessage_rtt_us', baseline, async (count) => {
      const echoed = b.call('relay-echo', { count });
      const loop = await a.call('relay-ping', { count });
      await echoed;
      return loop;
    });
  } finally {
    stop();
  }
}

/** messagechannel_rtt_us: A <-> B over a MessageChannel. */
export const portRtt = ({ a, b }: PeerPair, baseline: string | null): Promise<Measurement> =>
  latency('messagechannel_rtt_us', baseline, async (count) => {
    const { port1, port2 } = new MessageChannel();
    const echoed = b.call('port-echo', { port: port2, count }, [port2]);
    const loop = await a.call('port-ping', { port: port1, count }, [port1]);
    await echoed;
    return loop;
  });

/** sab_wait_rtt_us (blocking at once) or sab_hybrid_rtt_us (spin, then block). */
export const sabRtt = (
  { a, b }: PeerPair,
  mode: 'wait' | 'hybrid',
  baseline: string | null,
): Promise<Measurement> =>
  latency(`sab_${mode}_rtt_us`, baseline, async (count) => {
    const spin = mode === 'wait' ? SPIN_WAIT : SPIN_HYBRID;
    const sab = createPingPong();
    const ponged = b.call('sab-pong', { sab, count, spin });
    const loop = await a.call('sab-ping', { sab, count, spin });
    await ponged;
    return loop;
  });

/** Messages per second through the bare SAB ring, A -> B; fails on any damaged message. */
async function ringRate({ a, b }: PeerPair, bytes: number, count: number): Promise<number> {
  const args = { layout: { slots: RING_BYTES / bytes, slotBytes: bytes }, count, spin: SPIN_HYBRID };
  const sab = createRing(args.layout);
  const consumed = b.call('ring-consume', { ...args, sab });
  const ms = await a.call('ring-produce', { ...args, sab });
  const bad = await consumed;
  if (bad !== 0) throw new Error(`SAB ring, ${bytes} B: ${bad} of ${count} messages arrived damaged`);
  return count / (ms / 1000);
}

/** Messages per second posted A -> B over a MessageChannel; fails on any damaged message. */
async function portRate({ a, b }: PeerPair, bytes: number, count: number): Promise<number> {
  const { port1, port2 } = new MessageChannel();
  const consumed = b.call('port-consume', { port: port2, count }, [port2]);
  const ms = await a.call('port-produce', { port: port1, count, bytes }, [port1]);
  const bad = await consumed;
  if (bad !== 0) throw new Error(`postMessage, ${bytes} B: ${bad} of ${count} messages arrived damaged`);
  return count / (ms / 1000);
}

/** postmessage_64b_msgs / postmessage_4k_msgs. */
export function portStream(peers: PeerPair, size: StreamSize, baseline: string | null): Promise<Measurement> {
  const { bytes, portCount } = STREAMS[size];
  return throughput(`postmessage_${size}_msgs`, baseline, () => portRate(peers, bytes, portCount));
}

/** sab_ring_64b_msgs / sab_ring_4k_msgs. */
export function ringStream(peers: PeerPair, size: StreamSize, baseline: string | null): Promise<Measurement> {
  const { bytes, ringCount } = STREAMS[size];
  return throughput(`sab_ring_${size}_msgs`, baseline, () => ringRate(peers, bytes, ringCount));
}

/** The smallest module worker; it says hello once and then idles. */
export const helloWorker = (): Worker =>
  new Worker(new URL('../worker/hello.worker.ts', import.meta.url), { type: 'module' });

/** worker_spawn_ms: a module worker's spawn until its first message. */
export async function spawnTime(baseline: string | null): Promise<Measurement> {
  await timeSpawns(helloWorker, PLATFORM_COUNTS.spawns.warmup);
  const times = await timeSpawns(helloWorker, PLATFORM_COUNTS.spawns.measured);
  return fromSamples({ name: 'worker_spawn_ms', unit: 'ms', baseline }, times);
}
