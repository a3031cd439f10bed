// wasi: the loader that runs a WASI preview-1 command as a Tessera process. Layer: apps.
// Initial handles, in order: a File handle on the module, stdin, stdout and stderr (pipe
// channel ends; 0 in argv's place is not possible, so a spawner that has no stream gives
// an end whose peer it closed), then one Directory handle per `--preopen=PATH`.
// argv: `--preopen=PATH`…, `--digest=HEX` (the module's digest as the spawner's open of
// it was answered; optional), `--`, then the command's own argv; env is the command's.
// The exit status is the command's. The worker is reusable (ADR 0015): after a command
// exits, the kernel's pool may give it the next `wasi` process, which then finds the
// module already compiled if it is the same program.
import { FS_IO_MAX, FsErrno } from '../../abi/fs-protocol.ts';
import { startDomain, type DomainContext } from '../../workers/domain.ts';
import { FsSync, type FsSyncReply } from '../../workers/fs-sync.ts';
import { runWasi } from '../../workers/wasi/process.ts';
import { parseLoaderArgs } from '../../workers/wasi/loader-args.ts';
import { compileCached, knowsDigests, moduleByDigest } from '../../workers/wasi/module-cache.ts';

declare const self: DedicatedWorkerGlobalScope;

/** pread requests sent before waiting for their replies, while reading a module. */
const READ_AHEAD = 16;

const decoder = new TextDecoder();

const digestOf = (r: FsSyncReply | undefined): string =>
  r?.errno === FsErrno.OK ? decoder.decode(r.results[0] as Uint8Array) : '';

/**
 * The compiled module behind the File handle: the one this worker compiled under the same
 * fs digest from bytes this spawner delivered, without reading a byte, else read and
 * compiled through the cache. The digest is the spawner's `--digest` when it gave one
 * (its open of the module was answered with it, ADR 0033); else a worker that holds
 * modules under this spawner's digests asks for the digest alone first, since a hit needs
 * nothing more (a miss then costs one exchange more before the read and the compile); one
 * that holds none cannot hit, and asks for it with the read. After a read the handle is
 * closed; after a hit it is left to the process's exit, a syscall less on a warm start.
 */
async function loadModule(
  ctx: DomainContext,
  handle: number,
  given: string | null,
): Promise<WebAssembly.Module> {
  const { spawner } = ctx;
  const file = new FsSync(ctx.channel(handle));
  const asked = given ?? (knowsDigests(spawner) ? digestOf(file.call('file.digest', [])) : null);
  const known = asked ? moduleByDigest({ spawner, digest: asked }) : null;
  if (known) return known;
  const { bytes, digest } = readModule(file, asked);
  // Remembered under the digest only if the content did not change while it was read.
  const unchanged = digest !== '' && digestOf(file.call('file.digest', [])) === digest;
  ctx.sys.handleClose(handle);
  return (await compileCached(bytes, self, unchanged ? { spawner, digest } : null)).module;
}

/**
 * The module's bytes, READ_AHEAD pieces per wait, and its digest before the first read
 * (`asked`, or asked here): the size, the digest and the first piece in one exchange,
 * for most programs all of it.
 */
function readModule(file: FsSync, asked: string | null): { bytes: Uint8Array<ArrayBuffer>; digest: string } {
  const replies = file.pipeline([
    ['file.stat', []],
    ...(asked === null ? [['file.digest', []] as const] : []),
    ['file.pread', [FS_IO_MAX, 0]],
  ]);
  const [stat] = replies;
  if (stat?.errno !== FsErrno.OK) throw new Error(`cannot stat the module: errno ${stat?.errno}`);
  const size = stat.results[4] as number;
  const bytes = new Uint8Array(size);
  const put = (r: FsSyncReply | undefined, at: number, count: number): void => {
    if (r?.errno !== FsErrno.OK) throw new Error(`cannot read the module: errno ${r?.errno}`);
    const piece = r.results[0] as Uint8Array;
    if (piece.byteLength < count) throw new Error('the module ended early (it changed while it was read)');
    bytes.set(piece.subarray(0, count), at);
  };
  put(replies.at(-1), 0, Math.min(size, FS_IO_MAX));
  for (let at = FS_IO_MAX; at < size;) {
    const batch: [number, number][] = [];
    for (; at < size && batch.length < READ_AHEAD; at += FS_IO_MAX)
      batch.push([at, Math.min(FS_IO_MAX, size - at)]);
    const more = file.pipeline(batch.map(([pos, count]) => ['file.pread', [count, pos]] as const));
    batch.forEach(([pos, count], i) => put(more[i], pos, count));
  }
  return { bytes, digest: asked ?? digestOf(replies[1]) };
}

startDomain(
  async (ctx) => {
    const args = parseLoaderArgs(ctx.argv);
    if (!args.ok) throw new Error(`wasi: ${args.error}`);
    const [moduleHandle = 0, stdin = 0, stdout = 0, stderr = 0, ...dirs] = ctx.handles;
    if (dirs.length !== args.value.preopens.length)
      throw new Error(
        `wasi: ${args.value.preopens.length} preopen(s) named, ${dirs.length} Directory handle(s) given`,
      );
    const module = await loadModule(ctx, moduleHandle, args.value.digest);
    return runWasi(ctx, {
      module,
      args: args.value.argv,
      env: ctx.env,
      stdio: [stdin, stdout, stderr],
      preopens: args.value.preopens.map((path, i) => ({ path, handle: dirs[i] ?? 0 })),
    });
  },
  self,
  { reusable: true },
);
