// The kernel's table of built-in programs: how to start each one's worker.
// Layer: kernel. Each entry is a literal `new Worker(new URL(...))` so the bundler
// builds the program as its own worker chunk. Issue "Kernel" turns this into
// program capabilities; until then this table is the whole of "exec".
import type { ProgramName } from './boot.ts';

export const PROGRAMS: Record<ProgramName, () => Worker> = {
  init: () =>
    new Worker(new URL('../apps/init/init.worker.ts', import.meta.url), { type: 'module', name: 'init' }),
};
