// Window-manager commands and the global keyboard shortcuts that produce them. Layer:
// gpu, pure logic. A key event the host forwards is matched here before any app sees it;
// a chord that maps to a command is reserved and never delivered.
//
// Every shortcut is Ctrl+Alt (no Meta) plus a key that types nothing, so that no chord
// eats text: on Windows and many layouts Ctrl+Alt is AltGr, and AltGr with letters, most
// punctuation and (on some layouts) digits types characters. The browser or host OS keeps
// Alt+Tab, Meta+arrows and Ctrl+letters, so they are not used.
//
//   Ctrl+Alt+←  / →                 snap the focused window to the left / right half
//   Ctrl+Alt+Home / PageUp          snap to the top-left / top-right quarter
//   Ctrl+Alt+End  / PageDown        snap to the bottom-left / bottom-right quarter
//                                   (the numeric keypad's 7 9 1 3 with Num Lock off)
//   Ctrl+Alt+↑                      maximize, or restore a maximized window
//   Ctrl+Alt+↓                      restore a maximized or snapped window, else minimize
//   Ctrl+Alt+Backspace              close the focused window
//   Ctrl+Alt+Tab / Ctrl+Alt+Shift+Tab   focus the next / previous window (restores a minimized one)
//   Ctrl+Alt+1..4                   switch to workspace 1..4 (only when the key types the digit,
//                                   so AltGr+digit characters still reach the app)
//   Ctrl+Alt+Shift+1..4             move the focused window to workspace 1..4 (by key position)
//   Ctrl+Alt+Enter                  open or close the shell's launcher (isLauncherChord)
import { WORKSPACE_COUNT } from './scene.ts';
import type { SnapZone } from './snap.ts';

/** A command on a window: the given one, or the focused one when none is given. */
export type WindowCommand = {
  readonly name:
    'maximize' | 'toggle-maximize' | 'minimize' | 'restore' | 'restore-or-minimize' | 'close' | 'focus';
};

/** What the window manager can be told to do; workspaces are numbered from 0. */
export type Command =
  | WindowCommand
  | { readonly name: 'snap'; readonly zone: SnapZone }
  | { readonly name: 'cycle-focus'; readonly direction: 1 | -1 }
  | { readonly name: 'switch-workspace'; readonly workspace: number }
  | { readonly name: 'move-to-workspace'; readonly workspace: number };

/** The parts of a keyboard event (KeyboardEvent's key and code) that shortcuts look at. */
export interface KeyChord {
  readonly key: string;
  readonly code: string;
  readonly ctrl: boolean;
  readonly alt: boolean;
  readonly shift: boolean;
  readonly meta: boolean;
}

/** Ctrl+Alt+key (no Shift), by KeyboardEvent.key so the keypad's navigation keys work too. */
const NAMED: Readonly<Record<string, Command>> = {
  ArrowLeft: { name: 'snap', zone: 'left' },
  ArrowRight: { name: 'snap', zone: 'right' },
  Home: { name: 'snap', zone: 'top-left' },
  PageUp: { name: 'snap', zone: 'top-right' },
  End: { name: 'snap', zone: 'bottom-left' },
  PageDown: { name: 'snap', zone: 'bottom-right' },
  ArrowUp: { name: 'toggle-maximize' },
  ArrowDown: { name: 'restore-or-minimize' },
  Backspace: { name: 'close' },
};

/**
 * The command a key chord is reserved for, or null when it belongs to the focused app.
 * The same answer comes for the key's keydown and keyup: run the command on keydown and
 * swallow both.
 */
export function shortcutFor(k: KeyChord): Command | null {
  if (!k.ctrl || !k.alt || k.meta) return null;
  if (k.key === 'Tab') return { name: 'cycle-focus', direction: k.shift ? -1 : 1 };
  const digit = /^Digit([1-9])$/.exec(k.code);
  if (digit !== null) {
    const workspace = Number(digit[1]) - 1;
    if (workspace >= WORKSPACE_COUNT) return null;
    if (k.shift) return { name: 'move-to-workspace', workspace };
    return k.key === digit[1] ? { name: 'switch-workspace', workspace } : null;
  }
  if (k.shift || !Object.hasOwn(NAMED, k.key)) return null;
  return NAMED[k.key] ?? null;
}

/** Ctrl+Alt+Enter: the shell's launcher. Reserved like the commands above; the compositor tells the shell. */
export const isLauncherChord = (k: KeyChord): boolean =>
  k.ctrl && k.alt && !k.shift && !k.meta && k.key === 'Enter';
