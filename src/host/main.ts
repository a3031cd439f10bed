// Main-thread entry point: publishes `window.tessera`, then boots the system.
// Layer: host. The main thread is the "hardware": it owns the DOM and starts the kernel.
import type { BootReport, TesseraApi } from '../abi/automation.ts';
import { bootInit, bootSystem } from './boot.ts';
import { BootLog } from './boot-log.ts';
import { HostClient } from './host-client.ts';
import { DisplayBridge } from './display.ts';
import { acceptDrops, download, importFiles } from './host-files.ts';
import { HostLink } from './host-link.ts';

declare global {
  interface Window {
    tessera: TesseraApi;
  }
}

performance.mark('tessera:host:main');
const log = new BootLog(document.querySelector<HTMLOListElement>('#boot-log'));
const status = document.querySelector<HTMLElement>('#boot-status');
const link = new HostLink();
// Only the real init starts a desktop; a benchmark or conformance init gets no screen, nor
// does a headless driver that asks for none (`?desktop=off`, as `tessera run` does).
const headless = new URLSearchParams(location.search).get('desktop') === 'off';
const display = bootInit() === 'init' && !headless ? new DisplayBridge(document.body) : null;
const ready = bootSystem(log, link, display);

// Ask early: the browser may evict a best-effort origin's OPFS, the file store included.
const persistentStorage = navigator.storage.persist().catch(() => false);

const host = new HostClient(link);
window.tessera = {
  version: __TESSERA_VERSION__,
  ready,
  bootLog: log.entries,
  persistentStorage,
  files: {
    ...host.files,
    importFiles: (files) => importFiles(host.files, files),
    download: (path, snapshot) => download(host.files, path, snapshot),
  },
  proc: host.proc,
  desktop: display,
};
display?.ready.then(
  () => performance.mark('tessera:desktop'),
  () => undefined,
);

ready.then(
  (report: BootReport) => {
    log.booted();
    acceptDrops(host.files, (message, ok) =>
      log.add({
        at: performance.timeOrigin + performance.now(),
        source: 'host',
        level: ok ? 'info' : 'warn',
        message: `drop: ${message}`,
      }),
    );
    performance.mark('tessera:ready', { startTime: report.bootMs });
    if (status)
      status.textContent = `Ready in ${report.bootMs.toFixed(0)} ms — init is pid ${report.initPid}.`;
    document.documentElement.dataset['boot'] = 'ready';
  },
  (error: unknown) => {
    log.booted();
    if (status) status.textContent = `Boot failed: ${error instanceof Error ? error.message : String(error)}`;
    document.documentElement.dataset['boot'] = 'failed';
  },
);
