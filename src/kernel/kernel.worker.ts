// Kernel worker entry point: wires the kernel to real Workers and to the host page.
// Layer: kernel. The host's first message must be a valid BootRequest; anything else is
// answered with `failed` and ignored. Later messages are host-link bytes (ADR 0011),
// decoded and bounded here, refused back to the page ('host-refused') if they are not.
import { decodeBootRequest, decodeHostLinkMessage, type KernelReport } from '../abi/boot.ts';
import { bootKernel } from './boot.ts';
import type { Kernel, KernelHost } from './kernel.ts';
import type { DomainLink } from './process.ts';
import { POOLED_PROGRAMS, PROGRAMS } from './programs.ts';
import { WorkerPool } from './worker-pool.ts';
import type { BuiltinProgram } from '../abi/programs.ts';

declare const self: DedicatedWorkerGlobalScope;

const start = (program: string, name: string): Worker | null =>
  Object.hasOwn(PROGRAMS, program) ? PROGRAMS[program as BuiltinProgram](name) : null;

/** Listeners on ready pool workers: one that fails or speaks while idle is dropped. */
const idle = new Map<Worker, AbortController>();

function watchIdle(program: string, worker: Worker): void {
  const watch = new AbortController();
  idle.set(worker, watch);
  const drop = (): void => {
    watch.abort();
    idle.delete(worker);
    pool.discard(program, worker);
    worker.terminate();
  };
  worker.addEventListener('error', drop, { signal: watch.signal });
  worker.addEventListener('message', drop, { signal: watch.signal });
}

// Started at once: their workers load while the kernel boots.
const pool = new WorkerPool(
  POOLED_PROGRAMS,
  (program, name) => {
    const worker = start(program, name);
    if (worker) watchIdle(program, worker);
    return worker;
  },
  (fn, ms) => void setTimeout(fn, ms),
);

function link(worker: Worker, program: string): DomainLink {
  // Aborted when the process ends, so a reused worker carries no listener of the last one.
  const attached = new AbortController();
  const { signal } = attached;
  const terminate = (): void => {
    attached.abort();
    pool.lost(worker);
    worker.terminate();
  };
  const retire = (): void => {
    attached.abort();
    const out = pool.give(program, worker);
    if (out !== worker) watchIdle(program, worker);
    if (out) {
      idle.get(out)?.abort();
      idle.delete(out);
      out.terminate();
    }
  };
  return {
    post: (message, transfer) => worker.postMessage(message, (transfer ?? []) as Transferable[]),
    onMessage: (listener) => worker.addEventListener('message', (e) => listener(e.data), { signal }),
    onCrash: (listener) => {
      worker.addEventListener(
        'error',
        (e) => {
          e.preventDefault();
          listener(e.message || 'uncaught error (no message)');
        },
        { signal },
      );
      worker.addEventListener(
        'messageerror',
        () => listener('sent a message that could not be deserialized'),
        { signal },
      );
    },
    terminate,
    ...(POOLED_PROGRAMS.includes(program as BuiltinProgram) ? { retire } : {}),
  };
}

function launch(program: string, name: string): DomainLink | null {
  const warm = pool.take(program);
  if (warm) {
    idle.get(warm)?.abort();
    idle.delete(warm);
  }
  const worker = warm ?? start(program, name);
  return worker ? link(worker, program) : null;
}

const host: KernelHost = {
  launch,
  report: (report: KernelReport) => self.postMessage(report),
  now: () => performance.timeOrigin + performance.now(),
  clock: { setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (id) => clearTimeout(id as number) },
};

let booted = false;
let kernel: Kernel | null = null;

/** After boot: bytes for pid 1's host link; anything else is refused back to the page. */
function fromHost(data: unknown): void {
  const message = decodeHostLinkMessage(data);
  const relay = kernel?.hostLink;
  if (message.ok && relay) return relay.deliver(message.value.data);
  const reason = message.ok ? 'the system is not running' : `malformed host message: ${message.error}`;
  kernel?.log('kernel', 'warn', `host link: ${reason}`);
  host.report({ kind: 'host-refused', reason });
}

self.addEventListener('message', (e: MessageEvent<unknown>) => {
  const isBoot =
    typeof e.data === 'object' && e.data !== null && (e.data as { kind?: unknown }).kind === 'boot';
  if (booted && !isBoot) return fromHost(e.data);
  const request = decodeBootRequest(e.data);
  if (!request.ok || booted) {
    const reason = request.ok ? 'the kernel is already booted' : `bad boot request: ${request.error}`;
    host.report({ kind: 'failed', at: host.now(), reason });
    return;
  }
  booted = true;
  void bootKernel(request.value, host, Object.keys(PROGRAMS)).then((k) => (kernel = k));
});
