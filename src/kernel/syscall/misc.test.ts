import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BootEvent, DomainBootstrap } from '../../abi/boot.ts';
import { LIMITS } from '../../abi/limits.ts';
import { DEFAULT_RIGHTS, ObjectType, Signal } from '../../abi/objects.ts';
import { Ring } from '../../abi/ring.ts';
import { Right, rights } from '../../abi/rights.ts';
import { Status } from '../../abi/status.ts';
import { Sys, syscallByNum } from '../../abi/sys.ts';
import { attach, type DomainContext } from '../../workers/domain.ts';
import { ringTransport, SyscallClient } from '../../workers/syscall-client.ts';
import { Capability } from '../capability.ts';
import type { AuditEntry } from '../objects/audit-log.ts';
import type { Process } from '../process.ts';
import { harness, type Harness } from '../test-harness.ts';
import { fixtures } from './fixtures.ts';
import { TestObject } from '../test-objects.ts';

let h: Harness<DomainContext>;
let sys: DomainContext['sys'];
let init: Process;
/** init's handle to the audit log (READ). */
let audit: number;

beforeEach(() => {
  h = harness(attach);
  const started = h.start('init', [Capability.root(h.kernel.audit, DEFAULT_RIGHTS[ObjectType.AUDIT])]);
  sys = started.ctx.sys;
  init = started.process;
  audit = started.ctx.handles[0] as number;
});
afterEach(() => h.stop());

const { timer, weaker } = fixtures(() => sys);

async function revoked(handle: number, r: number): Promise<number> {
  const d = await weaker(handle, r);
  await sys.handleRevokeAsync(handle);
  return d;
}

function fillTable(): void {
  while (init.table.size < LIMITS.HANDLES_PER_PROCESS)
    init.table.add(Capability.root(new TestObject(), Right.NONE));
}

/** A syscall client on a fresh process's rings that can send bytes the typed stubs cannot. */
function rawClient(bootstrap: DomainBootstrap): SyscallClient {
  const s = Ring.attach(bootstrap.submission);
  const c = Ring.attach(bootstrap.completion);
  if (!s.ok || !c.ok) throw new Error('bad rings');
  const producer = s.value.producer();
  const consumer = c.value.consumer();
  if (!producer.ok || !consumer.ok) throw new Error('bad rings');
  return new SyscallClient(ringTransport(producer.value, consumer.value, bootstrap.doorbell));
}

/** Lines domains logged (the kernel's own lines left out). */
const logs = (): BootEvent[] =>
  h.reports.flatMap((r) => (r.kind === 'log' && r.event.source !== 'kernel' ? [r.event] : []));

describe('timer.create', () => {
  it('returns an unarmed timer with the default timer rights', async () => {
    const t = await timer();
    expect(await sys.objectInfoAsync(t)).toMatchObject({
      type: ObjectType.TIMER,
      rights: DEFAULT_RIGHTS[ObjectType.TIMER],
    });
    expect((await sys.objectWaitOneAsync(t, Signal.FIRED, 10)).status).toBe(Status.TIMED_OUT);
  });

  it('LIMIT_EXCEEDED when the handle table is full', async () => {
    fillTable();
    expect((await sys.timerCreateAsync()).status).toBe(Status.LIMIT_EXCEEDED);
    expect(init.table.size).toBe(LIMITS.HANDLES_PER_PROCESS);
  });
});

describe('timer.set', () => {
  it('asserts FIRED after the delay', async () => {
    const t = await timer();
    const started = performance.now();
    expect((await sys.timerSetAsync(t, 15)).status).toBe(Status.OK);
    expect((await sys.objectWaitOneAsync(t, Signal.FIRED, -1)).status).toBe(Status.OK);
    expect(performance.now() - started).toBeGreaterThanOrEqual(14);
  });

  it('re-arming clears FIRED; a negative delay cancels', async () => {
    const t = await timer();
    await sys.timerSetAsync(t, 0);
    expect((await sys.objectWaitOneAsync(t, Signal.FIRED, -1)).status).toBe(Status.OK);
    await sys.timerSetAsync(t, 60_000);
    expect((await sys.objectWaitOneAsync(t, Signal.FIRED, 0)).status).toBe(Status.TIMED_OUT);
    await sys.timerSetAsync(t, 20);
    expect((await sys.timerSetAsync(t, -1)).status).toBe(Status.OK);
    expect((await sys.objectWaitOneAsync(t, Signal.FIRED, 40)).status).toBe(Status.TIMED_OUT);
    expect((await sys.timerSetAsync(t, -Infinity)).status).toBe(Status.OK);
  });

  it('BAD_HANDLE for a value the process was never given', async () => {
    expect((await sys.timerSetAsync(0x7777, 1)).status).toBe(Status.BAD_HANDLE);
  });

  it('WRONG_TYPE for a handle that is not a timer', async () => {
    const c = await sys.channelCreateAsync();
    expect((await sys.timerSetAsync(c.end0 as number, 1)).status).toBe(Status.WRONG_TYPE);
  });

  it('ACCESS_DENIED without WRITE', async () => {
    const t = await weaker(await timer(), rights(Right.WAIT, Right.INSPECT));
    expect((await sys.timerSetAsync(t, 0)).status).toBe(Status.ACCESS_DENIED);
    expect((await sys.objectWaitOneAsync(t, Signal.FIRED, 20)).status).toBe(Status.TIMED_OUT);
  });

  it('REVOKED for a handle whose ancestor was revoked', async () => {
    expect((await sys.timerSetAsync(await revoked(await timer(), Right.WRITE), 0)).status).toBe(
      Status.REVOKED,
    );
  });

  it('INVALID_ARGS for NaN or a delay longer than LIMITS.TIMER_MS', async () => {
    const t = await timer();
    for (const delay of [NaN, LIMITS.TIMER_MS + 1, Infinity])
      expect((await sys.timerSetAsync(t, delay)).status).toBe(Status.INVALID_ARGS);
    expect((await sys.objectWaitOneAsync(t, Signal.FIRED, 20)).status).toBe(Status.TIMED_OUT);
    expect((await sys.timerSetAsync(t, LIMITS.TIMER_MS)).status).toBe(Status.OK);
  });
});

describe('sched.yield', () => {
  it('completes with OK', async () => {
    expect(await sys.schedYieldAsync()).toEqual({ status: Status.OK });
    expect(init.table.size).toBe(2); // the audit log and init's own Process: nothing added
  });
});

describe('audit.read', () => {
  const read = async (after: number): Promise<AuditEntry[]> => {
    const r = await sys.auditReadAsync(audit, after);
    expect(r.status).toBe(Status.OK);
    return JSON.parse(r.entries as string) as AuditEntry[];
  };

  it('returns the entries after a sequence number, oldest first', async () => {
    const all = await read(0);
    expect(all[0]).toMatchObject({ seq: 1, kind: 'grant', pid: 0 });
    expect(all[0]?.detail).toMatch(/^pid 1 starts holding #\d+$/);
    const last = all.at(-1)?.seq as number;
    expect(await read(last)).toEqual([]);
    await sys.objectInfoAsync(await weaker(await timer(), Right.WAIT)); // denied: lacks INSPECT
    const fresh = await read(last);
    expect(fresh.map((e) => e.kind)).toEqual(['grant', 'deny']);
    expect(fresh.every((e) => e.seq > last && e.pid === 1)).toBe(true);
  });

  it('returns at most 256 entries per call; reading after the last one gets the rest', async () => {
    const weak = await weaker(await timer(), Right.WAIT);
    await Promise.all(Array.from({ length: 300 }, () => sys.objectInfoAsync(weak)));
    const first = await read(0);
    expect(first).toHaveLength(256);
    const rest = await read(first.at(-1)?.seq as number);
    expect(first.length + rest.length).toBe(h.kernel.audit.since(0, Infinity).length);
    expect(rest[0]?.seq).toBe((first.at(-1)?.seq as number) + 1);
  });

  it('BAD_HANDLE for a value the process was never given', async () => {
    expect((await sys.auditReadAsync(0x4242, 0)).status).toBe(Status.BAD_HANDLE);
  });

  it('WRONG_TYPE for a handle that is not the audit log', async () => {
    expect((await sys.auditReadAsync(await timer(), 0)).status).toBe(Status.WRONG_TYPE);
  });

  it('ACCESS_DENIED without READ', async () => {
    const noRead = await weaker(audit, rights(Right.INSPECT, Right.DUPLICATE));
    expect((await sys.auditReadAsync(noRead, 0)).status).toBe(Status.ACCESS_DENIED);
  });

  it('REVOKED for a handle whose ancestor was revoked', async () => {
    expect((await sys.auditReadAsync(await revoked(audit, Right.READ), 0)).status).toBe(Status.REVOKED);
  });
});

describe('debug.log', () => {
  it('appends a line under the caller’s name at each level', async () => {
    const { ctx } = h.start('logger');
    for (const level of [0, 1, 2])
      expect((await ctx.sys.debugLogAsync(level, `line ${level}`)).status).toBe(0);
    expect(logs().filter((e) => e.source === 'logger')).toEqual([
      expect.objectContaining({ level: 'info', message: 'line 0' }),
      expect.objectContaining({ level: 'warn', message: 'line 1' }),
      expect.objectContaining({ level: 'error', message: 'line 2' }),
    ]);
  });

  it('accepts exactly 1024 bytes of UTF-8', async () => {
    const message = 'é'.repeat(512); // 2 bytes each
    expect((await sys.debugLogAsync(0, message)).status).toBe(Status.OK);
    expect(logs().some((e) => e.source === 'init' && e.message === message)).toBe(true);
  });

  it('INVALID_ARGS for an unknown level, over 1024 bytes, or bytes that are not UTF-8; nothing logged', async () => {
    const before = logs().length;
    expect((await sys.debugLogAsync(3, 'x')).status).toBe(Status.INVALID_ARGS);
    expect((await sys.debugLogAsync(0xffff_ffff, 'x')).status).toBe(Status.INVALID_ARGS);
    expect((await sys.debugLogAsync(0, 'é'.repeat(512) + 'x')).status).toBe(Status.INVALID_ARGS);
    const { process, bootstrap } = h.start('raw');
    const client = rawClient(bootstrap);
    const log = syscallByNum(Sys.DEBUG_LOG);
    if (!log) throw new Error('no debug.log');
    const bad = await client.callAsync(log, [0, new Uint8Array([0x68, 0xc3, 0x28])]);
    expect(bad.status).toBe(Status.INVALID_ARGS);
    expect(process.alive).toBe(true);
    expect(logs()).toHaveLength(before);
  });
});
