// Page side of the runner hooks (lib/protocol.ts): asks the node-side runner for what a
// page cannot measure itself. The answers come from node and are checked for shape.
import { RUNNER_HOOKS, type CpuUsage } from '../lib/protocol.ts';

const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;

/** CPU time the whole browser uses over the next `ms` milliseconds (all its processes). */
export async function browserCpu(ms: number): Promise<CpuUsage> {
  const hook = (globalThis as unknown as Record<string, unknown>)[RUNNER_HOOKS.BROWSER_CPU];
  if (typeof hook !== 'function')
    throw new Error('no CPU hook: this page must be run by bench/run.ts (npm run bench)');
  const usage = (await (hook as (ms: number) => Promise<unknown>)(ms)) as Partial<CpuUsage> | null;
  const { cpuMs, wallMs, processes, resolutionMs } = usage ?? {};
  if (
    !isNumber(cpuMs) ||
    !isNumber(wallMs) ||
    !isNumber(processes) ||
    !isNumber(resolutionMs) ||
    wallMs === 0
  )
    throw new TypeError('CPU hook: malformed answer');
  return { cpuMs, wallMs, processes, resolutionMs };
}

/** CPU use as a percentage of one core. */
export const percentOfCore = (u: CpuUsage): number => (u.cpuMs / u.wallMs) * 100;
