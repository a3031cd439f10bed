import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { COOKED, LineDiscipline, MAX_CANON, RAW, type TermMode } from './line-discipline.ts';

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const text = (bytes: Uint8Array): string => decoder.decode(bytes);
const ERASE = '\b \b';

/** Feeds `keys` as one input() call and reads the result back as strings. */
function feed(ld: LineDiscipline, input: string | Uint8Array) {
  const r = ld.input(typeof input === 'string' ? encoder.encode(input) : input);
  return {
    program: r.toProgram.map(text),
    screen: text(r.toScreen),
    signals: r.signals,
    eofs: r.eofs,
    reads: r.reads.map(text),
  };
}

/** Feeds each string as its own input() call (one per key press); their results. */
function keys(ld: LineDiscipline, ...presses: string[]) {
  return presses.map((p) => feed(ld, p));
}

const mode = (canonical: boolean, echo: boolean, signals: boolean): TermMode => ({
  canonical,
  echo,
  signals,
});

describe('modes', () => {
  it('defaults to cooked: canonical, echo and signals', () => {
    expect(COOKED).toEqual({ canonical: true, echo: true, signals: true });
    expect(RAW).toEqual({ canonical: false, echo: false, signals: false });
    expect(new LineDiscipline().mode).toEqual(COOKED);
    expect(new LineDiscipline(RAW).mode).toBe(RAW);
  });
});

describe('canonical mode: lines', () => {
  it('keeps typed characters in the line, echoing them, until Enter', () => {
    const ld = new LineDiscipline();
    expect(feed(ld, 'ls')).toEqual({ program: [], screen: 'ls', signals: [], eofs: 0, reads: [] });
    expect(ld.pending).toBe('ls');
    expect(feed(ld, ' -l')).toMatchObject({ program: [], screen: ' -l' });
    expect(feed(ld, '\r')).toEqual({
      program: ['ls -l\n'],
      screen: '\r\n',
      signals: [],
      eofs: 0,
      reads: ['ls -l\n'],
    });
    expect(ld.pending).toBe('');
  });

  it('ends a line on \\r (turned into \\n) or \\n', () => {
    const ld = new LineDiscipline();
    expect(feed(ld, 'a\nb\r\r')).toMatchObject({ program: ['a\n', 'b\n', '\n'], screen: 'a\r\nb\r\n\r\n' });
  });

  it('hands over an empty line as just a newline', () => {
    expect(feed(new LineDiscipline(), '\r').program).toEqual(['\n']);
  });

  it('keeps UTF-8 text whole, also when its bytes arrive in separate calls', () => {
    const ld = new LineDiscipline();
    const bytes = encoder.encode('é😀');
    for (const b of bytes) ld.input(Uint8Array.of(b));
    expect(ld.pending).toBe('é😀');
    expect(feed(ld, '\r').program).toEqual(['é😀\n']);
  });

  it('stores other control characters and echoes them in caret notation', () => {
    const ld = new LineDiscipline();
    expect(feed(ld, 'a\x01\x07\x1fb').screen).toBe('a^A^G^_b');
    expect(feed(ld, '\r').program).toEqual(['a\x01\x07\x1fb\n']);
  });

  it('echoes a tab as a tab', () => {
    const ld = new LineDiscipline();
    expect(feed(ld, 'a\tb').screen).toBe('a\tb');
    expect(ld.pending).toBe('a\tb');
  });
});

describe('canonical mode: erasing', () => {
  it('erases the last character with DEL or BS, echoing "\\b \\b"', () => {
    const ld = new LineDiscipline();
    feed(ld, 'abc');
    expect(feed(ld, '\x7f').screen).toBe(ERASE);
    expect(ld.pending).toBe('ab');
    expect(feed(ld, '\b').screen).toBe(ERASE);
    expect(ld.pending).toBe('a');
    expect(feed(ld, '\r').program).toEqual(['a\n']);
  });

  it('does nothing on an empty line', () => {
    const ld = new LineDiscipline();
    expect(feed(ld, '\x7f\x7f\b')).toMatchObject({ program: [], screen: '' });
    expect(feed(ld, 'ab\x7f\x7f\x7fc').screen).toBe(`ab${ERASE}${ERASE}c`);
    expect(ld.pending).toBe('c');
  });

  it('erases a multi-byte character as one character, one column', () => {
    const ld = new LineDiscipline();
    feed(ld, 'café');
    expect(feed(ld, '\x7f').screen).toBe(ERASE);
    expect(ld.pending).toBe('caf');
    feed(ld, 'a😀');
    expect(feed(ld, '\x7f').screen).toBe(ERASE);
    expect(ld.pending).toBe('cafa');
    feed(ld, '中');
    feed(ld, '\x7f');
    expect(ld.pending).toBe('cafa');
  });

  it('erases a caret-notation character as the two columns it shows', () => {
    const ld = new LineDiscipline();
    feed(ld, 'a\x01');
    expect(feed(ld, '\x7f').screen).toBe(ERASE + ERASE);
    expect(ld.pending).toBe('a');
  });

  it('erases a tab by stepping back to where it started', () => {
    const ld = new LineDiscipline();
    ld.output(encoder.encode('\x1b[32m$\x1b[0m ')); // a coloured prompt: the cursor is at column 2
    feed(ld, '\t');
    expect(feed(ld, '\x7f').screen).toBe('\b'.repeat(6));
    feed(ld, 'abc\t');
    expect(feed(ld, '\x7f').screen).toBe('\b'.repeat(3));
    feed(ld, '\r');
    feed(ld, 'ab\x01\t'); // at column 0 now: a, b, ^A take 4 columns
    expect(feed(ld, '\x7f').screen).toBe('\b'.repeat(4));
  });

  it('erases the whole line with Ctrl-U', () => {
    const ld = new LineDiscipline();
    feed(ld, 'ab é😀');
    expect(feed(ld, '\x15').screen).toBe(ERASE.repeat(5));
    expect(ld.pending).toBe('');
    expect(feed(ld, '\x15').screen).toBe('');
    expect(feed(ld, 'x\r').program).toEqual(['x\n']);
  });

  it('erases the trailing blanks and then the word before them with Ctrl-W', () => {
    const ld = new LineDiscipline();
    feed(ld, 'ls  -la  ');
    expect(feed(ld, '\x17').screen).toBe(ERASE.repeat(5));
    expect(ld.pending).toBe('ls  ');
    expect(feed(ld, '\x17').screen).toBe(ERASE.repeat(4));
    expect(ld.pending).toBe('');
    expect(feed(ld, '\x17').screen).toBe('');
  });

  it('treats tabs as blanks and multi-byte characters as word characters for Ctrl-W', () => {
    const ld = new LineDiscipline();
    feed(ld, 'echo\tcafé😀');
    expect(feed(ld, '\x17').screen).toBe(ERASE.repeat(5));
    expect(ld.pending).toBe('echo\t');
    feed(ld, '\x17');
    expect(ld.pending).toBe('');
    feed(ld, 'a-b/c');
    feed(ld, '\x17');
    expect(ld.pending).toBe('');
  });
});

describe('canonical mode: Ctrl-D', () => {
  it('on an empty line is an end of file, echoing nothing', () => {
    const ld = new LineDiscipline();
    expect(feed(ld, '\x04')).toEqual({ program: [], screen: '', signals: [], eofs: 1, reads: [''] });
    expect(feed(ld, '\x04\x04').eofs).toBe(2);
  });

  it('on a non-empty line hands over the line without a newline, echoing nothing', () => {
    const ld = new LineDiscipline();
    feed(ld, 'abc');
    expect(feed(ld, '\x04')).toEqual({ program: ['abc'], screen: '', signals: [], eofs: 0, reads: ['abc'] });
    expect(ld.pending).toBe('');
    expect(feed(ld, '\x04').eofs).toBe(1); // the line is empty now
  });

  it('keeps the order of lines and EOFs in `reads`', () => {
    const r = feed(new LineDiscipline(), '\x04ls\rab\x04\x04');
    expect(r.reads).toEqual(['', 'ls\n', 'ab', '']);
    expect(r.program).toEqual(['ls\n', 'ab']);
    expect(r.eofs).toBe(2);
  });
});

describe('canonical mode: Ctrl-V', () => {
  it('stores the next byte literally, even a signal, Enter or an erase', () => {
    const ld = new LineDiscipline();
    const r = feed(ld, 'a\x16\x03\x16\r\x16\x7f\x16\x04\x16\x16b');
    expect(r.signals).toEqual([]);
    expect(r.program).toEqual([]);
    expect(r.screen).toBe('a^C^M^?^D^Vb');
    expect(feed(ld, '\r').program).toEqual(['a\x03\r\x7f\x04\x16b\n']);
  });

  it('stores a literal ESC instead of dropping a sequence', () => {
    const ld = new LineDiscipline();
    expect(feed(ld, '\x16\x1b[A').screen).toBe('^[[A');
    expect(ld.pending).toBe('\x1b[A');
  });

  it('quotes across input calls', () => {
    const ld = new LineDiscipline();
    keys(ld, '\x16', '\x03');
    expect(ld.pending).toBe('\x03');
  });
});

describe('canonical mode: escape sequences', () => {
  it('drops arrow and function keys (CSI and SS3) whole', () => {
    const ld = new LineDiscipline();
    const r = feed(ld, 'a\x1b[Ab\x1b[1;5Cc\x1bOPd\x1b[15~e\x1b[200~');
    expect(r.screen).toBe('abcde');
    expect(ld.pending).toBe('abcde');
  });

  it('drops ESC and the character after it (Alt+key), a multi-byte one whole', () => {
    const ld = new LineDiscipline();
    feed(ld, 'a\x1bxb\x1béc\x1b\x7fd');
    expect(ld.pending).toBe('abcd');
  });

  it('drops a lone Escape key without swallowing the next key press', () => {
    const ld = new LineDiscipline();
    keys(ld, 'a', '\x1b', 'b');
    expect(ld.pending).toBe('ab');
  });

  it('ends a broken CSI at the first byte that cannot be part of it', () => {
    const ld = new LineDiscipline();
    expect(feed(ld, 'a\x1b[1\r').program).toEqual(['a\n']);
  });
});

describe('canonical mode: signals', () => {
  it.each([
    ['\x03', 'interrupt', '^C\r\n'],
    ['\x1a', 'suspend', '^Z\r\n'],
    ['\x1c', 'quit', '^\\\r\n'],
  ] as const)('%j raises %s, discards the line and echoes %j', (key, signal, echo) => {
    const ld = new LineDiscipline();
    feed(ld, 'rm -rf');
    expect(feed(ld, key)).toEqual({ program: [], screen: echo, signals: [signal], eofs: 0, reads: [] });
    expect(ld.pending).toBe('');
    expect(feed(ld, 'ls\r').program).toEqual(['ls\n']);
  });

  it('keeps what follows the signal in the same input', () => {
    const ld = new LineDiscipline();
    expect(feed(ld, 'a\x03b\r')).toMatchObject({ program: ['b\n'], signals: ['interrupt'] });
  });

  it('without ISIG stores Ctrl-C, Ctrl-Z and Ctrl-\\ as characters', () => {
    const ld = new LineDiscipline(mode(true, true, false));
    const r = feed(ld, '\x03\x1a\x1c\r');
    expect(r.signals).toEqual([]);
    expect(r.screen).toBe('^C^Z^\\\r\n');
    expect(r.program).toEqual(['\x03\x1a\x1c\n']);
  });
});

describe('canonical mode without echo', () => {
  it('edits the line but shows nothing', () => {
    const ld = new LineDiscipline(mode(true, false, true));
    const r = feed(ld, 'secrex\x7ft\x01\x7f\x17hunter2\x15pw\r');
    expect(r.screen).toBe('');
    expect(r.program).toEqual(['pw\n']);
    expect(feed(ld, 'x\x03')).toMatchObject({ screen: '', signals: ['interrupt'] });
  });
});

describe('canonical mode: MAX_CANON', () => {
  it('refuses characters past 4096 bytes with a BEL, but still ends the line', () => {
    expect(MAX_CANON).toBe(4096);
    const ld = new LineDiscipline();
    expect(feed(ld, 'a'.repeat(MAX_CANON)).screen).toBe('a'.repeat(MAX_CANON));
    expect(feed(ld, 'bc')).toMatchObject({ screen: '\x07\x07', program: [] });
    expect(ld.pending).toBe('a'.repeat(MAX_CANON));
    expect(feed(ld, '\r').program).toEqual([`${'a'.repeat(MAX_CANON)}\n`]);
  });

  it('refuses a multi-byte character that does not fit, whole, and takes one that does', () => {
    const ld = new LineDiscipline();
    feed(ld, 'a'.repeat(MAX_CANON - 1));
    expect(feed(ld, 'é😀').screen).toBe('\x07\x07');
    expect(ld.pending).toBe('a'.repeat(MAX_CANON - 1));
    expect(feed(ld, 'x').screen).toBe('x');
    feed(ld, '\x7f\x7f');
    expect(feed(ld, 'é').screen).toBe('é');
    expect(ld.pending).toBe(`${'a'.repeat(MAX_CANON - 2)}é`);
  });

  it('takes characters again once the line is erased', () => {
    const ld = new LineDiscipline();
    feed(ld, 'a'.repeat(MAX_CANON + 10));
    expect(feed(ld, '\x7fz').screen).toBe(`${ERASE}z`);
    expect(feed(ld, '\x04').program[0]).toHaveLength(MAX_CANON);
  });
});

describe('non-canonical mode', () => {
  it('raw: hands every byte to the program at once, in one array, without echo or signals', () => {
    const ld = new LineDiscipline(RAW);
    const r = ld.input(Uint8Array.of(0x61, 0x03, 0x1a, 0x1c, 0x04, 0x0d, 0x7f, 0x1b, 0x5b, 0x41));
    expect(r.toProgram).toEqual([Uint8Array.of(0x61, 0x03, 0x1a, 0x1c, 0x04, 0x0d, 0x7f, 0x1b, 0x5b, 0x41)]);
    expect(r.toScreen).toEqual(new Uint8Array());
    expect(r.signals).toEqual([]);
    expect(r.eofs).toBe(0);
    expect(ld.pending).toBe('');
  });

  it('raw: an empty input hands nothing over', () => {
    expect(new LineDiscipline(RAW).input(new Uint8Array()).toProgram).toEqual([]);
  });

  it('with ISIG: Ctrl-C, Ctrl-Z and Ctrl-\\ raise signals and are not passed on', () => {
    const ld = new LineDiscipline(mode(false, false, true));
    expect(feed(ld, 'a\x03b\x1a\x1cc')).toEqual({
      program: ['abc'],
      screen: '',
      signals: ['interrupt', 'suspend', 'quit'],
      eofs: 0,
      reads: ['abc'],
    });
    expect(feed(ld, '\x03')).toMatchObject({ program: [], reads: [] });
  });

  it('with ECHO: echoes the bytes as they are, signals in caret notation', () => {
    const ld = new LineDiscipline(mode(false, true, true));
    expect(feed(ld, 'a\r\x01\x7f')).toMatchObject({ program: ['a\r\x01\x7f'], screen: 'a\r\x01\x7f' });
    expect(feed(ld, '\x03').screen).toBe('^C\r\n');
  });
});

describe('mode switches', () => {
  it('canonical → raw: the partial line goes to the program ahead of the next input', () => {
    const ld = new LineDiscipline();
    feed(ld, 'ab');
    ld.mode = RAW;
    expect(ld.mode).toBe(RAW);
    expect(ld.pending).toBe('ab');
    expect(feed(ld, 'c').program).toEqual(['abc']);
    expect(ld.pending).toBe('');
    expect(feed(ld, 'd').program).toEqual(['d']);
  });

  it('canonical → raw: an empty input hands the partial line over by itself', () => {
    const ld = new LineDiscipline();
    feed(ld, 'ab');
    ld.mode = RAW;
    expect(feed(ld, '').program).toEqual(['ab']);
  });

  it('canonical → raw → canonical with no input between resumes editing the line', () => {
    const ld = new LineDiscipline();
    feed(ld, 'ab');
    ld.mode = RAW;
    ld.mode = COOKED;
    expect(feed(ld, '\x7fc\r').program).toEqual(['ac\n']);
  });

  it('raw → canonical: edits lines from the next byte', () => {
    const ld = new LineDiscipline(RAW);
    feed(ld, 'x');
    ld.mode = COOKED;
    expect(feed(ld, 'y\x7fz\r')).toMatchObject({ program: ['z\n'], screen: `y${ERASE}z\r\n` });
  });

  it('forgets a pending Ctrl-V on the way to raw', () => {
    const ld = new LineDiscipline();
    feed(ld, '\x16');
    ld.mode = mode(false, false, true);
    ld.mode = COOKED;
    expect(feed(ld, '\x03').signals).toEqual(['interrupt']);
  });

  it('turning echo off mid-line keeps the line (a password prompt)', () => {
    const ld = new LineDiscipline();
    feed(ld, 'ab');
    ld.mode = mode(true, false, true);
    expect(feed(ld, 'c\r')).toMatchObject({ program: ['abc\n'], screen: '' });
  });
});

describe('output', () => {
  const out = (ld: LineDiscipline, s: string): string => text(ld.output(encoder.encode(s)));

  it('turns \\n into \\r\\n (ONLCR)', () => {
    const ld = new LineDiscipline();
    expect(out(ld, 'a\nb\n\n')).toBe('a\r\nb\r\n\r\n');
    expect(out(ld, '\n')).toBe('\r\n');
  });

  it('leaves a \\r\\n as it is, also when split between calls', () => {
    const ld = new LineDiscipline();
    expect(out(ld, 'a\r\nb\r')).toBe('a\r\nb\r');
    expect(out(ld, '\nc\r\r\n')).toBe('\nc\r\r\n');
    expect(out(ld, 'd\r')).toBe('d\r');
    expect(out(ld, 'x')).toBe('x');
    expect(out(ld, '\n')).toBe('\r\n');
  });

  it('passes everything else through, in raw mode too, as a new array', () => {
    const ld = new LineDiscipline(RAW);
    const bytes = encoder.encode('\x1b[31mé😀\t\b\x00');
    const screen = ld.output(bytes);
    expect(screen).toEqual(bytes);
    expect(screen).not.toBe(bytes);
    expect(ld.output(new Uint8Array())).toEqual(new Uint8Array());
    expect(out(ld, 'a\n')).toBe('a\r\n');
  });

  it('gives the same bytes however the output is cut into writes, and keeps the cursor column', () => {
    // The reference: a CR before each LF that does not follow one, over the whole output.
    const onlcr = (bytes: readonly number[]): number[] =>
      bytes.flatMap((b, i) => (b === 0x0a && bytes[i - 1] !== 0x0d ? [0x0d, b] : [b]));
    const byte = fc.constantFrom(0x0a, 0x0d, 0x1b, 0x5b, 0x41, 0x61, 0x08, 0x09, 0x7f);
    fc.assert(
      fc.property(
        fc.array(byte, { maxLength: 200 }),
        fc.array(fc.nat(200), { maxLength: 8 }),
        (bytes, cuts) => {
          const whole = new LineDiscipline();
          const pieces = new LineDiscipline();
          const expected = whole.output(Uint8Array.from(bytes));
          expect([...expected]).toEqual(onlcr(bytes));
          const at = [...new Set(cuts.filter((c) => c < bytes.length))].sort((x, y) => x - y);
          const got = [0, ...at].flatMap((from, k) => [
            ...pieces.output(Uint8Array.from(bytes.slice(from, at[k] ?? bytes.length))),
          ]);
          expect(got).toEqual([...expected]);
          // Both put the cursor in the same column: a backspace erase after it shows that.
          pieces.mode = COOKED;
          whole.mode = COOKED;
          expect([...pieces.input(Uint8Array.of(0x61, 0x7f)).toScreen]).toEqual([
            ...whole.input(Uint8Array.of(0x61, 0x7f)).toScreen,
          ]);
        },
      ),
    );
  });
});

describe('properties', () => {
  const printable = fc.string({
    unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
  });
  const anyText = fc.string({ unit: 'grapheme-composite' }).filter((s) => !/[\p{Cc}]/u.test(s));

  it('typing printable ASCII then Enter delivers exactly it plus "\\n" and echoes it', () => {
    fc.assert(
      fc.property(printable, fc.boolean(), (s, oneCall) => {
        const ld = new LineDiscipline();
        const results = oneCall ? [feed(ld, `${s}\r`)] : keys(ld, ...s, '\r');
        expect(results.flatMap((r) => r.program)).toEqual([`${s}\n`]);
        expect(results.map((r) => r.screen).join('')).toBe(`${s}\r\n`);
      }),
    );
  });

  it('one erase per code point takes any text back to an empty line, one "\\b \\b" each', () => {
    fc.assert(
      fc.property(anyText, (s) => {
        const ld = new LineDiscipline();
        feed(ld, s);
        expect(ld.pending).toBe(s);
        const n = [...s].length;
        expect(feed(ld, '\x7f'.repeat(n)).screen).toBe(ERASE.repeat(n));
        expect(ld.pending).toBe('');
      }),
    );
  });

  it('never holds more than MAX_CANON bytes and never splits a character', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'binary', maxLength: 1200 }), { maxLength: 8 }), (chunks) => {
        const ld = new LineDiscipline();
        // No line ends, EOFs or signals (they empty the line), and no U+FFFD of its own.
        const unbroken = (c: string): string =>
          [...c].filter((ch) => !'\r\n\x03\x04\x1a\x1c\ufffd'.includes(ch)).join('');
        for (const c of chunks) feed(ld, unbroken(c));
        const held = encoder.encode(ld.pending);
        expect(held.length).toBeLessThanOrEqual(MAX_CANON);
        expect(ld.pending).not.toContain('\ufffd');
      }),
      { numRuns: 50 },
    );
  });

  it('Ctrl-U then Enter after any input delivers an empty line', () => {
    fc.assert(
      fc.property(fc.uint8Array(), (bytes) => {
        const ld = new LineDiscipline();
        ld.input(bytes);
        // Two Ctrl-Us: the bytes may end in a Ctrl-V, which makes the first one literal.
        expect(feed(ld, '\x15\x15\r').program).toEqual(['\n']);
      }),
    );
  });
});
