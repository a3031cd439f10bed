// The real desktop in a same-origin frame, as a user's page boots it, for the benchmarks
// that drive it (desktop, terminal): boot it, wait for it, type into it as the browser
// does, close the clock so nothing else draws, and time a raw postMessage hop to compare
// against. Layer: bench page.
import type { DesktopApi, TesseraApi } from '../../src/abi/automation.ts';

export const FRAME_SIZE = { width: 1280, height: 720 } as const;

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export interface Framed {
  readonly frame: HTMLIFrameElement;
  readonly api: TesseraApi;
  readonly desktop: DesktopApi;
  /** Navigation start of the frame to the desktop being ready, ms. */
  readonly bootMs: number;
}

/** Boots the desktop in a fresh frame of FRAME_SIZE and resolves once it is interactive. */
export async function bootFramed(): Promise<Framed> {
  const frame = document.createElement('iframe');
  frame.style.cssText = `width:${FRAME_SIZE.width}px;height:${FRAME_SIZE.height}px;border:0;display:block`;
  frame.src = '/index.html';
  document.body.append(frame);
  await new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
  const win = frame.contentWindow as (Window & { tessera?: TesseraApi }) | null;
  const api = win?.tessera;
  if (!win || !api?.desktop) throw new Error('the framed page has no desktop');
  await api.desktop.ready;
  const mark = win.performance.getEntriesByName('tessera:desktop')[0];
  if (!mark) throw new Error('the framed page set no tessera:desktop mark');
  return { frame, api, desktop: api.desktop, bootMs: mark.startTime };
}

/** Polls `probe` every 5 ms until it gives a value; an error after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

/** Types into the frame's input element as the browser does (value, then an input event). */
export function typeInto(f: Framed, text: string): void {
  const doc = f.frame.contentDocument;
  const input = doc?.querySelector<HTMLTextAreaElement>('.desktop-input');
  const view = doc?.defaultView as (Window & typeof globalThis) | null;
  if (!input || !view) throw new Error('the desktop has no input element');
  input.value = text;
  input.dispatchEvent(new view.InputEvent('input', { data: text, inputType: 'insertText', bubbles: true }));
}

/** Waits for the clock the desktop opens at start: its window. */
export async function startupClock(desktop: DesktopApi): Promise<{ readonly id: number } | undefined> {
  const [clock] = await waitFor('the clock', async () => {
    const w = await desktop.windows();
    return w.length > 0 ? w : undefined;
  });
  return clock;
}

/** Closes window `id` with the window manager's chord and waits until no window is left. */
export async function closeLastWindow(desktop: DesktopApi, id: number): Promise<void> {
  await desktop.focus(id);
  await desktop.sendKeys('Ctrl+Alt+Backspace');
  await waitFor('the window to close', async () =>
    (await desktop.windows()).length === 0 ? true : undefined,
  );
}

/**
 * One raw postMessage hop to a worker and back, on the clock all threads share, `runs`
 * times after `warmup` unrecorded ones, `gapMs` apart: the platform's floor for any
 * cross-thread delivery.
 */
export async function postMessageHop(runs: number, warmup = 5, gapMs = 10): Promise<number[]> {
  const worker = new Worker(new URL('../worker/time-hop.worker.ts', import.meta.url), { type: 'module' });
  try {
    const samples: number[] = [];
    for (let i = 0; i < runs + warmup; i++) {
      const ms = await new Promise<number>((resolve) => {
        worker.onmessage = (e: MessageEvent<number>) => resolve(e.data);
        worker.postMessage(performance.timeOrigin + performance.now());
      });
      if (i >= warmup) samples.push(ms);
      await sleep(gapMs);
    }
    return samples;
  } finally {
    worker.terminate();
  }
}
