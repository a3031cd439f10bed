import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { KeyEvent } from '../../abi/window-protocol.ts';
import { clipboardChord, keyBytes, pasteBytes, textBytes } from './keys.ts';

type Mods = Partial<Omit<KeyEvent, 'key'>>;
const NORMAL = { applicationCursor: false };
const APPLICATION = { applicationCursor: true };

const ev = (key: string, mods: Mods = {}): KeyEvent => ({
  key,
  code: mods.code ?? '',
  ctrl: mods.ctrl ?? false,
  alt: mods.alt ?? false,
  shift: mods.shift ?? false,
  meta: mods.meta ?? false,
});

/** keyBytes read back as a (UTF-8) string, or null. */
function sends(key: string, mods: Mods = {}, options = NORMAL): string | null {
  const bytes = keyBytes(ev(key, mods), options);
  return bytes === null ? null : new TextDecoder().decode(bytes);
}

const CTRL = { ctrl: true };
const ALT = { alt: true };
const SHIFT = { shift: true };

describe('keyBytes: editing keys', () => {
  it.each([
    ['Enter', {}, '\r'],
    ['Enter', SHIFT, '\r'],
    ['Enter', CTRL, '\r'],
    ['Enter', ALT, '\x1b\r'],
    ['Backspace', {}, '\x7f'],
    ['Backspace', CTRL, '\b'],
    ['Backspace', ALT, '\x1b\x7f'],
    ['Backspace', { ctrl: true, alt: true }, '\x1b\b'],
    ['Tab', {}, '\t'],
    ['Tab', SHIFT, '\x1b[Z'],
    ['Tab', ALT, '\x1b\t'],
    ['Escape', {}, '\x1b'],
    ['Escape', ALT, '\x1b\x1b'],
  ] as const)('%s %j sends %j', (key, mods, bytes) => {
    expect(sends(key, mods)).toBe(bytes);
  });
});

describe('keyBytes: cursor keys', () => {
  it.each([
    ['ArrowUp', 'A'],
    ['ArrowDown', 'B'],
    ['ArrowRight', 'C'],
    ['ArrowLeft', 'D'],
    ['Home', 'H'],
    ['End', 'F'],
  ])('%s sends CSI %s, or SS3 %s in application cursor mode', (key, final) => {
    expect(sends(key)).toBe(`\x1b[${final}`);
    expect(sends(key, {}, APPLICATION)).toBe(`\x1bO${final}`);
  });

  it.each([
    [SHIFT, 2],
    [ALT, 3],
    [{ shift: true, alt: true }, 4],
    [CTRL, 5],
    [{ ctrl: true, shift: true }, 6],
    [{ ctrl: true, alt: true }, 7],
    [{ ctrl: true, alt: true, shift: true }, 8],
  ] as const)('with %j sends CSI 1;%d x, in either cursor mode', (mods, param) => {
    expect(sends('ArrowUp', mods)).toBe(`\x1b[1;${param}A`);
    expect(sends('ArrowLeft', mods, APPLICATION)).toBe(`\x1b[1;${param}D`);
    expect(sends('End', mods, APPLICATION)).toBe(`\x1b[1;${param}F`);
  });
});

describe('keyBytes: editing and function keys', () => {
  it.each([
    ['Insert', '\x1b[2~'],
    ['Delete', '\x1b[3~'],
    ['PageUp', '\x1b[5~'],
    ['PageDown', '\x1b[6~'],
    ['F1', '\x1bOP'],
    ['F2', '\x1bOQ'],
    ['F3', '\x1bOR'],
    ['F4', '\x1bOS'],
    ['F5', '\x1b[15~'],
    ['F6', '\x1b[17~'],
    ['F7', '\x1b[18~'],
    ['F8', '\x1b[19~'],
    ['F9', '\x1b[20~'],
    ['F10', '\x1b[21~'],
    ['F11', '\x1b[23~'],
    ['F12', '\x1b[24~'],
  ])('%s sends %j in either cursor mode', (key, bytes) => {
    expect(sends(key)).toBe(bytes);
    expect(sends(key, {}, APPLICATION)).toBe(bytes);
  });

  it('puts modifiers in a parameter, xterm style', () => {
    expect(sends('F5', CTRL)).toBe('\x1b[15;5~');
    expect(sends('F12', SHIFT)).toBe('\x1b[24;2~');
    expect(sends('Delete', CTRL)).toBe('\x1b[3;5~');
    expect(sends('PageUp', SHIFT)).toBe('\x1b[5;2~');
    expect(sends('Insert', { alt: true, shift: true })).toBe('\x1b[2;4~');
    expect(sends('F1', CTRL)).toBe('\x1b[1;5P');
    expect(sends('F4', { ctrl: true, shift: true })).toBe('\x1b[1;6S');
  });
});

describe('keyBytes: Ctrl', () => {
  it('turns a letter into its control byte, either case', () => {
    const letters = 'abcdefghijklmnopqrstuvwxyz';
    for (const [i, ch] of [...letters].entries()) {
      expect(sends(ch, CTRL)).toBe(String.fromCharCode(i + 1));
      expect(sends(ch.toUpperCase(), { ctrl: true, shift: true })).toBe(String.fromCharCode(i + 1));
    }
  });

  it.each([
    ['@', 0x00],
    [' ', 0x00],
    ['2', 0x00],
    ['[', 0x1b],
    ['3', 0x1b],
    ['\\', 0x1c],
    ['4', 0x1c],
    [']', 0x1d],
    ['5', 0x1d],
    ['^', 0x1e],
    ['6', 0x1e],
    ['_', 0x1f],
    ['7', 0x1f],
    ['/', 0x1f],
    ['?', 0x7f],
    ['8', 0x7f],
  ])('Ctrl+%j sends byte %i', (key, byte) => {
    expect(keyBytes(ev(key, CTRL), NORMAL)).toEqual(Uint8Array.of(byte));
  });

  it('sends the character itself for a key with no control byte', () => {
    expect(sends('1', CTRL)).toBe('1');
    expect(sends('.', CTRL)).toBe('.');
  });

  it('uses the physical key for a letter of a non-Latin layout', () => {
    expect(sends('с', { ctrl: true, code: 'KeyC' })).toBe('\x03'); // Cyrillic es
    expect(sends('ф', { ctrl: true, code: 'KeyA' })).toBe('\x01');
    expect(sends('é', { ctrl: true, code: 'Digit2' })).toBe('é');
    expect(sends('[', { ctrl: true, code: 'KeyX' })).toBe('\x1b'); // an ASCII key says what it is
  });
});

describe('keyBytes: Alt', () => {
  it('prefixes the key with ESC', () => {
    expect(sends('x', ALT)).toBe('\x1bx');
    expect(sends('X', { alt: true, shift: true })).toBe('\x1bX');
    expect(sends('.', ALT)).toBe('\x1b.');
    expect(sends(' ', ALT)).toBe('\x1b ');
    expect(sends('c', { alt: true, ctrl: true })).toBe('\x1b\x03');
    expect(sends('C', { alt: true, ctrl: true, shift: true })).toBe('\x1b\x03');
  });

  it('sends a character the layout composed as it is (macOS Option, AltGr)', () => {
    expect(sends('å', ALT)).toBe('å');
    expect(sends('€', { alt: true, ctrl: true })).toBe('€');
    expect(sends('@', { alt: true, ctrl: true })).toBe('@');
    expect(sends('{', { alt: true, ctrl: true, code: 'Digit7' })).toBe('{');
  });
});

describe('keyBytes: keys that send nothing', () => {
  it('is null for a plain printable character (it arrives as text)', () => {
    for (const key of ['a', 'A', ' ', '1', 'é', '😀', '中']) {
      expect(sends(key)).toBeNull();
      expect(sends(key, SHIFT)).toBeNull();
    }
  });

  it('is null for modifier keys alone, dead and unknown keys', () => {
    for (const key of [
      'Shift',
      'Control',
      'Alt',
      'Meta',
      'AltGraph',
      'CapsLock',
      'Dead',
      'Unidentified',
      'F24',
    ]) {
      expect(sends(key)).toBeNull();
      expect(sends(key, { ctrl: true, alt: true, shift: true })).toBeNull();
    }
  });

  it('is null for any chord with Meta (the host keeps those)', () => {
    expect(sends('Meta', { meta: true })).toBeNull();
    expect(sends('c', { meta: true })).toBeNull();
    expect(sends('ArrowUp', { meta: true })).toBeNull();
    expect(sends('Enter', { meta: true, ctrl: true })).toBeNull();
  });

  it.each(['valueOf', 'constructor', 'toString', '__proto__'])('sends nothing for a key named %s', (key) => {
    expect(sends(key)).toBeNull();
    expect(sends(key, SHIFT)).toBeNull();
  });

  it('never throws and sends at most a few bytes for any event', () => {
    const mods = { ctrl: fc.boolean(), alt: fc.boolean(), shift: fc.boolean(), meta: fc.boolean() };
    fc.assert(
      fc.property(
        fc.string({ maxLength: 12 }),
        fc.string({ maxLength: 12 }),
        fc.record(mods),
        (key, code, m) => {
          const bytes = keyBytes({ key, code, ...m }, NORMAL);
          if (bytes !== null) expect(bytes.length).toBeLessThanOrEqual(8);
        },
      ),
    );
  });
});

describe('textBytes', () => {
  it('encodes UTF-8', () => {
    expect(textBytes('aé😀')).toEqual(new TextEncoder().encode('aé😀'));
    expect(textBytes('')).toEqual(new Uint8Array());
  });

  it('sends a newline as \\r, as the Enter key does', () => {
    expect(new TextDecoder().decode(textBytes('ls\npwd\n'))).toBe('ls\rpwd\r');
    expect(new TextDecoder().decode(textBytes('a\r\nb\rc'))).toBe('a\rb\rc');
  });

  it('leaves text without newlines as it is', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (s) => {
        const plain = s.replace(/[\r\n]/g, '');
        expect(new TextDecoder().decode(textBytes(plain))).toBe(plain);
      }),
    );
  });
});

describe('clipboardChord', () => {
  it('takes Ctrl+Shift+C and Ctrl+Shift+V as copy and paste', () => {
    expect(clipboardChord(ev('C', { ctrl: true, shift: true, code: 'KeyC' }))).toBe('copy');
    expect(clipboardChord(ev('V', { ctrl: true, shift: true, code: 'KeyV' }))).toBe('paste');
    expect(clipboardChord(ev('c', { ctrl: true, shift: true, code: 'KeyC' }))).toBe('copy'); // Caps Lock
  });

  it('uses the physical key on a non-Latin layout', () => {
    expect(clipboardChord(ev('С', { ctrl: true, shift: true, code: 'KeyC' }))).toBe('copy');
    expect(clipboardChord(ev('М', { ctrl: true, shift: true, code: 'KeyV' }))).toBe('paste');
  });

  it('leaves every other chord to keyBytes', () => {
    expect(clipboardChord(ev('c', { ctrl: true, code: 'KeyC' }))).toBeNull();
    expect(clipboardChord(ev('v', { ctrl: true, code: 'KeyV' }))).toBeNull();
    expect(clipboardChord(ev('C', { shift: true, code: 'KeyC' }))).toBeNull();
    expect(clipboardChord(ev('C', { ctrl: true, shift: true, alt: true, code: 'KeyC' }))).toBeNull();
    expect(clipboardChord(ev('C', { ctrl: true, shift: true, meta: true, code: 'KeyC' }))).toBeNull();
    expect(clipboardChord(ev('X', { ctrl: true, shift: true, code: 'KeyX' }))).toBeNull();
    expect(clipboardChord(ev('ArrowUp', { ctrl: true, shift: true, code: 'ArrowUp' }))).toBeNull();
  });
});

describe('pasteBytes', () => {
  const paste = (text: string, bracketed: boolean): string =>
    new TextDecoder().decode(pasteBytes(text, bracketed));

  it('types line ends as Enter', () => {
    expect(paste('ls\npwd\r\nécho', false)).toBe('ls\rpwd\récho');
  });

  it('brackets the text when the program asked for bracketed paste', () => {
    expect(paste('a\nb', true)).toBe('\x1b[200~a\rb\x1b[201~');
  });

  it('takes the bracket markers out of the text so it cannot end the paste early', () => {
    expect(paste('x\x1b[201~rm -rf /\n', true)).toBe('\x1b[200~xrm -rf /\r\x1b[201~');
    expect(paste('\x1b[20\x1b[201~1~y', true)).toBe('\x1b[200~y\x1b[201~');
    expect(paste('\x1b[201~', false)).toBe('\x1b[201~'); // unbracketed, a paste is just typing
  });
});
