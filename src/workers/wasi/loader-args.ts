// The `wasi` loader's own arguments: `--preopen=PATH`…, `--module-digest` if the module's
// File channel starts with the fs server's digest notice (FsOpen.DIGEST), then `--` and
// the command's argv. Layer: workers. The argv comes from the spawner, which may be any
// program: it is checked, and `--module-digest` only tells the loader where to look (the
// notice itself is the fs server's word, or is not there).
import { err, ok, type Result } from '../../abi/result.ts';

export interface LoaderArgs {
  readonly preopens: readonly string[];
  /** The module was opened with FsOpen.DIGEST: its channel's first message is the digest. */
  readonly moduleDigest: boolean;
  readonly argv: readonly string[];
}

const PREOPEN = '--preopen=';
const MODULE_DIGEST = '--module-digest';

/** Splits the loader's argv; the command must have a name (its argv[0]). */
export function parseLoaderArgs(argv: readonly string[]): Result<LoaderArgs> {
  const end = argv.indexOf('--');
  if (end === -1) return err('the loader expects `--` before the command');
  const preopens: string[] = [];
  let moduleDigest = false;
  for (const a of argv.slice(0, end)) {
    if (a === MODULE_DIGEST && !moduleDigest) moduleDigest = true;
    else if (a.startsWith(PREOPEN) && a.length > PREOPEN.length) preopens.push(a.slice(PREOPEN.length));
    else return err(`bad loader option "${a}"`);
  }
  const command = argv.slice(end + 1);
  if (command.length === 0) return err('no command after `--`');
  return ok({ preopens, moduleDigest, argv: command });
}

/** The loader's argv for a command with these preopens (the inverse of parseLoaderArgs). */
export const loaderArgs = (
  preopens: readonly string[],
  argv: readonly string[],
  moduleDigest = false,
): string[] => [
  ...preopens.map((p) => `${PREOPEN}${p}`),
  ...(moduleDigest ? [MODULE_DIGEST] : []),
  '--',
  ...argv,
];
