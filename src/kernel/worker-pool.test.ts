// The warm worker pool: workers are started ahead of need, handed out once, refilled.
import { describe, expect, it } from 'vitest';
import { WorkerPool } from './worker-pool.ts';

describe('WorkerPool', () => {
  it('keeps `size` workers per pooled program and refills after each take', () => {
    let started = 0;
    const pool = new WorkerPool(['wasi'], (p) => `${p}#${++started}`, { size: 2 });
    expect(started).toBe(2);
    expect(pool.take('wasi')).toBe('wasi#1');
    expect(pool.warm('wasi')).toBe(2);
    expect(pool.take('wasi')).toBe('wasi#2');
    expect(started).toBe(4);
  });

  it('a worker is never handed out twice', () => {
    let n = 0;
    const pool = new WorkerPool(['wasi'], () => ++n, { size: 1 });
    const taken = new Set([pool.take('wasi'), pool.take('wasi'), pool.take('wasi')]);
    expect(taken.size).toBe(3);
  });

  it('programs that are not pooled get null, as do programs that cannot start', () => {
    const pool = new WorkerPool(['ghost'], () => null);
    expect(pool.take('ghost')).toBeNull();
    expect(pool.take('fs')).toBeNull();
  });
});
