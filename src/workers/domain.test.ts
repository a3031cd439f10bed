import { afterEach, describe, expect, it, vi } from 'vitest';
import { CONTROL } from '../abi/control.ts';
import { DOORBELL } from '../abi/doorbell.ts';
import { LIMITS } from '../abi/limits.ts';
import { Ring } from '../abi/ring.ts';
import { decodeCall } from '../abi/syscall-codec.ts';
import { Sys } from '../abi/sys.ts';
import { startDomain, type DomainContext, type DomainScope } from './domain.ts';

function fakeScope() {
  let listener: ((e: MessageEvent<unknown>) => void) | undefined;
  const scope: DomainScope = { addEventListener: (_type, l) => (listener = l) };
  const deliver = (data: unknown) => listener?.({ data } as MessageEvent<unknown>);
  return { scope, deliver };
}

function bootstrap() {
  const submission = Ring.create(LIMITS.SYSCALL_RING_BYTES);
  const completion = Ring.create(LIMITS.SYSCALL_RING_BYTES);
  const doorbell = new SharedArrayBuffer(DOORBELL.WORDS * 4);
  const message = {
    kind: 'bootstrap',
    pid: 3,
    name: 'demo',
    spawner: 11,
    submission: submission.buffer,
    completion: completion.buffer,
    doorbell,
    control: new SharedArrayBuffer(CONTROL.WORDS * 4),
    handles: [7, 9],
    argv: ['a', 'b'],
    env: ['K=V'],
  };
  return { message, submission, doorbell };
}

/** The syscall numbers submitted on `ring` so far. */
function submitted(ring: ReturnType<typeof Ring.create>): number[] {
  const consumer = ring.consumer();
  if (!consumer.ok) throw new Error('ring');
  const nums: number[] = [];
  for (let r = consumer.value.tryRead(); r.ok && r.value; r = consumer.value.tryRead()) {
    const call = decodeCall(r.value);
    if (call.ok) nums.push(call.value.def.num);
  }
  return nums;
}

afterEach(() => vi.restoreAllMocks());

describe('startDomain', () => {
  it('hands main its identity, handles, argv and env, and a working syscall ring', async () => {
    const { scope, deliver } = fakeScope();
    const seen: DomainContext[] = [];
    startDomain((ctx) => {
      seen.push(ctx);
      void ctx.sys.debugLogAsync(0, 'up');
    }, scope);
    const { message, submission, doorbell } = bootstrap();
    deliver(message);
    await vi.waitFor(() => expect(seen).toHaveLength(1));
    expect(seen[0]).toMatchObject({
      pid: 3,
      name: 'demo',
      spawner: 11,
      handles: [7, 9],
      argv: ['a', 'b'],
      env: ['K=V'],
    });
    const consumer = submission.consumer();
    if (!consumer.ok) throw new Error('ring');
    const record = consumer.value.tryRead();
    if (!record.ok || !record.value) throw new Error('no submission');
    const call = decodeCall(record.value);
    expect(call.ok && call.value.def.num).toBe(Sys.DEBUG_LOG);
    expect(Atomics.load(new Int32Array(doorbell), DOORBELL.COUNTER)).toBe(1);
  });

  it('refuses a malformed bootstrap by throwing, so the worker dies', () => {
    const { scope, deliver } = fakeScope();
    const main = vi.fn();
    startDomain(main, scope);
    expect(() => deliver({ ...bootstrap().message, pid: -1 })).toThrow(/bad bootstrap from the kernel: pid/);
    expect(main).not.toHaveBeenCalled();
  });

  it('refuses rings that are not rings', () => {
    const { scope, deliver } = fakeScope();
    startDomain(vi.fn(), scope);
    expect(() => deliver({ ...bootstrap().message, submission: new SharedArrayBuffer(64) })).toThrow(
      /not valid rings/,
    );
  });

  it('a reusable domain exits without blocking and serves the next bootstrap', async () => {
    const { scope, deliver } = fakeScope();
    const pids: number[] = [];
    startDomain((ctx) => (pids.push(ctx.pid), 40 + ctx.pid), scope, { reusable: true });
    const first = bootstrap();
    deliver(first.message);
    await vi.waitFor(() => expect(submitted(first.submission)).toEqual([Sys.PROCESS_EXIT]));
    const second = bootstrap();
    deliver({ ...second.message, pid: 4 });
    await vi.waitFor(() => expect(pids).toEqual([3, 4]));
    await vi.waitFor(() => expect(submitted(second.submission)).toEqual([Sys.PROCESS_EXIT]));
  });

  it('a domain that is not reusable never runs main for a second bootstrap', async () => {
    const { scope, deliver } = fakeScope();
    const main = vi.fn(() => undefined);
    startDomain(main, scope);
    deliver(bootstrap().message);
    await vi.waitFor(() => expect(main).toHaveBeenCalledTimes(1));
    // Later messages are the kernel's grants for this process, never a new process.
    expect(() => deliver(bootstrap().message)).toThrow(/unexpected message from the kernel/);
    expect(main).toHaveBeenCalledTimes(1);
  });

  it('turns a failing main into an uncaught error', async () => {
    const { scope, deliver } = fakeScope();
    const rethrown: (() => void)[] = [];
    vi.spyOn(globalThis, 'setTimeout').mockImplementation(((fn: () => void) => {
      rethrown.push(fn);
      return 0;
    }) as typeof setTimeout);
    startDomain(() => Promise.reject(new Error('main failed')), scope);
    deliver(bootstrap().message);
    await vi.waitFor(() => expect(rethrown).toHaveLength(1));
    expect(() => rethrown[0]?.()).toThrow('main failed');
  });
});
