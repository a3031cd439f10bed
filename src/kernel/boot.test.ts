import { describe, expect, it } from 'vitest';
import { DOMAIN_STATE, DOMAIN_STATUS, type DomainBootstrap, type KernelReport } from '../abi/boot.ts';
import { bootKernel, type DomainLink, type KernelEnv } from './boot.ts';

/** A scripted stand-in for init's worker: `behave` runs when the bootstrap arrives. */
function harness(
  behave: (b: DomainBootstrap, send: (data: unknown) => void, crash: (r: string) => void) => void,
) {
  const reports: KernelReport[] = [];
  const domain = { terminated: 0, launched: 0 };
  const env: KernelEnv = {
    now: () => performance.timeOrigin + performance.now(),
    report: (r) => reports.push(r),
    launch: () => {
      domain.launched++;
      let onMessage: (data: unknown) => void = () => undefined;
      let onCrash: (reason: string) => void = () => undefined;
      const link: DomainLink = {
        post: (b) =>
          queueMicrotask(() =>
            behave(
              b,
              (d) => onMessage(d),
              (r) => onCrash(r),
            ),
          ),
        onMessage: (l) => (onMessage = l),
        onCrash: (l) => (onCrash = l),
        terminate: () => domain.terminated++,
      };
      return link;
    },
  };
  return { env, reports, domain };
}

const markRunning = (b: DomainBootstrap): void => {
  const state = new Int32Array(b.status);
  Atomics.store(state, DOMAIN_STATUS.STATE, DOMAIN_STATE.RUNNING);
  Atomics.notify(state, DOMAIN_STATUS.STATE);
};
const at = () => performance.timeOrigin + performance.now();
const last = (reports: KernelReport[]) => reports.at(-1);
const messages = (reports: KernelReport[]) =>
  reports.flatMap((r) => (r.kind === 'log' ? [`${r.event.source}: ${r.event.message}`] : []));

describe('bootKernel', () => {
  it('spawns init, relays its log and reports ready once init is running', async () => {
    const { env, reports, domain } = harness((b, send) => {
      expect(b).toMatchObject({ kind: 'bootstrap', pid: 1, name: 'init' });
      send({ kind: 'log', at: at(), level: 'info', message: 'hello from init' });
      markRunning(b);
    });
    await bootKernel({ kind: 'boot', initTimeoutMs: 5_000 }, env);
    expect(domain).toEqual({ launched: 1, terminated: 0 });
    expect(messages(reports)).toEqual([
      'kernel: kernel worker started',
      'kernel: spawned init (pid 1)',
      'init: hello from init',
      'kernel: init running (pid 1)',
    ]);
    expect(last(reports)).toMatchObject({ kind: 'ready', initPid: 1 });
    expect(reports.filter((r) => r.kind !== 'log')).toHaveLength(1);
  });

  it('survives a wake-up without a state change', async () => {
    const { env, reports } = harness((b) => {
      Atomics.notify(new Int32Array(b.status), DOMAIN_STATUS.STATE);
      setTimeout(() => markRunning(b), 20);
    });
    await bootKernel({ kind: 'boot', initTimeoutMs: 5_000 }, env);
    expect(last(reports)).toMatchObject({ kind: 'ready' });
  });

  it('fails and terminates init when it crashes', async () => {
    const { env, reports, domain } = harness((_b, _send, crash) => crash('boom'));
    await bootKernel({ kind: 'boot', initTimeoutMs: 5_000 }, env);
    expect(last(reports)).toMatchObject({ kind: 'failed', reason: 'init crashed: boom' });
    expect(domain.terminated).toBeGreaterThan(0);
  });

  it('fails when init never reports running', async () => {
    const { env, reports, domain } = harness(() => undefined);
    await bootKernel({ kind: 'boot', initTimeoutMs: 50 }, env);
    expect(last(reports)).toMatchObject({
      kind: 'failed',
      reason: 'init did not report running within 50 ms',
    });
    expect(domain.terminated).toBe(1);
  });

  describe('a hostile init is faulted, not obeyed', () => {
    const hostile: [string, unknown][] = [
      ['a non-object', 'run me'],
      ['an unknown kind', { kind: 'grant', handle: 7 }],
      ['a bad level', { kind: 'log', at: 1, level: 'panic', message: 'x' }],
      ['an oversized message', { kind: 'log', at: 1, level: 'info', message: 'x'.repeat(1025) }],
      ['a non-finite time', { kind: 'log', at: Number.NaN, level: 'info', message: 'x' }],
    ];
    it.each(hostile)('sending %s', async (_what, data) => {
      const { env, reports, domain } = harness((b, send) => {
        send(data);
        markRunning(b);
      });
      await bootKernel({ kind: 'boot', initTimeoutMs: 5_000 }, env);
      expect(last(reports)).toMatchObject({
        kind: 'failed',
        reason: expect.stringMatching(/^init faulted: protocol violation/),
      });
      expect(domain.terminated).toBeGreaterThan(0);
      expect(messages(reports).some((m) => m.startsWith('init:'))).toBe(false);
    });

    it('storing a state that does not exist', async () => {
      const { env, reports } = harness((b) => {
        const state = new Int32Array(b.status);
        Atomics.store(state, DOMAIN_STATUS.STATE, 99);
        Atomics.notify(state, DOMAIN_STATUS.STATE);
      });
      await bootKernel({ kind: 'boot', initTimeoutMs: 5_000 }, env);
      expect(last(reports)).toMatchObject({
        kind: 'failed',
        reason: 'init faulted: init stored unknown state 99',
      });
    });

    it('misbehaving after boot is logged and the domain terminated', async () => {
      let sendLater: (d: unknown) => void = () => undefined;
      const { env, reports, domain } = harness((b, send) => {
        sendLater = send;
        markRunning(b);
      });
      await bootKernel({ kind: 'boot', initTimeoutMs: 5_000 }, env);
      sendLater({ kind: 'log', level: 'info' });
      expect(domain.terminated).toBe(1);
      expect(messages(reports).at(-1)).toMatch(
        /^kernel: init faulted and was terminated: protocol violation/,
      );
    });
  });
});
