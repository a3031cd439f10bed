// The kernel's table of built-in programs: how to start each one's worker.
// Layer: kernel. Each entry is a literal `new Worker(new URL(...))` so the bundler
// builds the program as its own worker chunk. init gets a Program capability for every
// entry but itself, in table order (see boot.ts); issue "Filesystem" adds programs
// loaded from files.
//
// The bench-* programs are built in so that `npm run bench -- ipc` measures the real
// system: the page boots this kernel with init = "bench-ipc", which drives the other
// bench programs as ordinary domains, through the same rings and syscalls as any program.
// bench-ipc takes their Program handles by position: keep them in the order that
// src/apps/bench/programs.ts lists, after init.
export const PROGRAMS: Readonly<Record<string, (name: string) => Worker>> = {
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
};
