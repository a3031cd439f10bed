// The panel's pure parts: where the taskbar's pieces go, what the launcher's search
// finds, and the tray's CPU figure. Layer: apps; no DOM, no workers, so tests run in node.
import type { LauncherApp } from '../../abi/programs.ts';

/** A horizontal span of the bar, px. */
export interface Span {
  readonly x: number;
  readonly w: number;
}

export interface BarLayout {
  readonly launcher: Span;
  readonly workspaces: readonly Span[];
  /** One per window button, left to right; fewer than asked for when the bar is full. */
  readonly windows: readonly Span[];
  readonly tray: Span;
  readonly clock: Span;
}

export const WORKSPACES = 4;
const PAD = 6;
const LAUNCHER_W = 44;
const WORKSPACE_W = 28;
const CLOCK_W = 64;
const TRAY_W = 220;
const BUTTON_MAX = 200;
const BUTTON_MIN = 72;

/** The bar's pieces for a bar `width` px wide (at least 320) showing `windows` window buttons. */
export function barLayout(width: number, windows: number): BarLayout {
  const launcher = { x: PAD, w: LAUNCHER_W };
  const workspaces = Array.from({ length: WORKSPACES }, (_, i) => ({
    x: launcher.x + launcher.w + PAD + i * (WORKSPACE_W + 2),
    w: WORKSPACE_W,
  }));
  const start = (workspaces.at(-1)?.x ?? 0) + WORKSPACE_W + 2 * PAD;
  const clock = { x: width - CLOCK_W, w: CLOCK_W };
  // The tray gives way on a narrow bar (it is the least needed piece).
  const trayW = Math.max(0, Math.min(TRAY_W, clock.x - start));
  const tray = { x: clock.x - trayW, w: trayW };
  const room = Math.max(0, tray.x - PAD - start);
  const fits = Math.floor((room + PAD) / (BUTTON_MIN + PAD));
  const count = Math.max(0, Math.min(windows, fits));
  const w = count === 0 ? 0 : Math.min(BUTTON_MAX, Math.floor((room + PAD) / count) - PAD);
  return {
    launcher,
    workspaces,
    windows: Array.from({ length: count }, (_, i) => ({ x: start + i * (w + PAD), w })),
    tray,
    clock,
  };
}

/**
 * Launcher search: apps whose title, program name or keywords contain every word of the
 * query (case-insensitive); those whose title starts with the query first, then by title.
 */
export function matchApps(apps: readonly LauncherApp[], query: string): LauncherApp[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  const q = query.trim().toLowerCase();
  return apps
    .filter((a) => {
      const hay = `${a.title} ${a.program} ${a.keywords}`.toLowerCase();
      return words.every((w) => hay.includes(w));
    })
    .sort((a, b) => {
      const pa = a.title.toLowerCase().startsWith(q) ? 0 : 1;
      const pb = b.title.toLowerCase().startsWith(q) ? 0 : 1;
      return pa - pb || a.title.localeCompare(b.title);
    });
}

/** A process.list sample: the tree's CPU time and memory at a moment. */
export interface Usage {
  /** ms, a monotonic clock. */
  readonly at: number;
  readonly cpuMs: number;
  readonly memoryBytes: number;
  readonly processes: number;
}

/**
 * The share of the machine the tree used between two samples, 0..100 (whole percent):
 * CPU ms over wall ms over cores. Null when the samples are not in order or processes
 * exited between them (the sum fell).
 */
export function cpuPercent(prev: Usage, next: Usage, cores: number): number | null {
  const wall = next.at - prev.at;
  const used = next.cpuMs - prev.cpuMs;
  if (!(wall > 0) || used < 0 || !(cores >= 1)) return null;
  return Math.max(0, Math.min(100, Math.round((100 * used) / wall / cores)));
}
