// The warm worker pool: workers are started ahead of need, handed out once, taken back
// when their process exits, and refilled only after a delay.
import { describe, expect, it } from 'vitest';
import { WorkerPool, type Schedule } from './worker-pool.ts';

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

describe('WorkerPool', () => {
  it('keeps `size` workers per pooled program and refills only after the delay', () => {
    let started = 0;
    const clock = fakeClock();
    const pool = new WorkerPool(['wasi'], (p) => `${p}#${++started}`, clock.schedule, {
      size: 2,
      refillDelayMs: 100,
    });
    expect(started).toBe(2);
    expect(pool.take('wasi')).toBe('wasi#1');
    expect(pool.warm('wasi')).toBe(1);
    expect(pool.take('wasi')).toBe('wasi#2');
    expect(started).toBe(2);
    clock.advance(99);
    expect(started).toBe(2);
    clock.advance(1);
    expect(started).toBe(4);
    expect(pool.warm('wasi')).toBe(2);
  });

  it('a worker handed back is reused, and then no replacement is started', () => {
    let started = 0;
    const clock = fakeClock();
    const pool = new WorkerPool(['wasi'], () => ++started, clock.schedule, { size: 1, refillDelayMs: 10 });
    const w = pool.take('wasi');
    expect(w).toBe(1);
    expect(pool.give('wasi', w as number)).toBe(true);
    clock.advance(10);
    expect(started).toBe(1);
    expect(pool.take('wasi')).toBe(1);
  });

  it('a full pool refuses a worker back, as it refuses a worker it already holds', () => {
    const clock = fakeClock();
    let n = 0;
    const pool = new WorkerPool(['wasi'], () => ++n, clock.schedule, { size: 1, refillDelayMs: 0 });
    const w = pool.take('wasi') as number;
    clock.advance(0);
    expect(pool.warm('wasi')).toBe(1);
    expect(pool.give('wasi', w)).toBe(false);
    expect(pool.give('wasi', 2)).toBe(false);
    expect(pool.give('fs', 9)).toBe(false);
  });

  it('a discarded worker is never handed out', () => {
    const clock = fakeClock();
    let n = 0;
    const pool = new WorkerPool(['wasi'], () => ++n, clock.schedule, { size: 2, refillDelayMs: 5 });
    pool.discard('wasi', 1);
    expect(pool.take('wasi')).toBe(2);
    expect(pool.take('wasi')).toBeNull();
  });

  it('a worker is never handed out twice', () => {
    const clock = fakeClock();
    let n = 0;
    const pool = new WorkerPool(['wasi'], () => ++n, clock.schedule, { size: 1, refillDelayMs: 0 });
    const taken = new Set<number | null>();
    for (let i = 0; i < 3; i++) {
      taken.add(pool.take('wasi'));
      clock.advance(0);
    }
    expect(taken.size).toBe(3);
  });

  it('programs that are not pooled get null, as do programs that cannot start', () => {
    const pool = new WorkerPool(['ghost'], () => null, fakeClock().schedule);
    expect(pool.take('ghost')).toBeNull();
    expect(pool.take('fs')).toBeNull();
  });
});
