// The warm worker pool: workers are started ahead of need, handed out once, taken back
// when their process exits (preferred over ones that never served), refilled after a delay
// without starting workers for spawns whose workers are about to come back.
import { describe, expect, it } from 'vitest';
import { WorkerPool, type Schedule } from './worker-pool.ts';

interface FakeWorker {
  readonly id: number;
}

function fakeClock() {
  const due: { at: number; fn: () => void }[] = [];
  let now = 0;
  const schedule: Schedule = (fn, ms) => void due.push({ at: now + ms, fn });
  const advance = (ms: number): void => {
    now += ms;
    for (const d of due.filter((x) => x.at <= now)) {
      due.splice(due.indexOf(d), 1);
      d.fn();
    }
  };
  return { schedule, advance };
}

function pool(size: number, refillDelayMs: number, programs = ['wasi']) {
  const clock = fakeClock();
  const started: FakeWorker[] = [];
  const p = new WorkerPool<FakeWorker>(
    programs,
    () => (started.push({ id: started.length + 1 }), started[started.length - 1] as FakeWorker),
    clock.schedule,
    { size, refillDelayMs },
  );
  return { pool: p, started, clock };
}

const id = (w: FakeWorker | null) => w?.id ?? null;

describe('WorkerPool', () => {
  it('keeps `size` workers per pooled program and refills only after the delay', () => {
    const { pool: p, started, clock } = pool(2, 100);
    expect(started).toHaveLength(2);
    expect(id(p.take('wasi'))).toBe(1);
    expect(p.warm('wasi')).toBe(1);
    expect(id(p.take('wasi'))).toBe(2);
    expect(started).toHaveLength(2);
    clock.advance(99);
    expect(started).toHaveLength(2);
    clock.advance(1);
    // The second was taken during the delay: counted on to come back, for one more delay.
    expect(started).toHaveLength(3);
    clock.advance(100);
    expect(started).toHaveLength(4);
    expect(p.warm('wasi')).toBe(2);
  });

  it('a worker handed back is reused, and then no replacement is started', () => {
    const { pool: p, started, clock } = pool(1, 10);
    const w = p.take('wasi') as FakeWorker;
    expect(p.give('wasi', w)).toBeNull();
    clock.advance(10);
    expect(started).toHaveLength(1);
    expect(p.take('wasi')).toBe(w);
  });

  it('hands out the worker that served last first, then the others', () => {
    const { pool: p, started } = pool(2, 1000);
    const first = p.take('wasi') as FakeWorker;
    expect(first).toBe(started[0]);
    expect(p.give('wasi', first)).toBeNull();
    expect(p.take('wasi')).toBe(first); // not the fresh one queued before it
    const second = p.take('wasi') as FakeWorker; // while the first serves: the fresh one
    expect(second).toBe(started[1]);
    expect(p.give('wasi', second)).toBeNull();
    expect(p.give('wasi', first)).toBeNull();
    expect(p.take('wasi')).toBe(first);
    expect(p.take('wasi')).toBe(second);
  });

  it('a returning worker displaces one that never served; a full pool of served ones refuses it', () => {
    const { pool: p, started, clock } = pool(1, 0);
    const long = p.take('wasi') as FakeWorker; // a long process: the refill runs meanwhile
    clock.advance(0);
    expect(started).toHaveLength(2);
    expect(p.give('wasi', long)).toBe(started[1]);
    expect(p.take('wasi')).toBe(long);
    clock.advance(0);
    const other = p.take('wasi') as FakeWorker;
    expect(p.give('wasi', long)).toBeNull();
    expect(p.give('wasi', other)).toBe(other);
    expect(p.give('wasi', long)).toBe(long); // already there
    expect(p.give('fs', other)).toBe(other); // not pooled
  });

  it('a discarded worker is never handed out', () => {
    const { pool: p, started } = pool(2, 5);
    p.discard('wasi', started[0] as FakeWorker);
    expect(id(p.take('wasi'))).toBe(2);
    expect(p.take('wasi')).toBeNull();
  });

  it('a worker is never handed out twice', () => {
    const { pool: p, clock } = pool(1, 0);
    const taken = new Set<FakeWorker | null>();
    for (let i = 0; i < 3; i++) {
      taken.add(p.take('wasi'));
      clock.advance(0);
    }
    expect(taken.size).toBe(3);
  });

  it('programs that are not pooled get null, as do programs that cannot start', () => {
    const p = new WorkerPool<FakeWorker>(['ghost'], () => null, fakeClock().schedule);
    expect(p.take('ghost')).toBeNull();
    expect(p.take('fs')).toBeNull();
  });

  it('back-to-back spawns start no worker that give would only evict', () => {
    const { pool: p, started, clock } = pool(2, 105); // the refill looks while a process runs
    let w = p.take('wasi') as FakeWorker;
    for (let t = 0; t < 400; t += 10) {
      clock.advance(5); // the process runs...
      expect(p.give('wasi', w)).toBeNull(); // ...exits and hands its worker back
      clock.advance(5);
      w = p.take('wasi') as FakeWorker; // the next spawn, within the refill delay
    }
    expect(started).toHaveLength(2);
    expect(p.give('wasi', w)).toBeNull();
    clock.advance(1000);
    expect(started).toHaveLength(2);
    expect(p.warm('wasi')).toBe(2);
  });

  it('a worker out for longer than the delay is not counted on: the pool refills one delay later', () => {
    const { pool: p, started, clock } = pool(2, 100);
    p.take('wasi'); // a long-running process
    clock.advance(50);
    p.take('wasi'); // taken during the delay: counted as coming back at the first look
    clock.advance(50);
    expect(started).toHaveLength(3);
    clock.advance(100);
    expect(started).toHaveLength(4);
    expect(p.warm('wasi')).toBe(2);
  });

  it('a worker lost (its process killed) is not counted as coming back', () => {
    const { pool: p, started, clock } = pool(2, 100);
    p.take('wasi');
    clock.advance(50);
    const killed = p.take('wasi') as FakeWorker;
    p.lost(killed);
    clock.advance(50);
    expect(started).toHaveLength(4);
    expect(p.warm('wasi')).toBe(2);
  });
});
