// What the bench programs know of each other. Layer: apps.
//
// When the kernel runs bench-ipc as pid 1, its initial handles are the audit log and
// then one Program capability per entry of the kernel's program table but itself, in
// table order (src/kernel/programs.ts, src/kernel/boot.ts). This list mirrors that
// order; bench-ipc checks each handle is a Program, and each helper proves which
// program it is (its HELLO), so a reordered table fails loudly instead of measuring
// the wrong thing.

/** The kernel's program table, in order (bench-ipc itself included). */
export const PROGRAM_TABLE = [
  'init',
  'bench-ipc',
  'bench-echo',
  'bench-sink',
  'bench-empty',
  'bench-idle',
] as const;
export type ProgramName = (typeof PROGRAM_TABLE)[number];

/** Index into pid 1's initial handles of `program`'s Program capability, when `self` is pid 1. */
export function programHandleIndex(program: ProgramName, self: ProgramName): number {
  const others = PROGRAM_TABLE.filter((p) => p !== self);
  const at = others.indexOf(program);
  if (at === -1) throw new Error(`${program} is not in the program table`);
  return 1 + at; // handle 0 is the audit log
}

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
