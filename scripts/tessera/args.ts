// `tessera run`'s command line, parsed. Layer: scripts (node). The user's words are checked
// here so that a bad flag is a usage message, never a half-started browser.
import { basename } from 'node:path';

export interface DirMapping {
  /** The directory on the host. */
  readonly host: string;
  /** The name the program sees it under (its preopen): `/` or a path. */
  readonly guest: string;
}

export interface RunArgs {
  readonly dirs: readonly DirMapping[];
  readonly env: readonly string[];
  readonly stdin: string | null;
  readonly json: boolean;
  readonly program: string;
  readonly args: readonly string[];
}

export const USAGE =
  'usage: tessera run [--dir HOST[::GUEST]]... [--env K=V]... [--stdin FILE] [--json] PROGRAM.wasm [ARGS...]';

/** Parses the words after `tessera`; an error says what was wrong, for a usage message. */
export function parseRunArgs(words: readonly string[]): RunArgs | string {
  if (words[0] !== 'run') return `unknown command "${words[0] ?? ''}"`;
  const dirs: DirMapping[] = [];
  const env: string[] = [];
  let stdin: string | null = null;
  let json = false;
  let i = 1;
  for (; i < words.length; i++) {
    const w = words[i] ?? '';
    const value = (): string | null => words[++i] ?? null;
    if (w === '--json') json = true;
    else if (w === '--dir') {
      const v = value();
      if (v === null) return '--dir needs HOST[::GUEST]';
      const [host = '', guest] = v.split('::');
      if (host === '') return `--dir ${v}: no host directory`;
      dirs.push({ host, guest: guest === undefined || guest === '' ? basename(host) : guest });
    } else if (w === '--env') {
      const v = value();
      if (v === null || !/^[^=\0]+=/.test(v)) return '--env needs K=V';
      env.push(v);
    } else if (w === '--stdin') {
      const v = value();
      if (v === null) return '--stdin needs a FILE';
      stdin = v;
    } else if (w === '--') {
      i++;
      break;
    } else if (w.startsWith('--')) return `unknown option ${w}`;
    else break;
  }
  const program = words[i];
  if (program === undefined) return 'no PROGRAM.wasm';
  const guests = dirs.map((d) => d.guest);
  if (new Set(guests).size !== guests.length) return 'two --dir options name the same GUEST';
  return { dirs, env, stdin, json, program, args: words.slice(i + 1) };
}
