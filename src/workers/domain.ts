// The runtime every protection domain links: waits for the kernel's bootstrap,
// runs the program's main, then tells the kernel it is running.
// Layer: workers. Provisional (postMessage bootstrap + a shared status word); issue
// "Kernel" replaces it with the syscall ring client behind the same DomainContext.
import {
  decodeDomainBootstrap,
  DOMAIN_STATE,
  DOMAIN_STATUS,
  type DomainLog,
  type LogLevel,
} from '../abi/boot.ts';

export interface DomainContext {
  readonly pid: number;
  readonly name: string;
  /** Appends a line to the boot log, through the kernel. */
  log(level: LogLevel, message: string): void;
}

/** The part of a worker's global scope the runtime uses; injectable for tests. */
export interface DomainScope {
  addEventListener(
    type: 'message',
    listener: (e: MessageEvent<unknown>) => void,
    options?: { once?: boolean },
  ): void;
  postMessage(message: DomainLog): void;
}

/**
 * Runs `main` once the kernel's bootstrap arrives. A malformed bootstrap, or a main
 * that throws, is an uncaught error: the worker dies and the kernel sees it crash.
 */
export function startDomain(main: (ctx: DomainContext) => void | Promise<void>, scope: DomainScope): void {
  scope.addEventListener(
    'message',
    (e) => {
      const bootstrap = decodeDomainBootstrap(e.data);
      if (!bootstrap.ok) throw new Error(`bad bootstrap from the kernel: ${bootstrap.error}`);
      const { pid, name, status } = bootstrap.value;
      const ctx: DomainContext = {
        pid,
        name,
        log: (level, message) =>
          scope.postMessage({ kind: 'log', at: performance.timeOrigin + performance.now(), level, message }),
      };
      const markRunning = (): void => {
        const state = new Int32Array(status);
        Atomics.store(state, DOMAIN_STATUS.STATE, DOMAIN_STATE.RUNNING);
        Atomics.notify(state, DOMAIN_STATUS.STATE);
      };
      // A rejected main must kill the worker like a throw would: rethrow it from a
      // task so it becomes an uncaught error the kernel sees as a crash.
      const crash = (error: unknown): void => {
        setTimeout(() => {
          throw error;
        });
      };
      new Promise<void>((resolve) => resolve(main(ctx))).then(markRunning, crash);
    },
    { once: true },
  );
}
