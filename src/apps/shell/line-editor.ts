// The shell's line editor: a small readline over a raw-mode terminal (history, tab completion,
// word motion, a kill buffer) and the redraw that shows each edit. Layer: apps; pure (bytes in,
// bytes and events out), so it runs in node. It trusts no input: any bytes are safe to feed, and
// the line never holds a control character, whatever the keys, the history or the completer give.

/**
 * What a Tab completes: each candidate replaces the text from `replaceFrom` to the cursor.
 * `replaceFrom` and the cursor a Completer gets are UTF-16 indices into the line (JS string
 * indices), so `line.slice(replaceFrom, cursor)` is the word being completed.
 */
export interface Completion {
  readonly candidates: readonly string[];
  readonly replaceFrom: number;
}
export type Completer = (line: string, cursor: number) => Completion;

export type EditorEvent =
  /** Enter: the finished line (not yet in history; the caller calls addHistory). */
  | { readonly kind: 'line'; readonly text: string }
  /** Ctrl-C: the line is abandoned (the editor has already output "^C\r\n"). */
  | { readonly kind: 'interrupt' }
  /** Ctrl-D on an empty line (the editor has output "\r\n"). */
  | { readonly kind: 'eof' }
  /** Ctrl-L: the editor has already cleared the screen and redrawn prompt and line; nothing to do. */
  | { readonly kind: 'clear' };

export interface LineEditorOptions {
  readonly prompt: string;
  readonly history?: readonly string[];
  /** Most lines kept in history, oldest dropped first; default 1000. */
  readonly historyMax?: number;
  readonly complete?: Completer;
  /** Terminal width in cells; default 80. */
  readonly columns?: number;
}

type Action =
  | 'left'
  | 'right'
  | 'home'
  | 'end'
  | 'word-left'
  | 'word-right'
  | 'backspace'
  | 'delete'
  | 'eof-or-delete'
  | 'kill-start'
  | 'kill-end'
  | 'kill-word'
  | 'kill-word-back'
  | 'kill-word-forward'
  | 'yank'
  | 'prev'
  | 'next'
  | 'enter'
  | 'interrupt'
  | 'clear'
  | 'tab'
  | 'ignore';
type Key = Action | { readonly insert: string };

const CONTROL: ReadonlyMap<number, Action> = new Map<number, Action>([
  [0x01, 'home'],
  [0x02, 'left'],
  [0x03, 'interrupt'],
  [0x04, 'eof-or-delete'],
  [0x05, 'end'],
  [0x06, 'right'],
  [0x08, 'backspace'],
  [0x09, 'tab'],
  [0x0a, 'enter'],
  [0x0b, 'kill-end'],
  [0x0c, 'clear'],
  [0x0e, 'next'],
  [0x10, 'prev'],
  [0x15, 'kill-start'],
  [0x17, 'kill-word'],
  [0x19, 'yank'],
  [0x7f, 'backspace'],
]);
/** CSI sequences by parameters + final byte; any other CSI is ignored. */
const CSI: ReadonlyMap<string, Action> = new Map<string, Action>([
  ['A', 'prev'],
  ['B', 'next'],
  ['C', 'right'],
  ['D', 'left'],
  ['H', 'home'],
  ['F', 'end'],
  ['1~', 'home'],
  ['7~', 'home'],
  ['4~', 'end'],
  ['8~', 'end'],
  ['3~', 'delete'],
  ['1;5C', 'word-right'],
  ['1;5D', 'word-left'],
  ['1;3C', 'word-right'],
  ['1;3D', 'word-left'],
]);
const SS3: ReadonlyMap<string, Action> = new Map<string, Action>([
  ['A', 'prev'],
  ['B', 'next'],
  ['C', 'right'],
  ['D', 'left'],
  ['H', 'home'],
  ['F', 'end'],
]);
/** ESC + one byte: Alt-<key>. */
const ALT: ReadonlyMap<number, Action> = new Map<number, Action>([
  [0x62, 'word-left'], // b
  [0x66, 'word-right'], // f
  [0x64, 'kill-word-forward'], // d
  [0x7f, 'kill-word-back'],
  [0x08, 'kill-word-back'],
]);
const ESC = 0x1b;
/** A CSI longer than this is junk: dropped before its final byte comes. */
const MAX_ESCAPE = 32;
/** Input held while no line is being edited (type-ahead), bytes; the rest is dropped. */
export const MAX_PENDING = 65536;

/** The next key in `b` at `at`, and how many bytes it took; null when `b` ends inside one. */
function nextKey(b: Uint8Array, at: number): { readonly key: Key; readonly size: number } | null {
  const c = b[at];
  if (c === undefined) return null;
  if (c === ESC) return escapeKey(b, at);
  // "\r\n" (a pasted CRLF) is one Enter.
  if (c === 0x0d) return { key: 'enter', size: b[at + 1] === 0x0a ? 2 : 1 };
  if (c < 0x20 || c === 0x7f) return { key: CONTROL.get(c) ?? 'ignore', size: 1 };
  if (c < 0x80) return { key: { insert: String.fromCharCode(c) }, size: 1 };
  return utf8Key(b, at);
}

function escapeKey(b: Uint8Array, at: number): { key: Key; size: number } | null {
  const c = b[at + 1];
  if (c === undefined) return null;
  if (c === 0x5b) return csiKey(b, at);
  const f = b[at + 2];
  if (c === 0x4f && f === undefined) return null;
  if (c === 0x4f && f !== undefined && f >= 0x20 && f <= 0x7e) {
    return { key: SS3.get(String.fromCharCode(f)) ?? 'ignore', size: 3 };
  }
  if ((c >= 0x20 && c <= 0x7f) || c === 0x08) return { key: ALT.get(c) ?? 'ignore', size: 2 };
  // A lone ESC before a control byte, another ESC or a UTF-8 character: dropped.
  return { key: 'ignore', size: 1 };
}

function csiKey(b: Uint8Array, at: number): { key: Key; size: number } | null {
  for (let i = at + 2; i < b.length; i++) {
    const c = b[i] ?? 0;
    if (c >= 0x40 && c <= 0x7e) {
      const body = String.fromCharCode(...b.subarray(at + 2, i + 1));
      return { key: CSI.get(body) ?? 'ignore', size: i + 1 - at };
    }
    // Not a parameter or intermediate byte (or far too long): the sequence is malformed;
    // drop what came before this byte and read on from it.
    if (c < 0x20 || c > 0x3f || i - at > MAX_ESCAPE) return { key: 'ignore', size: i - at };
  }
  return null;
}

function utf8Key(b: Uint8Array, at: number): { key: Key; size: number } | null {
  const lead = b[at] ?? 0;
  const n = lead >= 0xf0 ? (lead <= 0xf4 ? 4 : 0) : lead >= 0xe0 ? 3 : lead >= 0xc2 ? 2 : 0;
  if (n === 0) return { key: 'ignore', size: 1 };
  let cp = lead & (0x7f >> n);
  for (let i = 1; i < n; i++) {
    const c = b[at + i];
    if (c === undefined) return null;
    if ((c & 0xc0) !== 0x80) return { key: 'ignore', size: i };
    cp = (cp << 6) | (c & 0x3f);
  }
  const min = n === 2 ? 0x80 : n === 3 ? 0x800 : 0x10000;
  const valid = cp >= min && cp <= 0x10ffff && (cp < 0xd800 || cp > 0xdfff);
  return { key: valid && printable(cp) ? { insert: String.fromCodePoint(cp) } : 'ignore', size: n };
}

function printable(cp: number): boolean {
  return cp >= 0x20 && cp !== 0x7f && (cp < 0x80 || cp >= 0xa0);
}

/** `text` as code points, control characters left out. */
function toChars(text: string): string[] {
  return Array.from(text).filter((ch) => printable(ch.codePointAt(0) ?? 0));
}

/** Cells `text` takes on a terminal: escape sequences (CSI, OSC) and control characters take none. */
export function visibleWidth(text: string): number {
  let width = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === ESC) i = escapeEnd(text, i);
    else if (printable(c) && (c < 0xdc00 || c > 0xdfff)) width++;
  }
  return width;
}

/** The index of the last character of the escape sequence starting at `i`. */
function escapeEnd(text: string, i: number): number {
  const kind = text[i + 1];
  let j = i + 2;
  if (kind === '[') {
    while (j < text.length && !/[@-~]/.test(text.charAt(j))) j++;
    return j;
  }
  if (kind === ']') {
    while (j < text.length && text[j] !== '\x07' && !(text[j] === '\x1b' && text[j + 1] === '\\')) j++;
    return text[j] === '\x07' ? j : j + 1;
  }
  return i + 1;
}

const isWord = (ch: string | undefined): boolean => ch !== undefined && /[\p{L}\p{N}_]/u.test(ch);
const isSpace = (ch: string | undefined): boolean => ch === ' ';

/** Start of the word before `i` (letters, digits, '_'), as Alt-B moves. */
function wordLeft(chars: readonly string[], i: number): number {
  while (i > 0 && !isWord(chars[i - 1])) i--;
  while (i > 0 && isWord(chars[i - 1])) i--;
  return i;
}

/** End of the word after `i`, as Alt-F moves. */
function wordRight(chars: readonly string[], i: number): number {
  while (i < chars.length && !isWord(chars[i])) i++;
  while (i < chars.length && isWord(chars[i])) i++;
  return i;
}

/** Start of the space-delimited word before `i`, as Ctrl-W deletes. */
function spaceWordLeft(chars: readonly string[], i: number): number {
  while (i > 0 && isSpace(chars[i - 1])) i--;
  while (i > 0 && !isSpace(chars[i - 1])) i--;
  return i;
}

/** The longest common prefix of `words`, in code points. */
function commonPrefix(words: readonly (readonly string[])[]): string[] {
  const first = words[0] ?? [];
  let n = first.length;
  for (const w of words) {
    let i = 0;
    while (i < n && i < w.length && w[i] === first[i]) i++;
    n = i;
  }
  return first.slice(0, n);
}

/**
 * `items` in columns down then across (as ls lists), at least two spaces apart, each row at most
 * `columns` cells unless one item is wider: the rows, without line ends or trailing spaces.
 */
export function columnate(items: readonly string[], columns: number): string[] {
  const widths = items.map((s) => Array.from(s).length);
  const width = widths.reduce((a, b) => Math.max(a, b), 0) + 2;
  const across = Math.max(1, Math.floor((columns + 2) / width));
  const rows = Math.ceil(items.length / across);
  const lines: string[] = [];
  for (let r = 0; r < rows; r++) {
    let line = '';
    for (let i = r; i < items.length; i += rows) {
      const last = i + rows >= items.length;
      line += last ? (items[i] ?? '') : (items[i] ?? '') + ' '.repeat(width - (widths[i] ?? 0));
    }
    lines.push(line);
  }
  return lines;
}

const csi = (n: number, final: string): string => (n > 0 ? `\x1b[${n}${final}` : '');
const encoder = new TextEncoder();

/**
 * One terminal's line editor. Lifecycle: begin() writes the prompt; feed() the keys as they come
 * until an event ends the line ('line', 'interrupt' or 'eof'); then no line is edited and input
 * is held (type-ahead, at most MAX_PENDING bytes) until the next begin(). After begin(), call
 * feed(new Uint8Array(0)) when `hasPendingInput`, so held input is edited without waiting for a key.
 *
 * Redraw: the editor keeps what the terminal shows (the line's length and the cursor) and after
 * each feed() writes the difference: typed text at the end as itself, a cursor move as CUU/CUD/CUF/
 * CUB, anything else as "\r" + prompt + line + erase + a move back to the cursor. Positions count
 * cells from the start of the prompt's last line, wrapping at `columns`, one cell a code point.
 */
export class LineEditor {
  #prompt = '';
  #promptTail = '';
  #promptWidth = 0;
  #columns = 80;
  readonly #history: string[];
  readonly #historyMax: number;
  readonly #complete: Completer | undefined;
  #pending = new Uint8Array(0);
  #editing = false;
  #chars: string[] = [];
  #cursor = 0;
  /** What the terminal shows: the line's length and the cursor, in code points. */
  #shownLength = 0;
  #shownCursor = 0;
  /** The line changed other than by text typed at its end since it was last shown. */
  #dirty = false;
  /** The history entry being edited; history.length is the new line. */
  #historyAt = 0;
  /** Edits of the entries visited during this line (the new line's among them). */
  readonly #drafts = new Map<number, string[]>();
  #killed: string[] = [];
  #tabbed = false;
  #out = '';
  #events: EditorEvent[] = [];

  constructor(options: LineEditorOptions) {
    const max = options.historyMax ?? 1000;
    this.#historyMax = Number.isNaN(max) ? 1000 : Math.max(0, Math.floor(max));
    this.#history = this.#historyMax === 0 ? [] : (options.history ?? []).slice(-this.#historyMax);
    this.#complete = options.complete;
    this.#setPrompt(options.prompt);
    if (options.columns !== undefined) this.columns = options.columns;
  }

  /** Starts a new line: returns the bytes to write to the terminal (the prompt). */
  begin(prompt?: string): Uint8Array {
    if (prompt !== undefined) this.#setPrompt(prompt);
    this.#editing = true;
    this.#chars = [];
    this.#cursor = this.#shownLength = this.#shownCursor = 0;
    this.#dirty = this.#tabbed = false;
    this.#historyAt = this.#history.length;
    this.#drafts.clear();
    return encoder.encode(this.#prompt + this.#wrap(0));
  }

  /**
   * Feeds keyboard bytes (UTF-8 text, control bytes, escape sequences, split anywhere across
   * calls). Returns the bytes that show the edit and the events completed, in order.
   */
  feed(bytes: Uint8Array): { readonly output: Uint8Array; readonly events: readonly EditorEvent[] } {
    let input = bytes;
    if (this.#pending.length > 0) {
      input = new Uint8Array(this.#pending.length + bytes.length);
      input.set(this.#pending);
      input.set(bytes, this.#pending.length);
    }
    let at = 0;
    for (let next = nextKey(input, at); this.#editing && next !== null; next = nextKey(input, at)) {
      at += next.size;
      const tab = next.key === 'tab';
      this.#key(next.key);
      this.#tabbed = tab;
    }
    this.#pending = input.slice(at, at + MAX_PENDING);
    if (this.#editing) this.#out += this.#render();
    const result = { output: encoder.encode(this.#out), events: this.#events };
    this.#out = '';
    this.#events = [];
    return result;
  }

  /** Adds a finished line to history; ignores blank lines and a repeat of the newest entry. */
  addHistory(line: string): void {
    if (line.trim() === '' || this.#history.at(-1) === line) return;
    this.#history.push(line);
    this.#history.splice(0, this.#history.length - this.#historyMax);
    this.#historyAt = this.#history.length;
    this.#drafts.clear();
  }

  /** Oldest first (a copy). */
  get history(): readonly string[] {
    return this.#history.slice();
  }

  /** The line as edited so far. */
  get line(): string {
    return this.#chars.join('');
  }

  /** The cursor, in code points from the start of the line. */
  get cursor(): number {
    return this.#cursor;
  }

  /** Whether a line is being edited (between begin() and the event that ends it). */
  get editing(): boolean {
    return this.#editing;
  }

  /** Whether input is held that feed() has not yet edited (see the class comment). */
  get hasPendingInput(): boolean {
    return this.#pending.length > 0;
  }

  get columns(): number {
    return this.#columns;
  }

  /** The terminal was resized: later redraws wrap at `n` cells. */
  set columns(n: number) {
    this.#columns = Number.isFinite(n) ? Math.max(1, Math.floor(n)) : 80;
  }

  #setPrompt(prompt: string): void {
    this.#prompt = prompt;
    this.#promptTail = prompt.slice(prompt.lastIndexOf('\n') + 1);
    this.#promptWidth = visibleWidth(this.#promptTail);
  }

  #key(key: Key): void {
    if (typeof key === 'object') return this.#insert(toChars(key.insert));
    const to = this.#motion(key);
    if (to !== null) this.#cursor = to;
    else this.#edit(key);
  }

  #motion(action: Action): number | null {
    const chars = this.#chars;
    const at = this.#cursor;
    switch (action) {
      case 'left':
        return Math.max(0, at - 1);
      case 'right':
        return Math.min(chars.length, at + 1);
      case 'home':
        return 0;
      case 'end':
        return chars.length;
      case 'word-left':
        return wordLeft(chars, at);
      case 'word-right':
        return wordRight(chars, at);
      default:
        return null;
    }
  }

  #edit(action: Action): void {
    const chars = this.#chars;
    const at = this.#cursor;
    switch (action) {
      case 'backspace':
        return this.#delete(Math.max(0, at - 1), at, false);
      case 'delete':
        return this.#delete(at, Math.min(chars.length, at + 1), false);
      case 'eof-or-delete':
        if (chars.length === 0) return this.#end({ kind: 'eof' }, '');
        return this.#delete(at, Math.min(chars.length, at + 1), false);
      case 'kill-start':
        return this.#delete(0, at, true);
      case 'kill-end':
        return this.#delete(at, chars.length, true);
      case 'kill-word':
        return this.#delete(spaceWordLeft(chars, at), at, true);
      case 'kill-word-back':
        return this.#delete(wordLeft(chars, at), at, true);
      case 'kill-word-forward':
        return this.#delete(at, wordRight(chars, at), true);
      case 'yank':
        return this.#insert(this.#killed);
      case 'prev':
        return this.#recall(this.#historyAt - 1);
      case 'next':
        return this.#recall(this.#historyAt + 1);
      case 'enter':
        return this.#end({ kind: 'line', text: this.line }, '');
      case 'interrupt':
        return this.#end({ kind: 'interrupt' }, '^C');
      case 'clear':
        this.#out += '\x1b[H\x1b[2J' + this.#drawAll();
        this.#events.push({ kind: 'clear' });
        return;
      case 'tab':
        return this.#tab();
      default:
        return;
    }
  }

  #insert(text: readonly string[]): void {
    if (text.length === 0) return;
    if (this.#cursor !== this.#chars.length) this.#dirty = true;
    this.#chars.splice(this.#cursor, 0, ...text);
    this.#cursor += text.length;
  }

  /** Deletes [from, to); `kill` keeps the text for Ctrl-Y. */
  #delete(from: number, to: number, kill: boolean): void {
    if (to <= from) return;
    const gone = this.#chars.splice(from, to - from);
    if (kill) this.#killed = gone;
    this.#cursor = from;
    this.#dirty = true;
  }

  #recall(index: number): void {
    if (index < 0 || index > this.#history.length) return;
    this.#drafts.set(this.#historyAt, this.#chars);
    this.#historyAt = index;
    this.#chars = this.#drafts.get(index) ?? toChars(this.#history[index] ?? '');
    this.#cursor = this.#chars.length;
    this.#dirty = true;
  }

  /** Ends the line with `event`: moves to the line's end, writes `mark` and a line end. */
  #end(event: EditorEvent, mark: string): void {
    this.#out += this.#render() + this.#move(this.#cursor, this.#chars.length);
    this.#out += mark + (mark === '' ? this.#newline() : '\r\n');
    this.#events.push(event);
    this.#editing = false;
  }

  #tab(): void {
    if (this.#complete === undefined) return this.#bell();
    const line = this.line;
    const cursor16 = this.#chars.slice(0, this.#cursor).join('').length;
    const { candidates, replaceFrom } = this.#complete(line, cursor16);
    const from16 = Number.isNaN(replaceFrom) ? cursor16 : Math.max(0, Math.min(cursor16, replaceFrom));
    const from = Array.from(line.slice(0, Math.floor(from16))).length;
    const unique = [...new Set(candidates)];
    const only = unique[0];
    if (only === undefined) return this.#bell();
    if (unique.length === 1) return this.#replace(from, toChars(only + (only.endsWith('/') ? '' : ' ')));
    const prefix = commonPrefix(unique.map(toChars));
    const word = this.#chars.slice(from, this.#cursor);
    const grows = prefix.length >= word.length && prefix.join('') !== word.join('');
    if (grows) this.#replace(from, prefix);
    if (this.#tabbed) this.#list(unique);
    else if (!grows) this.#bell();
  }

  /** Replaces the text from `from` to the cursor with `text`: only inserts when that text starts it. */
  #replace(from: number, text: readonly string[]): void {
    const word = this.#chars.slice(from, this.#cursor);
    if (word.every((ch, i) => text[i] === ch)) return this.#insert(text.slice(word.length));
    this.#delete(from, this.#cursor, false);
    this.#insert(text);
  }

  /** Lists completions below the line, then draws prompt and line again under them. */
  #list(candidates: readonly string[]): void {
    const rows = columnate(
      candidates.map((c) => toChars(c).join('')),
      this.#columns,
    );
    this.#out += this.#render() + this.#move(this.#cursor, this.#chars.length) + this.#newline();
    this.#out += rows.join('\r\n') + '\r\n' + this.#drawAll();
  }

  #bell(): void {
    this.#out += this.#render() + '\x07';
  }

  /**
   * The difference between what the terminal shows and the line, as output; then it shows the
   * line. Not dirty, the line only grew at its end (insertions elsewhere and deletions make it dirty).
   */
  #render(): string {
    const length = this.#chars.length;
    let out: string;
    if (this.#dirty) out = this.#redraw();
    else if (length === this.#shownLength) out = this.#move(this.#shownCursor, this.#cursor);
    else {
      out = this.#move(this.#shownCursor, this.#shownLength) + this.#chars.slice(this.#shownLength).join('');
      out += this.#wrap(length) + this.#move(length, this.#cursor);
    }
    this.#shown();
    return out;
  }

  /** Prompt and line drawn again from the start of the prompt's last line. */
  #redraw(): string {
    const length = this.#chars.length;
    const rowOf = (i: number): number => Math.floor((this.#promptWidth + i) / this.#columns);
    const up = rowOf(this.#shownCursor);
    const wide = Math.max(up, rowOf(this.#shownLength), rowOf(length)) > 0;
    return (
      csi(up, 'A') +
      '\r' +
      this.#promptTail +
      this.#chars.join('') +
      this.#wrap(length) +
      (wide ? '\x1b[J' : '\x1b[K') +
      this.#move(length, this.#cursor)
    );
  }

  /** The whole prompt and the line, from where the terminal's cursor is. */
  #drawAll(): string {
    const length = this.#chars.length;
    const out = this.#prompt + this.#chars.join('') + this.#wrap(length) + this.#move(length, this.#cursor);
    this.#shown();
    return out;
  }

  #shown(): void {
    this.#shownLength = this.#chars.length;
    this.#shownCursor = this.#cursor;
    this.#dirty = false;
  }

  /** Moves the terminal's cursor from line index `from` to `to`. */
  #move(from: number, to: number): string {
    const a = this.#promptWidth + from;
    const b = this.#promptWidth + to;
    const cols = this.#columns;
    const rows = Math.floor(b / cols) - Math.floor(a / cols);
    const right = (b % cols) - (a % cols);
    return csi(-rows, 'A') + csi(rows, 'B') + csi(right, 'C') + csi(-right, 'D');
  }

  /**
   * After text that ends at line index `i`: when it filled the last cell of a row, the terminal
   * waits to wrap; "\r\n" puts the cursor on the next row, where the positions say it is.
   */
  #wrap(i: number): string {
    const end = this.#promptWidth + i;
    return end > 0 && end % this.#columns === 0 ? '\r\n' : '';
  }

  /** A line end, unless the cursor is already at the start of a fresh row (see #wrap). */
  #newline(): string {
    return this.#wrap(this.#chars.length) === '' ? '\r\n' : '';
  }
}
