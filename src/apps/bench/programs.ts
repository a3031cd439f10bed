// What the bench programs know of each other. Layer: apps.
//
// When the kernel runs bench-ipc as pid 1, its initial handles follow src/abi/programs.ts;
// bench-ipc checks each handle is a Program, and each helper proves which program it is
// (its HELLO), so a table out of step fails loudly instead of measuring the wrong thing.

import type { BuiltinProgram } from '../../abi/programs.ts';

export { programHandleIndex } from '../../abi/programs.ts';
export type ProgramName = BuiltinProgram;

/**
 * The first message a helper writes on the channel it is given: its program name. The
 * exit code of bench-empty plays the same part.
 */
export const hello = (program: ProgramName): Uint8Array => new TextEncoder().encode(`hello ${program}`);

/** bench-empty's exit code. */
export const EMPTY_EXIT_CODE = 0;

/** Sink protocol: the sink answers each stream with DONE (and, after cleaning up, CLEAN). */
export const SINK = {
  /** Messages of one stream: each `bytes` long, stamped; each carries `handles` handles. */
  DONE: 1,
  CLEAN: 2,
} as const;
