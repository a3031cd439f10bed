// The utilities' dispatch: argv[0] names the utility (its basename, so /bin/ps works as
// ps). Layer: apps. Kept apart from utils.worker.ts so tests run it on a fake context.
import type { DomainContext } from '../../workers/domain.ts';
import { caps, kill, ps, snap } from './commands.ts';
import { Io } from './io.ts';
import { top } from './top-run.ts';

type Utility = (io: Io, args: readonly string[]) => Promise<number>;

export const UTILITIES = new Map<string, Utility>([
  ['ps', ps],
  ['top', top],
  ['kill', kill],
  ['snap', snap],
  ['caps', caps],
]);

/** The exit status of the utility argv[0] names; 127 (as a shell's "not found") for none. */
export async function runUtility(ctx: DomainContext): Promise<number> {
  const io = new Io(ctx);
  const [argv0 = '', ...args] = ctx.argv;
  const name = argv0.slice(argv0.lastIndexOf('/') + 1);
  const utility = UTILITIES.get(name);
  if (utility === undefined)
    return io.fail(`utils: '${argv0}' is not one of ${[...UTILITIES.keys()].join(', ')}`, 127);
  return utility(io, args);
}
