// top: the process table redrawn each interval, busiest first. Layer: apps (pure): the
// arguments, the CPU arithmetic over two samples, the screen and the keys; the worker
// takes the samples and does the waiting.
import { err, ok, type Result } from '../../abi/result.ts';
import type { ProcessRow } from './rows.ts';
import { fit, humanBytes, table } from './text.ts';

export interface TopOptions {
  /** Frames to draw before exiting; null for until 'q'. */
  readonly iterations: number | null;
  /** Batch: frames one after another, no clearing, every row, no width limit. */
  readonly batch: boolean;
  readonly delayMs: number;
}

export const TOP_USAGE = 'usage: top [-b] [-n ITERATIONS] [-d SECONDS]';

const MIN_DELAY_MS = 100;
const MAX_DELAY_MS = 3_600_000;

export function parseTopArgs(args: readonly string[]): Result<TopOptions> {
  let iterations: number | null = null;
  let batch = false;
  let delayMs = 1000;
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? '';
    if (a === '-b') batch = true;
    else if (a === '-n' || a === '-d') {
      const v = args[++i];
      if (v === undefined) return err(`top: option '${a}' needs a value`);
      if (a === '-n') {
        if (!/^[0-9]{1,9}$/.test(v) || Number(v) < 1) return err(`top: -n: '${v}' is not a positive count`);
        iterations = Number(v);
      } else {
        const s = /^[0-9]+(\.[0-9]+)?$/.test(v) ? Number(v) : NaN;
        if (!(s * 1000 >= MIN_DELAY_MS && s * 1000 <= MAX_DELAY_MS))
          return err(`top: -d: '${v}' is not a delay of 0.1 to 3600 seconds`);
        delayMs = Math.round(s * 1000);
      }
    } else return err(`top: unknown option '${a}'`);
  }
  return ok({ iterations, batch, delayMs });
}

/** One process.list, and when it was taken (ms, any monotonic clock). */
export interface Sample {
  readonly at: number;
  readonly rows: readonly ProcessRow[];
}

export interface Usage {
  readonly row: ProcessRow;
  /** Percent of one core over the interval. */
  readonly cpu: number;
}

export interface Interval {
  readonly usage: readonly Usage[];
  /** All processes together, percent of all `cores`; 0..100. */
  readonly total: number;
  readonly wallMs: number;
}

/**
 * Each process's share of the interval between two samples. A process new in `next`
 * counts all its CPU time as spent in the interval; a counter that went backwards (a
 * reused pid) counts as none. Sorted by CPU share, then total CPU time, then pid.
 */
export function interval(prev: Sample, next: Sample, cores: number): Interval {
  const wallMs = next.at - prev.at;
  const before = new Map(prev.rows.map((r) => [r.pid, r.cpuMs]));
  let used = 0;
  const usage = next.rows.map((row) => {
    const delta = Math.max(0, row.cpuMs - (before.get(row.pid) ?? 0));
    used += delta;
    return { row, cpu: wallMs > 0 ? Math.min(100, (100 * delta) / wallMs) : 0 };
  });
  usage.sort((a, b) => b.cpu - a.cpu || b.row.cpuMs - a.row.cpuMs || a.row.pid - b.row.pid);
  const total = wallMs > 0 && cores >= 1 ? Math.min(100, (100 * used) / wallMs / cores) : 0;
  return { usage, total, wallMs };
}

export interface Screen {
  readonly cols: number;
  readonly rows: number;
}

/** Lines above the table: the header and a blank one. */
const HEADER_LINES = 2;

/** The frame's lines: a header with the counts, then the busiest processes that fit. */
export function topLines(iv: Interval, cores: number, screen: Screen | null): string[] {
  const running = iv.usage.filter((u) => u.row.state === 'running').length;
  const header =
    `top - ${iv.usage.length} processes, ${running} running - ` +
    `CPU ${iv.total.toFixed(1)}% of ${cores} ${cores === 1 ? 'core' : 'cores'}`;
  const shown = screen === null ? iv.usage : iv.usage.slice(0, Math.max(0, screen.rows - HEADER_LINES - 1));
  const cells = [
    ['PID', 'STATE', '%CPU', 'CPU(ms)', 'MEM', 'HANDLES', 'NAME'],
    ...shown.map(({ row, cpu }) => [
      String(row.pid),
      row.state,
      cpu.toFixed(1),
      String(Math.round(row.cpuMs)),
      humanBytes(row.memoryBytes),
      String(row.handles),
      row.name,
    ]),
  ];
  const lines = [header, '', ...table(cells, [true, false, true, true, true, true, false])];
  if (screen === null) return lines;
  return lines.slice(0, screen.rows).map((l) => fit(l, screen.cols));
}

/** Cursor home, each line cleared to its end, the rest of the screen cleared: no flicker. */
export function paintFrame(lines: readonly string[]): string {
  return `\x1b[H${lines.map((l) => `${l}\x1b[K`).join('\n')}\x1b[J`;
}

/** A batch frame: plain lines and a blank line after. */
export const batchFrame = (lines: readonly string[]): string => `${lines.join('\n')}\n\n`;

export const HIDE_CURSOR = '\x1b[?25l';
export const SHOW_CURSOR = '\x1b[?25h';

export type TopKey = 'quit' | 'redraw' | null;

/** What a chunk of keyboard input asks for: q quits (as does Ctrl-C when it arrives as a byte). */
export function topKeys(bytes: Uint8Array): TopKey {
  let key: TopKey = null;
  for (const b of bytes) {
    if (b === 0x71 || b === 0x51 || b === 0x03) return 'quit';
    if (b === 0x20 || b === 0x0c) key = 'redraw';
  }
  return key;
}

/** The terminal's size from COLUMNS and LINES, or null when either is missing or absurd. */
export function screenFromEnv(columns: string | undefined, lines: string | undefined): Screen | null {
  const cols = Number(columns);
  const rows = Number(lines);
  const valid = (n: number): boolean => Number.isInteger(n) && n >= 1 && n <= 1000;
  return valid(cols) && valid(rows) ? { cols, rows } : null;
}
