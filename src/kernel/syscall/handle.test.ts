import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Right, rights } from '../../abi/rights.ts';
import { Status } from '../../abi/status.ts';
import { attach, type DomainContext } from '../../workers/domain.ts';
import { harness, type Harness } from '../test-harness.ts';
import { fixtures } from './fixtures.ts';

let h: Harness<DomainContext>;
let sys: DomainContext['sys'];

beforeEach(() => {
  h = harness(attach);
  sys = h.start('init').ctx.sys;
});
afterEach(() => h.stop());

const { timer } = fixtures(() => sys);

describe('handle.close', () => {
  it('closes a handle, after which it is BAD_HANDLE', async () => {
    const t = await timer();
    expect((await sys.handleCloseAsync(t)).status).toBe(Status.OK);
    expect((await sys.handleCloseAsync(t)).status).toBe(Status.BAD_HANDLE);
  });
});

describe('handle.duplicate', () => {
  it('gives a new handle with a subset of the rights', async () => {
    const t = await timer();
    const d = await sys.handleDuplicateAsync(t, rights(Right.WAIT, Right.INSPECT));
    expect(d.status).toBe(Status.OK);
    expect(d.duplicate).not.toBe(t);
    expect((await sys.objectInfoAsync(d.duplicate as number)).rights).toBe(rights(Right.WAIT, Right.INSPECT));
  });

  it('refuses rights the handle lacks (ACCESS_DENIED) and is audited', async () => {
    const t = await timer();
    const weak = (await sys.handleDuplicateAsync(t, rights(Right.DUPLICATE, Right.WAIT))).duplicate as number;
    expect((await sys.handleDuplicateAsync(weak, rights(Right.WAIT, Right.WRITE))).status).toBe(
      Status.ACCESS_DENIED,
    );
    const noDup = (await sys.handleDuplicateAsync(t, Right.WAIT)).duplicate as number;
    expect((await sys.handleDuplicateAsync(noDup, Right.WAIT)).status).toBe(Status.ACCESS_DENIED);
    expect(h.kernel.audit.since(0).filter((e) => e.kind === 'deny')).toHaveLength(1);
  });

  it('rejects unknown rights bits (INVALID_ARGS) and bad handles (BAD_HANDLE)', async () => {
    const t = await timer();
    expect((await sys.handleDuplicateAsync(t, 1 << 30)).status).toBe(Status.INVALID_ARGS);
    expect((await sys.handleDuplicateAsync(12345, 0)).status).toBe(Status.BAD_HANDLE);
  });
});

describe('handle.revoke', () => {
  it('revokes derived handles but not the original; uses of them report REVOKED', async () => {
    const t = await timer();
    const d1 = (await sys.handleDuplicateAsync(t, rights(Right.DUPLICATE, Right.WAIT, Right.INSPECT)))
      .duplicate as number;
    const d2 = (await sys.handleDuplicateAsync(d1, Right.INSPECT)).duplicate as number;
    const r = await sys.handleRevokeAsync(t);
    expect(r).toEqual({ status: Status.OK, revoked: 2 });
    expect((await sys.objectInfoAsync(d2)).status).toBe(Status.REVOKED);
    expect((await sys.handleDuplicateAsync(d1, 0)).status).toBe(Status.REVOKED);
    expect((await sys.objectInfoAsync(t)).status).toBe(Status.OK);
    expect((await sys.handleCloseAsync(d1)).status).toBe(Status.OK); // a tombstone can be closed
    expect(h.kernel.audit.since(0).some((e) => e.kind === 'revoke')).toBe(true);
  });
});

describe('handle.replace', () => {
  it('swaps for fewer rights and consumes the original', async () => {
    const t = await timer();
    const r = await sys.handleReplaceAsync(t, Right.WAIT);
    expect(r.status).toBe(Status.OK);
    expect((await sys.handleCloseAsync(t)).status).toBe(Status.BAD_HANDLE);
    expect((await sys.objectInfoAsync(r.replacement as number)).status).toBe(Status.ACCESS_DENIED);
  });

  it('consumes the handle even when the rights are not a subset', async () => {
    const weak = (await sys.handleDuplicateAsync(await timer(), Right.WAIT)).duplicate as number;
    expect((await sys.handleReplaceAsync(weak, rights(Right.WAIT, Right.WRITE))).status).toBe(
      Status.INVALID_ARGS,
    );
    expect((await sys.handleCloseAsync(weak)).status).toBe(Status.BAD_HANDLE);
  });
});

describe('handle.mint', () => {
  it('stamps a badge that channel readers see', async () => {
    const ch = await sys.channelCreateAsync();
    const [a, b] = [ch.end0 as number, ch.end1 as number];
    const badged = await sys.handleMintAsync(a, rights(Right.WRITE, Right.DUPLICATE), 42);
    expect(badged.status).toBe(Status.OK);
    expect((await sys.channelWriteAsync(badged.minted as number, new Uint8Array([1]), [])).status).toBe(
      Status.OK,
    );
    expect(await sys.channelReadAsync(b)).toMatchObject({ status: Status.OK, badge: 42 });
    expect((await sys.handleMintAsync(badged.minted as number, Right.WRITE, 7)).status).toBe(
      Status.BAD_STATE,
    );
    expect((await sys.handleMintAsync(a, Right.WRITE, 0)).status).toBe(Status.INVALID_ARGS);
  });
});
