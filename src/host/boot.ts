// Host side of boot: checks cross-origin isolation, starts the kernel worker, turns
// its reports into the boot log and settles `tessera.ready`; host link reports go to
// the HostLink (host-link.ts).
// Layer: host. Kernel reports are decoded like any other untrusted message.
import type { BootReport } from '../abi/automation.ts';
import { BOOT_LIMITS, decodeKernelReport, type BootRequest, type LogLevel } from '../abi/boot.ts';
import type { BootLog } from './boot-log.ts';
import type { DisplayBridge } from './display.ts';
import { isHostLinkReport, type HostLink } from './host-link.ts';

const now = (): number => performance.timeOrigin + performance.now();

/**
 * Starts the kernel and resolves when init runs; rejects with a reason a person can act on.
 * `link` is attached to the kernel worker and gets the host link's reports; `display`, when
 * given, is the page's screen, handed to the kernel with the boot request (ADR 0017).
 */
export function bootSystem(log: BootLog, link: HostLink, display: DisplayBridge | null): Promise<BootReport> {
  const say = (level: LogLevel, message: string): void => {
    log.add({ at: now(), source: 'host', level, message });
  };
  return new Promise<BootReport>((resolve, reject) => {
    const fail = (reason: string): void => {
      say('error', `boot failed: ${reason}`);
      display?.fail(new Error(`boot failed: ${reason}`));
      reject(new Error(reason));
    };
    say('info', `host started (crossOriginIsolated=${String(crossOriginIsolated)})`);
    if (!crossOriginIsolated || typeof SharedArrayBuffer !== 'function') {
      fail(
        'the page is not cross-origin isolated, so SharedArrayBuffer is unavailable; serve it with ' +
          '"Cross-Origin-Opener-Policy: same-origin" and "Cross-Origin-Embedder-Policy: require-corp"',
      );
      return;
    }
    const kernel = new Worker(new URL('../kernel/kernel.worker.ts', import.meta.url), {
      type: 'module',
      name: 'kernel',
    });
    say('info', 'kernel worker created');
    kernel.addEventListener('error', (e) => fail(`kernel worker error: ${e.message || 'failed to load'}`));
    kernel.addEventListener('message', (e: MessageEvent<unknown>) => {
      const report = decodeKernelReport(e.data);
      if (!report.ok) {
        say('error', `ignored a malformed kernel report: ${report.error}`);
        return;
      }
      const r = report.value;
      if (isHostLinkReport(r)) link.dispatch(r);
      else if (r.kind === 'log') log.add(r.event);
      else if (r.kind === 'failed') fail(r.reason);
      else resolve({ bootMs: r.at - performance.timeOrigin, initPid: r.initPid, crossOriginIsolated });
    });
    link.attach((message) => kernel.postMessage(message));
    const init = bootInit();
    const request: BootRequest = { kind: 'boot', initTimeoutMs: BOOT_LIMITS.INIT_TIMEOUT_MS, init };
    if (display) {
      const { display: screen, transfer } = display.handover();
      kernel.postMessage({ ...request, display: screen }, transfer);
    } else kernel.postMessage(request);
  });
}

/** `?init=NAME` runs another built-in program as pid 1 (benchmarks, conformance runs). */
export const bootInit = (): string => new URLSearchParams(location.search).get('init') ?? 'init';
