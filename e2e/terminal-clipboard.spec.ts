// The terminal's selection and clipboard end to end (issue 7): dragging and double-clicking
// select text on screen, Ctrl+Shift+C copies it through the clipboard grant to the page's
// clipboard, and Ctrl+Shift+V or a middle click types it back into the shell. What is on
// screen comes from the text the terminal publishes, the highlight from the compositor's read-back.
import { expect, test, type Page } from '@playwright/test';
import type { DesktopWindow } from '../src/abi/display-protocol.ts';
import { TITLE, freshLayoutEachTest, near, readBack, windows } from './desktop-helpers.ts';
import { openTerminal, run, screen } from './terminal-helpers.ts';

test.use({ viewport: { width: 1280, height: 720 } });
freshLayoutEachTest();

/** The terminal's grid (src/apps/terminal/terminal.worker.ts): padding, line height, columns. */
const PAD = 6;
const LINE_PX = 18;
const COLS = 80;
const SELECTION_BG = [0x26, 0x4f, 0x78];

const terminal = async (page: Page): Promise<DesktopWindow> => {
  const t = (await windows(page)).find((w) => w.title === 'Terminal');
  if (!t) throw new Error('no terminal');
  return t;
};

const clipboard = (page: Page): Promise<string> => page.evaluate(() => navigator.clipboard.readText());

/** The grid's geometry on the page: the cell width follows from the window's untouched 80 columns. */
async function grid(page: Page) {
  const t = await terminal(page);
  const cw = (t.w - 2 * PAD) / COLS;
  return {
    id: t.id,
    cw,
    /** The page point `fx` cells from the left and half a line down row `row`. */
    at: (fx: number, row: number): [number, number] => [
      t.x + PAD + fx * cw,
      t.y + TITLE + PAD + (row + 0.5) * LINE_PX,
    ],
    /** A content point in the top line of pixels of cell (col, row), above any glyph. */
    cellTop: (col: number, row: number): [number, number] => [
      PAD + (col + 0.5) * cw,
      PAD + row * LINE_PX + 1,
    ],
  };
}

test('drag-select a word, Ctrl+Shift+C copies it, Ctrl+Shift+V types it back', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await openTerminal(page);
  await run(page, 'echo hello', /^\$ echo hello\nhello\n\$ $/);
  const g = await grid(page);
  // Row 1 is the output "hello", columns 0 to 4: drag from its left edge to past its last cell.
  await page.mouse.move(...g.at(0.2, 1));
  await page.mouse.down();
  await page.mouse.move(...g.at(3, 1), { steps: 4 });
  await page.mouse.move(...g.at(4.9, 1), { steps: 4 });
  await page.mouse.up();
  await expect
    .poll(async () => near((await readBack(page, g.id, [g.cellTop(2, 1)]))[0] ?? [], SELECTION_BG, 12))
    .toBe(true);
  const [after] = await readBack(page, g.id, [g.cellTop(6, 1)]);
  expect(near(after ?? [], SELECTION_BG, 12)).toBe(false);

  await page.keyboard.press('Control+Shift+C');
  await expect.poll(() => clipboard(page)).toBe('hello');
  // The chord is the terminal's: the shell saw no Ctrl-C (it would echo ^C and prompt again).
  expect(await screen(page)).toMatch(/^\$ echo hello\nhello\n\$ $/);

  await page.keyboard.type('echo ');
  // Typing ends the selection.
  await expect
    .poll(async () => near((await readBack(page, g.id, [g.cellTop(2, 1)]))[0] ?? [], SELECTION_BG, 12))
    .toBe(false);
  await page.keyboard.press('Control+Shift+V');
  await expect.poll(() => screen(page)).toMatch(/\n\$ echo hello$/);
  await page.keyboard.press('Enter');
  await expect.poll(() => screen(page)).toMatch(/\n\$ echo hello\nhello\n\$ $/);
  // Once: the host's own paste of the chord was not typed as well.
  expect(await screen(page)).not.toMatch(/hellohello/);
});

test('a double click selects a word; a middle click pastes; a line pastes as Enter', async ({
  page,
  context,
}) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await openTerminal(page);
  await run(page, 'echo one /bin/two three', /\none \/bin\/two three\n\$ $/);
  const g = await grid(page);
  await page.mouse.dblclick(...g.at(7.5, 1)); // in "/bin/two", columns 4 to 11
  await page.keyboard.press('Control+Shift+C');
  await expect.poll(() => clipboard(page)).toBe('/bin/two');

  await page.keyboard.type('echo ');
  await page.mouse.click(...g.at(20, 2), { button: 'middle' });
  await expect.poll(() => screen(page)).toMatch(/\n\$ echo \/bin\/two$/);
  await page.keyboard.press('Enter');
  await expect.poll(() => screen(page)).toMatch(/\n\$ echo \/bin\/two\n\/bin\/two\n\$ $/);

  // A copied line end is typed as Enter: the pasted command runs.
  await page.evaluate(() => navigator.clipboard.writeText('echo pasted\n'));
  await page.mouse.click(...g.at(20, 2), { button: 'middle' });
  await expect.poll(() => screen(page)).toMatch(/\n\$ echo pasted\npasted\n\$ $/);
});
