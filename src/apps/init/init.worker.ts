// init: the first process. For now it only announces itself; issue "Kernel" gives it
// the initial capabilities, and later issues have it start the servers and the desktop.
// Layer: apps.
import { startDomain } from '../../workers/domain.ts';

declare const self: DedicatedWorkerGlobalScope;

startDomain((ctx) => {
  ctx.log('info', `init started as pid ${ctx.pid} (crossOriginIsolated=${String(self.crossOriginIsolated)})`);
}, self);
