// The terminal's mouse selection (issue 7): an anchor where the press was and a head where
// the pointer is, in buffer coordinates (scrollback included), so a selection stays on its
// text while output scrolls the screen. Layer: apps; it reads the xterm buffer it is given
// and nothing else. A drag selects the cells between the column boundaries nearest the
// press and the pointer, so a click without a drag selects nothing.
import type { IBuffer, IBufferCell, IDisposable, IMarker } from '@xterm/headless';

/**
 * A place on buffer line `y` (0: the oldest line of scrollback). In a Range, `x` is a column
 * boundary (0..cols); where a pointer is, `x` is a fractional column (its x over the cell width).
 */
export interface Point {
  readonly x: number;
  readonly y: number;
}

/** Half-open in reading order: from `start` up to, not including, `end`; start before end. */
export interface Range {
  readonly start: Point;
  readonly end: Point;
}

/** What the selection needs of an xterm Terminal (@xterm/headless's Terminal has it all). */
export interface SelectableTerminal {
  readonly cols: number;
  readonly buffer: { readonly active: IBuffer; onBufferChange(listener: () => void): IDisposable };
  /** A marker on line baseY + cursorY + offset that follows its line and is disposed when the line is trimmed. */
  registerMarker(cursorYOffset?: number): IMarker | undefined;
}

/**
 * What a press starts selecting: `char` follows the pointer boundary by boundary, `word`
 * and `line` grow by whole words or (logical, unwrapped) lines (a double and a triple click).
 */
export type Unit = 'char' | 'word' | 'line';

/** Characters that end a word besides blanks; `/`, `.`, `-` and `_` stay in, so paths select whole. */
const WORD_SEPARATORS = new Set([...'()[]{}<>\'"`,;|&=']);

const before = (a: Point, b: Point): boolean => a.y < b.y || (a.y === b.y && a.x < b.x);
const clamp = (v: number, lo: number, hi: number): number => Math.min(Math.max(v, lo), hi);

/** True when the cell at column x of buffer line y is in the range (for drawing a frame's worth of cells). */
export function rangeContains(r: Range | null, x: number, y: number): boolean {
  if (r === null || y < r.start.y || y > r.end.y) return false;
  return (y > r.start.y || x >= r.start.x) && (y < r.end.y || x < r.end.x);
}

export class TerminalSelection {
  readonly #term: SelectableTerminal;
  readonly #listener: IDisposable;
  /**
   * The anchor's line: a marker that follows it as the scrollback is trimmed (and the
   * selection ends when it is disposed), or on the alternate screen, which has no
   * scrollback and no markers, its number. Null: nothing selected.
   */
  #origin: IMarker | number | null = null;
  #unit: Unit = 'char';
  /** What the press covered, from its column to its end, `lines` below the marker's line. */
  #anchor: { readonly from: number; readonly to: number; readonly lines: number } | null = null;
  /** Where the pointer is: a fractional column, and a line as an offset from the marker's line. */
  #head: Point = { x: 0, y: 0 };

  constructor(term: SelectableTerminal) {
    this.#term = term;
    // Coordinates name lines of one buffer: the alternate screen has other lines.
    this.#listener = term.buffer.onBufferChange(() => this.clear());
  }

  /**
   * Starts a selection where the pointer is: `at.x` is a column in cells, fractional (a
   * pointer's x over the cell width), `at.y` a buffer line. A press starts nothing visible
   * by itself in `char`; in `word` and `line` it selects the word or line under it.
   */
  begin(at: Point, unit: Unit = 'char'): void {
    this.clear();
    const range =
      unit === 'char'
        ? { start: this.#boundary(at), end: this.#boundary(at) }
        : this.#unitRange(this.#cell(at), unit);
    const b = this.#term.buffer.active;
    const marker =
      b.type === 'normal' ? this.#term.registerMarker(range.start.y - (b.baseY + b.cursorY)) : undefined;
    marker?.onDispose(() => {
      if (this.#origin === marker) this.clear(); // its line was trimmed off the scrollback
    });
    this.#origin = marker ?? range.start.y;
    this.#unit = unit;
    this.#anchor = { from: range.start.x, to: range.end.x, lines: range.end.y - range.start.y };
    this.extend(at);
  }

  /** Moves the head to where the pointer is (as for begin); the button is still down. */
  extend(to: Point): void {
    const base = this.#base();
    if (base === null) return;
    this.#head = { x: to.x, y: this.#line(to.y) - base };
  }

  /** True when a selection is under way or made, even an empty one (a press without a drag). */
  get active(): boolean {
    return this.#base() !== null;
  }

  clear(): void {
    const origin = this.#origin;
    this.#origin = null;
    this.#anchor = null;
    if (typeof origin === 'object') origin?.dispose();
  }

  dispose(): void {
    this.clear();
    this.#listener.dispose();
  }

  /** The selected range, normalised; null when nothing is selected or part of it is gone. */
  get range(): Range | null {
    const base = this.#base();
    const anchor = this.#anchor;
    if (base === null || anchor === null) return null;
    const at = { x: this.#head.x, y: base + this.#head.y };
    if (at.y < 0) return null; // the pointer's line is gone from the top
    const from = { x: anchor.from, y: base };
    const to = { x: anchor.to, y: base + anchor.lines };
    let range: Range;
    if (this.#unit === 'char') {
      const head = this.#boundary(at);
      range = before(head, from) ? { start: head, end: from } : { start: from, end: head };
    } else {
      const cell = this.#cell(at);
      if (before(cell, from)) range = { start: this.#unitRange(cell, this.#unit).start, end: to };
      else if (!before(cell, to)) range = { start: from, end: this.#unitRange(cell, this.#unit).end };
      else range = { start: from, end: to };
    }
    if (range.start.y < 0 || range.end.y >= this.#term.buffer.active.length) return null;
    return before(range.start, range.end) ? range : null;
  }

  /** True when the cell at column x of buffer line y is selected. */
  contains(x: number, y: number): boolean {
    return rangeContains(this.range, x, y);
  }

  /**
   * The selected text: each line with its trailing blanks dropped and lines joined by \n,
   * except where a line wrapped, which joins the two rows as one line (nothing trimmed at the wrap).
   */
  text(): string {
    const r = this.range;
    if (r === null) return '';
    const b = this.#term.buffer.active;
    let out = '';
    for (let y = r.start.y; y <= r.end.y; y++) {
      const from = y === r.start.y ? r.start.x : 0;
      const to = y === r.end.y ? r.end.x : this.#term.cols;
      const wraps = y < r.end.y && this.#wrapped(y + 1);
      // translateToString's own trim keeps blanks that were written, not just erased cells.
      const row = b.getLine(y)?.translateToString(false, from, to) ?? '';
      out += wraps ? row : row.replace(/ +$/, '');
      if (y < r.end.y && !wraps) out += '\n';
    }
    return out;
  }

  /** The column boundary nearest a pointer, on a line of the buffer. */
  #boundary(p: Point): Point {
    return { x: clamp(Math.round(p.x), 0, this.#term.cols), y: this.#line(p.y) };
  }

  /** The cell under a pointer. */
  #cell(p: Point): Point {
    return { x: clamp(Math.floor(p.x), 0, this.#term.cols - 1), y: this.#line(p.y) };
  }

  #line(y: number): number {
    return clamp(Math.floor(y), 0, this.#term.buffer.active.length - 1);
  }

  /** The anchor's line now, or null when there is no selection. */
  #base(): number | null {
    const o = this.#origin;
    if (o === null || this.#anchor === null) return null;
    if (typeof o === 'number') return o;
    return o.isDisposed ? null : o.line;
  }

  /** The word or (logical) line around a cell. */
  #unitRange(cell: Point, unit: Exclude<Unit, 'char'>): Range {
    const cols = this.#term.cols;
    if (unit === 'line') {
      let top = cell.y;
      while (top > 0 && this.#wrapped(top)) top--;
      let bottom = cell.y;
      while (this.#wrapped(bottom + 1)) bottom++;
      return { start: { x: 0, y: top }, end: { x: cols, y: bottom } };
    }
    const kind = this.#kind(cell);
    let start = cell;
    for (
      let prev = this.#step(start, -1);
      prev !== null && this.#kind(prev) === kind;
      prev = this.#step(prev, -1)
    )
      start = prev;
    let end = cell;
    for (
      let next = this.#step(end, 1);
      next !== null && this.#kind(next) === kind;
      next = this.#step(next, 1)
    )
      end = next;
    // A wide character's right half ends the word one cell later than where it starts.
    const width = Math.max(1, this.#cellAt(end)?.getWidth() ?? 1);
    return { start, end: { x: end.x + width, y: end.y } };
  }

  /** True when buffer line y continues the line above it. */
  #wrapped(y: number): boolean {
    return this.#term.buffer.active.getLine(y)?.isWrapped === true;
  }

  /** The cell one to the left or right, across a wrap; null at a hard line's edge. */
  #step(p: Point, dir: 1 | -1): Point | null {
    const cols = this.#term.cols;
    const x = p.x + dir;
    if (x >= 0 && x < cols) return { x, y: p.y };
    if (dir < 0) return this.#wrapped(p.y) ? { x: cols - 1, y: p.y - 1 } : null;
    return this.#wrapped(p.y + 1) ? { x: 0, y: p.y + 1 } : null;
  }

  #cellAt(p: Point): IBufferCell | undefined {
    return this.#term.buffer.active.getLine(p.y)?.getCell(p.x);
  }

  /** Which run a cell belongs to: a word's, blanks', or a separator of its own. */
  #kind(p: Point): string {
    let cell = this.#cellAt(p);
    // The right half of a wide character is the character.
    if (cell?.getWidth() === 0 && p.x > 0) cell = this.#cellAt({ x: p.x - 1, y: p.y });
    const ch = cell?.getChars() ?? '';
    if (ch === '' || /^\s$/u.test(ch)) return 'blank';
    return WORD_SEPARATORS.has(ch) ? `sep ${ch}` : 'word';
  }
}
