// The kernel's table of built-in programs: how to start each one's worker.
// Layer: kernel. Each entry is a literal `new Worker(new URL(...))` so the bundler
// builds the program as its own worker chunk. init gets a Program capability for every
// entry but itself; issue "Filesystem" adds programs loaded from files.
export const PROGRAMS: Readonly<Record<string, (name: string) => Worker>> = {
  init: (name) =>
    new Worker(new URL('../apps/init/init.worker.ts', import.meta.url), { type: 'module', name }),
};
