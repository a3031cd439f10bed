// The shell's execution state (ADR 0022): jobs, the streams a command's fds go to, and
// the frames commands run in — the interactive shell's, or a script's. Layer: apps; types.
import type { Channel } from '../../workers/channel.ts';
import type { FsFile } from '../../workers/fs-client.ts';

export interface Job {
  readonly id: number;
  readonly text: string;
  readonly processes: readonly { readonly process: number; readonly pid: number }[];
  /** Resolves with the last command's status once every process and stage of the job ended. */
  readonly done: Promise<number>;
  /** This side of the control channels of the job's utilities (for size changes). */
  readonly controls: readonly Channel[];
  state: 'running' | 'stopped' | 'done';
}

/**
 * Where one of a command's fds goes: the pty (the child gets a duplicate), a handle made
 * for this command alone (moved to it), or a handle the command shares with others (a
 * script's stdout, which each of its commands gets a duplicate of).
 */
export type Stream =
  | { readonly kind: 'tty' }
  | { readonly kind: 'owned'; readonly handle: number }
  | { readonly kind: 'shared'; readonly handle: number };
export type Fds = [Stream, Stream, Stream];

export const TTY: Stream = { kind: 'tty' };

/** The context a list of commands runs in: the interactive shell's, or a script's. */
export interface Frame {
  /** Its variables: a script starts with the exported ones of the frame that ran it. */
  readonly vars: Map<string, string>;
  readonly exported: Set<string>;
  /** Its working directory (absolute), which commands it runs start in (as $PWD). */
  cwd: string;
  /** $0, $1, … */
  readonly positional: readonly string[];
  /** Where its commands' fds go unless redirected. */
  readonly io: Fds;
  /** Whether its jobs take the terminal (not when the script itself runs in the background). */
  readonly foreground: boolean;
  readonly depth: number;
  /** Set by `exit`; ends the frame. */
  exit: number | null;
  /** Set by Ctrl-C while it runs in the foreground; ends the frame. */
  interrupted: boolean;
}

/** What a command name found in $PATH is. */
export type Found =
  | { readonly kind: 'wasm'; readonly file: FsFile }
  | { readonly kind: 'utils' }
  | { readonly kind: 'script'; readonly path: string; readonly text: string };

/** One started stage of a pipeline: a process, or work the shell does itself. */
export type Stage =
  | { readonly kind: 'process'; readonly process: number; readonly pid: number }
  | { readonly kind: 'task'; readonly done: Promise<number> };
