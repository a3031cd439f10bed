// Keyboard events to the bytes an xterm-compatible terminal sends down its pty. Layer:
// apps; pure, no DOM. The host sends a `text` event for plain typing and none while Ctrl,
// Alt or Meta is held, so keyBytes makes the characters for those chords itself.
import type { KeyEvent } from '../../abi/window-protocol.ts';

export interface KeyOptions {
  /** DECCKM: unmodified arrows, Home and End send ESC O x instead of ESC [ x. */
  readonly applicationCursor: boolean;
}

const ESC = '\x1b';
const encoder = new TextEncoder();

/** Keys that send CSI/SS3 <final>: xterm's "PC-style" cursor and function keys. */
const FINAL_KEYS: Readonly<Record<string, { readonly final: string; readonly ss3: boolean }>> = {
  ArrowUp: { final: 'A', ss3: false },
  ArrowDown: { final: 'B', ss3: false },
  ArrowRight: { final: 'C', ss3: false },
  ArrowLeft: { final: 'D', ss3: false },
  Home: { final: 'H', ss3: false },
  End: { final: 'F', ss3: false },
  F1: { final: 'P', ss3: true },
  F2: { final: 'Q', ss3: true },
  F3: { final: 'R', ss3: true },
  F4: { final: 'S', ss3: true },
};

/** Keys that send CSI <number> ~ (VT220 editing and function keys). */
const TILDE_KEYS: Readonly<Record<string, number>> = {
  Insert: 2,
  Delete: 3,
  PageUp: 5,
  PageDown: 6,
  F5: 15,
  F6: 17,
  F7: 18,
  F8: 19,
  F9: 20,
  F10: 21,
  F11: 23,
  F12: 24,
};

/** Ctrl with a key that is not a letter: the control byte xterm sends (VT220 digits too). */
const CTRL_SYMBOLS: Readonly<Record<string, number>> = {
  '@': 0x00,
  ' ': 0x00,
  '2': 0x00,
  '[': 0x1b,
  '3': 0x1b,
  '\\': 0x1c,
  '4': 0x1c,
  ']': 0x1d,
  '5': 0x1d,
  '^': 0x1e,
  '6': 0x1e,
  _: 0x1f,
  '7': 0x1f,
  '/': 0x1f,
  '?': 0x7f,
  '8': 0x7f,
};

/** xterm's modifier parameter: 1 + shift + 2·alt + 4·ctrl (1 means none). */
function modifierParam(key: KeyEvent): number {
  return 1 + (key.shift ? 1 : 0) + (key.alt ? 2 : 0) + (key.ctrl ? 4 : 0);
}

const isAsciiLetter = (ch: string): boolean => /^[A-Za-z]$/.test(ch);

/**
 * The bytes for a key press, or null when the key produces no bytes by itself: a plain
 * printable character (it arrives as a `text` event) unless Ctrl or Alt is held, a
 * modifier key alone, an unknown key, and any chord with Meta (the host's shortcuts).
 *
 * Chords that a keyboard layout turns into characters are sent as those characters: Alt
 * with a non-ASCII key (macOS Option: Option+a is "å") and Ctrl+Alt with a key that is not
 * an ASCII letter (AltGr on Windows reports Ctrl+Alt: German AltGr+q is "@"). Ctrl with a
 * non-Latin letter (Cyrillic "с") uses the physical key (`code` KeyC), as xterm.js does.
 */
export function keyBytes(key: KeyEvent, options: KeyOptions): Uint8Array | null {
  if (key.meta) return null;
  const text = namedKey(key, options) ?? charKey(key);
  return text === null ? null : encoder.encode(text);
}

/** Bytes for text the user typed (UTF-8), with \n (and \r\n) turned into \r as a terminal sends Enter. */
export function textBytes(text: string): Uint8Array {
  return encoder.encode(text.replace(/\r?\n/g, '\r'));
}

/**
 * Ctrl+Shift+C and Ctrl+Shift+V, the terminal's copy and paste (plain Ctrl+C and Ctrl+V
 * belong to the program: interrupt and quoted insert). Matched on the character, or on
 * the physical key for a non-Latin layout, as Ctrl chords are in keyBytes.
 */
export function clipboardChord(key: KeyEvent): 'copy' | 'paste' | null {
  if (!key.ctrl || !key.shift || key.alt || key.meta || [...key.key].length !== 1) return null;
  const letter = isAsciiLetter(key.key)
    ? key.key.toLowerCase()
    : /^Key([CV])$/.exec(key.code)?.[1]?.toLowerCase();
  return letter === 'c' ? 'copy' : letter === 'v' ? 'paste' : null;
}

const PASTE_START = `${ESC}[200~`;
const PASTE_END = `${ESC}[201~`;

/**
 * Bytes for pasted text, typed as a terminal types a paste: line ends become \r (Enter),
 * and when the program asked for bracketed paste (mode 2004) the text goes between
 * ESC[200~ and ESC[201~, with any of those markers in the text itself taken out so a paste
 * cannot end the bracket early and have the rest run as typed commands.
 */
export function pasteBytes(text: string, bracketed: boolean): Uint8Array {
  const typed = text.replace(/\r?\n/g, '\r');
  if (!bracketed) return encoder.encode(typed);
  let inner = typed;
  // Again until none is left: taking one out can join the pieces of another around it.
  for (let was = ''; was !== inner;) {
    was = inner;
    inner = inner.replaceAll(PASTE_START, '').replaceAll(PASTE_END, '');
  }
  return encoder.encode(`${PASTE_START}${inner}${PASTE_END}`);
}

/** A key with a name (Enter, ArrowUp, F5...), or null when `key.key` names none of ours. */
function namedKey(key: KeyEvent, options: KeyOptions): string | null {
  const alt = key.alt ? ESC : '';
  switch (key.key) {
    case 'Enter':
      return `${alt}\r`;
    case 'Backspace':
      return `${alt}${key.ctrl ? '\b' : '\x7f'}`;
    case 'Tab':
      return key.shift ? `${ESC}[Z` : `${alt}\t`;
    case 'Escape':
      return `${alt}${ESC}`;
  }
  const mod = modifierParam(key);
  // Own keys only: a key named "valueOf" or "constructor" must not find Object's methods.
  const final = Object.hasOwn(FINAL_KEYS, key.key) ? FINAL_KEYS[key.key] : undefined;
  if (final) {
    if (mod > 1) return `${ESC}[1;${mod}${final.final}`;
    return `${ESC}${final.ss3 || options.applicationCursor ? 'O' : '['}${final.final}`;
  }
  const tilde = Object.hasOwn(TILDE_KEYS, key.key) ? TILDE_KEYS[key.key] : undefined;
  if (tilde !== undefined) return mod > 1 ? `${ESC}[${tilde};${mod}~` : `${ESC}[${tilde}~`;
  return null;
}

/** A key that is one character, under Ctrl and/or Alt; null for anything else. */
function charKey(key: KeyEvent): string | null {
  const ch = key.key;
  if ([...ch].length !== 1 || !(key.ctrl || key.alt)) return null;
  if (key.ctrl && key.alt && !isAsciiLetter(ch)) return ch; // AltGr
  if (!key.ctrl) return ch.charCodeAt(0) < 0x80 ? `${ESC}${ch}` : ch; // Alt+x, or macOS Option
  const byte = controlByte(ch, key.code);
  const sent = byte === undefined ? ch : String.fromCharCode(byte);
  return key.alt ? `${ESC}${sent}` : sent;
}

/** Ctrl with `ch` (on the physical key `code`): a control byte, or undefined when it makes none. */
function controlByte(ch: string, code: string): number | undefined {
  const physical = /^Key([A-Z])$/.exec(code)?.[1];
  const letter = isAsciiLetter(ch) ? ch : ch.charCodeAt(0) >= 0x80 ? physical : undefined;
  return letter === undefined ? CTRL_SYMBOLS[ch] : letter.toUpperCase().charCodeAt(0) & 0x1f;
}
