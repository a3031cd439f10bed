// Starting a WASI command: the pipes (made ahead or at the spawn) go to the child in order,
// and whatever fails, no handle the spawner gave or made is left open.
import { describe, expect, it } from 'vitest';
import { Status } from '../../abi/status.ts';
import type { DomainContext } from '../domain.ts';
import { createPipes, spawnWasi } from './spawn.ts';

/** The calls spawn.ts makes, on a fake table: handles from 100 up. */
function fakeContext(options: { createFailsAt?: number; spawnStatus?: number } = {}) {
  let next = 100;
  let creates = 0;
  const closed: number[] = [];
  const spawned: number[][] = [];
  const sys = {
    channelCreateAsync: () =>
      Promise.resolve(
        creates++ === options.createFailsAt
          ? { status: Status.LIMIT_EXCEEDED }
          : { status: Status.OK, end0: next++, end1: next++ },
      ),
    handleCloseAsync: (h: number) => {
      closed.push(h);
      return Promise.resolve({ status: Status.OK });
    },
    processSpawnAsync: (...args: unknown[]) => {
      spawned.push([...(args[5] as number[])]);
      const status = options.spawnStatus ?? Status.OK;
      return Promise.resolve(status === Status.OK ? { status, process: 7, pid: 9 } : { status });
    },
  };
  const ctx = { sys, channel: (handle: number) => ({ handle }) } as unknown as DomainContext;
  return { ctx, closed, spawned };
}

const command = { loader: 1, module: 2, argv: ['hello'], env: [], preopens: [{ path: '/d', handle: 3 }] };

describe('spawnWasi', () => {
  it('gives the child the module, its ends of the pipes and the preopens, in that order', async () => {
    const { ctx, closed, spawned } = fakeContext();
    const child = await spawnWasi(ctx, command);
    expect(spawned).toEqual([[2, 101, 103, 105, 3]]);
    expect([child.stdin.handle, child.stdout.handle, child.stderr.handle]).toEqual([100, 102, 104]);
    expect(closed).toEqual([]);
  });

  it('takes pipes made ahead (while the module was opened)', async () => {
    const { ctx, spawned } = fakeContext();
    const pipes = createPipes(ctx);
    await spawnWasi(ctx, command, pipes);
    expect(spawned).toEqual([[2, 101, 103, 105, 3]]);
  });

  it('when the pipes cannot be made, closes what it was given and those made', async () => {
    const { ctx, closed, spawned } = fakeContext({ createFailsAt: 1 });
    await expect(spawnWasi(ctx, command)).rejects.toThrow(/channel.create/);
    expect(spawned).toEqual([]);
    expect(closed.sort((a, b) => a - b)).toEqual([2, 3, 100, 101, 102, 103]);
  });

  it('when the spawn fails, closes every handle: given, and both sides of the pipes', async () => {
    const { ctx, closed } = fakeContext({ spawnStatus: Status.LIMIT_EXCEEDED });
    await expect(spawnWasi(ctx, command)).rejects.toThrow(/process.spawn/);
    expect(closed.sort((a, b) => a - b)).toEqual([2, 3, 100, 101, 102, 103, 104, 105]);
  });
});
