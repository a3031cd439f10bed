// The kernel's table of built-in programs: how to start each one's worker, in the order
// of src/abi/programs.ts (pid 1 takes their Program handles by position).
// Layer: kernel. Each entry is a literal `new Worker(new URL(...))` so the bundler
// builds the program as its own worker chunk. Issue "Filesystem" adds programs loaded
// from files.
//
// The bench-* programs are built in so that `npm run bench -- ipc` measures the real
// system: the page boots this kernel with init = "bench-ipc", which drives the other
// bench programs as ordinary domains; `npm run bench -- fs` boots it with init =
// "bench-fs", which drives the fs program. Likewise `?init=conformance` runs the kernel's
// conformance suite in the browser (e2e/kernel.spec.ts) against conformance-peer
// domains, which play the well-behaved and the hostile programs, by process name.
import type { BuiltinProgram } from '../abi/programs.ts';

export const PROGRAMS: Readonly<Record<BuiltinProgram, (name: string) => Worker>> = {
  init: (name) =>
    new Worker(new URL('../apps/init/init.worker.ts', import.meta.url), { type: 'module', name }),
  'bench-ipc': (name) =>
    new Worker(new URL('../apps/bench/ipc.worker.ts', import.meta.url), { type: 'module', name }),
  'bench-echo': (name) =>
    new Worker(new URL('../apps/bench/echo.worker.ts', import.meta.url), { type: 'module', name }),
  'bench-sink': (name) =>
    new Worker(new URL('../apps/bench/sink.worker.ts', import.meta.url), { type: 'module', name }),
  'bench-empty': (name) =>
    new Worker(new URL('../apps/bench/empty.worker.ts', import.meta.url), { type: 'module', name }),
  'bench-idle': (name) =>
    new Worker(new URL('../apps/bench/idle.worker.ts', import.meta.url), { type: 'module', name }),
  conformance: (name) =>
    new Worker(new URL('../apps/conformance/conformance.worker.ts', import.meta.url), {
      type: 'module',
      name,
    }),
  'conformance-peer': (name) =>
    new Worker(new URL('../apps/conformance/peer.worker.ts', import.meta.url), { type: 'module', name }),
  fs: (name) => new Worker(new URL('../fs/server.worker.ts', import.meta.url), { type: 'module', name }),
  'fs-check': (name) =>
    new Worker(new URL('../apps/conformance/fs-check.worker.ts', import.meta.url), { type: 'module', name }),
  'fs-crash': (name) =>
    new Worker(new URL('../apps/conformance/fs-crash.worker.ts', import.meta.url), { type: 'module', name }),
  'bench-fs': (name) =>
    new Worker(new URL('../apps/bench/fs.worker.ts', import.meta.url), { type: 'module', name }),
  wasi: (name) =>
    new Worker(new URL('../apps/wasi/wasi.worker.ts', import.meta.url), { type: 'module', name }),
  compositor: (name) =>
    new Worker(new URL('../gpu/compositor.worker.ts', import.meta.url), { type: 'module', name }),
  clock: (name) =>
    new Worker(new URL('../apps/clock/clock.worker.ts', import.meta.url), { type: 'module', name }),
  'bench-window': (name) =>
    new Worker(new URL('../apps/bench/window.worker.ts', import.meta.url), { type: 'module', name }),
  panel: (name) =>
    new Worker(new URL('../apps/panel/panel.worker.ts', import.meta.url), { type: 'module', name }),
  paint: (name) =>
    new Worker(new URL('../apps/paint/paint.worker.ts', import.meta.url), { type: 'module', name }),
  lamp: (name) =>
    new Worker(new URL('../apps/lamp/lamp.worker.ts', import.meta.url), { type: 'module', name }),
  terminal: (name) =>
    new Worker(new URL('../apps/terminal/terminal.worker.ts', import.meta.url), { type: 'module', name }),
  sh: (name) =>
    new Worker(new URL('../apps/shell/shell.worker.ts', import.meta.url), { type: 'module', name }),
  utils: (name) =>
    new Worker(new URL('../apps/utils/utils.worker.ts', import.meta.url), { type: 'module', name }),
};

/**
 * Programs the kernel keeps warm workers for (worker-pool.ts): spawned often, and their
 * spawn-to-exit time is what a user waits for (every WASI command is a `wasi` process).
 */
export const POOLED_PROGRAMS: readonly BuiltinProgram[] = ['wasi'];
