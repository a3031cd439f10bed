// init: the first process. It holds the audit log and a Program capability for every
// built-in program; later issues have it start the servers and the desktop.
// Layer: apps.
import { startDomain } from '../../workers/domain.ts';

declare const self: DedicatedWorkerGlobalScope;

startDomain((ctx) => {
  ctx.log('info', `init started as pid ${ctx.pid} with ${ctx.handles.length} handle(s)`);
}, self);
