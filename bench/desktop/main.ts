// desktop benchmark page: the real desktop in a same-origin frame, as a user's page boots
// it. Boot to an interactive desktop (cold, then warm reloads), the browser's CPU while
// the desktop sits idle, key delivery (host input event to the app, against one raw
// postMessage hop to a worker), and frame times while a window is dragged over 1, 8 and
// 16 windows that redraw on every frame. Figures: bench/README.md, "desktop".
import type { DesktopApi } from '../../src/abi/automation.ts';
import type { DesktopWindow } from '../../src/abi/display-protocol.ts';
import { fromSamples } from '../lib/figures.ts';
import { percentile } from '../lib/stats.ts';
import {
  bootFramed,
  closeLastWindow,
  postMessageHop,
  sleep,
  startupClock,
  typeInto,
  waitFor,
  type Framed,
} from '../page/desktop-frame.ts';
import { defineBenchmark, type Progress } from '../page/harness.ts';
import { Recorder } from '../page/platform.ts';
import { browserCpu, percentOfCore } from '../page/runner.ts';

const RUNS = { warmBoots: 5, keys: 100, hops: 100 } as const;
// Idle windows are long because /proc counts CPU in 10 ms ticks: over 5 s one tick is 0.2% of a core.
const IDLE = { settleMs: 1_500, measureMs: 20_000 } as const;
const DRAG_MS = 2_000;
const WINDOW_COUNTS = [1, 8, 16] as const;
const benchWindows = async (d: DesktopApi): Promise<DesktopWindow[]> =>
  (await d.windows()).filter((w) => w.title === 'Bench');

/** Launches bench-window apps until there are `count`. */
async function ensureBenchWindows(d: DesktopApi, count: number): Promise<DesktopWindow[]> {
  for (let have = (await benchWindows(d)).length; have < count; have++) await d.launch('bench-window');
  return waitFor(`${count} bench windows`, async () => {
    const w = await benchWindows(d);
    return w.length >= count ? w : undefined;
  });
}

async function keyDelivery(f: Framed, progress: Progress): Promise<number[]> {
  const [target] = await ensureBenchWindows(f.desktop, 1);
  if (!target) throw new Error('no bench window');
  await f.desktop.focus(target.id);
  const delivered = (): string[] =>
    f.api.bootLog
      .filter((e) => e.source === 'bench-window' && e.message.startsWith('delivered '))
      .map((e) => e.message);
  const samples: number[] = [];
  for (let i = 0; i < RUNS.keys + 5; i++) {
    const before = delivered().length;
    typeInto(f, 'k');
    const line = await waitFor('a key to be delivered', async () => delivered()[before]);
    if (i >= 5) samples.push(Number(line.slice('delivered '.length)));
    await sleep(10);
  }
  progress(`key delivery: median ${percentile(samples, 50).toFixed(3)} ms over ${samples.length}`);
  return samples;
}

function pointer(f: Framed, type: string, x: number, y: number, buttons: number): void {
  const doc = f.frame.contentDocument;
  const view = doc?.defaultView as (Window & typeof globalThis) | null;
  const canvas = doc?.querySelector('canvas.desktop');
  if (!canvas || !view) throw new Error('the desktop has no canvas');
  canvas.dispatchEvent(
    new view.PointerEvent(type, {
      clientX: x,
      clientY: y,
      buttons,
      pointerId: 1,
      bubbles: true,
      isPrimary: true,
    }),
  );
}

/** Intervals between drawn frames while one window is dragged over `count` redrawing windows. */
async function frameTimes(f: Framed, count: number, progress: Progress): Promise<number[]> {
  const windows = await ensureBenchWindows(f.desktop, count);
  for (const w of windows) {
    await f.desktop.focus(w.id);
    typeInto(f, '@animate');
  }
  const dragged = windows.at(-1) as DesktopWindow;
  const view = f.frame.contentWindow as Window;
  const start = { x: dragged.x + 40, y: dragged.y + 12 };
  pointer(f, 'pointerdown', start.x, start.y, 1);
  const from = performance.timeOrigin + performance.now();
  const began = performance.now();
  await new Promise<void>((resolve) => {
    const step = (): void => {
      const t = performance.now() - began;
      const a = (t / 1000) * Math.PI;
      pointer(f, 'pointermove', start.x + 300 * Math.sin(a), start.y + 200 * (1 - Math.cos(a)), 1);
      if (t < DRAG_MS) view.requestAnimationFrame(step);
      else resolve();
    };
    view.requestAnimationFrame(step);
  });
  const to = performance.timeOrigin + performance.now();
  pointer(f, 'pointerup', start.x, start.y, 0);
  const { frameTimes: times } = await f.desktop.stats();
  for (const w of windows) {
    await f.desktop.focus(w.id);
    typeInto(f, '@still');
  }
  const during = times.filter((t) => t >= from && t <= to);
  const intervals = during.slice(1).map((t, i) => t - (during[i] as number));
  if (intervals.length < 10) throw new Error(`only ${during.length} frames drawn during the drag`);
  progress(`${count} window(s): ${during.length} frames in ${Math.round(to - from)} ms`);
  return intervals;
}

defineBenchmark('desktop', async (progress) => {
  const record = new Recorder(progress);
  const single = (name: string, unit: string, value: number): void => {
    record.add(fromSamples({ name, unit, baseline: null }, [value]));
  };

  // The reference: this page alone, no frame, no workers.
  await sleep(IDLE.settleMs);
  const blank = await browserCpu(IDLE.measureMs);
  single('blank_page_idle_cpu_percent', '%', percentOfCore(blank));

  const cold = await bootFramed();
  single('boot_to_desktop_ms', 'ms', cold.bootMs);
  cold.frame.remove();
  const warm: number[] = [];
  let f: Framed | null = null;
  for (let i = 0; i < RUNS.warmBoots; i++) {
    await sleep(500); // the last frame's workers (and its store's OPFS handles) go away
    f?.frame.remove();
    f = await bootFramed();
    warm.push(f.bootMs);
  }
  if (!f) throw new Error('no warm boot');
  record.add(fromSamples({ name: 'boot_to_desktop_warm_ms', unit: 'ms', baseline: null }, warm));

  // Idle, twice: with the clock, which redraws once a second, then with nothing drawing at all.
  const desktop = f.desktop;
  const idle = async (what: string): Promise<{ percent: number; framesPerS: number }> => {
    await sleep(IDLE.settleMs);
    const before = await desktop.stats();
    const usage = await browserCpu(IDLE.measureMs);
    const after = await desktop.stats();
    progress(
      `${what}: ${usage.cpuMs} ms CPU in ${Math.round(usage.wallMs)} ms over ${usage.processes} processes`,
    );
    return {
      percent: percentOfCore(usage),
      framesPerS: ((after.framesDrawn - before.framesDrawn) * 1000) / usage.wallMs,
    };
  };
  const clock = await startupClock(desktop);
  if (!clock) throw new Error('no clock');
  const ticking = await idle('idle with the clock');
  single('idle_cpu_clock_percent', '%', ticking.percent);
  single('idle_clock_frames_per_s', 'frames/s', ticking.framesPerS);
  await closeLastWindow(desktop, clock.id);
  const still = await idle('idle, nothing drawing');
  single('idle_cpu_percent', '%', still.percent);
  single('idle_frames_per_s', 'frames/s', still.framesPerS);

  record.add(
    fromSamples({ name: 'postmessage_hop_ms', unit: 'ms', baseline: null }, await postMessageHop(RUNS.hops)),
  );
  record.add(
    fromSamples(
      { name: 'key_delivery_ms', unit: 'ms', baseline: 'postmessage_hop_ms' },
      await keyDelivery(f, progress),
    ),
  );

  for (const n of WINDOW_COUNTS) {
    const intervals = await frameTimes(f, n, progress);
    single(`frame_ms_p50_w${n}`, 'ms', percentile(intervals, 50));
    single(`frame_ms_p95_w${n}`, 'ms', percentile(intervals, 95));
  }
  f.frame.remove();
  return record.results;
});
