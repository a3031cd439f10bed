// `tessera run`: runs a WASI program as a Tessera process in the real system (headless
// Chromium), with host directories copied into the store and what the program changed
// copied back. Layer: scripts (node). Usage and behaviour: README, "tessera run".
//
// Bytes go to the page by a routed URL (the program, the directory trees as tar, stdin),
// output streams back through an exposed function as it comes, and each directory comes
// back as a tar exported by init. The exit status is the program's; 125 means Tessera
// itself failed (a usage error, a program that could not start), as with `env`.
import { readFile } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodeTar } from '../../src/abi/tar.ts';
import { TarReader } from '../../src/abi/tar-reader.ts';
import { parseRunArgs, USAGE } from './args.ts';
import { readTree, writeBack, type TreeEntry } from './host-tree.ts';
import { openSession } from './session.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const FAILED = 125;

function toTar(entries: readonly TreeEntry[]): Uint8Array {
  return encodeTar(
    entries.map((e) => {
      const base = { path: e.path, mode: e.kind === 'dir' ? 0o755 : 0o644, mtime: 0, target: '' };
      if (e.kind === 'file') return { header: { ...base, kind: 'file' }, data: e.data };
      if (e.kind === 'dir') return { header: { ...base, kind: 'dir' } };
      return { header: { ...base, kind: 'symlink', target: e.target } };
    }),
  );
}

function fromTar(bytes: Uint8Array): TreeEntry[] {
  const reader = new TarReader();
  const events = reader.push(bytes);
  if (!events.ok) throw new Error(`the exported tree does not decode: ${events.error.message}`);
  const out: TreeEntry[] = [];
  let data: Uint8Array[] | null = null;
  let path = '';
  const flush = () => {
    if (data) out.push({ kind: 'file', path, data: Buffer.concat(data) });
    data = null;
  };
  for (const e of events.value) {
    if (e.type === 'data') data?.push(e.bytes.slice());
    if (e.type !== 'entry') continue;
    flush();
    const h = e.header;
    if (h.kind === 'file' || h.kind === 'hardlink') {
      path = h.path;
      data = [];
    } else if (h.kind === 'dir') out.push({ kind: 'dir', path: h.path });
    else out.push({ kind: 'symlink', path: h.path, target: h.target });
  }
  flush();
  return out;
}

interface Report {
  exitCode: number;
  stdout: string;
  stderr: string;
  runMs: number;
  bootMs: number;
  changedPaths: number;
  chromium: string;
}

async function main(words: readonly string[]): Promise<number> {
  const args = parseRunArgs(words);
  if (typeof args === 'string') {
    process.stderr.write(`tessera: ${args}\n${USAGE}\n`);
    return FAILED;
  }
  const program = await readFile(args.program);
  const stdin = args.stdin === null ? Buffer.alloc(0) : await readFile(args.stdin);
  const trees = await Promise.all(args.dirs.map((d) => readTree(resolve(d.host))));
  const blobs = new Map<string, Uint8Array>([
    ['program', toTar([{ kind: 'file', path: 'program.wasm', data: program }])],
    ['stdin', stdin],
    ...trees.map((t, i) => [`dir${i}`, toTar(t)] as [string, Uint8Array]),
  ]);

  const session = await openSession(ROOT);
  try {
    const { page } = session;
    await page.route('**/__tessera-run/*', (route) => {
      const body = blobs.get(basename(new URL(route.request().url()).pathname));
      return body
        ? route.fulfill({
            body: Buffer.from(body),
            headers: { 'cross-origin-resource-policy': 'same-origin' },
          })
        : route.abort();
    });
    const collected = { stdout: [] as Buffer[], stderr: [] as Buffer[] };
    await page.exposeFunction('__tesseraOutput', (stream: 1 | 2, base64: string) => {
      const bytes = Buffer.from(base64, 'base64');
      if (args.json) (stream === 1 ? collected.stdout : collected.stderr).push(bytes);
      else (stream === 1 ? process.stdout : process.stderr).write(bytes);
    });
    const plan = {
      argv: [basename(args.program), ...args.args],
      env: [...args.env],
      dirs: args.dirs.map((d, i) => ({
        guest: d.guest.startsWith('/') ? d.guest : `/${d.guest}`,
        path: `run/dir${i}`,
      })),
    };
    // tsx compiles with esbuild's keepNames, whose helper the page does not have.
    await page.evaluate('globalThis.__name = (f) => f');
    const result = await page.evaluate(async (p) => {
      const fetched = async (name: string) =>
        new Uint8Array(await (await fetch(`/__tessera-run/${name}`)).arrayBuffer());
      const t = window.tessera;
      await t.files.import('run', await fetched('program'));
      for (const [i, d] of p.dirs.entries()) await t.files.import(d.path, await fetched(`dir${i}`));
      const out = (stream: 1 | 2) => async (data: Uint8Array) => {
        let s = '';
        for (let i = 0; i < data.length; i += 0x8000)
          s += String.fromCharCode(...data.subarray(i, i + 0x8000));
        await (window as unknown as { __tesseraOutput(n: number, b: string): Promise<void> }).__tesseraOutput(
          stream,
          btoa(s),
        );
      };
      const r = await t.proc.run({
        program: 'run/program.wasm',
        argv: p.argv,
        env: p.env,
        preopens: p.dirs.map((d) => ({ guest: d.guest, path: d.path })),
        stdin: await fetched('stdin'),
        onStdout: out(1),
        onStderr: out(2),
      });
      const trees: string[] = [];
      for (const d of p.dirs) {
        const tar = await t.files.export(d.path);
        let s = '';
        for (let i = 0; i < tar.length; i += 0x8000) s += String.fromCharCode(...tar.subarray(i, i + 0x8000));
        trees.push(btoa(s));
      }
      return { exitCode: r.exitCode, ms: r.ms, trees };
    }, plan);
    let changed = 0;
    for (const [i, d] of args.dirs.entries()) {
      const after = fromTar(Buffer.from(result.trees[i] ?? '', 'base64'));
      changed += await writeBack(resolve(d.host), trees[i] ?? [], after);
    }
    if (args.json) {
      const report: Report = {
        exitCode: result.exitCode,
        stdout: Buffer.concat(collected.stdout).toString(),
        stderr: Buffer.concat(collected.stderr).toString(),
        runMs: result.ms,
        bootMs: session.bootMs,
        changedPaths: changed,
        chromium: session.chromium,
      };
      process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    }
    return result.exitCode;
  } finally {
    await session.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code < 0 || code > 255 ? FAILED : code),
  (error: unknown) => {
    process.stderr.write(`tessera: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(FAILED);
  },
);
