// wasi: the loader that runs a WASI preview-1 command as a Tessera process. Layer: apps.
// Initial handles, in order: a File handle on the module, stdin, stdout and stderr (pipe
// channel ends; 0 in argv's place is not possible, so a spawner that has no stream gives
// an end whose peer it closed), then one Directory handle per `--preopen=PATH`.
// argv: `--preopen=PATH`…, `--`, then the command's own argv; env is the command's.
// The exit status is the command's. The worker is reusable (ADR 0015): after a command
// exits, the kernel's pool may give it the next `wasi` process, which then finds the
// module already compiled if it is the same program.
import { FS_IO_MAX, FsErrno } from '../../abi/fs-protocol.ts';
import { startDomain, type DomainContext } from '../../workers/domain.ts';
import { FsSync } from '../../workers/fs-sync.ts';
import { runWasi } from '../../workers/wasi/process.ts';
import { parseLoaderArgs } from '../../workers/wasi/loader-args.ts';
import { compileCached } from '../../workers/wasi/module-cache.ts';

declare const self: DedicatedWorkerGlobalScope;

/** The module's bytes, read through its File handle (which is closed after). */
function readModule(ctx: DomainContext, handle: number): Uint8Array<ArrayBuffer> {
  const file = new FsSync(ctx.channel(handle));
  // The size and the first piece in one exchange: for most programs, all of it.
  const [stat, first] = file.pipeline([
    ['file.stat', []],
    ['file.pread', [FS_IO_MAX, 0]],
  ]);
  if (stat?.errno !== FsErrno.OK) throw new Error(`cannot stat the module: errno ${stat?.errno}`);
  const size = stat.results[4] as number;
  const bytes = new Uint8Array(size);
  for (let at = 0, r = first; at < size; r = file.call('file.pread', [Math.min(size - at, FS_IO_MAX), at])) {
    if (r?.errno !== FsErrno.OK) throw new Error(`cannot read the module: errno ${r?.errno}`);
    const piece = (r.results[0] as Uint8Array).subarray(0, size - at);
    if (piece.byteLength === 0) throw new Error('the module ended early');
    bytes.set(piece, at);
    at += piece.byteLength;
  }
  ctx.sys.handleClose(handle);
  return bytes;
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
    const { module } = await compileCached(readModule(ctx, moduleHandle), self);
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
