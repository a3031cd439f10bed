// Kernel boot: brings up init, the first protection domain, and reports to the host.
// Layer: kernel. Trusts nothing a domain sends: every message is decoded, and a
// domain that breaks the protocol is faulted (terminated), never obeyed.
//
// Provisional: the kernel<->domain half is the postMessage handshake of src/abi/boot.ts.
// Issue "Kernel" swaps it for syscall rings; the Launcher/DomainLink seam stays.
import {
  decodeDomainLog,
  DOMAIN_STATE,
  DOMAIN_STATUS,
  type BootRequest,
  type DomainBootstrap,
  type KernelReport,
  type LogLevel,
} from '../abi/boot.ts';

/** The kernel's end of one domain worker. */
export interface DomainLink {
  post(message: DomainBootstrap): void;
  /** Called with every message the domain sends, undecoded. */
  onMessage(listener: (data: unknown) => void): void;
  /** Called when the domain's worker dies of an uncaught error. */
  onCrash(listener: (reason: string) => void): void;
  terminate(): void;
}

export type ProgramName = 'init';

/** What the kernel needs from its surroundings; injected so tests run it in node. */
export interface KernelEnv {
  launch(program: ProgramName): DomainLink;
  report(report: KernelReport): void;
  /** Milliseconds on the shared epoch (performance.timeOrigin + performance.now()). */
  now(): number;
}

const INIT_PID = 1;

type InitOutcome =
  { kind: 'running' } | { kind: 'timed-out' } | { kind: 'crashed' | 'faulted'; reason: string };

/**
 * Spawns init and waits until it reports running, crashes, breaks the protocol or
 * times out. Reports `ready` or `failed` to the host exactly once. On failure the
 * init worker is terminated, so nothing is left running.
 */
export async function bootKernel(request: BootRequest, env: KernelEnv): Promise<void> {
  const log = (source: string, level: LogLevel, message: string): void =>
    env.report({ kind: 'log', event: { at: env.now(), source, level, message } });

  log('kernel', 'info', 'kernel worker started');
  if (typeof SharedArrayBuffer !== 'function') {
    env.report({
      kind: 'failed',
      at: env.now(),
      reason: 'SharedArrayBuffer is unavailable in the kernel worker',
    });
    return;
  }

  const status = new SharedArrayBuffer(DOMAIN_STATUS.BYTES);
  const state = new Int32Array(status);
  const init = env.launch('init');
  log('kernel', 'info', `spawned init (pid ${INIT_PID})`);

  let settle: (outcome: InitOutcome) => void = () => undefined;
  const outcome = new Promise<InitOutcome>((resolve) => (settle = resolve));
  let running = false;

  init.onMessage((data) => {
    const message = decodeDomainLog(data);
    if (message.ok) {
      log('init', message.value.level, message.value.message);
      return;
    }
    init.terminate();
    const reason = `protocol violation: ${message.error}`;
    if (running) log('kernel', 'error', `init faulted and was terminated: ${reason}`);
    settle({ kind: 'faulted', reason });
  });
  init.onCrash((reason) => {
    if (running) log('kernel', 'error', `init crashed: ${reason}`);
    settle({ kind: 'crashed', reason });
  });
  init.post({ kind: 'bootstrap', pid: INIT_PID, name: 'init', status });

  void waitForInit(state, env.now() + request.initTimeoutMs, env).then(settle);

  const result = await outcome;
  if (result.kind === 'running') {
    running = true;
    log('kernel', 'info', `init running (pid ${INIT_PID})`);
    env.report({ kind: 'ready', at: env.now(), initPid: INIT_PID });
    return;
  }
  init.terminate();
  const reason =
    result.kind === 'timed-out'
      ? `init did not report running within ${request.initTimeoutMs} ms`
      : `init ${result.kind}: ${result.reason}`;
  log('kernel', 'error', reason);
  env.report({ kind: 'failed', at: env.now(), reason });
}

/** Waits on init's status word until it leaves STARTING or the deadline passes. */
async function waitForInit(
  state: Int32Array<SharedArrayBuffer>,
  deadline: number,
  env: KernelEnv,
): Promise<InitOutcome> {
  for (;;) {
    const current = Atomics.load(state, DOMAIN_STATUS.STATE);
    if (current === DOMAIN_STATE.RUNNING) return { kind: 'running' };
    if (current !== DOMAIN_STATE.STARTING)
      return { kind: 'faulted', reason: `init stored unknown state ${current}` };
    const left = deadline - env.now();
    if (left <= 0) return { kind: 'timed-out' };
    // A wake-up without a state change (spurious or hostile) just loops.
    await Atomics.waitAsync(state, DOMAIN_STATUS.STATE, DOMAIN_STATE.STARTING, left).value;
  }
}
