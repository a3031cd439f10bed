// Syscall dispatch: syscall number -> handler. A number in the table without a
// handler answers NOT_SUPPORTED; a number outside the table never gets here (the
// decoder rejects it and the kernel faults the caller). Layer: kernel.
import { Sys } from '../../abi/sys.ts';
import { fail, type Handler } from './context.ts';
import { Status } from '../../abi/status.ts';
import {
  sysChannelCall,
  sysChannelCreate,
  sysChannelMap,
  sysChannelRead,
  sysChannelReadWait,
  sysChannelWrite,
  sysChannelWriteMarked,
} from './channel.ts';
import {
  sysHandleClose,
  sysHandleDuplicate,
  sysHandleMint,
  sysHandleReplace,
  sysHandleRevoke,
} from './handle.ts';
import { sysAuditRead, sysDebugLog, sysSchedYield, sysTimerCreate, sysTimerSet } from './misc.ts';
import { sysMemoryCreate, sysMemoryMap } from './memory.ts';
import { sysDisplayMap } from './display.ts';
import { sysLinkCreate, sysLinkMap } from './link.ts';
import { sysObjectInfo, sysObjectSignal, sysObjectWaitOne } from './object.ts';
import { sysPortBind, sysPortCreate, sysPortWait } from './port.ts';
import {
  sysProcessExit,
  sysProcessInfo,
  sysProcessKill,
  sysProcessList,
  sysProcessWait,
  sysProcessResume,
  sysProcessSetQuota,
  sysProcessSpawn,
  sysProcessSuspend,
} from './process.ts';

export const HANDLERS: ReadonlyMap<number, Handler> = new Map<number, Handler>([
  [Sys.HANDLE_CLOSE, sysHandleClose],
  [Sys.HANDLE_DUPLICATE, sysHandleDuplicate],
  [Sys.HANDLE_REPLACE, sysHandleReplace],
  [Sys.HANDLE_REVOKE, sysHandleRevoke],
  [Sys.HANDLE_MINT, sysHandleMint],
  [Sys.OBJECT_INFO, sysObjectInfo],
  [Sys.OBJECT_WAIT_ONE, sysObjectWaitOne],
  [Sys.OBJECT_SIGNAL, sysObjectSignal],
  [Sys.CHANNEL_CREATE, sysChannelCreate],
  [Sys.CHANNEL_WRITE, sysChannelWrite],
  [Sys.CHANNEL_READ, sysChannelRead],
  [Sys.CHANNEL_READ_WAIT, sysChannelReadWait],
  [Sys.CHANNEL_CALL, sysChannelCall],
  [Sys.CHANNEL_MAP, sysChannelMap],
  [Sys.CHANNEL_WRITE_MARKED, sysChannelWriteMarked],
  [Sys.MEMORY_CREATE, sysMemoryCreate],
  [Sys.MEMORY_MAP, sysMemoryMap],
  [Sys.PROCESS_SPAWN, sysProcessSpawn],
  [Sys.PROCESS_EXIT, sysProcessExit],
  [Sys.PROCESS_KILL, sysProcessKill],
  [Sys.PROCESS_INFO, sysProcessInfo],
  [Sys.PROCESS_WAIT, sysProcessWait],
  [Sys.DISPLAY_MAP, sysDisplayMap],
  [Sys.LINK_CREATE, sysLinkCreate],
  [Sys.LINK_MAP, sysLinkMap],
  [Sys.PROCESS_SUSPEND, sysProcessSuspend],
  [Sys.PROCESS_RESUME, sysProcessResume],
  [Sys.PROCESS_LIST, sysProcessList],
  [Sys.PROCESS_SET_QUOTA, sysProcessSetQuota],
  [Sys.TIMER_CREATE, sysTimerCreate],
  [Sys.TIMER_SET, sysTimerSet],
  [Sys.PORT_CREATE, sysPortCreate],
  [Sys.PORT_BIND, sysPortBind],
  [Sys.PORT_WAIT, sysPortWait],
  [Sys.SCHED_YIELD, sysSchedYield],
  [Sys.AUDIT_READ, sysAuditRead],
  [Sys.DEBUG_LOG, sysDebugLog],
]);

const notSupported: Handler = () => fail(Status.NOT_SUPPORTED);

export const handlerFor = (num: number): Handler => HANDLERS.get(num) ?? notSupported;
