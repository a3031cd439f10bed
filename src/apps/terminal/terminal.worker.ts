// terminal: the terminal app (issue 7). It emulates an xterm with @xterm/headless inside
// its own worker, draws the screen's glyphs with the bundled DejaVu Sans Mono onto an
// OffscreenCanvas and shows each frame through a bitmap window (ADR 0020). It is the pty's
// master: it owns the line discipline (line-discipline.ts) between the keyboard and the
// shell it starts, and tells the shell the window's size and the signals the user types
// on the pty's control channel (pty-protocol.ts). Dragging selects (selection.ts), a double
// or triple click selects words or lines; Ctrl+Shift+C copies the selection and
// Ctrl+Shift+V or a middle click pastes, through the clipboard grant. Layer: apps.
//
// Initial handles: 0 its connection to the compositor, 1 a Program handle on `sh`, then
// what the shell is given after the pty (shell.worker.ts): handles on the `wasi` loader,
// the store's root, `utils` and the process tree, passed on as they came. It
// exits when its window closes or the shell exits.
import './window-shim.ts'; // before @xterm/headless
import fontUrl from '@fontsource/dejavu-mono/files/dejavu-mono-latin-400-normal.woff2?url';
import boldFontUrl from '@fontsource/dejavu-mono/files/dejavu-mono-latin-700-normal.woff2?url';
import { Terminal, type IBufferCell } from '@xterm/headless';
import { Priority } from '../../abi/objects.ts';
import { decodePtyRequest, encodePtyMessage, type PtyEvent } from '../../abi/pty-protocol.ts';
import { Status, statusName } from '../../abi/status.ts';
import { WINDOW_LIMITS, type AppEvent, type KeyEvent } from '../../abi/window-protocol.ts';
import type { Channel } from '../../workers/channel.ts';
import { startDomain, type DomainContext } from '../../workers/domain.ts';
import { exitStatus } from '../../workers/wasi/spawn.ts';
import { Connection, type AppWindow } from '../../workers/window-client.ts';
import { clipboardChord, keyBytes, pasteBytes, textBytes } from './keys.ts';
import { COOKED, LineDiscipline } from './line-discipline.ts';
import { CURSOR, DEFAULT_BG, DEFAULT_FG, PALETTE, trueColor } from './palette.ts';
import { rangeContains, TerminalSelection, type Unit } from './selection.ts';

declare const self: DedicatedWorkerGlobalScope;

const FAMILY = 'Tessera Mono';
const FONT_PX = 14;
const LINE_PX = 18;
/** Space around the cell grid, px. */
const PAD = 6;
const COLS = 80;
const ROWS = 24;
const SCROLLBACK = 2000;
/** Behind selected cells. */
const SELECTION_BG = '#264f78';
/** Presses on one cell closer together than this count as a double or triple click, ms. */
const MULTI_CLICK_MS = 500;
const UNITS: readonly Unit[] = ['char', 'word', 'line'];
/** PointerEvent.buttons bits. */
const PRIMARY = 1;
const MIDDLE = 4;
/**
 * How long typing waits behind a paste for the clipboard's answer, ms. The host may be
 * asking the user for permission to read it; the keys typed meanwhile are not held longer.
 */
const PASTE_WAIT_MS = 1000;

type PointerEv = Extract<AppEvent, { ev: 'pointer' }>;

/** The bundled font, or the platform's monospace when it does not load. */
async function loadFont(): Promise<string> {
  try {
    const faces = [
      new FontFace(FAMILY, `url(${fontUrl})`),
      new FontFace(FAMILY, `url(${boldFontUrl})`, { weight: '700' }),
    ];
    for (const face of await Promise.all(faces.map((f) => f.load()))) self.fonts.add(face);
    return `"${FAMILY}", monospace`;
  } catch {
    return 'monospace';
  }
}

class TerminalApp {
  readonly #ctx: DomainContext;
  readonly #connection: Connection;
  readonly #window: AppWindow;
  readonly #term: Terminal;
  readonly #ld = new LineDiscipline(COOKED);
  readonly #master: Channel;
  readonly #control: Channel;
  readonly #font: string;
  readonly #cellW: number;
  readonly #canvas = new OffscreenCanvas(1, 1);
  readonly #cell: IBufferCell | undefined;
  readonly #selection: TerminalSelection;
  /** True while the primary button, pressed in the window, is down. */
  #dragging = false;
  /** The last press, to count double and triple clicks. */
  #press = { at: 0, col: -1, row: -1, clicks: 0 };
  /**
   * A paste waiting for the clipboard's answer, and the text events that came meanwhile.
   * `keyboard`: asked for by Ctrl+Shift+V, which the host's text field also pastes from:
   * that copy arrives as a text event and must not be typed a second time.
   */
  #pasting: {
    readonly keyboard: boolean;
    readonly held: string[];
    readonly timer: ReturnType<typeof setTimeout>;
  } | null = null;
  #busy = false;
  #again = false;

  constructor(
    ctx: DomainContext,
    connection: Connection,
    window: AppWindow,
    pty: { master: Channel; control: Channel },
    font: string,
    cellW: number,
  ) {
    this.#ctx = ctx;
    this.#connection = connection;
    this.#window = window;
    this.#master = pty.master;
    this.#control = pty.control;
    this.#font = font;
    this.#cellW = cellW;
    const [cols, rows] = this.#grid();
    this.#term = new Terminal({ cols, rows, scrollback: SCROLLBACK, allowProposedApi: true });
    this.#cell = this.#term.buffer.active.getNullCell();
    this.#selection = new TerminalSelection(this.#term);
  }

  #grid(): [number, number] {
    const w = this.#window;
    return [
      Math.max(1, Math.floor((w.width - 2 * PAD) / this.#cellW)),
      Math.max(1, Math.floor((w.height - 2 * PAD) / LINE_PX)),
    ];
  }

  /** Program output from the pty, until the shell and everything it started let go. */
  async serveOutput(): Promise<void> {
    for (;;) {
      const r = await this.#master.readAsync();
      if (r.status !== Status.OK) return;
      for (const h of r.message.handles) void this.#ctx.sys.handleCloseAsync(h);
      this.#show(this.#ld.output(r.message.data));
    }
  }

  /** Mode changes from the shell. */
  async serveControl(): Promise<void> {
    for (;;) {
      const r = await this.#control.readAsync();
      if (r.status !== Status.OK) return;
      const m = decodePtyRequest(r.message.data);
      if (m.ok) this.#ld.mode = m.value.mode;
    }
  }

  /** Events from the compositor until the window closes. */
  async serveWindow(): Promise<void> {
    for (;;) {
      const e = await this.#connection.next();
      if (e === null || e.ev === 'closed') return;
      if (e.ev === 'key' && e.phase === 'down') await this.#key(e.key);
      else if (e.ev === 'text') {
        if (this.#pasting !== null) this.#pasting.held.push(e.data);
        else await this.#type(textBytes(e.data));
      } else if (e.ev === 'pointer') await this.#pointer(e);
      else if (e.ev === 'clipboard') await this.#pasted(e.text);
      else if (e.ev === 'refused') await this.#refused(e.reason);
      else if (e.ev === 'wheel') {
        this.#term.scrollLines(Math.sign(e.dy) * 3);
        this.render();
      } else if (e.ev === 'surface') this.#resized();
    }
  }

  async #key(key: KeyEvent): Promise<void> {
    if (key.shift && (key.key === 'PageUp' || key.key === 'PageDown')) {
      this.#term.scrollLines((key.key === 'PageUp' ? -1 : 1) * (this.#term.rows - 1));
      this.render();
      return;
    }
    // Copy and paste are the terminal's: the program sees neither chord (no Ctrl-C, no Ctrl-V).
    const chord = clipboardChord(key);
    if (chord === 'copy') return this.#copy();
    if (chord === 'paste') return this.#paste(true);
    const bytes = keyBytes(key, { applicationCursor: this.#term.modes.applicationCursorKeysMode });
    if (bytes !== null) await this.#type(bytes);
  }

  /** The primary button selects; the middle one pastes. */
  async #pointer(e: PointerEv): Promise<void> {
    if (e.phase === 'down' && (e.buttons & MIDDLE) !== 0) return this.#paste(false);
    if (e.phase === 'down' && (e.buttons & PRIMARY) !== 0) {
      this.#dragging = true;
      this.#selection.begin(this.#at(e.x, e.y), this.#unit(e.x, e.y));
    } else if (this.#dragging && e.phase === 'move') {
      // Dragging past the top or bottom edge scrolls, a line per move, to select more.
      if (e.y < PAD) this.#term.scrollLines(-1);
      else if (e.y >= this.#window.height - PAD) this.#term.scrollLines(1);
      this.#selection.extend(this.#at(e.x, e.y));
      if ((e.buttons & PRIMARY) === 0) this.#dragging = false; // released outside our sight
    } else if (this.#dragging && e.phase === 'up') {
      this.#selection.extend(this.#at(e.x, e.y));
      this.#dragging = false;
    } else return;
    this.render();
  }

  /** Where a pointer is in the buffer: a fractional column, and a line of the viewport. */
  #at(x: number, y: number): { x: number; y: number } {
    const row = Math.min(Math.max(Math.floor((y - PAD) / LINE_PX), 0), this.#term.rows - 1);
    return { x: (x - PAD) / this.#cellW, y: this.#term.buffer.active.viewportY + row };
  }

  /** What a press selects: a character drag, or for a double or triple click words or lines. */
  #unit(x: number, y: number): Unit {
    const col = Math.floor((x - PAD) / this.#cellW);
    const row = this.#at(x, y).y;
    const now = performance.now();
    const p = this.#press;
    const again = now - p.at < MULTI_CLICK_MS && col === p.col && row === p.row;
    this.#press = { at: now, col, row, clicks: again ? (p.clicks % UNITS.length) + 1 : 1 };
    return UNITS[this.#press.clicks - 1] ?? 'char';
  }

  async #copy(): Promise<void> {
    const text = this.#selection.text();
    if (text !== '')
      await this.#connection.send({
        op: 'clipboard-write',
        text: text.slice(0, WINDOW_LIMITS.CLIPBOARD_MAX),
      });
  }

  async #paste(keyboard: boolean): Promise<void> {
    if (this.#pasting !== null) return; // one at a time: the answer types what was asked for
    const timer = setTimeout(() => void this.#refused('the clipboard did not answer'), PASTE_WAIT_MS);
    this.#pasting = { keyboard, held: [], timer };
    await this.#connection.send({ op: 'clipboard-read' });
  }

  /** The clipboard's answer: typed as a paste, then whatever was typed while it was on its way. */
  async #pasted(text: string): Promise<void> {
    const p = this.#pasting;
    if (p === null) return; // late, or not asked for
    this.#pasting = null;
    clearTimeout(p.timer);
    if (text !== '') await this.#type(pasteBytes(text, this.#term.modes.bracketedPasteMode));
    const lines = (t: string): string => t.replace(/\r\n?/g, '\n');
    const echo = p.keyboard ? p.held.findIndex((t) => t !== '' && lines(text).startsWith(lines(t))) : -1;
    for (const [i, t] of p.held.entries()) if (i !== echo) await this.#type(textBytes(t));
  }

  /** A refused or unanswered clipboard request (no grant, not focused): a pending paste types what it held. */
  async #refused(reason: string): Promise<void> {
    this.#ctx.log('warn', `terminal: ${reason}`);
    const p = this.#pasting;
    this.#pasting = null;
    if (p !== null) clearTimeout(p.timer);
    for (const t of p?.held ?? []) await this.#type(textBytes(t));
  }

  /** Keyboard bytes through the line discipline: to the program, to the screen, or a signal. */
  async #type(bytes: Uint8Array): Promise<void> {
    this.#term.scrollToBottom();
    if (this.#selection.active) {
      this.#selection.clear(); // typing ends a selection, as in xterm
      this.render();
    }
    const r = this.#ld.input(bytes);
    if (r.toScreen.byteLength > 0) this.#show(r.toScreen);
    for (const signal of r.signals) await this.#tell({ ev: 'signal', signal });
    // An empty message is a read of 0 bytes: end of file for that read (Ctrl-D).
    for (const data of r.reads) await this.#master.writeAsync(data);
  }

  #tell(e: PtyEvent): Promise<unknown> {
    return this.#control.writeAsync(encodePtyMessage(e));
  }

  #resized(): void {
    const [cols, rows] = this.#grid();
    if (cols !== this.#term.cols || rows !== this.#term.rows) {
      this.#selection.clear(); // reflow moves the text under it
      this.#term.resize(cols, rows);
      void this.#tell({ ev: 'size', cols, rows });
    }
    this.render();
  }

  #show(bytes: Uint8Array): void {
    this.#term.write(bytes, () => this.render());
  }

  /** Draws and shows a frame; requests while one is on its way coalesce into the next. */
  render(): void {
    if (this.#busy) {
      this.#again = true;
      return;
    }
    this.#busy = true;
    void (async () => {
      do {
        this.#again = false;
        await this.#window.presentBitmap(this.#paint());
        await this.#window.setText(this.text());
      } while (this.#again);
      this.#busy = false;
    })();
  }

  /** The visible rows as text, trailing blank lines dropped (the accessibility mirror, tests). */
  text(): string {
    const b = this.#term.buffer.active;
    const rows: string[] = [];
    for (let y = 0; y < this.#term.rows; y++)
      rows.push(b.getLine(b.viewportY + y)?.translateToString(true) ?? '');
    while (rows.length > 0 && rows.at(-1) === '') rows.pop();
    return rows.join('\n').slice(-WINDOW_LIMITS.TEXT_MAX);
  }

  #paint(): ImageBitmap {
    const { width, height } = this.#window;
    const canvas = this.#canvas;
    if (canvas.width !== width || canvas.height !== height) [canvas.width, canvas.height] = [width, height];
    const g = canvas.getContext('2d');
    if (g === null) throw new Error('no 2D context for the terminal');
    g.fillStyle = DEFAULT_BG;
    g.fillRect(0, 0, width, height);
    g.textBaseline = 'alphabetic';
    const b = this.#term.buffer.active;
    const atBottom = b.viewportY === b.baseY;
    const baseline = Math.round((LINE_PX + FONT_PX) / 2) - 2;
    const cw = this.#cellW;
    const selected = this.#selection.range;
    for (let y = 0; y < this.#term.rows; y++) {
      const line = b.getLine(b.viewportY + y);
      if (line === undefined) continue;
      const top = PAD + y * LINE_PX;
      for (let x = 0; x < this.#term.cols; x++) {
        const cell = line.getCell(x, this.#cell);
        if (cell === undefined || cell.getWidth() === 0) continue;
        const cursor = atBottom && x === b.cursorX && y === b.cursorY;
        let fg = colour(cell, 'fg');
        let bg = colour(cell, 'bg');
        if (cell.isInverse() !== 0) [fg, bg] = [bg ?? DEFAULT_BG, fg ?? DEFAULT_FG];
        if (rangeContains(selected, x, b.viewportY + y)) bg = SELECTION_BG;
        if (cursor) [fg, bg] = [DEFAULT_BG, CURSOR];
        const left = PAD + x * cw;
        const span = cw * cell.getWidth();
        if (bg !== null) {
          g.fillStyle = bg;
          g.fillRect(left, top, span, LINE_PX);
        }
        const chars = cell.getChars();
        g.fillStyle = fg ?? DEFAULT_FG;
        if (chars !== '' && chars !== ' ') {
          g.font = `${cell.isBold() !== 0 ? '700 ' : ''}${FONT_PX}px ${this.#font}`;
          g.fillText(chars, left, top + baseline, span);
        }
        if (cell.isUnderline() !== 0) g.fillRect(left, top + baseline + 2, span, 1);
      }
    }
    return canvas.transferToImageBitmap();
  }
}

/** A cell's foreground or background as CSS; null for the default. */
function colour(cell: IBufferCell, which: 'fg' | 'bg'): string | null {
  const v = which === 'fg' ? cell.getFgColor() : cell.getBgColor();
  if (which === 'fg' ? cell.isFgRGB() : cell.isBgRGB()) return trueColor(v);
  if (which === 'fg' ? cell.isFgPalette() : cell.isBgPalette()) {
    // Bold brightens the first eight colours, as xterm does.
    const index = which === 'fg' && cell.isBold() !== 0 && v < 8 ? v + 8 : v;
    return PALETTE[index] ?? null;
  }
  return null;
}

/** Two channels: the pty's byte stream and its control, each [ours, the shell's]. */
async function makePty(
  ctx: DomainContext,
): Promise<{ master: number; slave: number; control: number; shellControl: number }> {
  const [stream, control] = await Promise.all([ctx.sys.channelCreateAsync(), ctx.sys.channelCreateAsync()]);
  if (stream.status !== Status.OK || control.status !== Status.OK)
    throw new Error(
      `channel.create: ${statusName(stream.status === Status.OK ? control.status : stream.status)}`,
    );
  return {
    master: stream.end0 ?? 0,
    slave: stream.end1 ?? 0,
    control: control.end0 ?? 0,
    shellControl: control.end1 ?? 0,
  };
}

startDomain(async (ctx) => {
  const [connectionHandle = 0, shell = 0, ...forShell] = ctx.handles;
  const connection = new Connection(ctx, connectionHandle);
  const font = await loadFont();
  const probe = new OffscreenCanvas(1, 1).getContext('2d');
  if (probe === null) throw new Error('no 2D context for the terminal');
  probe.font = `${FONT_PX}px ${font}`;
  const cellW = Math.max(1, Math.round(probe.measureText('M').width));
  const window = await connection.open('Terminal', COLS * cellW + 2 * PAD, ROWS * LINE_PX + 2 * PAD, {
    bitmaps: true,
  });
  const pty = await makePty(ctx);
  const spawned = await ctx.sys.processSpawnAsync(
    shell,
    'sh',
    '',
    'TERM=xterm-256color',
    Priority.INTERACTIVE,
    [pty.slave, pty.shellControl, ...forShell],
  );
  if (spawned.status !== Status.OK) throw new Error(`spawning the shell: ${statusName(spawned.status)}`);
  const app = new TerminalApp(
    ctx,
    connection,
    window,
    { master: ctx.channel(pty.master), control: ctx.channel(pty.control) },
    font,
    cellW,
  );
  app.render();
  void app.serveOutput();
  void app.serveControl();
  const shellExit = exitStatus(ctx, spawned.process ?? 0);
  await Promise.race([app.serveWindow(), shellExit]);
  void ctx.sys.processKillAsync(spawned.process ?? 0);
  return 0;
}, self);
