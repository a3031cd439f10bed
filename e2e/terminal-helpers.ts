// Helpers shared by the terminal's end-to-end specs (terminal.spec.ts,
// terminal-clipboard.spec.ts): open a terminal, type command lines and read the screen
// text the terminal publishes.
import { expect, type Page } from '@playwright/test';
import { openDesktop, windows } from './desktop-helpers.ts';

export const screen = async (page: Page): Promise<string> =>
  (await windows(page)).find((w) => w.title === 'Terminal')?.text ?? '';

/** Opens a terminal and waits for the shell's first prompt. */
export async function openTerminal(page: Page): Promise<void> {
  await openDesktop(page);
  await page.evaluate(() => window.tessera.desktop?.launch('terminal'));
  await expect.poll(() => screen(page), { timeout: 15_000 }).toMatch(/\$ $/);
}

/** Types a command line and waits until the screen ends with `expected` and a new prompt. */
export async function run(page: Page, line: string, expected: RegExp): Promise<void> {
  await page.keyboard.type(line);
  await page.keyboard.press('Enter');
  await expect.poll(() => screen(page), { timeout: 15_000 }).toMatch(expected);
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The screen's end after `line` ran and printed exactly `output` (lines, '' for none). */
const ran = (line: string, output: string): RegExp =>
  new RegExp(`\\$ ${escape(line)}\\n${output === '' ? '' : `${escape(output)}\\n`}\\$ $`);

/** Runs `line` and waits until it printed exactly `output` and the prompt is back. */
export const runPrints = (page: Page, line: string, output: string): Promise<void> =>
  run(page, line, ran(line, output));
