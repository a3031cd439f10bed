// init: the first process. It holds the audit log, a Program capability for every
// built-in program, its own Process and the host link (src/abi/programs.ts). It starts
// the fs server and, when the page has a screen, the desktop (desktop.ts), then serves
// the page's requests on the host link (host-service.ts). Layer: apps.
import { Priority } from '../../abi/objects.ts';
import { DISPLAY_HANDLE_INDEX, HOST_LINK_HANDLE_INDEX, programHandleIndex } from '../../abi/programs.ts';
import { Status, statusName } from '../../abi/status.ts';
import { startDomain, type DomainContext } from '../../workers/domain.ts';
import { FsDirectory } from '../../workers/fs-client.ts';
import { installBin } from './bin-install.ts';
import { Desktop } from './desktop.ts';
import { HostService } from './host-service.ts';

declare const self: DedicatedWorkerGlobalScope;

/** Starts the fs server on a fresh channel: the store's root Directory. */
async function startFs(ctx: DomainContext): Promise<FsDirectory> {
  const c = await ctx.sys.channelCreateAsync();
  if (c.status !== Status.OK) throw new Error(`channel.create: ${statusName(c.status)}`);
  const program = ctx.handles[programHandleIndex('fs', 'init')] ?? 0;
  const spawned = await ctx.sys.processSpawnAsync(program, 'fs', '', '', Priority.INTERACTIVE, [c.end1 ?? 0]);
  if (spawned.status !== Status.OK) throw new Error(`spawning fs: ${statusName(spawned.status)}`);
  return new FsDirectory(ctx.channel(c.end0 ?? 0), (h) => ctx.channel(h));
}

startDomain(async (ctx) => {
  ctx.log('info', `init started as pid ${ctx.pid} with ${ctx.handles.length} handle(s)`);
  const display = ctx.handles[DISPLAY_HANDLE_INDEX];
  // The desktop does not wait for the store, nor the store for the desktop.
  // The terminal's shell looks in /bin, so the desktop gets the store once it is filled.
  const store = startFs(ctx).then(async (root) => {
    await installBin(ctx, root);
    return root;
  });
  const desktop = display === undefined ? null : Desktop.start(ctx, display, store);
  desktop?.then(
    (d) => void d.serve(),
    (e: unknown) =>
      ctx.log('error', `the desktop did not start: ${e instanceof Error ? e.message : String(e)}`),
  );
  const root = await store;
  const link = ctx.channel(ctx.handles[HOST_LINK_HANDLE_INDEX] ?? 0);
  const loader = ctx.handles[programHandleIndex('wasi', 'init')] ?? 0;
  await new HostService({ ctx, link, root, loader }).serve();
  ctx.log('info', 'the host link closed');
}, self);
