// Node side of the runner's CPU hook: how much CPU the browser used over an interval,
// read from Linux's /proc. The browser is every process below the one Playwright
// started (browser, zygotes, renderers, GPU and utility processes), found through the
// parent pid in each /proc/PID/stat. Pages cannot see CPU time; they ask for this
// through the hook in browser.ts (see lib/protocol.ts).
import { readdir, readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import type { CpuUsage } from './lib/protocol.ts';

/** Linux's USER_HZ: the unit of utime and stime in /proc/PID/stat (100 on every Linux ABI in use). */
export const CLOCK_TICKS_PER_S = 100;

/** The fields of /proc/PID/stat this file uses. CPU times are in clock ticks. */
export interface ProcStat {
  readonly pid: number;
  readonly comm: string;
  readonly ppid: number;
  /** utime + stime: CPU time of every thread, live or exited (not of waited-for children). */
  readonly cpuTicks: number;
}

/**
 * Parses one /proc/PID/stat line; null if it is not one. The command name is in
 * parentheses and may itself contain spaces and parentheses, so fields are counted
 * from the last ')'.
 */
export function parseProcStat(line: string): ProcStat | null {
  const open = line.indexOf('(');
  const close = line.lastIndexOf(')');
  if (open < 1 || close < open) return null;
  const pid = Number(line.slice(0, open).trim());
  // After ')': state ppid pgrp session tty_nr tpgid flags minflt cminflt majflt cmajflt utime stime …
  const rest = line
    .slice(close + 1)
    .trim()
    .split(/\s+/);
  const ppid = Number(rest[1]);
  const utime = Number(rest[11]);
  const stime = Number(rest[12]);
  if (![pid, ppid, utime, stime].every(Number.isSafeInteger)) return null;
  return { pid, comm: line.slice(open + 1, close), ppid, cpuTicks: utime + stime };
}

/** Every pid in `stats` whose parent chain reaches one of `roots`, the roots included. */
export function descendants(stats: readonly ProcStat[], roots: readonly number[]): Set<number> {
  const children = new Map<number, number[]>();
  for (const s of stats) children.set(s.ppid, [...(children.get(s.ppid) ?? []), s.pid]);
  const found = new Set<number>();
  const queue = roots.filter((pid) => stats.some((s) => s.pid === pid));
  for (let pid = queue.pop(); pid !== undefined; pid = queue.pop()) {
    if (found.has(pid)) continue;
    found.add(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return found;
}

/**
 * CPU ticks used between two snapshots by the processes in `after`. A process that
 * started in between counts in full; one that ended in between is lost (its last
 * ticks are not in `after`), which the caller accepts for an idle measurement.
 */
export function ticksBetween(
  before: ReadonlyMap<number, number>,
  after: ReadonlyMap<number, number>,
): number {
  let ticks = 0;
  for (const [pid, now] of after) ticks += Math.max(0, now - (before.get(pid) ?? 0));
  return ticks;
}

/** Every readable /proc/PID/stat now; processes that vanish while reading are skipped. */
async function readAllStats(): Promise<ProcStat[]> {
  const pids = (await readdir('/proc')).filter((name) => /^\d+$/.test(name));
  const stats = await Promise.all(
    pids.map((pid) =>
      readFile(`/proc/${pid}/stat`, 'utf8').then(
        (line) => parseProcStat(line),
        () => null,
      ),
    ),
  );
  return stats.filter((s): s is ProcStat => s !== null);
}

/** CPU ticks of every live thread of `pids`, keyed "process-type pid/tid thread-name". */
async function threadTicks(pids: Iterable<number>): Promise<Map<string, number>> {
  const ticks = new Map<string, number>();
  for (const pid of pids) {
    const type = /--type=([a-z-]+)/.exec(await cmdline(pid))?.[1] ?? 'browser';
    const tids = await readdir(`/proc/${pid}/task`).catch((): string[] => []);
    for (const tid of tids) {
      const stat = parseProcStat(await readFile(`/proc/${pid}/task/${tid}/stat`, 'utf8').catch(() => ''));
      if (stat) ticks.set(`${type} ${pid}/${tid} ${stat.comm}`, stat.cpuTicks);
    }
  }
  return ticks;
}

function busiestThreads(before: ReadonlyMap<string, number>, after: ReadonlyMap<string, number>): string {
  const used = [...after]
    .map(([thread, t]) => [thread, t - (before.get(thread) ?? 0)] as const)
    .filter(([, t]) => t > 0)
    .sort((a, b) => b[1] - a[1]);
  const ms = 1000 / CLOCK_TICKS_PER_S;
  return `CPU by thread: ${used.map(([thread, t]) => `${thread} ${t * ms} ms`).join(', ') || 'none'}`;
}

async function cmdline(pid: number): Promise<string> {
  return readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
}

/**
 * The browser's process tree: children of this node process that Playwright started
 * with a --user-data-dir (the browser process), and everything below them.
 */
async function browserTree(): Promise<Map<number, number>> {
  const stats = await readAllStats();
  const mine = stats.filter((s) => s.ppid === process.pid);
  const roots: number[] = [];
  for (const s of mine) if ((await cmdline(s.pid)).includes('--user-data-dir')) roots.push(s.pid);
  if (roots.length === 0) throw new Error('CPU hook: no browser process among this runner’s children');
  const tree = descendants(stats, roots);
  return new Map(stats.filter((s) => tree.has(s.pid)).map((s) => [s.pid, s.cpuTicks]));
}

/**
 * Measures the browser's CPU use (all its processes together) over the next `ms`
 * milliseconds. With `log`, also reports the threads that used CPU in that time, busiest
 * first (a diagnostic: threads that ended in between are missing from it).
 */
export async function measureBrowserCpu(ms: number, log?: (line: string) => void): Promise<CpuUsage> {
  const before = await browserTree();
  const threadsBefore = log ? await threadTicks(before.keys()) : null;
  const start = performance.now();
  await sleep(ms);
  const after = await browserTree();
  const wallMs = performance.now() - start;
  if (log && threadsBefore) log(busiestThreads(threadsBefore, await threadTicks(after.keys())));
  const cpuMs = (ticksBetween(before, after) * 1000) / CLOCK_TICKS_PER_S;
  return { cpuMs, wallMs, processes: after.size, resolutionMs: 1000 / CLOCK_TICKS_PER_S };
}
