// Kernel object types, their signals, and the default rights a new handle carries.
// Layer: abi.
import { Right, rights, SERVER_RIGHTS, type Rights } from './rights.ts';

export const ObjectType = {
  PROCESS: 1,
  CHANNEL: 2,
  MEMORY: 3,
  PORT: 4,
  TIMER: 5,
  /** A program the kernel can start; spawn needs EXECUTE on it. */
  PROGRAM: 6,
  /** The audit log; reading it needs READ. */
  AUDIT: 7,
  /** The host's screen and input (ADR 0017); the one process that maps it is the compositor. */
  DISPLAY: 8,
  /**
   * One end of a link (ADR 0020): a MessagePort entangled with the other end's, for what
   * only postMessage can move between domains, such as ImageBitmaps. Mapping an end
   * hands its port to the caller, once.
   */
  LINK: 9,
} as const;
export type ObjectType = (typeof ObjectType)[keyof typeof ObjectType];

const TYPE_NAMES = new Map<number, string>(Object.entries(ObjectType).map(([n, v]) => [v, n]));
export const objectTypeName = (type: number): string => TYPE_NAMES.get(type) ?? `TYPE(${type})`;

/** Signal bits an object can assert; waits and ports watch for them. */
export const Signal = {
  NONE: 0,
  /** Channel: a message is queued. Timer: unused. */
  READABLE: 1 << 0,
  /** Channel: there is room for another message. */
  WRITABLE: 1 << 1,
  /** Channel: the other end closed. */
  PEER_CLOSED: 1 << 2,
  /** Process: it exited, crashed or was killed. */
  TERMINATED: 1 << 3,
  /** Timer: its deadline passed. */
  FIRED: 1 << 4,
  /** The handle was revoked; a wait on it ends with this. */
  REVOKED: 1 << 5,
  /** Free for programs to use with object.signal. */
  USER_0: 1 << 24,
  USER_1: 1 << 25,
  USER_2: 1 << 26,
  USER_3: 1 << 27,
} as const;
export const USER_SIGNALS = Signal.USER_0 | Signal.USER_1 | Signal.USER_2 | Signal.USER_3;
export const ALL_SIGNALS = Object.values(Signal).reduce((all, s) => all | s, 0);

const BASIC = rights(Right.DUPLICATE, Right.TRANSFER, Right.WAIT, Right.INSPECT);

/** Rights of the handle a creating call returns. */
export const DEFAULT_RIGHTS: Record<ObjectType, Rights> = {
  [ObjectType.PROCESS]: rights(BASIC, Right.MANAGE),
  // A server attenuates its clients' channel handles with the SERVER_* bits (rights.ts).
  [ObjectType.CHANNEL]: rights(BASIC, Right.READ, Right.WRITE, Right.SIGNAL, SERVER_RIGHTS),
  [ObjectType.MEMORY]: rights(BASIC, Right.READ, Right.WRITE, Right.MAP),
  [ObjectType.PORT]: rights(BASIC, Right.READ, Right.WRITE),
  [ObjectType.TIMER]: rights(BASIC, Right.WRITE, Right.SIGNAL),
  [ObjectType.PROGRAM]: rights(BASIC, Right.EXECUTE),
  [ObjectType.AUDIT]: rights(BASIC, Right.READ),
  [ObjectType.DISPLAY]: rights(BASIC, Right.MAP),
  [ObjectType.LINK]: rights(BASIC, Right.MAP),
};

/** Scheduling classes, most urgent first (see the scheduler in src/kernel). */
export const Priority = {
  /** Compositor and input: served first, never throttled. */
  REALTIME: 0,
  /** The foreground: shells, terminals, apps the user is looking at. */
  INTERACTIVE: 1,
  /** Background work; at most LIMITS.RUNNABLE_BATCH run at once. */
  BATCH: 2,
} as const;
export type Priority = (typeof Priority)[keyof typeof Priority];
export const isPriority = (v: number): v is Priority => v === 0 || v === 1 || v === 2;
