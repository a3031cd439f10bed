// The `wasi` loader's own arguments: `--preopen=PATH`… then `--` and the command's argv.
// Layer: workers. The argv comes from the spawner, which may be any program: it is checked.
import { err, ok, type Result } from '../../abi/result.ts';

export interface LoaderArgs {
  readonly preopens: readonly string[];
  readonly argv: readonly string[];
}

/** Splits the loader's argv; the command must have a name (its argv[0]). */
export function parseLoaderArgs(argv: readonly string[]): Result<LoaderArgs> {
  const end = argv.indexOf('--');
  if (end === -1) return err('the loader expects `--` before the command');
  const preopens: string[] = [];
  for (const a of argv.slice(0, end)) {
    if (!a.startsWith('--preopen=') || a.length === '--preopen='.length)
      return err(`bad loader option "${a}"`);
    preopens.push(a.slice('--preopen='.length));
  }
  const command = argv.slice(end + 1);
  if (command.length === 0) return err('no command after `--`');
  return ok({ preopens, argv: command });
}

/** The loader's argv for a command with these preopens (the inverse of parseLoaderArgs). */
export const loaderArgs = (preopens: readonly string[], argv: readonly string[]): string[] => [
  ...preopens.map((p) => `--preopen=${p}`),
  '--',
  ...argv,
];
