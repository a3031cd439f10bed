// Small helpers the syscall tests share: make a channel, a timer, a weaker duplicate,
// and fail the test at once if that does not work. Layer: kernel (test support; imported
// only by *.test.ts). Typed structurally so it needs nothing from src/workers.
import { expect } from 'vitest';
import { Status } from '../../abi/status.ts';

export interface FixtureSys {
  channelCreateAsync(): Promise<{ status: number; end0?: number; end1?: number }>;
  timerCreateAsync(): Promise<{ status: number; timer?: number }>;
  handleDuplicateAsync(handle: number, rights: number): Promise<{ status: number; duplicate?: number }>;
}

/** Helpers bound to whatever `current()` returns when they are called (tests swap it per case). */
export function fixtures(current: () => FixtureSys) {
  return {
    async channel(): Promise<[number, number]> {
      const c = await current().channelCreateAsync();
      expect(c.status).toBe(Status.OK);
      return [c.end0 as number, c.end1 as number];
    },
    async timer(): Promise<number> {
      const t = await current().timerCreateAsync();
      expect(t.status).toBe(Status.OK);
      return t.timer as number;
    },
    /** A duplicate of `handle` with rights `r`. */
    async weaker(handle: number, r: number): Promise<number> {
      const d = await current().handleDuplicateAsync(handle, r);
      expect(d.status).toBe(Status.OK);
      return d.duplicate as number;
    },
  };
}
