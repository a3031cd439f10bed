// The terminal end to end (issue 7): the terminal app, its pty and the shell, driven by
// typing into the focused window and reading the screen text the terminal publishes.
// Commands are WASI core utilities the build installs into the store's /bin.
import { expect, test, type Page } from '@playwright/test';
import { freshLayoutEachTest, near, openDesktop, readBack, windows } from './desktop-helpers.ts';

test.use({ viewport: { width: 1280, height: 720 } });
freshLayoutEachTest();

const screen = async (page: Page): Promise<string> =>
  (await windows(page)).find((w) => w.title === 'Terminal')?.text ?? '';

/** Opens a terminal and waits for the shell's first prompt. */
async function openTerminal(page: Page): Promise<void> {
  await openDesktop(page);
  await page.evaluate(() => window.tessera.desktop?.launch('terminal'));
  await expect.poll(() => screen(page), { timeout: 15_000 }).toMatch(/\$ $/);
}

/** Types a command line and waits until the screen ends with `expected` and a new prompt. */
async function run(page: Page, line: string, expected: RegExp): Promise<void> {
  await page.keyboard.type(line);
  await page.keyboard.press('Enter');
  await expect.poll(() => screen(page), { timeout: 15_000 }).toMatch(expected);
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const ran = (line: string, output: string): RegExp =>
  new RegExp(`\\$ ${escape(line)}\\n${output === '' ? '' : `${escape(output)}\\n`}\\$ $`);

test('a pipeline: echo hi | wc -c prints 3, and the glyphs are drawn', async ({ page }) => {
  await openTerminal(page);
  await run(page, 'echo hi | wc -c', ran('echo hi | wc -c', '3'));
  const term = (await windows(page)).find((w) => w.title === 'Terminal');
  if (!term) throw new Error('no terminal');
  // Some pixel of the first text row is not the background (src/apps/terminal/palette.ts).
  const row = await readBack(
    page,
    term.id,
    Array.from({ length: 40 }, (_, i): [number, number] => [6 + i, 14]),
  );
  expect(row.some((p) => !near(p, [0x10, 0x16, 0x1f], 20))).toBe(true);
});

test('redirections: ls > f; cat f, >>, < and 2>&1', async ({ page }) => {
  await openTerminal(page);
  await run(page, 'ls > f; cat f', /\$ ls > f; cat f\nbin\nf\n\$ $/);
  await run(page, 'echo more >> f; wc -l < f', ran('echo more >> f; wc -l < f', '3'));
  await run(
    page,
    'cat missing > g 2>&1; cat g',
    ran('cat missing > g 2>&1; cat g', 'cat: missing: No such file or directory'),
  );
  await run(page, 'false || echo $?', ran('false || echo $?', '1'));
  await run(page, 'X="a  b"; export X; echo $X "$X"', ran('X="a  b"; export X; echo $X "$X"', 'a b a  b'));
});

test('Ctrl-C ends a foreground command; Ctrl-Z suspends it and fg, bg resume it', async ({ page }) => {
  await openTerminal(page);
  await page.keyboard.type('sleep 100');
  await page.keyboard.press('Enter');
  await page.waitForTimeout(500);
  await page.keyboard.press('Control+c');
  await expect.poll(() => screen(page)).toMatch(/\$ sleep 100\n\^C\n\$ $/);
  await run(page, 'sleep 100 &', /\[1\] \d+\n\$ $/);
  await run(page, 'jobs', /\[1\] {2}Running {4}sleep 100\n\$ $/);
  await page.keyboard.type('fg');
  await page.keyboard.press('Enter');
  await expect.poll(() => screen(page)).toMatch(/\$ fg\nsleep 100$/);
  await page.keyboard.press('Control+z');
  await expect.poll(() => screen(page)).toMatch(/\[1\]\+ {2}Stopped {4}sleep 100\n\$ $/);
  await run(page, 'bg', /\[1\]\+ sleep 100 &\n\$ $/);
  await run(page, 'jobs', /\[1\] {2}Running {4}sleep 100\n\$ $/);
});

test('history survives a reload; a command cannot reach outside the store it was given', async ({ page }) => {
  await openTerminal(page);
  await run(page, 'echo remembered', ran('echo remembered', 'remembered'));
  // `..` past the root it was given is refused by the fs server (ENOTCAPABLE).
  await run(
    page,
    'cat ../../../etc/passwd',
    /cat: \.\.\/\.\.\/\.\.\/etc\/passwd: Capabilities insufficient\n\$ $/,
  );
  await page.evaluate(() => sessionStorage.setItem('tessera-test-keep', '1'));
  await page.reload();
  await page.evaluate(() => window.tessera.desktop?.ready);
  await page.evaluate(() => window.tessera.desktop?.launch('terminal'));
  await expect.poll(() => screen(page), { timeout: 15_000 }).toMatch(/\$ $/);
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('ArrowUp');
  await expect.poll(() => screen(page)).toMatch(/\$ echo remembered$/);
});
