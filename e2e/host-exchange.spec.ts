// Host exchange and processes for the page, served by init over the host link (ADR 0011):
// a tar imported from the page lands in the store and exports back the same; a hostile
// archive is refused and leaves nothing; a WASI command runs as a Tessera process with
// stdin, stdout, stderr, preopens and its exit status. Programs: build/wasi (npm run build:wasi).
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import type { TesseraApi } from '../src/abi/automation.ts';
import { encodeTar, type TarHeader, type TarMember } from '../src/abi/tar.ts';
import { TarReader } from '../src/abi/tar-reader.ts';

declare global {
  interface Window {
    tessera: TesseraApi;
  }
}

const text = (s: string) => new TextEncoder().encode(s);

/** An archive as numbers, for page.evaluate. */
const tar = (members: readonly TarMember[]): number[] => Array.from(encodeTar(members));

function untar(bytes: Uint8Array): Map<string, { header: TarHeader; data: string }> {
  const r = new TarReader();
  const out = new Map<string, { header: TarHeader; data: string }>();
  const events = r.push(bytes);
  if (!events.ok) throw new Error(events.error.message);
  let last: { header: TarHeader; data: string } | undefined;
  for (const e of events.value) {
    if (e.type === 'entry') out.set(e.header.path, (last = { header: e.header, data: '' }));
    else if (e.type === 'data' && last) last.data += new TextDecoder().decode(e.bytes);
  }
  expect(r.finish().ok).toBe(true);
  return out;
}

const file = (path: string, body: string, mtime = 1_700_000_000_000) => ({
  header: { kind: 'file' as const, path, mode: 0o644, mtime, target: '' },
  data: text(body),
});

async function boot(page: Page): Promise<void> {
  await page.goto('/');
  await page.evaluate(() => window.tessera.ready);
}

async function put(page: Page, path: string, members: Parameters<typeof tar>[0]): Promise<string> {
  return page.evaluate(([p, bytes]) => window.tessera.files.import(p, Uint8Array.from(bytes)), [
    path,
    tar(members),
  ] as const);
}

async function get(page: Page, path: string, snapshot?: string): Promise<Uint8Array> {
  const bytes = await page.evaluate(async ([p, s]) => Array.from(await window.tessera.files.export(p, s)), [
    path,
    snapshot,
  ] as const);
  return Uint8Array.from(bytes);
}

test('files imported from the page export back the same', async ({ page }) => {
  await boot(page);
  const summary = await put(page, 'home/a', [
    { header: { kind: 'dir', path: 'docs', mode: 0o755, mtime: 1_600_000_000_000, target: '' } },
    file('docs/readme.txt', 'hello from the host'),
    file(`docs/${'n'.repeat(150)}.txt`, 'a long name'),
    { header: { kind: 'symlink', path: 'docs/link', mode: 0o777, mtime: 0, target: 'readme.txt' } },
  ]);
  expect(summary).toContain('imported 4 entries');
  const back = untar(await get(page, 'home/a'));
  expect(back.get('docs/readme.txt')).toMatchObject({
    data: 'hello from the host',
    header: { mtime: 1_700_000_000_000 },
  });
  expect(back.get(`docs/${'n'.repeat(150)}.txt`)?.data).toBe('a long name');
  expect(back.get('docs/link')?.header).toMatchObject({ kind: 'symlink', target: 'readme.txt' });
  expect(back.get('docs')?.header).toMatchObject({ kind: 'dir', mtime: 1_600_000_000_000 });
});

test('a hostile or damaged archive is refused with a reason', async ({ page }) => {
  await boot(page);
  const importing = (path: string, bytes: number[]) =>
    page.evaluate(
      ([p, b]) =>
        window.tessera.files.import(p, Uint8Array.from(b)).then(
          () => 'imported',
          (e: Error) => e.message,
        ),
      [path, bytes] as const,
    );
  // A well-formed member whose name climbs out of the target directory.
  expect(await importing('home/x', tar([file('../../escape.txt', 'out')]))).toMatch(/^EINVAL: .*climbs out/);
  // A damaged header.
  const evil = tar([file('ok.txt', 'fine')]);
  const damaged = evil.slice();
  damaged[10] = (damaged[10] ?? 0) ^ 0xff;
  expect(await importing('home/x', damaged)).toMatch(/^EINVAL: .*checksum/);
  const truncated = await page.evaluate(
    (bytes) =>
      window.tessera.files.import('home/y', Uint8Array.from(bytes)).then(
        () => 'imported',
        (e: Error) => e.message,
      ),
    evil.slice(0, 600),
  );
  expect(truncated).toMatch(/truncated/);
  const missing = await page.evaluate(() =>
    window.tessera.files.export('no/such/dir').then(
      () => 'exported',
      (e: Error) => e.message,
    ),
  );
  expect(missing).toMatch(/^ENOENT/);
});

test('a WASI command runs as a process: stdin, stdout, stderr, files and exit status', async ({ page }) => {
  await boot(page);
  const wasm = (name: string) => ({
    header: { kind: 'file' as const, path: `${name}.wasm`, mode: 0o755, mtime: 0, target: '' },
    data: new Uint8Array(readFileSync(`build/wasi/${name}.wasm`)),
  });
  await put(page, 'bin', [wasm('stdio'), wasm('exit-code')]);
  const echoed = await page.evaluate(async () => {
    const r = await window.tessera.proc.run({
      program: 'bin/stdio.wasm',
      stdin: new TextEncoder().encode('piped through a process\n'),
    });
    return {
      exit: r.exitCode,
      out: new TextDecoder().decode(r.stdout),
      err: new TextDecoder().decode(r.stderr),
    };
  });
  expect(echoed).toEqual({ exit: 0, out: 'piped through a process\n', err: 'stdio: 24 bytes\n' });
  for (const code of [0, 3, 42]) {
    const exit = await page.evaluate(
      (c) =>
        window.tessera.proc
          .run({ program: 'bin/exit-code.wasm', argv: ['exit-code', String(c)] })
          .then((r) => r.exitCode),
      code,
    );
    expect(exit).toBe(code);
  }
  const notFound = await page.evaluate(() =>
    window.tessera.proc.run({ program: 'bin/nothing.wasm' }).then(
      () => 'ran',
      (e: Error) => e.message,
    ),
  );
  expect(notFound).toMatch(/^ENOENT/);
});

test('files dropped onto the page land in home/, and a directory downloads as a .tar', async ({ page }) => {
  await boot(page);
  await page.evaluate(() => {
    const dt = new DataTransfer();
    dt.items.add(new File(['dropped bytes'], 'dropped.txt', { lastModified: 1_650_000_000_000 }));
    document.body.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  });
  await expect
    .poll(() =>
      page.evaluate(() => window.tessera.bootLog.find((e) => e.message.startsWith('drop: '))?.message),
    )
    .toMatch(/drop: imported 1 entries/);
  const picked = await page.evaluate(() =>
    window.tessera.files.importFiles([
      new File(['picked'], 'picked.txt', { lastModified: 1_650_000_000_000 }),
    ]),
  );
  expect(picked).toContain('imported 1 entries');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.evaluate(() => window.tessera.files.download('home')),
  ]);
  expect(download.suggestedFilename()).toBe('home.tar');
  const saved = untar(new Uint8Array(readFileSync(await download.path())));
  expect(saved.get('dropped.txt')).toMatchObject({
    data: 'dropped bytes',
    header: { mtime: 1_650_000_000_000 },
  });
  expect(saved.get('picked.txt')?.data).toBe('picked');
});

test('back-to-back processes share no state, and one that crashes does not harm the next', async ({
  page,
}) => {
  await boot(page);
  const wasm = (name: string) => ({
    header: { kind: 'file' as const, path: `${name}.wasm`, mode: 0o755, mtime: 0, target: '' },
    data: new Uint8Array(readFileSync(`build/wasi/${name}.wasm`)),
  });
  await put(page, 'bin', [
    wasm('stdio'),
    wasm('args-env'),
    // Not a module: the loader fails and its worker is torn down, not reused.
    { header: { ...wasm('stdio').header, path: 'broken.wasm' }, data: text('\0asm but not really') },
  ]);
  const results = await page.evaluate(async () => {
    const run = async (o: Parameters<typeof window.tessera.proc.run>[0]) => {
      const r = await window.tessera.proc.run(o);
      return `${r.exitCode}:${new TextDecoder().decode(r.stdout)}`;
    };
    const args = ['alpha', 'beta gamma', '', 'ü→✓'];
    const env = ['CONF_A=1', 'CONF_EMPTY=', 'CONF_EQ=a=b=c', 'CONF_UTF8=ü→✓'];
    const out: string[] = [];
    // More runs than the pool has workers, so workers serve several processes each.
    for (let i = 0; i < 6; i++) {
      out.push(await run({ program: 'bin/stdio.wasm', stdin: new TextEncoder().encode(`run ${i}\n`) }));
      out.push(await run({ program: 'bin/args-env.wasm', argv: ['args-env', 'with-env', ...args], env }));
      out.push(await run({ program: 'bin/args-env.wasm', argv: ['args-env', 'empty-env', ...args] }));
      if (i === 2) out.push(String((await window.tessera.proc.run({ program: 'bin/broken.wasm' })).exitCode));
    }
    return out;
  });
  const expected: unknown[] = [];
  for (let i = 0; i < 6; i++) {
    expected.push(`0:run ${i}\n`, expect.stringMatching(/^0:/), expect.stringMatching(/^0:/));
    if (i === 2) expected.push(expect.stringMatching(/^-?\d+$/));
  }
  expect(results).toEqual(expected);
  expect(results[9]).not.toBe('0');
});
