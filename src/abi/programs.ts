// The built-in programs and what pid 1 is given at boot. Layer: abi: the kernel's
// program table (src/kernel/programs.ts) and the programs that run as pid 1 (init, the
// benchmark and conformance drivers) both follow this list, and a test keeps the
// kernel's table in step with it.
//
// pid 1's initial handles, in order: 0 the audit log; then a Program capability for
// every built-in program but itself, in table order; then a handle to its own Process
// (INSPECT, WAIT, DUPLICATE, TRANSFER), so it can list the whole process tree and give
// an INSPECT-only copy on; then its end of the host link,
// the channel whose peer the kernel relays to the page (ADR 0011); last, only when the
// page shows a desktop, the Display (ADR 0017).

export const BUILTIN_PROGRAMS = [
  'init',
  'bench-ipc',
  'bench-echo',
  'bench-sink',
  'bench-empty',
  'bench-idle',
  'conformance',
  'conformance-peer',
  'fs',
  'fs-check',
  'fs-crash',
  'bench-fs',
  'wasi',
  'compositor',
  'clock',
  'bench-window',
  'panel',
  'paint',
  'lamp',
  'terminal',
  'sh',
  'utils',
] as const;

export type BuiltinProgram = (typeof BUILTIN_PROGRAMS)[number];

/**
 * The TypeScript core utilities (ADR 0022): one program, `utils`, that runs as whichever
 * of these argv[0] names. Each is a file in /bin whose first line is UTILITY_MARK.
 */
export const UTILITIES = ['caps', 'kill', 'ps', 'snap', 'top'] as const;
export const UTILITY_MARK = '#!tessera:utils';
/**
 * The first line of a /bin program not installed yet (ADR 0022), then its name, size and
 * SHA-256: `#!tessera:lazy NAME SIZE SHA256`. The shell fetches `/bin/NAME` from the
 * page's origin the first time it runs one, checks it and puts it in place of the stub.
 */
export const LAZY_MARK = '#!tessera:lazy';

/** Index into pid 1's initial handles of `program`'s Program capability, when `self` runs as pid 1. */
export function programHandleIndex(program: BuiltinProgram, self: BuiltinProgram): number {
  const others = BUILTIN_PROGRAMS.filter((p) => p !== self);
  const at = others.indexOf(program);
  if (at === -1) throw new Error(`${program} is not another built-in program`);
  return 1 + at; // handle 0 is the audit log
}

/** Index into pid 1's initial handles of its own Process handle. */
export const SELF_PROCESS_HANDLE_INDEX = BUILTIN_PROGRAMS.length;

/** Index into pid 1's initial handles of its end of the host link (a channel; ADR 0011). */
export const HOST_LINK_HANDLE_INDEX = SELF_PROCESS_HANDLE_INDEX + 1;

/** Index into pid 1's initial handles of the page's Display, when the page has one (ADR 0017). */
export const DISPLAY_HANDLE_INDEX = HOST_LINK_HANDLE_INDEX + 1;

/** An app the desktop's launcher lists (issue 6): its program, its name and words it is found by. */
export interface LauncherApp {
  readonly program: BuiltinProgram;
  readonly title: string;
  readonly keywords: string;
}

export const LAUNCHER_APPS: readonly LauncherApp[] = [
  { program: 'clock', title: 'Clock', keywords: 'time date watch' },
  { program: 'paint', title: 'Paint', keywords: 'draw picture brush' },
  { program: 'lamp', title: 'Lamp', keywords: 'light gpu shader webgpu' },
  { program: 'terminal', title: 'Terminal', keywords: 'shell console command line sh' },
];
