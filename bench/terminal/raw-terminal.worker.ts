// The terminal benchmark's raw baseline (bench/README.md, "terminal"): a bare
// @xterm/headless Terminal of the terminal app's size in a worker, drawn row by row onto
// an OffscreenCanvas and shown as a transferred ImageBitmap. No kernel, no pty, no shell,
// no compositor: what the platform costs for the same echo and the same `cat`.
import './xterm-shim.ts'; // before @xterm/headless
import { Terminal } from '@xterm/headless';
import type { FromRawTerminal, ToRawTerminal } from '../lib/raw-terminal-protocol.ts';

declare const self: DedicatedWorkerGlobalScope;

/** As the terminal app: 80×24 cells of DejaVu Sans Mono 14 px (here the platform's monospace), 18 px lines. */
const COLS = 80;
const ROWS = 24;
const LINE_PX = 18;
const FONT = '14px monospace';
const PAD = 6;
/** While output streams, at most one frame per display refresh, as a terminal shows it. */
const FRAME_MS = 1000 / 60;

const term = new Terminal({
  cols: COLS,
  rows: ROWS,
  scrollback: 2000,
  convertEol: true,
  allowProposedApi: true,
});
const probe = new OffscreenCanvas(1, 1).getContext('2d') as OffscreenCanvasRenderingContext2D;
probe.font = FONT;
const cellW = Math.max(1, Math.round(probe.measureText('M').width));
const canvas = new OffscreenCanvas(COLS * cellW + 2 * PAD, ROWS * LINE_PX + 2 * PAD);
const g = canvas.getContext('2d') as OffscreenCanvasRenderingContext2D;

/** The visible screen, each row's text in one fillText, the cursor as a block. */
function paint(): ImageBitmap {
  g.fillStyle = '#10161f';
  g.fillRect(0, 0, canvas.width, canvas.height);
  g.font = FONT;
  g.textBaseline = 'alphabetic';
  g.fillStyle = '#d8dee9';
  const b = term.buffer.active;
  for (let y = 0; y < ROWS; y++) {
    const text = b.getLine(b.viewportY + y)?.translateToString(true) ?? '';
    if (text !== '') g.fillText(text, PAD, PAD + y * LINE_PX + 14);
  }
  g.fillRect(PAD + b.cursorX * cellW, PAD + b.cursorY * LINE_PX, cellW, LINE_PX);
  return canvas.transferToImageBitmap();
}

const send = (m: FromRawTerminal, transfer: Transferable[] = []): void => self.postMessage(m, transfer);

function cat(bytes: Uint8Array, chunk: number): void {
  let frames = 0;
  let last = performance.now();
  for (let at = 0; at < bytes.length; at += chunk) {
    const end = Math.min(bytes.length, at + chunk);
    term.write(bytes.subarray(at, end), () => {
      const now = performance.now();
      if (end === bytes.length) {
        paint().close();
        send({ kind: 'written', frames: frames + 1 });
      } else if (now - last >= FRAME_MS) {
        paint().close();
        frames++;
        last = now;
      }
    });
  }
}

self.addEventListener('message', (e: MessageEvent<ToRawTerminal>) => {
  const m = e.data;
  if (m.kind === 'key')
    term.write(m.data, () => {
      const bitmap = paint();
      send({ kind: 'frame', bitmap }, [bitmap]);
    });
  else if (m.kind === 'cat') cat(new Uint8Array(m.bytes), m.chunk);
  else {
    term.reset();
    term.write('', () => send({ kind: 'reset' }));
  }
});
