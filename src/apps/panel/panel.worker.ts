// panel: the desktop's shell UI (issue 6, ADR 0018) — a process like any app, drawing
// through surfaces. It holds the shell grant, so it draws layers instead of windows:
//   the taskbar along the bottom: the launcher button, the workspaces, a button per window
//     of the active workspace, the tray (CPU and memory, from process.list) and a clock;
//   the launcher above it: a search field and the apps that match, started with Enter or
//     a click (Ctrl+Alt+Enter or the button opens it; Escape or a click elsewhere closes it);
//   toasts in the top-right corner: the notifications apps post, one at a time.
// Layer: apps. Initial handles: 0 its connection to the compositor (with the shell grant),
// 1 an INSPECT-only handle to init's Process (process.list for the whole tree).
import { LAUNCHER_APPS, type LauncherApp } from '../../abi/programs.ts';
import { Status } from '../../abi/status.ts';
import type { AppEvent, ShellWindow } from '../../abi/window-protocol.ts';
import { startDomain, type DomainContext } from '../../workers/domain.ts';
import { Connection, type AppWindow } from '../../workers/window-client.ts';
import { barLayout, cpuPercent, matchApps, WORKSPACES, type BarLayout, type Usage } from './layout.ts';

declare const self: DedicatedWorkerGlobalScope;

export const BAR_HEIGHT = 40;
const LAUNCHER = { w: 320, h: 300, row: 40, search: 48 };
const TOAST = { w: 340, h: 76 };
const TOAST_MS = 5000;
const TRAY_MS = 2000;

/** The taskbar's colours; tests look for BAR_BACKGROUND, rgb(22, 29, 40), in the screen's bottom rows. */
const BAR_BACKGROUND = '#161d28';
const COLOURS = {
  button: '#263244',
  active: '#3d5a80',
  text: '#e8eef6',
  dim: '#8a97a8',
  panel: '#1e2735',
  selected: '#3d5a80',
};

/** Draws with a Canvas 2D context into an OffscreenCanvas the size of the surface, then presents it whole. */
class Painter {
  #canvas = new OffscreenCanvas(1, 1);
  #g = this.#context();
  readonly window: AppWindow;

  constructor(window: AppWindow) {
    this.window = window;
  }

  #context(): OffscreenCanvasRenderingContext2D {
    return this.#canvas.getContext('2d', { willReadFrequently: true }) as OffscreenCanvasRenderingContext2D;
  }

  async paint(draw: (g: OffscreenCanvasRenderingContext2D, w: number, h: number) => void): Promise<void> {
    const { width: w, height: h } = this.window;
    if (w !== this.#canvas.width || h !== this.#canvas.height) {
      this.#canvas = new OffscreenCanvas(w, h);
      this.#g = this.#context();
    }
    draw(this.#g, w, h);
    const image = this.#g.getImageData(0, 0, w, h).data;
    await this.window.draw((pixels) => {
      if (pixels.length === image.length) pixels.set(image);
      return undefined;
    });
  }
}

function ellipsize(g: OffscreenCanvasRenderingContext2D, text: string, max: number): string {
  if (g.measureText(text).width <= max) return text;
  let s = text;
  while (s.length > 0 && g.measureText(`${s}…`).width > max) s = s.slice(0, -1);
  return `${s}…`;
}

function roundRect(g: OffscreenCanvasRenderingContext2D, x: number, y: number, w: number, h: number): void {
  g.beginPath();
  g.roundRect(x, y, w, h, 6);
  g.fill();
}

interface Notice {
  readonly app: string;
  readonly title: string;
  readonly body: string;
}

class Panel {
  readonly #ctx: DomainContext;
  readonly #connection: Connection;
  readonly #process: number;
  readonly #bar: Painter;
  readonly #launcher: Painter;
  readonly #toast: Painter;
  #windows: readonly ShellWindow[] = [];
  #workspace = 0;
  #layout: BarLayout | null = null;
  #usage: Usage | null = null;
  #tray = '';
  #launcherOpen = false;
  #query = '';
  #selected = 0;
  readonly #notices: Notice[] = [];
  #toastShown = false;
  #toastTimer: ReturnType<typeof setTimeout> | undefined;
  #painting: Promise<void> = Promise.resolve();

  constructor(
    ctx: DomainContext,
    connection: Connection,
    process: number,
    layers: [AppWindow, AppWindow, AppWindow],
  ) {
    this.#ctx = ctx;
    this.#connection = connection;
    this.#process = process;
    this.#bar = new Painter(layers[0]);
    this.#launcher = new Painter(layers[1]);
    this.#toast = new Painter(layers[2]);
  }

  /** Runs paints one after another; a failed one is logged, not fatal. */
  #queue(paint: () => Promise<void>): void {
    this.#painting = this.#painting
      .then(paint)
      .catch((e: unknown) => this.#ctx.log('warn', `panel: ${e instanceof Error ? e.message : String(e)}`));
  }

  drawBar(): void {
    this.#queue(async () => {
      await this.#bar.paint((g, w, h) => {
        const L = barLayout(w, this.#windows.filter((v) => v.workspace === this.#workspace).length);
        this.#layout = L;
        g.fillStyle = BAR_BACKGROUND;
        g.fillRect(0, 0, w, h);
        g.font = '13px sans-serif';
        g.textBaseline = 'middle';
        // The launcher button: four squares.
        g.fillStyle = this.#launcherOpen ? COLOURS.active : COLOURS.button;
        roundRect(g, L.launcher.x, 4, L.launcher.w, h - 8);
        g.fillStyle = COLOURS.text;
        for (const [dx, dy] of [
          [0, 0],
          [9, 0],
          [0, 9],
          [9, 9],
        ] as const)
          g.fillRect(L.launcher.x + L.launcher.w / 2 - 8 + dx, h / 2 - 8 + dy, 7, 7);
        // Workspaces: the active one lit, a dot under those with windows.
        g.textAlign = 'center';
        L.workspaces.forEach((r, i) => {
          g.fillStyle = i === this.#workspace ? COLOURS.active : COLOURS.button;
          roundRect(g, r.x, 6, r.w, h - 12);
          g.fillStyle = COLOURS.text;
          g.fillText(String(i + 1), r.x + r.w / 2, h / 2);
          if (i !== this.#workspace && this.#windows.some((v) => v.workspace === i))
            g.fillRect(r.x + r.w / 2 - 2, h - 10, 4, 2);
        });
        // A button per window of the active workspace, bottom to top.
        g.textAlign = 'left';
        const shown = this.#windows.filter((v) => v.workspace === this.#workspace);
        L.windows.forEach((r, i) => {
          const v = shown[i];
          if (v === undefined) return;
          g.fillStyle = v.focused ? COLOURS.active : COLOURS.button;
          roundRect(g, r.x, 4, r.w, h - 8);
          g.fillStyle = v.minimized ? COLOURS.dim : COLOURS.text;
          g.fillText(ellipsize(g, v.title || 'Untitled', r.w - 20), r.x + 10, h / 2);
        });
        // The tray and the clock.
        g.textAlign = 'right';
        g.fillStyle = COLOURS.dim;
        g.fillText(this.#tray, L.tray.x + L.tray.w, h / 2);
        g.fillStyle = COLOURS.text;
        g.font = '600 13px sans-serif';
        g.fillText(
          new Date().toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' }),
          L.clock.x + L.clock.w - 10,
          h / 2,
        );
      });
      const shown = this.#windows
        .filter((v) => v.workspace === this.#workspace)
        .map(
          (v) => `${v.title || 'Untitled'}${v.focused ? ' (focused)' : v.minimized ? ' (minimized)' : ''}`,
        );
      await this.#bar.window.setText(
        `Taskbar. Workspace ${this.#workspace + 1} of ${WORKSPACES}. Windows: ${shown.join(', ') || 'none'}. ${this.#tray}`,
      );
    });
  }

  #matches(): readonly LauncherApp[] {
    return matchApps(LAUNCHER_APPS, this.#query);
  }

  drawLauncher(): void {
    this.#queue(async () => {
      const matches = this.#matches();
      await this.#launcher.paint((g, w, h) => {
        g.fillStyle = COLOURS.panel;
        g.fillRect(0, 0, w, h);
        g.fillStyle = COLOURS.button;
        roundRect(g, 10, 10, w - 20, LAUNCHER.search - 16);
        g.font = '14px sans-serif';
        g.textBaseline = 'middle';
        g.textAlign = 'left';
        g.fillStyle = this.#query ? COLOURS.text : COLOURS.dim;
        g.fillText(ellipsize(g, this.#query || 'Search apps', w - 48) + (this.#query ? '▏' : ''), 22, 26);
        matches.forEach((app, i) => {
          const y = LAUNCHER.search + i * LAUNCHER.row;
          if (y + LAUNCHER.row > h) return;
          if (i === this.#selected) {
            g.fillStyle = COLOURS.selected;
            roundRect(g, 6, y + 2, w - 12, LAUNCHER.row - 4);
          }
          g.fillStyle = COLOURS.text;
          g.font = '14px sans-serif';
          g.fillText(app.title, 22, y + LAUNCHER.row / 2);
          g.fillStyle = COLOURS.dim;
          g.font = '12px sans-serif';
          g.textAlign = 'right';
          g.fillText(app.program, w - 22, y + LAUNCHER.row / 2);
          g.textAlign = 'left';
        });
        if (matches.length === 0) {
          g.fillStyle = COLOURS.dim;
          g.fillText('No app matches', 22, LAUNCHER.search + LAUNCHER.row / 2);
        }
      });
      const listed = matches
        .map((a, i) => `${i === this.#selected ? '[selected] ' : ''}${a.title}`)
        .join(', ');
      await this.#launcher.window.setText(`Launcher. Search: ${this.#query}. Apps: ${listed || 'none'}`);
    });
  }

  async #show(layer: AppWindow, visible: boolean, keyboard: boolean): Promise<void> {
    await this.#connection.send({ op: 'show', window: layer.id, visible, keyboard });
  }

  toggleLauncher(open = !this.#launcherOpen): void {
    this.#launcherOpen = open;
    this.#query = '';
    this.#selected = 0;
    if (open) this.drawLauncher();
    this.#queue(() => this.#show(this.#launcher.window, open, open));
    this.drawBar();
  }

  #launch(app: LauncherApp | undefined): void {
    if (app === undefined) return;
    this.toggleLauncher(false);
    this.#queue(() => this.#connection.send({ op: 'launch', app: app.program }));
  }

  notify(n: Notice): void {
    this.#notices.push(n);
    if (this.#notices.length > 20) this.#notices.shift();
    if (!this.#toastShown) this.#nextToast();
  }

  #nextToast(): void {
    clearTimeout(this.#toastTimer);
    const n = this.#notices.shift();
    if (n === undefined) {
      this.#toastShown = false;
      this.#queue(() => this.#show(this.#toast.window, false, false));
      return;
    }
    this.#queue(async () => {
      await this.#toast.paint((g, w, h) => {
        g.fillStyle = COLOURS.panel;
        g.fillRect(0, 0, w, h);
        g.fillStyle = COLOURS.active;
        g.fillRect(0, 0, 4, h);
        g.textAlign = 'left';
        g.textBaseline = 'top';
        g.fillStyle = COLOURS.dim;
        g.font = '11px sans-serif';
        g.fillText(n.app, 16, 10);
        g.fillStyle = COLOURS.text;
        g.font = '600 14px sans-serif';
        g.fillText(ellipsize(g, n.title, w - 32), 16, 26);
        g.fillStyle = COLOURS.dim;
        g.font = '13px sans-serif';
        g.fillText(ellipsize(g, n.body, w - 32), 16, 48);
      });
      await this.#toast.window.setText(`${n.app}: ${n.title}. ${n.body}`);
      await this.#show(this.#toast.window, true, false);
    });
    this.#toastShown = true;
    this.#toastTimer = setTimeout(() => this.#nextToast(), TOAST_MS);
  }

  /** Samples process.list; redraws the bar only when what the tray shows changed. */
  async sampleUsage(): Promise<void> {
    const r = await this.#ctx.sys.processListAsync(this.#process);
    if (r.status !== Status.OK) return;
    let rows: { cpu_ms?: unknown; memory_bytes?: unknown }[];
    try {
      rows = JSON.parse(r.table ?? '[]') as typeof rows;
    } catch {
      return;
    }
    const usage: Usage = {
      at: performance.now(),
      cpuMs: rows.reduce((n, row) => n + (typeof row.cpu_ms === 'number' ? row.cpu_ms : 0), 0),
      memoryBytes: rows.reduce(
        (n, row) => n + (typeof row.memory_bytes === 'number' ? row.memory_bytes : 0),
        0,
      ),
      processes: rows.length,
    };
    const cpu =
      this.#usage === null ? null : cpuPercent(this.#usage, usage, navigator.hardwareConcurrency || 1);
    this.#usage = usage;
    const tray = `CPU ${cpu === null ? '–' : `${cpu}%`}   Mem ${(usage.memoryBytes / 2 ** 20).toFixed(0)} MiB   ${usage.processes} procs`;
    if (tray !== this.#tray) {
      this.#tray = tray;
      this.drawBar();
    }
  }

  /** One event from the compositor. */
  handle(e: AppEvent): void {
    switch (e.ev) {
      case 'windows':
        this.#windows = e.windows;
        this.#workspace = e.workspace;
        this.drawBar();
        return;
      case 'notification':
        this.notify({ app: e.app, title: e.title, body: e.body });
        return;
      case 'launcher':
        this.toggleLauncher();
        return;
      case 'dismissed':
        if (e.window === this.#launcher.window.id && this.#launcherOpen) {
          this.#launcherOpen = false;
          this.drawBar();
        }
        return;
      case 'surface':
        if (e.window === this.#bar.window.id) this.drawBar();
        else if (e.window === this.#launcher.window.id && this.#launcherOpen) this.drawLauncher();
        return;
      case 'pointer':
        if (e.phase === 'down') this.#press(e.window, e.x, e.y);
        return;
      case 'text':
        if (e.window !== this.#launcher.window.id) return;
        this.#query = (this.#query + [...e.data].filter((c) => c >= ' ').join('')).slice(0, 64);
        this.#selected = 0;
        this.drawLauncher();
        return;
      case 'key':
        if (e.window === this.#launcher.window.id && e.phase === 'down') this.#launcherKey(e.key.key);
        return;
      default:
        return;
    }
  }

  #launcherKey(key: string): void {
    const n = this.#matches().length;
    switch (key) {
      case 'Escape':
        this.toggleLauncher(false);
        return;
      case 'Enter':
        this.#launch(this.#matches()[this.#selected]);
        return;
      case 'Backspace':
        this.#query = this.#query.slice(0, -1);
        this.#selected = 0;
        break;
      case 'ArrowDown':
        this.#selected = n === 0 ? 0 : (this.#selected + 1) % n;
        break;
      case 'ArrowUp':
        this.#selected = n === 0 ? 0 : (this.#selected + n - 1) % n;
        break;
      default:
        return;
    }
    this.drawLauncher();
  }

  #press(window: number, x: number, y: number): void {
    if (window === this.#toast.window.id) {
      this.#nextToast();
      return;
    }
    if (window === this.#launcher.window.id) {
      const row = Math.floor((y - LAUNCHER.search) / LAUNCHER.row);
      if (y >= LAUNCHER.search) this.#launch(this.#matches()[row]);
      return;
    }
    const L = this.#layout;
    if (window !== this.#bar.window.id || L === null) return;
    const inside = (r: { x: number; w: number }): boolean => x >= r.x && x < r.x + r.w;
    if (inside(L.launcher)) {
      this.toggleLauncher();
      return;
    }
    const ws = L.workspaces.findIndex(inside);
    if (ws !== -1) {
      this.#queue(() => this.#connection.send({ op: 'workspace', workspace: ws }));
      return;
    }
    const shown = this.#windows.filter((v) => v.workspace === this.#workspace);
    const target = shown[L.windows.findIndex(inside)];
    if (target !== undefined) this.#queue(() => this.#connection.send({ op: 'activate', window: target.id }));
  }
}

startDomain(async (ctx) => {
  const connection = new Connection(ctx, ctx.handles[0] ?? 0);
  const bar = await connection.layer('bottom', 1, BAR_HEIGHT);
  const launcher = await connection.layer('bottom-left', LAUNCHER.w, LAUNCHER.h);
  const toast = await connection.layer('top-right', TOAST.w, TOAST.h);
  const panel = new Panel(ctx, connection, ctx.handles[1] ?? 0, [bar, launcher, toast]);
  await panel.sampleUsage();
  panel.drawBar();
  let minute: ReturnType<typeof setTimeout> | undefined;
  const tick = (): void => {
    panel.drawBar();
    minute = setTimeout(tick, 60_000 - (Date.now() % 60_000) + 50);
  };
  minute = setTimeout(tick, 60_000 - (Date.now() % 60_000) + 50);
  const tray = setInterval(() => void panel.sampleUsage(), TRAY_MS);
  for (;;) {
    const e = await connection.next();
    if (e === null) break;
    panel.handle(e);
  }
  clearTimeout(minute);
  clearInterval(tray);
  return 0;
}, self);
