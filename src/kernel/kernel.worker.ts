// Kernel worker entry point: wires the boot sequence to real Workers and to the host.
// Layer: kernel. The host's first message must be a valid BootRequest; anything
// else is answered with `failed` and ignored.
import { decodeBootRequest, type KernelReport } from '../abi/boot.ts';
import { bootKernel, type DomainLink, type KernelEnv, type ProgramName } from './boot.ts';
import { PROGRAMS } from './programs.ts';

declare const self: DedicatedWorkerGlobalScope;

function link(worker: Worker): DomainLink {
  return {
    post: (message) => worker.postMessage(message),
    onMessage: (listener) => worker.addEventListener('message', (e) => listener(e.data)),
    onCrash: (listener) => {
      worker.addEventListener('error', (e) => listener(e.message || 'uncaught error (no message)'));
      worker.addEventListener('messageerror', () =>
        listener('sent a message that could not be deserialized'),
      );
    },
    terminate: () => worker.terminate(),
  };
}

const env: KernelEnv = {
  launch: (program: ProgramName) => link(PROGRAMS[program]()),
  report: (report: KernelReport) => self.postMessage(report),
  now: () => performance.timeOrigin + performance.now(),
};

let booted = false;
self.addEventListener('message', (e: MessageEvent<unknown>) => {
  const request = decodeBootRequest(e.data);
  if (!request.ok || booted) {
    const reason = request.ok ? 'the kernel is already booted' : `bad boot request: ${request.error}`;
    env.report({ kind: 'failed', at: env.now(), reason });
    return;
  }
  booted = true;
  void bootKernel(request.value, env);
});
