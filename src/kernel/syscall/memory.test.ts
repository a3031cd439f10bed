import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LIMITS } from '../../abi/limits.ts';
import { Right, rights } from '../../abi/rights.ts';
import { Status } from '../../abi/status.ts';
import { attach, type DomainContext } from '../../workers/domain.ts';
import { harness, type Harness } from '../test-harness.ts';

let h: Harness<DomainContext>;
let ctx: DomainContext;

beforeEach(() => {
  h = harness(attach);
  ctx = h.start('init').ctx;
});
afterEach(() => h.stop());

const rowOfInit = () => {
  const init = h.kernel.process(1);
  if (!init) throw new Error('no init');
  return h.kernel.processRows(init);
};

describe('memory', () => {
  it('creates a zeroed region and maps it; another process that is sent it shares its bytes', async () => {
    const made = await ctx.sys.memoryCreateAsync(4096);
    expect(made.status).toBe(Status.OK);
    const mine = await ctx.mapMemory(made.memory as number);
    if (typeof mine === 'number') throw new Error(`map failed: ${mine}`);
    expect(mine.byteLength).toBe(4096);
    expect(new Uint8Array(mine).every((b) => b === 0)).toBe(true);

    // Send a duplicate over a channel whose other end the child starts with.
    const { end0, end1 } = await ctx.sys.channelCreateAsync();
    const childEnd = h.kernel.process(1)?.table.remove(end1 as number);
    if (!childEnd) throw new Error('no channel end');
    const child = h.start('child', [childEnd]).ctx;
    const dup = await ctx.sys.handleDuplicateAsync(
      made.memory as number,
      rights(Right.MAP, Right.WRITE, Right.TRANSFER),
    );
    await ctx.sys.channelWriteAsync(end0 as number, new Uint8Array(0), [dup.duplicate as number]);
    const read = await child.sys.channelReadAsync(child.handles[0] as number);
    const theirs = await child.mapMemory(read.handles?.[0] as number);
    if (typeof theirs === 'number') throw new Error(`map failed: ${theirs}`);
    new Int32Array(mine)[0] = 1234;
    expect(new Int32Array(theirs)[0]).toBe(1234);
  });

  it('counts mapped regions in process.list memory', async () => {
    const before = rowOfInit()[0]?.memory_bytes ?? 0;
    await ctx.sys.memoryCreateAsync(1 << 20);
    const after = rowOfInit()[0]?.memory_bytes ?? 0;
    expect(after - before).toBe(1 << 20);
  });

  it('rejects sizes of 0 and above the limit (INVALID_ARGS)', async () => {
    expect((await ctx.sys.memoryCreateAsync(0)).status).toBe(Status.INVALID_ARGS);
    expect((await ctx.sys.memoryCreateAsync(LIMITS.MEMORY_BYTES + 1)).status).toBe(Status.INVALID_ARGS);
  });

  it('checks the handle, its type and MAP|WRITE, and revocation', async () => {
    const made = (await ctx.sys.memoryCreateAsync(64)).memory as number;
    const readOnly = (await ctx.sys.handleDuplicateAsync(made, rights(Right.MAP, Right.READ)))
      .duplicate as number;
    const derived = (await ctx.sys.handleDuplicateAsync(made, rights(Right.MAP, Right.WRITE)))
      .duplicate as number;
    const timer = (await ctx.sys.timerCreateAsync()).timer as number;
    expect(await ctx.mapMemory(99999)).toBe(Status.BAD_HANDLE);
    expect(await ctx.mapMemory(timer)).toBe(Status.WRONG_TYPE);
    expect(await ctx.mapMemory(readOnly)).toBe(Status.ACCESS_DENIED);
    await ctx.sys.handleRevokeAsync(made);
    expect(await ctx.mapMemory(derived)).toBe(Status.REVOKED);
  });
});
