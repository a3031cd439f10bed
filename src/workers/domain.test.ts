import { afterEach, describe, expect, it, vi } from 'vitest';
import { decodeDomainLog, DOMAIN_STATE, DOMAIN_STATUS, type DomainLog } from '../abi/boot.ts';
import { startDomain, type DomainContext, type DomainScope } from './domain.ts';

function fakeScope() {
  let listener: ((e: MessageEvent<unknown>) => void) | undefined;
  const sent: DomainLog[] = [];
  const scope: DomainScope = {
    addEventListener: (_type, l) => (listener = l),
    postMessage: (m) => sent.push(m),
  };
  const deliver = (data: unknown) => listener?.({ data } as MessageEvent<unknown>);
  return { scope, sent, deliver };
}

const bootstrap = (status = new SharedArrayBuffer(DOMAIN_STATUS.BYTES)) => ({
  kind: 'bootstrap',
  pid: 3,
  name: 'demo',
  status,
});
const stateOf = (status: SharedArrayBuffer) => Atomics.load(new Int32Array(status), DOMAIN_STATUS.STATE);

afterEach(() => vi.restoreAllMocks());

describe('startDomain', () => {
  it('runs main with the bootstrap identity, then marks the domain running', async () => {
    const { scope, sent, deliver } = fakeScope();
    const seen: DomainContext[] = [];
    startDomain((ctx) => {
      seen.push(ctx);
      ctx.log('info', 'up');
    }, scope);
    const message = bootstrap();
    deliver(message);
    await vi.waitFor(() => expect(stateOf(message.status)).toBe(DOMAIN_STATE.RUNNING));
    expect(seen.map((c) => [c.pid, c.name])).toEqual([[3, 'demo']]);
    expect(sent).toHaveLength(1);
    expect(decodeDomainLog(sent[0])).toMatchObject({ ok: true, value: { level: 'info', message: 'up' } });
  });

  it('waits for an async main before marking running', async () => {
    const { scope, deliver } = fakeScope();
    let finish: () => void = () => undefined;
    startDomain(() => new Promise<void>((r) => (finish = r)), scope);
    const message = bootstrap();
    deliver(message);
    await Promise.resolve();
    expect(stateOf(message.status)).toBe(DOMAIN_STATE.STARTING);
    finish();
    await vi.waitFor(() => expect(stateOf(message.status)).toBe(DOMAIN_STATE.RUNNING));
  });

  it('refuses a malformed bootstrap by throwing, so the worker dies', () => {
    const { scope, deliver } = fakeScope();
    const main = vi.fn();
    startDomain(main, scope);
    expect(() =>
      deliver({ kind: 'bootstrap', pid: -1, name: 'x', status: new SharedArrayBuffer(8) }),
    ).toThrow(/bad bootstrap from the kernel: pid/);
    expect(() => deliver(bootstrap(new SharedArrayBuffer(4)))).toThrow(/status must be a SharedArrayBuffer/);
    expect(main).not.toHaveBeenCalled();
  });

  it('turns a failing main into an uncaught error and never marks running', async () => {
    const { scope, deliver } = fakeScope();
    const rethrown: (() => void)[] = [];
    vi.spyOn(globalThis, 'setTimeout').mockImplementation(((fn: () => void) => {
      rethrown.push(fn);
      return 0;
    }) as typeof setTimeout);
    startDomain(() => Promise.reject(new Error('main failed')), scope);
    const message = bootstrap();
    deliver(message);
    await vi.waitFor(() => expect(rethrown).toHaveLength(1));
    expect(() => rethrown[0]?.()).toThrow('main failed');
    expect(stateOf(message.status)).toBe(DOMAIN_STATE.STARTING);
  });
});
