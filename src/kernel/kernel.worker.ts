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

function link(worker: Worker): DomainLink {
  return {
    post: (message) => worker.postMessage(message),
    onMessage: (listener) => worker.addEventListener('message', (e) => listener(e.data)),
    onCrash: (listener) => {
      worker.addEventListener('error', (e) => {
        e.preventDefault();
        listener(e.message || 'uncaught error (no message)');
      });
      worker.addEventListener('messageerror', () =>
        listener('sent a message that could not be deserialized'),
      );
    },
    terminate: () => worker.terminate(),
  };
}

const start = (program: string, name: string): Worker | null =>
  Object.hasOwn(PROGRAMS, program) ? PROGRAMS[program as BuiltinProgram](name) : null;

// Started at once: their workers load while the kernel boots.
const pool = new WorkerPool(POOLED_PROGRAMS, start);

const host: KernelHost = {
  launch: (program, name) => {
    const worker = pool.take(program) ?? start(program, name);
    return worker ? link(worker) : null;
  },
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
