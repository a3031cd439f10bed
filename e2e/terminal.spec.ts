// The terminal end to end (issue 7): the terminal app, its pty and the shell, driven by
// typing into the focused window and reading the screen text the terminal publishes.
// Commands are WASI core utilities the build installs into the store's /bin.
import { expect, test } from '@playwright/test';
import { drag, freshLayoutEachTest, near, readBack, windows } from './desktop-helpers.ts';
import { openTerminal, run, runPrints, screen } from './terminal-helpers.ts';

test.use({ viewport: { width: 1280, height: 720 } });
freshLayoutEachTest();

test('a pipeline: echo hi | wc -c prints 3, and the glyphs are drawn', async ({ page }) => {
  await openTerminal(page);
  await runPrints(page, 'echo hi | wc -c', '3');
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
  await runPrints(page, 'ls > f; cat f', 'bin\nf');
  await runPrints(page, 'echo more >> f; wc -l < f', '3');
  await runPrints(page, 'cat missing > g 2>&1; cat g', 'cat: missing: No such file or directory');
  await runPrints(page, 'false || echo $?', '1');
  await runPrints(page, 'X="a  b"; export X; echo $X "$X"', 'a b a  b');
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
  await runPrints(page, 'echo remembered', 'remembered');
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

test('globbing, and commands start in the shell’s working directory', async ({ page }) => {
  await openTerminal(page);
  await run(page, 'mkdir d; cd d; echo one > a.txt; echo two > b.txt; touch c.log', /\$ $/);
  await runPrints(page, 'echo *.txt', 'a.txt b.txt');
  await runPrints(page, 'cat *.txt | wc -l', '2');
  await runPrints(page, 'echo /d/*.log ../d/?.log', '/d/c.log ../d/c.log');
  await runPrints(page, 'echo *.none "*.txt"', '*.none *.txt');
  // A WASI command's relative paths are the shell's cwd's: cat reads /d/a.txt.
  await runPrints(page, 'cat a.txt; pwd', 'one\n/d');
  await runPrints(page, 'cd ..; echo */', 'bin/ d/');
});

test('scripts: sh FILE, sh -c, a script run by its path, in pipelines, with their own exit and variables', async ({
  page,
}) => {
  await openTerminal(page);
  await runPrints(page, "echo 'echo arg=$1 n=$#; X=inner; exit 3' > s.sh; sh s.sh hi there", 'arg=hi n=2');
  await runPrints(page, 'echo $? X=$X', '3 X=');
  await runPrints(page, './s.sh z | wc -c', '10');
  await runPrints(page, "sh -c 'echo $0:$1; cd bin; pwd' a b; pwd", 'a:b\n/bin\n/');
  await runPrints(page, 'sh -c "cat missing" 2>&1 | wc -l', '1');
  await runPrints(page, 'sh nowhere.sh', 'sh: nowhere.sh: No such file or directory');
});

test('python -c prints, after the shell installs it on first use; sqlite3 runs a query', async ({ page }) => {
  test.setTimeout(120_000);
  await openTerminal(page);
  await page.keyboard.type('python -c "print(6 * 7)"');
  await page.keyboard.press('Enter');
  await expect
    .poll(() => screen(page), { timeout: 90_000 })
    .toMatch(/sh: installing python \([\d.]+ MiB\)\.\.\.\n42\n\$ $/);
  // Installed now: the second run prints only its output.
  await runPrints(page, 'python -c "print(1 + 1)"', '2');
  await run(
    page,
    "sqlite3 t.db 'create table t(x); insert into t values (1), (2); select sum(x) from t;'",
    /\n3\n\$ $/,
  );
});

test('ps, kill, caps and snap are TypeScript utilities on PATH', async ({ page }) => {
  await openTerminal(page);
  await run(page, 'ps --tree | grep -c sh', /\n[1-9]\d*\n\$ $/);
  await runPrints(page, 'ps | grep -c terminal', '1');
  await run(page, 'sleep 100 &', /\[1\] \d+\n\$ $/);
  await run(page, 'kill %1; sleep 0; jobs', /\$ $/);
  await expect
    .poll(async () => {
      await run(page, 'jobs', /\$ $/);
      return screen(page);
    })
    .not.toMatch(/Running {4}sleep 100\n\$ $/);
  await run(page, 'kill 1', /kill: 1: no such process.*\n\$ $/);
  // caps: a command holds its stdio, its control channel and nothing else.
  await runPrints(page, 'caps | wc -l', '4');
  await run(page, 'echo v1 > n; snap create one; echo v2 > n; snap cat n@one; cat n', /\nv1\nv2\n\$ $/);
  await runPrints(page, 'snap list | grep -c one', '1');
  await run(page, 'touch added; snap create two; snap diff one two', /\+ \/?added\nM \/?n\n\$ $/);
  await run(page, 'snap restore one; cat n; cat added', /\nv1\ncat: added: No such file or directory\n\$ $/);
  await run(page, 'snap cat n@nowhere', /snap.*nowhere.*\n\$ $/);
});

test('top is live, is told when the window grows, and quits on q', async ({ page }) => {
  await openTerminal(page);
  // More processes than a 24-row top has rows for.
  await run(page, Array.from({ length: 16 }, () => 'sleep 100 &').join(' '), /\[16\] \d+\n\$ $/);
  const sleeps = async (): Promise<number> => (await screen(page)).match(/ sleep$/gm)?.length ?? 0;
  await page.keyboard.type('top');
  await page.keyboard.press('Enter');
  await expect.poll(() => screen(page)).toMatch(/PID +STATE/);
  await expect.poll(sleeps).toBeGreaterThan(0);
  expect(await sleeps()).toBeLessThan(16);
  const term = (await windows(page)).find((w) => w.title === 'Terminal');
  if (!term) throw new Error('no terminal');
  const corner: [number, number] = [term.x + term.w - 2, term.y + term.h - 2];
  await drag(page, corner, [corner[0], corner[1] + 160]);
  // The terminal tells the shell, the shell tells top, top redraws for the new rows.
  await expect.poll(sleeps, { timeout: 10_000 }).toBe(16);
  await page.keyboard.press('q');
  await expect.poll(() => screen(page)).toMatch(/\$ $/);
  await run(page, 'echo back', /\nback\n\$ $/);
});
