// The pty's line discipline: what sits between the terminal's keyboard bytes and the
// program's reads (POSIX termios, simplified: ICANON, ECHO, ISIG, ICRNL, ONLCR). Layer:
// apps; pure, no DOM, so tests run in node. It trusts nothing about the bytes it is fed.
//
// Canonical mode keeps a line buffer the user edits (erase, kill, word erase, literal next);
// a line reaches the program when it ends (Enter) or on Ctrl-D. Choices beyond POSIX:
// - Escape sequences (arrow keys: ESC [ A, ESC O P, Alt+x: ESC x) are dropped whole in
//   canonical mode, never put into the line. A sequence is recognised only within one
//   input() call (the terminal sends each key's bytes in one call), so a lone Escape key
//   never swallows the next key press. Ctrl-V then ESC stores a literal ESC.
// - Switching from canonical to non-canonical keeps the partial line; the next input()
//   hands it to the program ahead of that call's bytes. Switching back before then resumes
//   editing it.
// - Output processing (ONLCR) applies in every mode: raw programs write "\r\n" themselves.

export interface TermMode {
  /** ICANON: line editing; reads return whole lines. */
  readonly canonical: boolean;
  /** ECHO: typed characters are shown. */
  readonly echo: boolean;
  /** ISIG: Ctrl-C, Ctrl-Z and Ctrl-\ raise signals instead of being read. */
  readonly signals: boolean;
}

export const COOKED: TermMode = { canonical: true, echo: true, signals: true };
export const RAW: TermMode = { canonical: false, echo: false, signals: false };

export type PtySignal = 'interrupt' | 'suspend' | 'quit';

/** The longest line canonical mode holds, bytes, not counting the newline that ends it. */
export const MAX_CANON = 4096;

export interface InputResult {
  /** Bytes now readable by the program (in canonical mode: whole lines, each ending in \n; an EOF is reported separately). */
  readonly toProgram: readonly Uint8Array[];
  /** Bytes to show on the terminal screen (echo), already in terminal form (e.g. "\b \b" for an erase, "^C\r\n" for an interrupt, "\r\n" for Enter). */
  readonly toScreen: Uint8Array;
  readonly signals: readonly PtySignal[];
  /** Ctrl-D on an empty line in canonical mode: the program's next read returns 0 bytes (end of file). Count of EOFs in this input. */
  readonly eofs: number;
  /**
   * `toProgram` and the EOFs together, in the order they happened: each entry is what one
   * read returns, an empty array being an EOF. Use this where order matters ("\x04ls\r").
   */
  readonly reads: readonly Uint8Array[];
}

const BEL = 0x07;
const BS = 0x08;
const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const ESC = 0x1b;
const SPACE = 0x20;
const DEL = 0x7f;
const VEOF = 0x04; // Ctrl-D
const VKILL = 0x15; // Ctrl-U
const VLNEXT = 0x16; // Ctrl-V
const VWERASE = 0x17; // Ctrl-W

const SIGNAL_OF: ReadonlyMap<number, PtySignal> = new Map([
  [0x03, 'interrupt'], // Ctrl-C
  [0x1a, 'suspend'], // Ctrl-Z
  [0x1c, 'quit'], // Ctrl-\
]);

const isContinuation = (b: number): boolean => (b & 0xc0) === 0x80;
const isControl = (b: number): boolean => b < SPACE || b === DEL;
const isBlank = (b: number): boolean => b === SPACE || b === TAB;
const nextTabStop = (column: number): number => (column | 7) + 1;

/** How many bytes the UTF-8 character that starts with `b` has (1 for anything else). */
function utf8Length(b: number): number {
  if (b >= 0xf0 && b <= 0xf7) return 4;
  if (b >= 0xe0) return b <= 0xef ? 3 : 1;
  return b >= 0xc0 ? 2 : 1;
}

/** A control character in caret notation: 0x01 → "^A", 0x7f → "^?". */
function caret(b: number): number[] {
  return [0x5e, b ^ 0x40];
}

/** The index just past the escape sequence that starts at `bytes[i]` (an ESC). */
function escapeEnd(bytes: Uint8Array, i: number): number {
  const kind = bytes[i + 1];
  if (kind === undefined) return i + 1;
  let j = i + 2;
  const at = (): number => bytes[j] ?? -1;
  if (kind === 0x5b) {
    // CSI: parameters, intermediates, one final byte.
    while (at() >= 0x30 && at() <= 0x3f) j++;
    while (at() >= 0x20 && at() <= 0x2f) j++;
    return at() >= 0x40 && at() <= 0x7e ? j + 1 : j;
  }
  if (kind === 0x4f) return at() >= 0x40 && at() <= 0x7e ? j + 1 : j; // SS3: one final byte
  // ESC and one character (Alt+key), a multi-byte one whole.
  while (j < i + 1 + utf8Length(kind) && isContinuation(at())) j++;
  return j;
}

/**
 * Where the cursor is on its row, from the bytes sent to the screen: enough to erase a
 * tab. Escape sequences move nothing; every character is one column; no wrapping.
 */
class CursorColumn {
  column = 0;
  #state: 'text' | 'esc' | 'csi' | 'string' = 'text';

  feed(bytes: Uint8Array | readonly number[]): void {
    // Plain text (no escape in it, none open) moves the column only after its last line
    // break: a bulk write (cat) is not walked byte by byte.
    if (this.#state === 'text' && bytes instanceof Uint8Array && bytes.indexOf(ESC) === -1) {
      const lastBreak = Math.max(bytes.lastIndexOf(CR), bytes.lastIndexOf(LF));
      if (lastBreak !== -1) this.column = 0;
      for (let i = lastBreak + 1; i < bytes.length; i++) this.#byte(bytes[i] ?? 0);
      return;
    }
    for (const b of bytes) this.#byte(b);
  }

  #byte(b: number): void {
    switch (this.#state) {
      case 'esc':
        // CSI; OSC, DCS, SOS, PM, APC strings (up to BEL or ST); else a two-byte sequence.
        this.#state = b === 0x5b ? 'csi' : [0x5d, 0x50, 0x58, 0x5e, 0x5f].includes(b) ? 'string' : 'text';
        return;
      case 'csi':
        if (b >= 0x40 && b <= 0x7e) this.#state = 'text';
        return;
      case 'string':
        // BEL ends it; so does ST (ESC \), whose ESC starts a sequence that the \ ends.
        if (b === BEL) this.#state = 'text';
        else if (b === ESC) this.#state = 'esc';
        return;
      case 'text':
        if (b === ESC) this.#state = 'esc';
        else if (b === CR || b === LF) this.column = 0;
        else if (b === BS) this.column = Math.max(0, this.column - 1);
        else if (b === TAB) this.column = nextTabStop(this.column);
        else if (!isControl(b) && !isContinuation(b)) this.column++;
    }
  }
}

/** What one input() call produces, gathered as it goes. */
class Gathered {
  readonly reads: Uint8Array[] = [];
  readonly screen: number[] = [];
  readonly signals: PtySignal[] = [];

  constructor(readonly cursor: CursorColumn | null) {}

  echo(bytes: readonly number[]): void {
    this.screen.push(...bytes);
    this.cursor?.feed(bytes);
  }

  result(): InputResult {
    return {
      toProgram: this.reads.filter((r) => r.length > 0),
      toScreen: Uint8Array.from(this.screen),
      signals: this.signals,
      eofs: this.reads.filter((r) => r.length === 0).length,
      reads: this.reads,
    };
  }
}

export class LineDiscipline {
  #mode: TermMode;
  /** The line being edited (canonical mode), or waiting to be handed over (after a switch to raw). */
  #line: number[] = [];
  /** The cursor column where the line's first character was echoed. */
  #lineStart = 0;
  /** Ctrl-V came: the next byte is stored as it is. */
  #quoted = false;
  /** Continuation bytes still to drop, of a character refused for want of room. */
  #skip = 0;
  /** The last byte output() sent was a \r (so a \n after it needs none). */
  #afterCR = false;
  readonly #cursor = new CursorColumn();
  readonly #decoder = new TextDecoder();

  constructor(mode: TermMode = COOKED) {
    this.#mode = mode;
  }

  get mode(): TermMode {
    return this.#mode;
  }

  /** Takes effect from the next input(); a partial line survives the switch (see the file's opening). */
  set mode(mode: TermMode) {
    this.#mode = mode;
    if (!mode.canonical) {
      this.#quoted = false;
      this.#skip = 0;
    }
  }

  /** The partial line being edited (canonical mode), for tests and for redraw. */
  get pending(): string {
    return this.#decoder.decode(Uint8Array.from(this.#line));
  }

  /** Keyboard bytes from the terminal. */
  input(bytes: Uint8Array): InputResult {
    const out = new Gathered(this.#mode.echo ? this.#cursor : null);
    if (this.#mode.canonical) {
      for (let i = 0; i < bytes.length;) i = this.#canonical(bytes, i, out);
    } else {
      this.#raw(bytes, out);
    }
    return out.result();
  }

  /** Program output to the screen, with ONLCR (\n → \r\n; a \r\n already there stays). A new array. */
  output(bytes: Uint8Array): Uint8Array {
    // The line feeds that need a CR before them, found with indexOf (native) rather than
    // by walking every byte: this is every byte a program writes to the terminal.
    const bare: number[] = [];
    for (let i = bytes.indexOf(LF); i !== -1; i = bytes.indexOf(LF, i + 1))
      if (!(i === 0 ? this.#afterCR : bytes[i - 1] === CR)) bare.push(i);
    if (bytes.length > 0) this.#afterCR = bytes[bytes.length - 1] === CR;
    const screen = new Uint8Array(bytes.length + bare.length);
    let from = 0;
    let j = 0;
    for (const i of bare) {
      screen.set(bytes.subarray(from, i), j);
      j += i - from;
      screen[j++] = CR;
      from = i;
    }
    screen.set(bytes.subarray(from), j);
    this.#cursor.feed(screen);
    return screen;
  }

  /** Non-canonical: everything but signal characters goes to the program at once. */
  #raw(bytes: Uint8Array, out: Gathered): void {
    const data = this.#line;
    this.#line = [];
    for (const b of bytes) {
      const signal = this.#mode.signals ? SIGNAL_OF.get(b) : undefined;
      if (signal) {
        this.#signal(signal, b, out);
      } else {
        data.push(b);
        if (this.#mode.echo) out.echo([b]);
      }
    }
    if (data.length > 0) out.reads.push(Uint8Array.from(data));
  }

  /** Canonical: handles the byte at `bytes[i]` (and the rest of its escape sequence); returns the next index. */
  #canonical(bytes: Uint8Array, i: number, out: Gathered): number {
    const b = bytes[i] ?? 0;
    if (this.#skip > 0 && isContinuation(b)) {
      this.#skip--;
      return i + 1;
    }
    this.#skip = 0;
    if (this.#quoted) {
      this.#quoted = false;
      this.#store(b, out);
      return i + 1;
    }
    const signal = this.#mode.signals ? SIGNAL_OF.get(b) : undefined;
    if (signal) this.#signal(signal, b, out);
    else if (b === ESC) return escapeEnd(bytes, i);
    else if (b === CR || b === LF) this.#endLine(out);
    else if (b === DEL || b === BS) this.#erase(out);
    else if (b === VKILL) this.#kill(out);
    else if (b === VWERASE) this.#eraseWord(out);
    else if (b === VEOF) this.#endOfFile(out);
    else if (b === VLNEXT) this.#quoted = true;
    else this.#store(b, out);
    return i + 1;
  }

  /** Adds a byte to the line and echoes it; refuses (BEL) a character that would pass MAX_CANON. */
  #store(b: number, out: Gathered): void {
    const size = utf8Length(b);
    if (this.#line.length + size > MAX_CANON) {
      this.#skip = size - 1;
      if (this.#mode.echo) out.echo([BEL]);
      return;
    }
    if (this.#line.length === 0) this.#lineStart = this.#cursor.column;
    this.#line.push(b);
    if (this.#mode.echo) out.echo(isControl(b) && b !== TAB ? caret(b) : [b]);
  }

  #endLine(out: Gathered): void {
    out.reads.push(Uint8Array.from([...this.#line, LF]));
    this.#line = [];
    if (this.#mode.echo) out.echo([CR, LF]);
  }

  /** Ctrl-D: an empty line is an EOF; otherwise the line goes as it is, without a newline. */
  #endOfFile(out: Gathered): void {
    out.reads.push(Uint8Array.from(this.#line));
    this.#line = [];
  }

  #signal(signal: PtySignal, b: number, out: Gathered): void {
    out.signals.push(signal);
    if (this.#mode.canonical) this.#line = [];
    if (this.#mode.echo) out.echo([...caret(b), CR, LF]);
  }

  /** Erases the line's last character (all its UTF-8 bytes) and as many columns as it took. */
  #erase(out: Gathered): void {
    const line = this.#line;
    if (line.length === 0) return;
    let start = line.length - 1;
    while (start > 0 && isContinuation(line[start] ?? 0)) start--;
    const last = line[start] ?? 0;
    line.length = start;
    if (!this.#mode.echo) return;
    if (last === TAB) {
      // The tab drew nothing: step back over the columns it advanced.
      const before = this.#columnAfter(line);
      out.echo(Array.from({ length: nextTabStop(before) - before }, () => BS));
    } else {
      const columns = isControl(last) ? 2 : 1;
      for (let c = 0; c < columns; c++) out.echo([BS, SPACE, BS]);
    }
  }

  /** Ctrl-U: the whole line. */
  #kill(out: Gathered): void {
    while (this.#line.length > 0) this.#erase(out);
  }

  /** Ctrl-W: the blanks at the end of the line, then the word before them. */
  #eraseWord(out: Gathered): void {
    const lastIs = (blank: boolean): boolean => {
      const b = this.#line.at(-1);
      return b !== undefined && isBlank(b) === blank;
    };
    while (lastIs(true)) this.#erase(out);
    while (lastIs(false)) this.#erase(out);
  }

  /** The cursor column after echoing `line` from the line's start. */
  #columnAfter(line: readonly number[]): number {
    let column = this.#lineStart;
    for (const b of line) {
      if (b === TAB) column = nextTabStop(column);
      else if (isControl(b)) column += 2;
      else if (!isContinuation(b)) column++;
    }
    return column;
  }
}
