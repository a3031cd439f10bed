// Puts the core utilities into the store's /bin (issue 7): the build ships each as
// `bin/NAME` beside the page with a manifest, `bin/index.json` (vite.config.ts). init
// fetches them from the page's own origin when the manifest differs from the one it last
// installed (kept as bin/.manifest), so a new build replaces them once and a reload costs
// one small fetch. Layer: apps. A failure is logged; the desktop starts without them.
// An entry marked lazy (a big one: CPython) is installed as a stub, LAZY_MARK with its
// size and digest, which the shell replaces with the program the first time it runs it
// (ADR 0022), so that a fresh store does not fetch and write 26 MB at boot.
import { FsErrno, FsOpen } from '../../abi/fs-protocol.ts';
import { LAZY_MARK } from '../../abi/programs.ts';
import type { DomainContext } from '../../workers/domain.ts';
import type { FsDirectory, FsFile } from '../../workers/fs-client.ts';

/** Where the build puts them: the origin's root, as the page is served. */
const BIN_URL = '/bin/';
const MARK = 'bin/.manifest';

const close = (ctx: DomainContext, f: FsFile): void => void ctx.sys.handleCloseAsync(f.channel.handle);

interface Entry {
  readonly name: string;
  readonly size: number;
  readonly sha256: string;
  readonly lazy?: boolean;
}

function decodeManifest(text: string): Entry[] | null {
  try {
    const v: unknown = JSON.parse(text);
    if (!Array.isArray(v)) return null;
    const ok = v.every(
      (e: unknown) =>
        typeof e === 'object' &&
        e !== null &&
        typeof (e as Entry).name === 'string' &&
        /^[a-z0-9][a-z0-9._-]{0,63}$/.test((e as Entry).name) &&
        Number.isSafeInteger((e as Entry).size) &&
        typeof (e as Entry).sha256 === 'string' &&
        /^[0-9a-f]{64}$/.test((e as Entry).sha256) &&
        ((e as Entry).lazy === undefined || typeof (e as Entry).lazy === 'boolean'),
    );
    return ok ? (v as Entry[]) : null;
  } catch {
    return null;
  }
}

async function readText(ctx: DomainContext, root: FsDirectory, path: string): Promise<string | null> {
  const f = await root.open(path, FsOpen.RDONLY);
  if (!f.ok) return null;
  const r = await f.value.read(1 << 16);
  close(ctx, f.value);
  return r.ok ? new TextDecoder().decode(r.value) : null;
}

async function writeFile(
  ctx: DomainContext,
  root: FsDirectory,
  path: string,
  data: Uint8Array,
): Promise<void> {
  const f = await root.open(path, FsOpen.WRONLY | FsOpen.CREAT | FsOpen.TRUNC, 0o755);
  if (!f.ok) throw new Error(`open ${path}: errno ${f.error}`);
  try {
    const w = await f.value.write(data);
    if (!w.ok || w.value !== data.byteLength) throw new Error(`write ${path}: short or failed`);
    const s = await f.value.sync();
    if (!s.ok) throw new Error(`fsync ${path}: errno ${s.error}`);
  } finally {
    close(ctx, f.value);
  }
}

/** Installs what the build ships into /bin unless the same manifest is installed already. */
export async function installBin(ctx: DomainContext, root: FsDirectory): Promise<void> {
  try {
    const response = await fetch(`${BIN_URL}index.json`);
    if (!response.ok) throw new Error(`the manifest: HTTP ${response.status}`);
    const text = await response.text();
    const entries = decodeManifest(text);
    if (entries === null) throw new Error('the manifest does not decode');
    if ((await readText(ctx, root, MARK)) === text) return;
    const made = await root.mkdir('bin');
    if (!made.ok && made.error !== FsErrno.EEXIST) throw new Error(`mkdir bin: errno ${made.error}`);
    for (const e of entries) {
      if (e.lazy === true) {
        const stub = `${LAZY_MARK} ${e.name} ${e.size} ${e.sha256}\n`;
        await writeFile(ctx, root, `bin/${e.name}`, new TextEncoder().encode(stub));
        continue;
      }
      const r = await fetch(`${BIN_URL}${e.name}`);
      const bytes = new Uint8Array(await r.arrayBuffer());
      if (!r.ok || bytes.byteLength !== e.size)
        throw new Error(`${e.name}: HTTP ${r.status}, ${bytes.byteLength} bytes`);
      await writeFile(ctx, root, `bin/${e.name}`, bytes);
    }
    await writeFile(ctx, root, MARK, new TextEncoder().encode(text));
    ctx.log('info', `installed ${entries.length} programs into /bin`);
  } catch (e) {
    ctx.log('warn', `/bin was not installed: ${e instanceof Error ? e.message : String(e)}`);
  }
}
