// In-thread harness for syscall tests: a Kernel whose "domains" are DomainContexts in
// the test's own thread, talking to it over real rings with the async stubs.
// Layer: kernel (test support; imported only by *.test.ts). The domain side is built by
// the caller's `attach` (src/workers/domain.ts), passed in so this file stays in its layer.
import type { DomainBootstrap, KernelReport } from '../abi/boot.ts';
import { Priority } from '../abi/objects.ts';
import { Kernel, type KernelHost } from './kernel.ts';
import type { Capability } from './capability.ts';
import type { DomainLink, Process } from './process.ts';

export interface Harness<Ctx> {
  readonly kernel: Kernel;
  readonly reports: KernelReport[];
  /** How each process's worker was let go: retired (reusable, after its own exit) or terminated. */
  readonly ends: Map<number, 'retired' | 'terminated'>;
  /** Starts a process (init if it is the first) and returns its kernel object and context. */
  start(
    name: string,
    caps?: Capability[],
    priority?: Priority,
  ): { process: Process; ctx: Ctx; bootstrap: DomainBootstrap };
  /** Attaches to a process the kernel started itself (through process.spawn). */
  adopt(pid: number): { process: Process; ctx: Ctx; bootstrap: DomainBootstrap };
  stop(): void;
}

export function harness<Ctx extends { inbox: { deliver(data: unknown): void } }>(
  attach: (b: DomainBootstrap) => Ctx,
): Harness<Ctx> {
  const reports: KernelReport[] = [];
  let captured: DomainBootstrap | null = null;
  const bootstraps = new Map<number, DomainBootstrap>();
  const contexts = new Map<number, Ctx>();
  const ends = new Map<number, 'retired' | 'terminated'>();
  const host: KernelHost = {
    launch: () => {
      let pid = 0;
      const link: DomainLink = {
        // The first message is the bootstrap; later ones go to that domain's inbox.
        post: (m) => {
          if (pid !== 0) return contexts.get(pid)?.inbox.deliver(m);
          captured = m as DomainBootstrap;
          pid = captured.pid;
          bootstraps.set(pid, captured);
        },
        onMessage: () => undefined,
        onCrash: () => undefined,
        terminate: () => void ends.set(pid, 'terminated'),
        // Every harness "worker" could serve again, as a pooled program's can.
        retire: () => void ends.set(pid, 'retired'),
      };
      return link;
    },
    report: (r) => reports.push(r),
    now: () => performance.timeOrigin + performance.now(),
    clock: { setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (id) => clearTimeout(id as number) },
  };
  const kernel = new Kernel(host);
  void kernel.run();
  let first = true;
  return {
    kernel,
    reports,
    ends,
    start(name, caps = [], priority = Priority.INTERACTIVE) {
      const process = first
        ? kernel.spawnInit(caps)
        : kernel.spawn({
            parent: kernel.process(1) as Process,
            program: name,
            name,
            argv: [],
            env: [],
            priority,
            caps,
          });
      first = false;
      if (typeof process === 'number' || !process || !captured) throw new Error('spawn failed');
      const bootstrap: DomainBootstrap = captured;
      captured = null;
      const ctx = attach(bootstrap);
      contexts.set(process.pid, ctx);
      return { process, ctx, bootstrap };
    },
    adopt(pid) {
      const process = kernel.process(pid);
      const bootstrap = bootstraps.get(pid);
      if (!process || !bootstrap) throw new Error(`no process ${pid} to adopt`);
      const ctx = attach(bootstrap);
      contexts.set(pid, ctx);
      return { process, ctx, bootstrap };
    },
    stop: () => kernel.stop(),
  };
}
