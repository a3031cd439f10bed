// Crash safety: a workload of operations, fsyncs, snapshots and a gc is cut off at every
// backend mutation in turn; the disk a restarted tab would see (unflushed writes dropped,
// kept, or a random subset kept: torn writes) must open, and hold exactly the state of the
// last durable operation that returned, or of the one in flight.
import { describe, expect, it } from 'vitest';
import type { FileSystem } from './filesystem.ts';
import { MemoryBackend } from './memory-backend.ts';
import { dump, mount, readFile, unwrap, writeFile } from './test-support.ts';

type Step = (fs: FileSystem) => Promise<boolean> | undefined;

const bytes = (n: number, seed: number) => new Uint8Array(n).map((_, i) => (i * 31 + seed * 7) % 251);

/** Volume steps return nothing; durable steps return whether they succeeded. */
const durable =
  (op: (fs: FileSystem) => Promise<{ ok: boolean }>): Step =>
  async (fs) =>
    (await op(fs)).ok;

const WORKLOAD: Step[] = [
  (fs) => void unwrap(fs.volume.mkdir('d')),
  (fs) => void writeFile(fs.volume, 'd/a', 'first'),
  durable((fs) => fs.fsync()),
  (fs) => void writeFile(fs.volume, 'big', bytes(300_000, 1)),
  (fs) => void unwrap(fs.volume.symlink('d/a', 'link')),
  durable((fs) => fs.snapshot('s1')),
  (fs) => void writeFile(fs.volume, 'd/a', 'second'),
  (fs) => void unwrap(fs.volume.rename('big', 'd/big')),
  (fs) => void unwrap(fs.volume.link('d/a', 'hard')),
  durable((fs) => fs.fsync()),
  (fs) => void writeFile(fs.volume, 'd/big', bytes(200_000, 2)),
  (fs) => void unwrap(fs.volume.unlink('link')),
  durable((fs) => fs.fsync()),
  durable((fs) => fs.gc()),
  (fs) => void writeFile(fs.volume, 'after-gc', 'x'),
  durable((fs) => fs.restore('s1')),
  durable((fs) => fs.fsync()),
];

function state(fs: FileSystem): string {
  const names = unwrap(fs.snapshots()).map((s) => s.name);
  return JSON.stringify([...dump(fs.volume), names]);
}

/** Runs the workload; returns the states after each durable step and how many completed. */
async function run(backend: MemoryBackend, budget: number): Promise<{ states: string[]; acked: number }> {
  const fs = await mount(backend);
  backend.crashAfter(budget);
  const states = [state(fs)];
  for (const step of WORKLOAD) {
    const r = step(fs);
    if (r === undefined) continue;
    if (!(await r)) break;
    states.push(state(fs));
  }
  return { states, acked: states.length - 1 };
}

describe('crash at every backend write', () => {
  it('recovers to a durable prefix, whatever unflushed writes survive', async () => {
    const clean = new MemoryBackend();
    const reference = await run(clean, Infinity);
    expect(reference.acked).toBe(7);
    const points = clean.mutations;
    expect(points).toBeGreaterThan(20);
    let torn = 0;
    for (let n = 0; n < points; n++) {
      const backend = new MemoryBackend();
      const { acked } = await run(backend, n);
      expect(backend.crashed).toBe(true);
      let seed = n + 1;
      const subset = () => ((seed = (Math.imul(seed, 48271) + 11) >>> 0) & 1) === 1;
      for (const keep of [() => false, () => true, subset]) {
        const after = backend.afterCrash(keep);
        const fs = await mount(after);
        const got = state(fs);
        const allowed = reference.states.slice(acked, acked + 2);
        if (!allowed.includes(got))
          throw new Error(`crash after ${n} writes: state matches no durable prefix`);
        if (got !== allowed[0]) torn++;
        writeFile(fs.volume, 'later', 'ok');
        unwrap(await fs.fsync());
        expect(readFile((await mount(after)).volume, 'later')).toBe('ok');
      }
    }
    // Some crash points land after the superblock write but before its flush returned.
    expect(torn).toBeGreaterThan(0);
  });
});
