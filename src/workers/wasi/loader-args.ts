// The `wasi` loader's own arguments: `--preopen=PATH`…, an optional `--digest=HEX`, then
// `--` and the command's argv. Layer: workers. The argv comes from the spawner, which may
// be any program: it is checked.
import { err, ok, type Result } from '../../abi/result.ts';

export interface LoaderArgs {
  readonly preopens: readonly string[];
  /**
   * The module's fs digest as the spawner's open of it was answered (dir.open), or null.
   * Only the spawner's word: the loader trusts it no further than the spawner (ADR 0033).
   */
  readonly digest: string | null;
  readonly argv: readonly string[];
}

/** What a digest may look like: the store's hashes are lowercase hex. */
const DIGEST = /^[0-9a-f]{1,128}$/;

/** Splits the loader's argv; the command must have a name (its argv[0]). */
export function parseLoaderArgs(argv: readonly string[]): Result<LoaderArgs> {
  const end = argv.indexOf('--');
  if (end === -1) return err('the loader expects `--` before the command');
  const preopens: string[] = [];
  let digest: string | null = null;
  for (const a of argv.slice(0, end)) {
    if (a.startsWith('--digest=') && digest === null && DIGEST.test(a.slice('--digest='.length)))
      digest = a.slice('--digest='.length);
    else if (a.startsWith('--preopen=') && a.length > '--preopen='.length)
      preopens.push(a.slice('--preopen='.length));
    else return err(`bad loader option "${a}"`);
  }
  const command = argv.slice(end + 1);
  if (command.length === 0) return err('no command after `--`');
  return ok({ preopens, digest, argv: command });
}

/** The loader's argv for a command with these preopens (the inverse of parseLoaderArgs). */
export const loaderArgs = (
  preopens: readonly string[],
  argv: readonly string[],
  digest: string | null = null,
): string[] => [
  ...preopens.map((p) => `--preopen=${p}`),
  ...(digest ? [`--digest=${digest}`] : []),
  '--',
  ...argv,
];
