// bench-empty: a program that exits at once. The ipc benchmark times its spawn until
// its parent sees TERMINATED. Layer: apps.
import { startDomain } from '../../workers/domain.ts';
import { EMPTY_EXIT_CODE } from './programs.ts';

declare const self: DedicatedWorkerGlobalScope;

startDomain(() => EMPTY_EXIT_CODE, self);
