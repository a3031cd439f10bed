// top wired to the system: samples process.list each interval and repaints, while it
// listens to the keyboard (stdin) and the terminal's size (the control channel).
// Layer: apps. While it runs the pty is raw (no line editing, no echo) so 'q' arrives at
// once; the mode is put back on every way out that top itself takes.
import { decodePtyEvent, encodePtyMessage, type PtyMode } from '../../abi/pty-protocol.ts';
import { Status } from '../../abi/status.ts';
import type { ReadResult } from '../../workers/channel.ts';
import { listProcesses } from './commands.ts';
import { CONTROL, STDIN, STDOUT, type Io } from './io.ts';
import {
  batchFrame,
  HIDE_CURSOR,
  interval,
  paintFrame,
  parseTopArgs,
  screenFromEnv,
  SHOW_CURSOR,
  TOP_USAGE,
  topKeys,
  topLines,
  type Interval,
  type Sample,
  type Screen,
  type TopKey,
} from './top.ts';

const RAW: PtyMode = { canonical: false, echo: false, signals: true };
const COOKED: PtyMode = { canonical: true, echo: true, signals: true };
const DEFAULT_SCREEN: Screen = { cols: 80, rows: 24 };
/** The first frame's interval: long enough for a meaningful %CPU, short enough to feel instant. */
const PRIME_MS = 250;

type Wake = { readonly from: 'stdin' | 'control'; readonly r: ReadResult } | { readonly from: 'tick' };

/** What woke top: a key, a control message or the timer; reads stay armed across waits. */
class Waker {
  readonly #io: Io;
  #stdin: Promise<Wake> | null;
  #control: Promise<Wake> | null;

  constructor(io: Io) {
    this.#io = io;
    this.#stdin = this.#arm('stdin', STDIN);
    this.#control = this.#arm('control', CONTROL);
  }

  #arm(from: 'stdin' | 'control', index: number): Promise<Wake> | null {
    const h = this.#io.handle(index);
    return h === 0
      ? null
      : this.#io.ctx
          .channel(h)
          .readAsync()
          .then((r) => ({ from, r }));
  }

  async next(ms: number): Promise<Wake> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = new Promise<Wake>((resolve) => (timer = setTimeout(() => resolve({ from: 'tick' }), ms)));
    const wake = await Promise.race([tick, ...[this.#stdin, this.#control].filter((p) => p !== null)]);
    clearTimeout(timer);
    if (wake.from === 'tick') return wake;
    // A read that ended for good (the peer closed) is not re-armed: it would answer at once forever.
    const again =
      wake.r.status === Status.OK ? this.#arm(wake.from, wake.from === 'stdin' ? STDIN : CONTROL) : null;
    if (wake.from === 'stdin') this.#stdin = again;
    else this.#control = again;
    return wake;
  }
}

interface State {
  screen: Screen;
  prev: Sample;
}

const cores = (): number =>
  typeof navigator !== 'undefined' && navigator.hardwareConcurrency > 0 ? navigator.hardwareConcurrency : 1;

export async function top(io: Io, args: readonly string[]): Promise<number> {
  const options = parseTopArgs(args);
  if (!options.ok) return io.fail(`${options.error}\n${TOP_USAGE}`, 2);
  const { batch, iterations, delayMs } = options.value;
  const control = io.handle(CONTROL);
  const setMode = (mode: PtyMode): Promise<number> =>
    control === 0
      ? Promise.resolve(0)
      : io.ctx.channel(control).writeAsync(encodePtyMessage({ op: 'mode', mode }));
  const sample = async (): Promise<Sample | string> => {
    const listed = await listProcesses(io, 'top');
    return 'error' in listed ? listed.error : { at: performance.now(), rows: listed.rows };
  };
  const first = await sample();
  if (typeof first === 'string') return io.fail(first);
  const state: State = {
    screen: screenFromEnv(io.env('COLUMNS'), io.env('LINES')) ?? DEFAULT_SCREEN,
    prev: first,
  };
  if (!batch) {
    await setMode(RAW);
    await io.write(STDOUT, `${HIDE_CURSOR}\x1b[2J`);
  }
  try {
    return await frames(io, state, { batch, iterations, delayMs }, sample);
  } finally {
    if (!batch) {
      await io.write(STDOUT, `${SHOW_CURSOR}\n`);
      await setMode(COOKED);
    }
  }
}

async function frames(
  io: Io,
  state: State,
  options: { batch: boolean; iterations: number | null; delayMs: number },
  sample: () => Promise<Sample | string>,
): Promise<number> {
  const waker = new Waker(io);
  let last: Interval | null = null;
  const paint = (iv: Interval): Promise<number> => {
    const lines = topLines(iv, cores(), options.batch ? null : state.screen);
    return io.write(STDOUT, options.batch ? batchFrame(lines) : paintFrame(lines));
  };
  for (let drawn = 0, wait = PRIME_MS; ; wait = options.delayMs) {
    const deadline = performance.now() + wait;
    for (let left = wait; left > 0; left = deadline - performance.now()) {
      const wake = await waker.next(left);
      if (wake.from === 'tick' || wake.r.status !== Status.OK) continue;
      const event = wake.from === 'stdin' ? topKeys(wake.r.message.data) : controlEvent(wake.r.message.data);
      if (event === 'quit') return 0;
      if (event === 'redraw') break;
      if (event !== null && typeof event === 'object') {
        // A new size repaints the last frame at once; the next sample comes on time.
        state.screen = event;
        if (last !== null && !options.batch) await paint(last);
      }
    }
    const next = await sample();
    if (typeof next === 'string') return io.fail(next);
    last = interval(state.prev, next, cores());
    state.prev = next;
    if ((await paint(last)) !== Status.OK) return 1;
    if (options.iterations !== null && ++drawn >= options.iterations) return 0;
  }
}

/** A control message as top sees it: a signal quits, a size is the new screen; the rest is ignored. */
function controlEvent(data: Uint8Array): TopKey | Screen {
  const ev = decodePtyEvent(data);
  if (!ev.ok) return null;
  return ev.value.ev === 'signal' ? 'quit' : { cols: ev.value.cols, rows: ev.value.rows };
}
