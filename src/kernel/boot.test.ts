// Boot failures: init is run from a test program that misbehaves in each way.
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import type { KernelReport } from '../abi/boot.ts';
import { ProcessState } from '../abi/sys.ts';
import { bootKernel } from './boot.ts';
import type { KernelHost } from './kernel.ts';

const DOMAIN = new URL('../workers/testing/node-domain.worker.mjs', import.meta.url);
const workers = new Set<Worker>();

/** A host whose "init" program is the test program `initAs`. */
function host(initAs: string, reports: KernelReport[]): KernelHost {
  return {
    launch: (program) => {
      const worker = new Worker(DOMAIN, { workerData: { program: program === 'init' ? initAs : program } });
      workers.add(worker);
      return {
        post: (m) => worker.postMessage(m),
        onMessage: (l) => worker.on('message', l),
        onCrash: (l) => worker.on('error', (e: Error) => l(e.message)),
        terminate: () => void worker.terminate(),
      };
    },
    report: (r) => reports.push(r),
    now: () => performance.timeOrigin + performance.now(),
    clock: {
      setTimeout: (fn, ms) => setTimeout(fn, ms),
      clearTimeout: (id) => clearTimeout(id as NodeJS.Timeout),
    },
  };
}

async function bootAs(initAs: string, timeoutMs = 20_000) {
  const reports: KernelReport[] = [];
  const kernel = await bootKernel(
    { kind: 'boot', initTimeoutMs: timeoutMs, init: 'init' },
    host(initAs, reports),
    ['init'],
  );
  kernel?.stop();
  // The outcome: the one report that is not a log line.
  return { kernel, reports, last: reports.find((r) => r.kind !== 'log') };
}

async function until(probe: () => boolean): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}

afterEach(async () => {
  await Promise.all([...workers].map((w) => w.terminate()));
  workers.clear();
});

describe('bootKernel', { timeout: 30_000 }, () => {
  it('reports ready once init makes its first syscall', async () => {
    const { kernel, last } = await bootAs('init');
    expect(kernel).not.toBeNull();
    expect(last).toMatchObject({ kind: 'ready', initPid: 1 });
  });

  it('fails with the reason when init crashes', async () => {
    const { kernel, last } = await bootAs('crash');
    expect(kernel).toBeNull();
    expect(last).toMatchObject({
      kind: 'failed',
      reason: expect.stringMatching(/^init crashed: .*deliberate crash/),
    });
  });

  it('fails when init never starts', async () => {
    const { last } = await bootAs('silent', 300);
    expect(last).toMatchObject({ kind: 'failed', reason: 'init did not start within 300 ms' });
  });

  it('fails when asked to run a program that does not exist as init', async () => {
    const reports: KernelReport[] = [];
    const noSuch: KernelHost = { ...host('init', reports), launch: () => null };
    const kernel = await bootKernel({ kind: 'boot', initTimeoutMs: 1000, init: 'nope' }, noSuch, ['init']);
    expect(kernel).toBeNull();
    expect(reports.find((r) => r.kind !== 'log')).toMatchObject({
      kind: 'failed',
      reason: 'no program "nope" to run as init',
    });
  });

  it('gives init the host link as its last handle, and relays both ways until init ends', async () => {
    const reports: KernelReport[] = [];
    const kernel = await bootKernel(
      { kind: 'boot', initTimeoutMs: 20_000, init: 'init' },
      host('host-echo', reports),
      ['init'],
    );
    const relay = kernel?.hostLink;
    if (!kernel || !relay) throw new Error('boot failed');
    relay.deliver(new Uint8Array([1, 2, 3]));
    await until(() => reports.some((r) => r.kind === 'host'));
    expect(reports.find((r) => r.kind === 'host')).toEqual({ kind: 'host', data: new Uint8Array([1, 2, 3]) });
    const init = kernel.process(1);
    if (init) kernel.terminate(init, ProcessState.KILLED, -9, 'killed by the test');
    await until(() => reports.some((r) => r.kind === 'host-closed'));
    kernel.stop();
  });

  it('faults a hostile init and fails boot', async () => {
    const { last, reports } = await bootAs('garbage');
    expect(last).toMatchObject({
      kind: 'failed',
      reason: expect.stringMatching(/^init faulted: malformed syscall/),
    });
    expect(reports.filter((r) => r.kind === 'ready')).toHaveLength(0);
  });
});
