// Kernel boot: creates the kernel, starts init with its initial capabilities (then its
// end of the host link, host-relay.ts, and the page's Display if it has one) and reports
// to the host once init is running (its first syscall was served), or why it is not.
// Layer: kernel.
import type { BootRequest } from '../abi/boot.ts';
import { DEFAULT_RIGHTS, ObjectType, Signal } from '../abi/objects.ts';
import { Capability } from './capability.ts';
import { HostRelay } from './host-relay.ts';
import { Kernel, type KernelHost } from './kernel.ts';
import { Display } from './objects/display.ts';
import { Program } from './objects/program.ts';
import type { Process } from './process.ts';

type InitOutcome = { kind: 'running' } | { kind: 'ended'; reason: string } | { kind: 'timed-out' };

/**
 * Boots and returns the running kernel, or null after reporting `failed` (init is then
 * gone and the kernel stopped). `programs` are the built-in programs init may start.
 */
export async function bootKernel(
  request: BootRequest,
  host: KernelHost,
  programs: readonly string[],
): Promise<Kernel | null> {
  const kernel = new Kernel(host);
  kernel.log('kernel', 'info', 'kernel worker started');
  if (typeof SharedArrayBuffer !== 'function') {
    host.report({
      kind: 'failed',
      at: host.now(),
      reason: 'SharedArrayBuffer is unavailable in the kernel worker',
    });
    return null;
  }
  const caps = [
    Capability.root(kernel.audit, DEFAULT_RIGHTS[ObjectType.AUDIT]),
    ...programs
      .filter((p) => p !== request.init)
      .map((p) => Capability.root(new Program(p), DEFAULT_RIGHTS[ObjectType.PROGRAM])),
  ];
  void kernel.run();
  kernel.watch();
  let settle: (o: InitOutcome) => void = () => undefined;
  const outcome = new Promise<InitOutcome>((resolve) => (settle = resolve));
  kernel.onRunning = (p) => {
    if (p.pid === 1) settle({ kind: 'running' });
  };
  let ready = false;
  const { relay, domainEnd } = HostRelay.create({
    // Before `ready`, init ending is reported as the boot's failure, which says more.
    report: (r) => (ready || r.kind !== 'host-closed' ? host.report(r) : undefined),
    log: (level, message) => kernel.log('kernel', level, message),
  });
  kernel.hostLink = relay;
  // The page's screen, when it shows a desktop: init hands it to the compositor.
  const display = request.display
    ? [Capability.root(new Display(request.display), DEFAULT_RIGHTS[ObjectType.DISPLAY])]
    : [];
  const init = kernel.spawnInit(caps, request.init, [domainEnd, ...display]);
  if (!init) {
    kernel.stop(); // closes the relay first, so the page hears no 'host-closed'
    domainEnd.close();
    host.report({ kind: 'failed', at: host.now(), reason: `no program "${request.init}" to run as init` });
    return null;
  }
  watchEnd(init, (reason) => settle({ kind: 'ended', reason }));
  const timer = host.clock.setTimeout(() => settle({ kind: 'timed-out' }), request.initTimeoutMs);

  const result = await outcome;
  host.clock.clearTimeout(timer);
  if (result.kind === 'running') {
    kernel.log('kernel', 'info', `init running (pid ${init.pid})`);
    ready = true;
    host.report({ kind: 'ready', at: host.now(), initPid: init.pid });
    return kernel;
  }
  const reason =
    result.kind === 'timed-out'
      ? `init did not start within ${request.initTimeoutMs} ms`
      : `init ${result.reason}`;
  kernel.stop();
  kernel.log('kernel', 'error', reason);
  host.report({ kind: 'failed', at: host.now(), reason });
  return null;
}

/** Calls `ended` with the process's reason once it terminates. */
function watchEnd(process: Process, ended: (reason: string) => void): void {
  const witness = Capability.root(process, DEFAULT_RIGHTS[ObjectType.PROCESS]);
  process.observe({
    mask: Signal.TERMINATED,
    capability: witness,
    fire: () => ended(process.reason),
    abort: () => undefined,
  });
}
