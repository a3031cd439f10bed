// fs: the file server program. It owns the store on OPFS (directory "tessera-fs" of the
// origin's private file system, through sync access handles, which only a dedicated
// worker has) and serves the root Directory on its initial handle 0 (src/fs/server.ts).
// Layer: fs. A store that cannot be opened (a newer format, damaged superblocks) ends
// the program with the reason in the system log, never with a guess.
import { startDomain, type DomainScope } from '../workers/domain.ts';
import { FileSystem } from './filesystem.ts';
import { OpfsBackend, type DirectoryHandleLike } from './opfs-backend.ts';
import { FsServer } from './server.ts';

/** The parts of a dedicated worker's global scope this program uses (the fs layer has no DOM lib). */
interface ServerScope extends DomainScope {
  readonly navigator: {
    readonly storage: {
      getDirectory(): Promise<{
        getDirectoryHandle(name: string, options: { create: boolean }): Promise<DirectoryHandleLike>;
      }>;
      estimate(): Promise<{ quota?: number }>;
    };
  };
}

declare const self: ServerScope;

/** The OPFS directory the store lives in. */
export const STORE_DIRECTORY = 'tessera-fs';

startDomain(async (ctx) => {
  const [channel] = ctx.handles;
  if (channel === undefined) throw new Error('fs: started without a channel to serve');
  const opfs = await self.navigator.storage.getDirectory();
  const backend = new OpfsBackend(await opfs.getDirectoryHandle(STORE_DIRECTORY, { create: true }));
  // The store keeps within what the browser lets this origin use, so a full disk is ENOSPC, not a torn write.
  const { quota } = await self.navigator.storage.estimate();
  const fs = await FileSystem.open(backend, quota === undefined ? {} : { quotaBytes: quota });
  if (!fs.ok) {
    ctx.log('error', `cannot open the store: ${fs.error.message}`);
    return 1;
  }
  ctx.log('info', `serving the store in OPFS "${STORE_DIRECTORY}"`);
  // Its own worker, with the kernel on another thread: the server may block in syscalls.
  await new FsServer(fs.value, ctx.sys, {
    blocking: true,
    log: (m) => ctx.log('warn', m),
    mapChannel: ctx.mapChannel,
  }).serve(channel);
  return 0;
}, self);
