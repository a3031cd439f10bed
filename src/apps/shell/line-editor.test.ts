import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  columnate,
  LineEditor,
  MAX_PENDING,
  visibleWidth,
  type Completer,
  type EditorEvent,
  type LineEditorOptions,
} from './line-editor.ts';

const enc = new TextEncoder();
const dec = new TextDecoder();

const LEFT = '\x1b[D';
const RIGHT = '\x1b[C';
const UP = '\x1b[A';
const DOWN = '\x1b[B';
const HOME = '\x1b[H';
const END = '\x1b[F';
const DEL = '\x1b[3~';
const BS = '\x7f';
const TAB = '\t';
const ctrl = (c: string): string => String.fromCharCode(c.toUpperCase().charCodeAt(0) - 64);

function editor(options: Partial<LineEditorOptions> = {}): LineEditor {
  const ed = new LineEditor({ prompt: '$ ', ...options });
  ed.begin();
  return ed;
}

/** Feeds each chunk in its own call; the output and events of them all. */
function type(ed: LineEditor, ...chunks: (string | Uint8Array)[]): { out: string; events: EditorEvent[] } {
  let out = '';
  const events: EditorEvent[] = [];
  for (const chunk of chunks) {
    const r = ed.feed(typeof chunk === 'string' ? enc.encode(chunk) : chunk);
    out += dec.decode(r.output);
    events.push(...r.events);
  }
  return { out, events };
}

const words = (list: readonly string[]): Completer => {
  return (line, cursor) => {
    const from = line.lastIndexOf(' ', cursor - 1) + 1;
    const word = line.slice(from, cursor);
    return { candidates: list.filter((w) => w.startsWith(word)), replaceFrom: from };
  };
};

describe('LineEditor: typing and Enter', () => {
  it('begin writes the prompt; typing echoes; Enter ends the line', () => {
    const ed = new LineEditor({ prompt: 'tessera$ ' });
    expect(dec.decode(ed.begin())).toBe('tessera$ ');
    expect(type(ed, 'ls -l')).toEqual({ out: 'ls -l', events: [] });
    expect(type(ed, '\r')).toEqual({ out: '\r\n', events: [{ kind: 'line', text: 'ls -l' }] });
    expect(ed.editing).toBe(false);
    expect(dec.decode(ed.begin('> '))).toBe('> ');
    expect(ed.line).toBe('');
    expect(type(ed, 'x\n').events).toEqual([{ kind: 'line', text: 'x' }]);
  });

  it('inserts in the middle and redraws the line, cursor put back', () => {
    const ed = editor();
    expect(type(ed, 'ac').out).toBe('ac');
    expect(type(ed, LEFT).out).toBe('\x1b[1D');
    expect(type(ed, 'b').out).toBe('\r$ abc\x1b[K\x1b[1D');
    expect(ed.line).toBe('abc');
    expect(ed.cursor).toBe(2);
    // Enter from the middle moves to the end first.
    expect(type(ed, '\r')).toEqual({ out: '\x1b[1C\r\n', events: [{ kind: 'line', text: 'abc' }] });
  });

  it('writes one redraw for a whole chunk of keys', () => {
    const ed = editor();
    expect(type(ed, `ac${LEFT}b`).out).toBe('\r$ abc\x1b[K\x1b[1D');
    expect(type(ed, `${LEFT}${RIGHT}`).out).toBe('');
    expect(type(ed, `${END}de`).out).toBe('\x1b[1Cde');
  });

  it('Backspace at the end redraws the shorter line', () => {
    const ed = editor();
    type(ed, 'ab');
    expect(type(ed, BS).out).toBe('\r$ a\x1b[K');
    expect(type(ed, '\x08').out).toBe('\r$ \x1b[K');
    expect(type(ed, BS).out).toBe('');
    expect(ed.line).toBe('');
  });

  it('treats a multi-byte character as one step, even split across feeds', () => {
    const ed = editor();
    const e = enc.encode('é');
    const smile = enc.encode('😀');
    type(ed, 'a', e.subarray(0, 1), e.subarray(1), smile.subarray(0, 3), smile.subarray(3), 'z');
    expect(ed.line).toBe('aé😀z');
    expect(ed.cursor).toBe(4);
    type(ed, LEFT, BS);
    expect(ed.line).toBe('aéz');
    type(ed, BS);
    expect(ed.line).toBe('az');
    expect(ed.cursor).toBe(1);
  });

  it('ignores malformed UTF-8 and C1 controls', () => {
    const ed = editor();
    type(ed, new Uint8Array([0x61, 0xff, 0xc0, 0x80, 0xed, 0xa0, 0x80, 0xc2, 0x85, 0xe2, 0x62]));
    expect(ed.line).toBe('ab');
  });

  it('Delete and Ctrl-D on a non-empty line delete at the cursor', () => {
    const ed = editor();
    type(ed, 'abcd', HOME, DEL);
    expect(ed.line).toBe('bcd');
    type(ed, ctrl('d'));
    expect(ed.line).toBe('cd');
    const r = type(ed, END, ctrl('d'));
    expect(r.events).toEqual([]);
    expect(ed.line).toBe('cd');
  });

  it('a CRLF is one Enter', () => {
    const ed = editor();
    expect(type(ed, 'a\r\n').events).toEqual([{ kind: 'line', text: 'a' }]);
    expect(ed.hasPendingInput).toBe(false);
  });
});

describe('LineEditor: cursor motion', () => {
  it('knows every Home and End encoding, and Ctrl-A/E, Ctrl-B/F, SS3 arrows', () => {
    const ed = editor();
    type(ed, 'hello');
    for (const home of [HOME, '\x1bOH', '\x1b[1~', '\x1b[7~', ctrl('a')]) {
      type(ed, END, home);
      expect(ed.cursor).toBe(0);
    }
    for (const end of [END, '\x1bOF', '\x1b[4~', '\x1b[8~', ctrl('e')]) {
      type(ed, HOME, end);
      expect(ed.cursor).toBe(5);
    }
    type(ed, '\x1bOD', ctrl('b'));
    expect(ed.cursor).toBe(3);
    type(ed, '\x1bOC', ctrl('f'), RIGHT, RIGHT);
    expect(ed.cursor).toBe(5);
    type(ed, HOME, LEFT);
    expect(ed.cursor).toBe(0);
  });

  it('moves by word with Alt-B/F and Ctrl-Left/Right', () => {
    const ed = editor();
    type(ed, 'cat src/apps/shell.ts  ');
    type(ed, '\x1bb');
    expect(ed.cursor).toBe(19); // "ts"
    type(ed, '\x1bb', '\x1b[1;5D');
    expect(ed.cursor).toBe(8); // "apps"
    type(ed, '\x1b[1;5D', '\x1b[1;5D', '\x1b[1;5D');
    expect(ed.cursor).toBe(0);
    type(ed, '\x1bf');
    expect(ed.cursor).toBe(3);
    type(ed, '\x1b[1;5C', '\x1b[1;3C');
    expect(ed.cursor).toBe(12);
    type(ed, '\x1bf', '\x1bf', '\x1bf');
    expect(ed.cursor).toBe(23);
  });

  it('ignores an unknown CSI or SS3 sequence, and never inserts it', () => {
    const ed = editor();
    const r = type(ed, 'a', '\x1b[15~', '\x1b[1;2P', '\x1bOP', '\x1b[?1049h', '\x1b[200~', 'b', '\x1bx');
    expect(ed.line).toBe('ab');
    expect(r.out).toBe('ab');
  });

  it('reads escape sequences split across feeds', () => {
    const ed = editor({ history: ['older'] });
    type(ed, 'abc', '\x1b', '[', 'D');
    expect(ed.cursor).toBe(2);
    type(ed, '\x1b[1', ';5', 'D');
    expect(ed.cursor).toBe(0);
    type(ed, '\x1b', 'O', 'F');
    expect(ed.cursor).toBe(3);
    type(ed, '\x1b', '[A');
    expect(ed.line).toBe('older');
    type(ed, '\x1b[3', '~');
    expect(ed.line).toBe('older');
    type(ed, HOME, '\x1b[3', '~');
    expect(ed.line).toBe('lder');
  });

  it('drops a malformed CSI and reads on from the byte that broke it', () => {
    const ed = editor();
    type(ed, 'a\x1b[1\rb');
    // The "\r" ended the line; "b" waits for the next one.
    expect(ed.editing).toBe(false);
    const again = editor();
    type(again, 'x\x1b[12\x1b[D');
    expect(again.line).toBe('x');
    expect(again.cursor).toBe(0);
  });
});

describe('LineEditor: deleting and yanking', () => {
  it('Ctrl-U deletes to the start, Ctrl-K to the end, Ctrl-W the word before', () => {
    const ed = editor();
    type(ed, 'echo one two', LEFT, LEFT, LEFT, LEFT);
    type(ed, ctrl('k'));
    expect(ed.line).toBe('echo one');
    type(ed, ctrl('w'));
    expect(ed.line).toBe('echo ');
    type(ed, 'a/b/c  ', ctrl('w'));
    expect(ed.line).toBe('echo ');
    type(ed, 'xyz', LEFT, ctrl('u'));
    expect(ed.line).toBe('z');
    expect(ed.cursor).toBe(0);
  });

  it('Ctrl-Y yanks what was killed last; Alt-D and Alt-Backspace kill words', () => {
    const ed = editor();
    type(ed, 'one two three', '\x1b\x7f');
    expect(ed.line).toBe('one two ');
    type(ed, ctrl('y'));
    expect(ed.line).toBe('one two three');
    type(ed, HOME, '\x1bd');
    expect(ed.line).toBe(' two three');
    type(ed, END, ctrl('y'));
    expect(ed.line).toBe(' two threeone');
  });
});

describe('LineEditor: history', () => {
  it('walks up and down, restoring the line being edited', () => {
    const ed = editor({ history: ['first', 'second'] });
    type(ed, 'draft');
    expect(type(ed, UP).out).toBe('\r$ second\x1b[K');
    type(ed, UP);
    expect(ed.line).toBe('first');
    expect(type(ed, UP).out).toBe('');
    expect(ed.line).toBe('first');
    type(ed, DOWN);
    expect(ed.line).toBe('second');
    type(ed, DOWN);
    expect(ed.line).toBe('draft');
    expect(ed.cursor).toBe(5);
    type(ed, DOWN);
    expect(ed.line).toBe('draft');
  });

  it('Ctrl-P/N walk it too; an edited entry keeps its edit for this line, history does not change', () => {
    const ed = editor({ history: ['a', 'b'] });
    type(ed, ctrl('p'), 'X', ctrl('p'), ctrl('n'));
    expect(ed.line).toBe('bX');
    type(ed, ctrl('n'));
    expect(ed.line).toBe('');
    expect(type(ed, ctrl('p'), '\r').events).toEqual([{ kind: 'line', text: 'bX' }]);
    expect(ed.history).toEqual(['a', 'b']);
    ed.begin();
    type(ed, UP);
    expect(ed.line).toBe('b');
  });

  it('addHistory ignores blank lines and an immediate repeat, and keeps at most historyMax', () => {
    const ed = new LineEditor({ prompt: '$ ', historyMax: 3 });
    for (const line of ['a', '', '  ', 'b', 'b', 'a', 'c', 'd']) ed.addHistory(line);
    expect(ed.history).toEqual(['a', 'c', 'd']);
    const long = new LineEditor({ prompt: '', history: ['1', '2', '3', '4'], historyMax: 2 });
    expect(long.history).toEqual(['3', '4']);
    expect(new LineEditor({ prompt: '', history: ['x'], historyMax: 0 }).history).toEqual([]);
    expect(new LineEditor({ prompt: '' }).history).toEqual([]);
  });

  it('the default keeps 1000 lines', () => {
    const ed = new LineEditor({ prompt: '' });
    for (let i = 0; i < 1005; i++) ed.addHistory(`line ${i}`);
    expect(ed.history).toHaveLength(1000);
    expect(ed.history[0]).toBe('line 5');
  });

  it('a line added while editing is the newest entry the next Up finds', () => {
    const ed = editor({ history: ['old'] });
    type(ed, 'now');
    ed.addHistory('new');
    type(ed, UP);
    expect(ed.line).toBe('new');
    type(ed, DOWN);
    expect(ed.line).toBe('now');
  });

  it('leaves control characters of a history entry out of the line', () => {
    const ed = editor({ history: ['a\x1b[2Jb\u0085c'] });
    type(ed, UP);
    expect(ed.line).toBe('a[2Jbc');
  });
});

describe('LineEditor: Tab completion', () => {
  const files = words(['alpha', 'alps', 'altitude', 'beta', 'src/']);

  it('one candidate: inserts the rest and a space', () => {
    const ed = editor({ complete: files });
    type(ed, 'cat b');
    expect(type(ed, TAB).out).toBe('eta ');
    expect(ed.line).toBe('cat beta ');
  });

  it('one candidate ending in "/": no space', () => {
    const ed = editor({ complete: files });
    type(ed, 'cd s', TAB);
    expect(ed.line).toBe('cd src/');
  });

  it('several: inserts their common prefix; a second Tab lists them and redraws', () => {
    const ed = editor({ complete: files });
    type(ed, 'a');
    expect(type(ed, TAB).out).toBe('l');
    expect(type(ed, TAB).out).toBe('\r\nalpha     alps      altitude\r\n$ al');
    expect(ed.line).toBe('al');
    type(ed, 'p', TAB);
    expect(ed.line).toBe('alp');
  });

  it('several with nothing to insert rings the bell first, then lists', () => {
    const ed = editor({ complete: files, columns: 12 });
    type(ed, 'al');
    expect(type(ed, TAB).out).toBe('\x07');
    expect(type(ed, TAB).out).toBe('\r\nalpha\r\nalps\r\naltitude\r\n$ al');
  });

  it('a key between two Tabs makes the second a first again', () => {
    const ed = editor({ complete: files });
    type(ed, 'al', TAB, LEFT, RIGHT);
    expect(type(ed, TAB).out).toBe('\x07');
  });

  it('lists from the middle of a line: moves to the end first, cursor put back after', () => {
    const ed = editor({ complete: words(['xa', 'xb']) });
    type(ed, 'x yz', LEFT, LEFT, LEFT);
    expect(type(ed, TAB, TAB).out).toBe('\x07\x1b[3C\r\nxa  xb\r\n$ x yz\x1b[3D');
  });

  it('none, or no completer: BEL', () => {
    expect(type(editor({ complete: files }), 'zz', TAB).out).toBe('zz\x07');
    expect(type(editor(), 'zz', TAB).out).toBe('zz\x07');
  });

  it('gives the completer the line and a UTF-16 cursor, and replaces from replaceFrom', () => {
    const seen: [string, number][] = [];
    const ed = editor({
      complete: (line, cursor) => {
        seen.push([line, cursor]);
        return { candidates: ['Ünïcode'], replaceFrom: cursor - 2 };
      },
    });
    type(ed, '😀 ün', TAB);
    expect(seen).toEqual([['😀 ün', 5]]);
    expect(ed.line).toBe('😀 Ünïcode ');
  });

  it('survives a hostile completer: out-of-range replaceFrom, duplicates, control characters', () => {
    const ed = editor({ complete: () => ({ candidates: ['a\x1b[2Jb', 'a\x1b[2Jb'], replaceFrom: 99 }) });
    type(ed, 'x', TAB);
    expect(ed.line).toBe('xa[2Jb ');
    const neg = editor({ complete: () => ({ candidates: ['z'], replaceFrom: -5 }) });
    type(neg, 'abc', TAB);
    expect(neg.line).toBe('z ');
    const nan = editor({ complete: () => ({ candidates: ['z'], replaceFrom: Number.NaN }) });
    type(nan, 'abc', TAB);
    expect(nan.line).toBe('abcz ');
  });
});

describe('LineEditor: events', () => {
  it('Ctrl-C abandons the line', () => {
    const ed = editor();
    expect(type(ed, 'rm -rf', ctrl('c'))).toEqual({ out: 'rm -rf^C\r\n', events: [{ kind: 'interrupt' }] });
    expect(ed.editing).toBe(false);
    ed.begin();
    expect(ed.line).toBe('');
  });

  it('Ctrl-D on an empty line is eof', () => {
    const ed = editor();
    expect(type(ed, ctrl('d'))).toEqual({ out: '\r\n', events: [{ kind: 'eof' }] });
  });

  it('Ctrl-L clears the screen and redraws the whole prompt and the line', () => {
    const ed = editor({ prompt: 'user\n$ ' });
    type(ed, 'abc', LEFT);
    expect(type(ed, ctrl('l'))).toEqual({
      out: '\x1b[H\x1b[2Juser\n$ abc\x1b[1D',
      events: [{ kind: 'clear' }],
    });
    // Later redraws draw only the prompt's last line.
    expect(type(ed, BS).out).toBe('\r$ ac\x1b[K\x1b[1D');
  });

  it('holds the keys after the end of a line until the next begin', () => {
    const ed = editor();
    expect(type(ed, 'ls\rpwd\rx')).toEqual({ out: 'ls\r\n', events: [{ kind: 'line', text: 'ls' }] });
    expect(ed.hasPendingInput).toBe(true);
    expect(type(ed, 'y')).toEqual({ out: '', events: [] });
    ed.begin();
    expect(type(ed, new Uint8Array(0))).toEqual({ out: 'pwd\r\n', events: [{ kind: 'line', text: 'pwd' }] });
    ed.begin();
    expect(type(ed, new Uint8Array(0)).out).toBe('xy');
    expect(ed.hasPendingInput).toBe(false);
  });

  it('holds input fed before the first begin, at most MAX_PENDING bytes', () => {
    const ed = new LineEditor({ prompt: '$ ' });
    type(ed, 'a'.repeat(MAX_PENDING + 10));
    ed.begin();
    type(ed, new Uint8Array(0));
    expect(ed.line).toHaveLength(MAX_PENDING);
  });
});

describe('LineEditor: wrapped lines', () => {
  it('moves the cursor across rows by the columns it was told', () => {
    const ed = editor({ columns: 10 });
    // "$ " + 8 characters fill the row: the editor steps onto the next row itself.
    expect(type(ed, 'abcdefgh').out).toBe('abcdefgh\r\n');
    expect(type(ed, 'ij').out).toBe('ij');
    expect(type(ed, ctrl('a')).out).toBe('\x1b[1A');
    expect(type(ed, DEL).out).toBe('\r$ bcdefghij\x1b[J\x1b[1A\x1b[1C');
    expect(type(ed, END).out).toBe('\x1b[1B\x1b[1D');
    expect(type(ed, LEFT).out).toBe('\x1b[1D');
    expect(type(ed, BS).out).toBe('\x1b[1A\r$ bcdefghj\r\n\x1b[J\x1b[1A\x1b[9C');
  });

  it('redraws after a resize without crashing', () => {
    const ed = editor();
    type(ed, 'x'.repeat(200), HOME);
    ed.columns = 7;
    expect(ed.columns).toBe(7);
    type(ed, 'y', END, BS);
    ed.columns = 0;
    expect(ed.columns).toBe(1);
    type(ed, HOME, DEL);
    ed.columns = Number.NaN;
    expect(ed.columns).toBe(80);
    expect(ed.line).toBe('x'.repeat(199));
  });
});

describe('visibleWidth and columnate', () => {
  it('visibleWidth skips colour, OSC and control characters, and counts code points', () => {
    expect(visibleWidth('\x1b[1;32mtessera\x1b[0m:/$ ')).toBe(11);
    expect(visibleWidth('\x1b]0;title\x07$ ')).toBe(2);
    expect(visibleWidth('\x1b]0;title\x1b\\😀 ')).toBe(2);
  });

  it('columnate fills columns down then across, within the width', () => {
    const items = ['a', 'bb', 'ccc', 'dddd', 'e', 'f', 'g'];
    expect(columnate(items, 20)).toEqual(['a     dddd  g', 'bb    e', 'ccc   f']);
    expect(columnate(items, 200)).toEqual(['a     bb    ccc   dddd  e     f     g']);
    expect(columnate(['wide-name'], 3)).toEqual(['wide-name']);
    expect(columnate([], 80)).toEqual([]);
    for (const row of columnate(items, 20)) expect(row.length).toBeLessThanOrEqual(20);
  });
});

/** Code points a line may hold. */
const printable = (ch: string): boolean => {
  const cp = ch.codePointAt(0) ?? 0;
  return cp >= 0x20 && cp !== 0x7f && (cp < 0x80 || cp >= 0xa0);
};
const lineText = fc.string({ unit: 'binary' }).map((s) => Array.from(s).filter(printable).join(''));

/** `bytes` cut at `cuts` (any numbers; taken modulo the length). */
function chunks(bytes: Uint8Array, cuts: readonly number[]): Uint8Array[] {
  const at = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  return [...at, bytes.length].map((end, i) => bytes.subarray(at[i - 1] ?? 0, end));
}

describe('LineEditor: properties', () => {
  it('any printable text then Enter, fed in any pieces, is a line of exactly that text', () => {
    fc.assert(
      fc.property(lineText, fc.array(fc.nat()), (text, cuts) => {
        const ed = editor({ columns: 13 });
        const { out, events } = type(ed, ...chunks(enc.encode(`${text}\r`), cuts));
        expect(events).toEqual([{ kind: 'line', text }]);
        // Only the line ends of the wrap (see LineEditor) and of Enter come between the echoes.
        expect(out.endsWith('\r\n')).toBe(true);
        expect(out.replaceAll('\r\n', '')).toBe(text);
      }),
    );
  });

  it('agrees with a model of the line for insert, motion and delete keys', () => {
    const keys = fc.oneof(
      lineText.map((t) => ({
        bytes: t,
        apply: (l: string[], c: number) => ({
          l: [...l.slice(0, c), ...Array.from(t), ...l.slice(c)],
          c: c + Array.from(t).length,
        }),
      })),
      fc.constant({ bytes: LEFT, apply: (l: string[], c: number) => ({ l, c: Math.max(0, c - 1) }) }),
      fc.constant({ bytes: RIGHT, apply: (l: string[], c: number) => ({ l, c: Math.min(l.length, c + 1) }) }),
      fc.constant({ bytes: HOME, apply: (l: string[]) => ({ l, c: 0 }) }),
      fc.constant({ bytes: END, apply: (l: string[]) => ({ l, c: l.length }) }),
      fc.constant({
        bytes: BS,
        apply: (l: string[], c: number) =>
          c === 0 ? { l, c } : { l: [...l.slice(0, c - 1), ...l.slice(c)], c: c - 1 },
      }),
      fc.constant({
        bytes: DEL,
        apply: (l: string[], c: number) => ({ l: [...l.slice(0, c), ...l.slice(c + 1)], c }),
      }),
      fc.constant({ bytes: ctrl('k'), apply: (l: string[], c: number) => ({ l: l.slice(0, c), c }) }),
      fc.constant({ bytes: ctrl('u'), apply: (l: string[], c: number) => ({ l: l.slice(c), c: 0 }) }),
    );
    fc.assert(
      fc.property(fc.array(keys), fc.array(fc.nat()), (seq, cuts) => {
        const ed = editor({ columns: 9 });
        let model = { l: [] as string[], c: 0 };
        for (const k of seq) model = k.apply(model.l, model.c);
        type(ed, ...chunks(enc.encode(seq.map((k) => k.bytes).join('')), cuts));
        expect(ed.line).toBe(model.l.join(''));
        expect(ed.cursor).toBe(model.c);
      }),
    );
  });

  it('any bytes: never throws, the cursor stays in the line, the line holds no control character', () => {
    const interesting = fc.constantFrom(
      LEFT,
      UP,
      DOWN,
      TAB,
      BS,
      DEL,
      ctrl('w'),
      ctrl('y'),
      ctrl('l'),
      '\x1b',
      '\x1b[',
      '\x1bO',
      'é',
      '\r',
    );
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.uint8Array(),
            interesting.map((s) => enc.encode(s)),
          ),
        ),
        (parts) => {
          const ed = editor({ history: ['h1', 'h2'], complete: words(['aa', 'ab', 'b/']), columns: 11 });
          for (const part of parts) {
            ed.feed(part);
            if (!ed.editing) ed.begin();
            expect(ed.cursor).toBeGreaterThanOrEqual(0);
            expect(ed.cursor).toBeLessThanOrEqual(Array.from(ed.line).length);
            expect(Array.from(ed.line).every(printable)).toBe(true);
          }
        },
      ),
    );
  });
});
