// Process rows for the utilities' tests. Layer: apps (test support).
import type { ProcessRow } from './rows.ts';

export const row = (pid: number, parent: number, over: Partial<ProcessRow> = {}): ProcessRow => ({
  pid,
  name: `p${pid}`,
  state: 'running',
  parent,
  priority: 'interactive',
  cpuMs: 0,
  handles: 3,
  memoryBytes: 0,
  ...over,
});
