// Boots a real Tessera kernel in a benchmark page, as the host page does (src/host/boot.ts),
// with a bench program as pid 1, and hands the page what that program reports
// (lib/bench-lines.ts). The kernel worker is started by URL, not imported: the benchmark
// drives the built system from outside. Kernel reports are decoded like any untrusted message.
import { BOOT_LIMITS, decodeKernelReport, type BootRequest } from '../../src/abi/boot.ts';
import { RecordReader, type DriverRecord } from '../lib/bench-lines.ts';
import type { Progress } from './harness.ts';

/** A record with the page time (performance.now()) it arrived at. */
export interface Arrival {
  readonly record: DriverRecord;
  readonly at: number;
}

/** A running kernel whose pid 1 is a bench driver. */
export class TesseraRun {
  readonly #kernel: Worker;
  readonly #queue: Arrival[] = [];
  #waiter: { resolve: (a: Arrival) => void; reject: (e: Error) => void } | null = null;
  #failure: Error | null = null;
  #done = false;

  /** Boots the kernel with the built-in program `init` as pid 1; kernel warnings go to `progress`. */
  constructor(init: string, progress: Progress) {
    this.#kernel = new Worker(new URL('../../src/kernel/kernel.worker.ts', import.meta.url), {
      type: 'module',
      name: 'kernel',
    });
    const reader = new RecordReader();
    this.#kernel.addEventListener('error', (e) => this.#fail(`kernel worker error: ${e.message || '?'}`));
    this.#kernel.addEventListener('message', (e: MessageEvent<unknown>) => {
      const report = decodeKernelReport(e.data);
      if (!report.ok) return this.#fail(`malformed kernel report: ${report.error}`);
      const r = report.value;
      if (r.kind === 'failed') return this.#fail(`boot failed: ${r.reason}`);
      if (r.kind !== 'log') return;
      const { source, level, message } = r.event;
      if (source === init) {
        try {
          const record = reader.push(message);
          if (record) this.#arrive(record);
        } catch (error) {
          this.#fail(`${init} sent a bad record: ${error instanceof Error ? error.message : String(error)}`);
        }
        return;
      }
      if (level !== 'info') progress(`[${source} ${level}] ${message}`);
      // pid 1 ending before its last record means it crashed, faulted or was killed.
      if (source === 'kernel' && message.startsWith(`${init} (pid 1) `) && !this.#done)
        this.#fail(`pid 1 ended before it was done: ${message}`);
    });
    const request: BootRequest = { kind: 'boot', initTimeoutMs: BOOT_LIMITS.INIT_TIMEOUT_MS, init };
    this.#kernel.postMessage(request);
  }

  /** The next record, in order; rejects once the run has failed. */
  next(): Promise<Arrival> {
    const ready = this.#queue.shift();
    if (ready) return Promise.resolve(ready);
    if (this.#failure) return Promise.reject(this.#failure);
    return new Promise((resolve, reject) => (this.#waiter = { resolve, reject }));
  }

  /** Stops the kernel and, with it, every domain. */
  terminate(): void {
    this.#kernel.terminate();
    this.#fail('kernel terminated');
  }

  #arrive(record: DriverRecord): void {
    if (record.kind === 'done') this.#done = true;
    if (record.kind === 'error') return this.#fail(`pid 1 failed: ${record.message}`);
    const arrival = { record, at: performance.now() };
    const waiter = this.#waiter;
    this.#waiter = null;
    if (waiter) waiter.resolve(arrival);
    else this.#queue.push(arrival);
  }

  #fail(reason: string): void {
    this.#failure ??= new Error(reason);
    this.#waiter?.reject(this.#failure);
    this.#waiter = null;
  }
}
