import fc from 'fast-check';
import { Terminal } from '@xterm/headless';
import { afterEach, describe, expect, it } from 'vitest';
import { TerminalSelection } from './selection.ts';

const terms: Terminal[] = [];

/** A real xterm, 20×5 with 10 lines of scrollback unless told, after `data` is written. */
async function terminal(data: string, options: { cols?: number; scrollback?: number } = {}) {
  const term = new Terminal({
    cols: options.cols ?? 20,
    rows: 5,
    scrollback: options.scrollback ?? 10,
    allowProposedApi: true,
  });
  terms.push(term);
  await write(term, data);
  return { term, sel: new TerminalSelection(term) };
}

const write = (term: Terminal, data: string): Promise<void> =>
  new Promise((resolve) => term.write(data, resolve));

afterEach(() => {
  for (const t of terms.splice(0)) t.dispose();
});

describe('a drag', () => {
  it('selects the cells between the boundaries nearest the press and the pointer', async () => {
    const { sel } = await terminal('$ echo hello');
    sel.begin({ x: 7.4, y: 0 }); // nearest boundary 7: the h
    sel.extend({ x: 11.6, y: 0 }); // 12: after the o
    expect(sel.range).toEqual({ start: { x: 7, y: 0 }, end: { x: 12, y: 0 } });
    expect(sel.text()).toBe('hello');
  });

  it('is normalised when it goes backwards, up or left', async () => {
    const { sel } = await terminal('one two\r\nthree four');
    sel.begin({ x: 5, y: 1 });
    sel.extend({ x: 4, y: 0 });
    expect(sel.range).toEqual({ start: { x: 4, y: 0 }, end: { x: 5, y: 1 } });
    expect(sel.text()).toBe('two\nthree');
  });

  it('selects nothing by a click alone, though it is under way', async () => {
    const { sel } = await terminal('hello');
    sel.begin({ x: 2.2, y: 0 });
    sel.extend({ x: 2.4, y: 0 });
    expect(sel.active).toBe(true);
    expect(sel.range).toBeNull();
    expect(sel.text()).toBe('');
  });

  it('drops trailing blanks of each line and joins lines with \\n', async () => {
    const { sel } = await terminal('ab   \r\n\r\ncd  ef   ');
    sel.begin({ x: 0, y: 0 });
    sel.extend({ x: 20, y: 2 });
    expect(sel.text()).toBe('ab\n\ncd  ef');
  });

  it('joins a wrapped line without a newline, keeping a blank at the wrap', async () => {
    // 20 columns: "aaaaaaaaaaaaaaaaaaa " fills row 0 (ending in a blank), "bbb" wraps to row 1.
    const { term, sel } = await terminal(`${'a'.repeat(19)} bbb\r\nnext`);
    expect(term.buffer.active.getLine(1)?.isWrapped).toBe(true);
    sel.begin({ x: 15, y: 0 });
    sel.extend({ x: 20, y: 2 });
    expect(sel.text()).toBe('aaaa bbb\nnext');
  });

  it('clamps a pointer outside the grid to its edges', async () => {
    const { sel } = await terminal('abc\r\ndef');
    sel.begin({ x: -3, y: -2 });
    sel.extend({ x: 99, y: 99 });
    expect(sel.range?.start).toEqual({ x: 0, y: 0 });
    expect(sel.text()).toBe('abc\ndef\n\n\n'); // to the end of the screen's last row
  });

  it('covers the cells it selects and no others', async () => {
    const { sel } = await terminal('abcdef\r\nghijkl');
    sel.begin({ x: 4, y: 0 });
    sel.extend({ x: 2, y: 1 });
    expect(sel.contains(3, 0)).toBe(false);
    expect(sel.contains(4, 0)).toBe(true);
    expect(sel.contains(19, 0)).toBe(true);
    expect(sel.contains(0, 1)).toBe(true);
    expect(sel.contains(1, 1)).toBe(true);
    expect(sel.contains(2, 1)).toBe(false);
    expect(sel.contains(0, 2)).toBe(false);
  });

  it('takes a wide character whole', async () => {
    const { sel } = await terminal('x日本y');
    sel.begin({ x: 1, y: 0 });
    sel.extend({ x: 5, y: 0 });
    expect(sel.text()).toBe('日本');
  });

  it('is the same either way round', async () => {
    const { sel } = await terminal('the quick brown\r\nfox jumps over\r\nthe lazy dog');
    const point = fc.record({
      x: fc.double({ min: -2, max: 22, noNaN: true }),
      y: fc.integer({ min: -1, max: 5 }),
    });
    fc.assert(
      fc.property(point, point, (a, b) => {
        sel.begin(a);
        sel.extend(b);
        const [range, text] = [sel.range, sel.text()];
        sel.begin(b);
        sel.extend(a);
        expect(sel.range).toEqual(range);
        expect(sel.text()).toBe(text);
      }),
    );
  });
});

describe('in the scrollback', () => {
  const lines = (from: number, to: number): string =>
    Array.from({ length: to - from }, (_, i) => `line ${from + i}`).join('\r\n');

  it('names lines of the buffer, so it selects scrolled-off text', async () => {
    const { term, sel } = await terminal(lines(0, 8)); // 8 lines on 5 rows: 3 in the scrollback
    expect(term.buffer.active.baseY).toBe(3);
    sel.begin({ x: 0, y: 1 });
    sel.extend({ x: 20, y: 1 });
    expect(sel.text()).toBe('line 1');
  });

  it('stays on its text while output scrolls the screen and trims the scrollback', async () => {
    const { term, sel } = await terminal(lines(0, 15)); // scrollback full: 10 + 5 rows
    sel.begin({ x: 0, y: 12 });
    sel.extend({ x: 20, y: 12 });
    expect(sel.text()).toBe('line 12');
    await write(term, `\r\n${lines(15, 18)}`); // three lines trimmed off the top
    expect(sel.range?.start.y).toBe(9);
    expect(sel.text()).toBe('line 12');
  });

  it('ends when output scrolls its text out of the scrollback', async () => {
    const { term, sel } = await terminal(lines(0, 15));
    sel.begin({ x: 0, y: 2 });
    sel.extend({ x: 20, y: 3 });
    await write(term, `\r\n${lines(15, 18)}`);
    expect(sel.active).toBe(false);
    expect(sel.range).toBeNull();
    expect(sel.text()).toBe('');
  });

  it('ends when a selection dragged upwards loses its top line', async () => {
    const { term, sel } = await terminal(lines(0, 15));
    sel.begin({ x: 20, y: 6 });
    sel.extend({ x: 0, y: 1 });
    await write(term, `\r\n${lines(15, 17)}`); // lines 0 and 1 go, the anchor's line stays
    expect(sel.range).toBeNull();
  });
});

describe('words and lines', () => {
  it('selects the word under a double click', async () => {
    const { sel } = await terminal('$ echo hello world');
    sel.begin({ x: 9.5, y: 0 }, 'word');
    expect(sel.text()).toBe('hello');
  });

  it('keeps paths whole and stops at brackets, quotes and operators', async () => {
    const { sel } = await terminal('ls /bin/wc.x-y_z;(foo)|"bar"', { cols: 40 });
    sel.begin({ x: 6, y: 0 }, 'word');
    expect(sel.text()).toBe('/bin/wc.x-y_z');
    sel.begin({ x: 19, y: 0 }, 'word');
    expect(sel.text()).toBe('foo');
    sel.begin({ x: 25, y: 0 }, 'word');
    expect(sel.text()).toBe('bar');
  });

  it('takes a run of blanks as one, and a separator alone', async () => {
    const { sel } = await terminal('a    b;c');
    sel.begin({ x: 2, y: 0 }, 'word');
    expect(sel.range).toEqual({ start: { x: 1, y: 0 }, end: { x: 5, y: 0 } });
    sel.begin({ x: 6, y: 0 }, 'word');
    expect(sel.text()).toBe(';');
  });

  it('follows a word across a wrap', async () => {
    const { sel } = await terminal(`${'x '.repeat(8)}abcdefghij`); // the word starts at 16, wraps at 20
    sel.begin({ x: 1, y: 1 }, 'word');
    expect(sel.text()).toBe('abcdefghij');
  });

  it('takes a wide character word whole, clicked on either half', async () => {
    const { sel } = await terminal('日本語 x');
    sel.begin({ x: 3, y: 0 }, 'word'); // the right half of 本
    expect(sel.text()).toBe('日本語');
  });

  it('grows a word selection by whole words as the pointer moves', async () => {
    const { sel } = await terminal('one two three four');
    sel.begin({ x: 5, y: 0 }, 'word');
    sel.extend({ x: 9.2, y: 0 });
    expect(sel.text()).toBe('two three');
    sel.extend({ x: 1, y: 0 });
    expect(sel.text()).toBe('one two');
    sel.extend({ x: 5.5, y: 0 });
    expect(sel.text()).toBe('two');
  });

  it('selects the whole logical line under a triple click, wrapped rows too', async () => {
    const { sel } = await terminal(`first\r\n${'y'.repeat(25)}  \r\nlast`);
    sel.begin({ x: 2, y: 2 }, 'line');
    expect(sel.text()).toBe('y'.repeat(25));
    sel.extend({ x: 0, y: 3 });
    expect(sel.text()).toBe(`${'y'.repeat(25)}\nlast`);
  });
});

describe('ending', () => {
  it('clears on request', async () => {
    const { sel } = await terminal('hello');
    sel.begin({ x: 0, y: 0 });
    sel.extend({ x: 5, y: 0 });
    sel.clear();
    expect(sel.active).toBe(false);
    expect(sel.text()).toBe('');
    sel.extend({ x: 3, y: 0 }); // a stray move after the end starts nothing
    expect(sel.range).toBeNull();
  });

  it('clears when the program switches to the alternate screen', async () => {
    const { term, sel } = await terminal('hello');
    sel.begin({ x: 0, y: 0 });
    sel.extend({ x: 5, y: 0 });
    await write(term, '\x1b[?1049h');
    expect(sel.range).toBeNull();
  });

  it('selects on the alternate screen too', async () => {
    const { term, sel } = await terminal('\x1b[?1049h\x1b[3;1Hvim text');
    expect(term.buffer.active.type).toBe('alternate');
    sel.begin({ x: 4, y: 2 }, 'word');
    expect(sel.text()).toBe('text');
  });
});
