// Global shortcuts: which chords are reserved, and that text-typing chords never are.
import { describe, expect, it } from 'vitest';
import { shortcutFor, type KeyChord } from './shortcuts.ts';

const chord = (key: string, code: string, mods: Partial<KeyChord> = {}): KeyChord => ({
  key,
  code,
  ctrl: true,
  alt: true,
  shift: false,
  meta: false,
  ...mods,
});

describe('shortcutFor', () => {
  it('maps Ctrl+Alt navigation keys to snapping, maximize, minimize and close', () => {
    expect(shortcutFor(chord('ArrowLeft', 'ArrowLeft'))).toEqual({ name: 'snap', zone: 'left' });
    expect(shortcutFor(chord('ArrowRight', 'ArrowRight'))).toEqual({ name: 'snap', zone: 'right' });
    expect(shortcutFor(chord('Home', 'Numpad7'))).toEqual({ name: 'snap', zone: 'top-left' });
    expect(shortcutFor(chord('PageDown', 'PageDown'))).toEqual({ name: 'snap', zone: 'bottom-right' });
    expect(shortcutFor(chord('ArrowUp', 'ArrowUp'))).toEqual({ name: 'toggle-maximize' });
    expect(shortcutFor(chord('ArrowDown', 'ArrowDown'))).toEqual({ name: 'restore-or-minimize' });
    expect(shortcutFor(chord('Backspace', 'Backspace'))).toEqual({ name: 'close' });
  });

  it('cycles focus with Ctrl+Alt+Tab, backwards with Shift', () => {
    expect(shortcutFor(chord('Tab', 'Tab'))).toEqual({ name: 'cycle-focus', direction: 1 });
    expect(shortcutFor(chord('Tab', 'Tab', { shift: true }))).toEqual({ name: 'cycle-focus', direction: -1 });
  });

  it('switches and moves to workspaces 1..4, numbered from 0', () => {
    expect(shortcutFor(chord('1', 'Digit1'))).toEqual({ name: 'switch-workspace', workspace: 0 });
    expect(shortcutFor(chord('4', 'Digit4'))).toEqual({ name: 'switch-workspace', workspace: 3 });
    expect(shortcutFor(chord('@', 'Digit2', { shift: true }))).toEqual({
      name: 'move-to-workspace',
      workspace: 1,
    });
    expect(shortcutFor(chord('5', 'Digit5'))).toBeNull();
  });

  it('leaves AltGr characters, plain keys, Meta chords and letters to the app', () => {
    expect(shortcutFor(chord('²', 'Digit2'))).toBeNull(); // AltGr+2 on a German layout
    expect(shortcutFor(chord('@', 'KeyQ'))).toBeNull();
    expect(shortcutFor(chord('q', 'KeyQ'))).toBeNull();
    expect(shortcutFor(chord('ArrowLeft', 'ArrowLeft', { ctrl: false }))).toBeNull();
    expect(shortcutFor(chord('ArrowLeft', 'ArrowLeft', { alt: false }))).toBeNull();
    expect(shortcutFor(chord('ArrowLeft', 'ArrowLeft', { meta: true }))).toBeNull();
    expect(shortcutFor(chord('ArrowLeft', 'ArrowLeft', { shift: true }))).toBeNull();
    expect(shortcutFor(chord('toString', 'KeyT'))).toBeNull();
    expect(shortcutFor(chord('__proto__', ''))).toBeNull();
  });
});
