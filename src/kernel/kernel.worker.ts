// Kernel worker entry point: wires the kernel to real Workers and to the host page.
// Layer: kernel. The host's first message must be a valid BootRequest; anything else is
// answered with `failed` and ignored.
import { decodeBootRequest, type KernelReport } from '../abi/boot.ts';
import { bootKernel } from './boot.ts';
import type { KernelHost } from './kernel.ts';
import type { DomainLink } from './process.ts';
import { PROGRAMS } from './programs.ts';
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

const host: KernelHost = {
  launch: (program, name) => {
    const start = Object.hasOwn(PROGRAMS, program) ? PROGRAMS[program as BuiltinProgram] : undefined;
    return start ? link(start(name)) : null;
  },
  report: (report: KernelReport) => self.postMessage(report),
  now: () => performance.timeOrigin + performance.now(),
  clock: { setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (id) => clearTimeout(id as number) },
};

let booted = false;
self.addEventListener('message', (e: MessageEvent<unknown>) => {
  const request = decodeBootRequest(e.data);
  if (!request.ok || booted) {
    const reason = request.ok ? 'the kernel is already booted' : `bad boot request: ${request.error}`;
    host.report({ kind: 'failed', at: host.now(), reason });
    return;
  }
  booted = true;
  void bootKernel(request.value, host, Object.keys(PROGRAMS));
});
