// kill: its arguments, and which of the handles it was given each pid names. Layer: apps
// (pure). kill can only signal what the shell handed it (its jobs' Process handles), so
// a pid is not an authority here, only a way to pick one of those handles.
import { err, ok, type Result } from '../../abi/result.ts';

export const KILL_USAGE = 'usage: kill [-9|-KILL|-s KILL] PID...';

/** Tessera has one signal: process.kill ends the process (exit code -9). */
const KILL_NAMES = new Set(['9', 'KILL', 'SIGKILL']);

export function parseKillArgs(args: readonly string[]): Result<number[]> {
  const pids: number[] = [];
  let options = true;
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? '';
    if (options && a === '--') options = false;
    else if (options && a === '-s') {
      const s = args[++i];
      if (s === undefined || !KILL_NAMES.has(s.toUpperCase())) return err(`kill: only KILL can be sent`);
    } else if (options && a.startsWith('-') && a.length > 1) {
      if (!KILL_NAMES.has(a.slice(1).toUpperCase())) return err(`kill: ${a}: only KILL (-9) can be sent`);
    } else if (a.startsWith('%')) return err(`kill: ${a}: no such job`);
    else if (/^[0-9]{1,9}$/.test(a) && Number(a) > 0) pids.push(Number(a));
    else return err(`kill: ${a}: not a process id`);
  }
  return pids.length === 0 ? err(KILL_USAGE) : ok(pids);
}

export const noSuchProcess = (pid: number): string =>
  `kill: ${pid}: no such process (only this shell's jobs can be signalled)`;

/** Pid to handle for the handles process.info answered; the first handle for a pid wins. */
export function handlesByPid(infos: readonly { handle: number; pid: number | null }[]): Map<number, number> {
  const map = new Map<number, number>();
  for (const { handle, pid } of infos) if (pid !== null && !map.has(pid)) map.set(pid, handle);
  return map;
}
