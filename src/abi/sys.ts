// The syscall table: the one place a syscall is defined. Kernel dispatch, the user
// stubs in src/workers and docs/syscalls.md all derive from it. Each entry documents
// its rights and its errors; errors are listed in the order the kernel checks them
// (BAD_HANDLE, then REVOKED, then WRONG_TYPE, then ACCESS_DENIED, then the rest).
// Layer: abi. Numbers are stable once published: add, never renumber.
import type { Status } from './status.ts';

/** How one argument or result travels in a ring record (see syscall-codec.ts). */
export type WireKind = 'handle' | 'u32' | 'i32' | 'f64' | 'bytes' | 'string' | 'handles';

export interface SyscallDef {
  readonly num: number;
  /** `object.verb`; the constant is NAME_IN_CAPS, the stub camelCase. */
  readonly name: string;
  readonly args: readonly (readonly [name: string, kind: WireKind])[];
  readonly results: readonly (readonly [name: string, kind: WireKind])[];
  /** Rights the call needs, in words. */
  readonly rights: string;
  readonly errors: readonly (keyof typeof Status)[];
  /** True when the call may park the caller until something happens. */
  readonly blocks: boolean;
  readonly doc: string;
}

const H = 'handle' as const;

/** channel.write and channel.write_marked take the same arguments and fail the same ways. */
const CHANNEL_WRITE_ARGS = [
  ['channel', H],
  ['data', 'bytes'],
  ['handles', 'handles'],
] as const;
/** channel.read, channel.read_wait and channel.call answer with one message, read the same way. */
const CHANNEL_READ_RESULTS = [
  ['data', 'bytes'],
  ['handles', 'handles'],
  ['badge', 'u32'],
  ['rights', 'u32'],
] as const;
const CHANNEL_WRITE_ERRORS = [
  'BAD_HANDLE',
  'REVOKED',
  'WRONG_TYPE',
  'ACCESS_DENIED',
  'INVALID_ARGS',
  'BAD_STATE',
  'PEER_CLOSED',
  'SHOULD_WAIT',
] as const;

export const SYSCALLS = [
  {
    num: 1,
    name: 'handle.close',
    args: [['handle', H]],
    results: [],
    rights: 'none',
    errors: ['BAD_HANDLE'],
    blocks: false,
    doc: 'Closes a handle. Closing a revoked handle frees its slot. Other handles to the object are unaffected.',
  },
  {
    num: 2,
    name: 'handle.duplicate',
    args: [
      ['handle', H],
      ['rights', 'u32'],
    ],
    results: [['duplicate', H]],
    rights: 'DUPLICATE; `rights` must be a subset of the handle’s rights',
    errors: ['BAD_HANDLE', 'REVOKED', 'ACCESS_DENIED', 'BAD_STATE', 'INVALID_ARGS', 'LIMIT_EXCEEDED'],
    blocks: false,
    doc: 'A new handle to the same object with `rights` (a subset), derived from the original: revoking the original revokes it.',
  },
  {
    num: 3,
    name: 'handle.replace',
    args: [
      ['handle', H],
      ['rights', 'u32'],
    ],
    results: [['replacement', H]],
    rights: 'none; `rights` must be a subset of the handle’s rights',
    errors: ['BAD_HANDLE', 'BAD_STATE', 'REVOKED', 'INVALID_ARGS'],
    blocks: false,
    doc: 'Swaps a handle for one with fewer rights. Consumes the handle on success and on every failure but BAD_HANDLE and BAD_STATE (a mapped channel end, which keeps its handle).',
  },
  {
    num: 4,
    name: 'handle.revoke',
    args: [['handle', H]],
    results: [['revoked', 'u32']],
    rights: 'none (holding the handle is the authority)',
    errors: ['BAD_HANDLE', 'REVOKED'],
    blocks: false,
    doc: 'Revokes every handle derived from this one (by duplicate, replace, mint or transfer), in every process; the handle itself stays valid. Waits and reads in flight on revoked handles end with REVOKED. Returns how many handles were revoked.',
  },
  {
    num: 5,
    name: 'handle.mint',
    args: [
      ['handle', H],
      ['rights', 'u32'],
      ['badge', 'u32'],
    ],
    results: [['minted', H]],
    rights: 'DUPLICATE; the handle must be unbadged; `rights` a subset',
    errors: ['BAD_HANDLE', 'REVOKED', 'ACCESS_DENIED', 'INVALID_ARGS', 'BAD_STATE', 'LIMIT_EXCEEDED'],
    blocks: false,
    doc: 'Like duplicate, and stamps a non-zero badge on the new handle. A channel reader learns the badge of the handle each message was written through.',
  },
  {
    num: 10,
    name: 'object.info',
    args: [['handle', H]],
    results: [
      ['type', 'u32'],
      ['koid', 'u32'],
      ['rights', 'u32'],
      ['badge', 'u32'],
      ['related', 'u32'],
    ],
    rights: 'INSPECT',
    errors: ['BAD_HANDLE', 'REVOKED', 'ACCESS_DENIED'],
    blocks: false,
    doc: 'Type, kernel object id, the handle’s rights and badge, and a related object id (a channel’s peer, a process’s parent; 0 if none).',
  },
  {
    num: 11,
    name: 'object.wait_one',
    args: [
      ['handle', H],
      ['signals', 'u32'],
      ['timeout_ms', 'f64'],
    ],
    results: [['observed', 'u32']],
    rights: 'WAIT',
    errors: [
      'BAD_HANDLE',
      'REVOKED',
      'ACCESS_DENIED',
      'INVALID_ARGS',
      'LIMIT_EXCEEDED',
      'TIMED_OUT',
      'CANCELED',
    ],
    blocks: true,
    doc: 'Parks the caller until one of `signals` is asserted on the object, or `timeout_ms` passes (a negative timeout, or one over LIMITS.TIMER_MS, waits forever). Returns the signals asserted at wake-up. REVOKED if the handle is revoked while waiting; CANCELED if the handle is closed, replaced or moved to another process.',
  },
  {
    num: 12,
    name: 'object.signal',
    args: [
      ['handle', H],
      ['clear', 'u32'],
      ['set', 'u32'],
    ],
    results: [],
    rights: 'SIGNAL',
    errors: ['BAD_HANDLE', 'REVOKED', 'ACCESS_DENIED', 'INVALID_ARGS'],
    blocks: false,
    doc: 'Clears, then sets, user signals (USER_0..USER_3) on the object. Other bits are INVALID_ARGS.',
  },
  {
    num: 20,
    name: 'channel.create',
    args: [],
    results: [
      ['end0', H],
      ['end1', H],
    ],
    rights: 'none',
    errors: ['LIMIT_EXCEEDED'],
    blocks: false,
    doc: 'A bidirectional message pipe; both ends go to the caller. Messages carry bytes and handles.',
  },
  {
    num: 21,
    name: 'channel.write',
    args: CHANNEL_WRITE_ARGS,
    results: [],
    rights: 'WRITE on the channel; TRANSFER on each handle sent',
    errors: CHANNEL_WRITE_ERRORS,
    blocks: false,
    doc: 'Queues a message on the peer. The handles move: they leave the caller’s table on success (ending the caller’s waits through them) and stay on failure. A channel cannot carry either of its own ends (INVALID_ARGS), nor a mapped end (BAD_STATE). SHOULD_WAIT when the peer’s queue is full. A message over LIMITS.MESSAGE_BYTES or MESSAGE_HANDLES is malformed: the caller is faulted.',
  },
  {
    num: 22,
    name: 'channel.read',
    args: [['channel', H]],
    results: CHANNEL_READ_RESULTS,
    rights: 'READ',
    errors: [
      'BAD_HANDLE',
      'REVOKED',
      'WRONG_TYPE',
      'ACCESS_DENIED',
      'SHOULD_WAIT',
      'PEER_CLOSED',
      'LIMIT_EXCEEDED',
    ],
    blocks: false,
    doc: 'Takes the oldest message: its bytes, its handles (now the caller’s), and the badge and rights of the handle it was written through (a server checks its SERVER_* rights there). SHOULD_WAIT when empty; PEER_CLOSED when empty and the peer is gone. LIMIT_EXCEEDED (message kept) when the caller’s table cannot hold the handles.',
  },
  {
    num: 39,
    name: 'channel.read_wait',
    args: [
      ['channel', H],
      ['timeout_ms', 'f64'],
    ],
    results: CHANNEL_READ_RESULTS,
    rights: 'READ and WAIT',
    errors: [
      'BAD_HANDLE',
      'REVOKED',
      'WRONG_TYPE',
      'ACCESS_DENIED',
      'INVALID_ARGS',
      'BAD_STATE',
      'PEER_CLOSED',
      'LIMIT_EXCEEDED',
      'TIMED_OUT',
      'CANCELED',
    ],
    blocks: true,
    doc: 'As channel.read, but parks the caller while the channel is empty and the peer is there, until a message comes (then read as channel.read reads it), the peer closes (PEER_CLOSED), or `timeout_ms` passes (TIMED_OUT; a negative timeout, or one over LIMITS.TIMER_MS, waits forever): object.wait_one for READABLE and a read in one call. BAD_STATE on a mapped end (its reader reads the rings). REVOKED or CANCELED as object.wait_one. LIMIT_EXCEEDED (message kept) when the caller’s table cannot hold the handles.',
  },
  {
    num: 42,
    name: 'channel.call',
    args: [...CHANNEL_WRITE_ARGS, ['timeout_ms', 'f64']],
    results: CHANNEL_READ_RESULTS,
    rights: 'WRITE, READ and WAIT on the channel; TRANSFER on each handle sent',
    errors: [
      'BAD_HANDLE',
      'REVOKED',
      'WRONG_TYPE',
      'ACCESS_DENIED',
      'INVALID_ARGS',
      'BAD_STATE',
      'PEER_CLOSED',
      'SHOULD_WAIT',
      'LIMIT_EXCEEDED',
      'TIMED_OUT',
      'CANCELED',
    ],
    blocks: true,
    doc: 'channel.write, then channel.read_wait on the same end, in one call: for a request whose reply is the next message (the fs protocol answers in order). If the write fails its status is returned and nothing is read (SHOULD_WAIT: the peer’s queue is full); once it has succeeded, every status is the read’s (TIMED_OUT, LIMIT_EXCEEDED with the message kept, …) and the request stands. The rights are all checked before anything is written. BAD_STATE on a mapped end.',
  },
  {
    num: 23,
    name: 'channel.map',
    args: [['channel', H]],
    results: [['koid', 'u32']],
    rights: 'READ and WRITE; the handle must be the end’s only one',
    errors: [
      'BAD_HANDLE',
      'REVOKED',
      'WRONG_TYPE',
      'ACCESS_DENIED',
      'BAD_STATE',
      'PEER_CLOSED',
      'LIMIT_EXCEEDED',
    ],
    blocks: false,
    doc: 'Pins this end to the caller and posts it the channel’s rings (a ChannelGrant for `koid`), so bytes-only messages travel between the two domains without a syscall (ADR 0008). From then on the handle cannot be sent, given at spawn, duplicated, minted or replaced (BAD_STATE); closing it (or the process ending) tears the rings down and the peer sees PEER_CLOSED once it has read what was written. BAD_STATE if any other handle to this end exists (in any process, or in a queued message), or it is already mapped; LIMIT_EXCEEDED past LIMITS.MAPPED_CHANNELS.',
  },
  {
    num: 24,
    name: 'channel.write_marked',
    args: CHANNEL_WRITE_ARGS,
    results: [],
    rights: 'as channel.write',
    errors: CHANNEL_WRITE_ERRORS,
    blocks: false,
    doc: 'As channel.write, for a writer whose peer reads a channel ring: the message is found through a MARKER record the writer then puts in the ring, which keeps it in stream order. The runtime uses it; programs use channel.write.',
  },
  {
    num: 25,
    name: 'memory.create',
    args: [['size', 'u32']],
    results: [['memory', H]],
    rights: 'none',
    errors: ['INVALID_ARGS', 'LIMIT_EXCEEDED'],
    blocks: false,
    doc: 'A zero-filled shared memory region of `size` bytes (1 to LIMITS.MEMORY_BYTES).',
  },
  {
    num: 26,
    name: 'memory.map',
    args: [['memory', H]],
    results: [
      ['koid', 'u32'],
      ['size', 'u32'],
    ],
    rights: 'MAP and WRITE (the platform has no read-only shared mapping)',
    errors: ['BAD_HANDLE', 'REVOKED', 'WRONG_TYPE', 'ACCESS_DENIED'],
    blocks: false,
    doc: 'Maps the region into the caller: the kernel posts its SharedArrayBuffer to the domain (keyed by koid) before it completes the call; the runtime hands it out. A mapping cannot be taken back: revoking the handle stops new mappings only.',
  },
  {
    num: 27,
    name: 'display.map',
    args: [['display', H]],
    results: [
      ['koid', 'u32'],
      ['width', 'u32'],
      ['height', 'u32'],
    ],
    rights: 'MAP',
    errors: ['BAD_HANDLE', 'REVOKED', 'WRONG_TYPE', 'ACCESS_DENIED', 'BAD_STATE'],
    blocks: false,
    doc: "Takes the host's display: the kernel posts the caller its OffscreenCanvas and the port to the host's display bridge (a DisplayGrant keyed by koid, ADR 0017) before it completes the call, with the display's size in CSS pixels when the system booted. Both can be transferred once, so a second map, by anyone, is BAD_STATE.",
  },
  {
    num: 28,
    name: 'link.create',
    args: [],
    results: [
      ['end0', H],
      ['end1', H],
    ],
    rights: 'none',
    errors: ['LIMIT_EXCEEDED'],
    blocks: false,
    doc: 'A link (ADR 0020): two ends, each holding one of an entangled pair of MessagePorts; both go to the caller. A link carries what rings cannot, such as ImageBitmaps, straight between the two processes that map its ends; the kernel sees none of it.',
  },
  {
    num: 29,
    name: 'link.map',
    args: [['link', H]],
    results: [['koid', 'u32']],
    rights: 'MAP',
    errors: ['BAD_HANDLE', 'REVOKED', 'WRONG_TYPE', 'ACCESS_DENIED', 'BAD_STATE'],
    blocks: false,
    doc: "Takes a link end's port: the kernel posts it to the caller (a LinkGrant keyed by koid) before it completes the call. A port moves between threads once, so a second map of the same end, by anyone, is BAD_STATE.",
  },
  {
    num: 30,
    name: 'process.spawn',
    args: [
      ['program', H],
      ['name', 'string'],
      ['argv', 'string'],
      ['env', 'string'],
      ['priority', 'u32'],
      ['handles', 'handles'],
    ],
    results: [
      ['process', H],
      ['pid', 'u32'],
    ],
    rights: 'EXECUTE on the program; TRANSFER on each handle given',
    errors: [
      'BAD_HANDLE',
      'REVOKED',
      'WRONG_TYPE',
      'ACCESS_DENIED',
      'INVALID_ARGS',
      'BAD_STATE',
      'LIMIT_EXCEEDED',
    ],
    blocks: false,
    doc: 'Starts a child from a program with exactly the given handles (moved, in order; the child sees them as its initial handles). `argv` and `env` are NUL-separated. A child may not be more urgent than its parent. A mapped channel end cannot be given (BAD_STATE).',
  },
  {
    num: 31,
    name: 'process.exit',
    args: [['code', 'i32']],
    results: [],
    rights: 'none',
    errors: [],
    blocks: true,
    doc: 'Ends the calling process with an exit code; never completes. Its handles close and its parent sees TERMINATED.',
  },
  {
    num: 32,
    name: 'process.kill',
    args: [['process', H]],
    results: [],
    rights: 'MANAGE',
    errors: ['BAD_HANDLE', 'REVOKED', 'WRONG_TYPE', 'ACCESS_DENIED', 'BAD_STATE'],
    blocks: false,
    doc: 'Terminates the process (exit code -9). BAD_STATE if it has already ended.',
  },
  {
    num: 33,
    name: 'process.info',
    args: [['process', H]],
    results: [
      ['pid', 'u32'],
      ['state', 'u32'],
      ['exit_code', 'i32'],
    ],
    rights: 'INSPECT',
    errors: ['BAD_HANDLE', 'REVOKED', 'WRONG_TYPE', 'ACCESS_DENIED'],
    blocks: false,
    doc: 'Pid, state (see ProcessState) and exit code (0 until it ends).',
  },
  {
    num: 38,
    name: 'process.wait',
    args: [
      ['process', H],
      ['timeout_ms', 'f64'],
    ],
    results: [
      ['state', 'u32'],
      ['exit_code', 'i32'],
    ],
    rights: 'WAIT and INSPECT',
    errors: [
      'BAD_HANDLE',
      'REVOKED',
      'WRONG_TYPE',
      'ACCESS_DENIED',
      'INVALID_ARGS',
      'LIMIT_EXCEEDED',
      'TIMED_OUT',
      'CANCELED',
    ],
    blocks: true,
    doc: 'Parks the caller until the process has ended, then returns its final state (see ProcessState) and exit code: object.wait_one for TERMINATED and process.info in one call. TIMED_OUT if it is still running after `timeout_ms` (a negative timeout, or one over LIMITS.TIMER_MS, waits forever; 0 only looks). REVOKED or CANCELED as object.wait_one.',
  },
  {
    num: 34,
    name: 'process.suspend',
    args: [['process', H]],
    results: [],
    rights: 'MANAGE',
    errors: ['BAD_HANDLE', 'REVOKED', 'WRONG_TYPE', 'ACCESS_DENIED', 'BAD_STATE'],
    blocks: false,
    doc: 'The process parks at its next syscall until resumed.',
  },
  {
    num: 35,
    name: 'process.resume',
    args: [['process', H]],
    results: [],
    rights: 'MANAGE',
    errors: ['BAD_HANDLE', 'REVOKED', 'WRONG_TYPE', 'ACCESS_DENIED', 'BAD_STATE'],
    blocks: false,
    doc: 'Undoes process.suspend.',
  },
  {
    num: 36,
    name: 'process.list',
    args: [['process', H]],
    results: [['table', 'string']],
    rights: 'INSPECT',
    errors: ['BAD_HANDLE', 'REVOKED', 'WRONG_TYPE', 'ACCESS_DENIED'],
    blocks: false,
    doc: 'JSON rows for the process and its descendants: pid, name, state, parent, priority, cpu_ms, handles, memory_bytes.',
  },
  {
    num: 37,
    name: 'process.set_quota',
    args: [
      ['process', H],
      ['cpu_percent', 'u32'],
    ],
    results: [],
    rights: 'MANAGE',
    errors: ['BAD_HANDLE', 'REVOKED', 'WRONG_TYPE', 'ACCESS_DENIED', 'BAD_STATE', 'INVALID_ARGS'],
    blocks: false,
    doc: 'Caps the process’s CPU share, in percent (1–100; 100 removes the cap). Over its share in a window, it parks at its next syscall.',
  },
  {
    num: 40,
    name: 'timer.create',
    args: [],
    results: [['timer', H]],
    rights: 'none',
    errors: ['LIMIT_EXCEEDED'],
    blocks: false,
    doc: 'A one-shot timer, initially unarmed.',
  },
  {
    num: 41,
    name: 'timer.set',
    args: [
      ['timer', H],
      ['delay_ms', 'f64'],
    ],
    results: [],
    rights: 'WRITE',
    errors: ['BAD_HANDLE', 'REVOKED', 'WRONG_TYPE', 'ACCESS_DENIED', 'INVALID_ARGS'],
    blocks: false,
    doc: 'Arms the timer to assert FIRED after `delay_ms`; re-arming clears FIRED. A negative delay cancels. INVALID_ARGS for NaN or a delay over LIMITS.TIMER_MS.',
  },
  {
    num: 45,
    name: 'port.create',
    args: [],
    results: [['port', H]],
    rights: 'none',
    errors: ['LIMIT_EXCEEDED'],
    blocks: false,
    doc: 'A port: a queue of packets that says which of many watched objects asserted a signal.',
  },
  {
    num: 46,
    name: 'port.bind',
    args: [
      ['port', H],
      ['handle', H],
      ['signals', 'u32'],
      ['key', 'u32'],
    ],
    results: [],
    rights: 'WRITE on the port; WAIT on the handle',
    errors: ['BAD_HANDLE', 'WRONG_TYPE', 'ACCESS_DENIED', 'REVOKED', 'INVALID_ARGS', 'LIMIT_EXCEEDED'],
    blocks: false,
    doc: 'Watches the handle once: when one of `signals` is asserted, a packet (key, signals) is queued on the port. Bind again to keep watching. If the handle is revoked or closed first, the packet carries REVOKED.',
  },
  {
    num: 47,
    name: 'port.wait',
    args: [
      ['port', H],
      ['timeout_ms', 'f64'],
    ],
    results: [
      ['key', 'u32'],
      ['signals', 'u32'],
    ],
    rights: 'READ',
    errors: ['BAD_HANDLE', 'WRONG_TYPE', 'ACCESS_DENIED', 'REVOKED', 'INVALID_ARGS', 'TIMED_OUT', 'CANCELED'],
    blocks: true,
    doc: 'Takes the oldest packet, parking until one arrives or `timeout_ms` passes (negative: forever).',
  },
  {
    num: 50,
    name: 'sched.yield',
    args: [],
    results: [],
    rights: 'none',
    errors: [],
    blocks: true,
    doc: 'A cooperative yield point: completes when the scheduler next serves the caller (immediately unless it is suspended or throttled).',
  },
  {
    num: 60,
    name: 'audit.read',
    args: [
      ['audit', H],
      ['after', 'u32'],
    ],
    results: [['entries', 'string']],
    rights: 'READ',
    errors: ['BAD_HANDLE', 'REVOKED', 'WRONG_TYPE', 'ACCESS_DENIED'],
    blocks: false,
    doc: 'JSON audit entries with sequence numbers greater than `after`, oldest first, at most 256 per call: grants, transfers, revocations, denials and faults.',
  },
  {
    num: 70,
    name: 'debug.log',
    args: [
      ['level', 'u32'],
      ['message', 'string'],
    ],
    results: [],
    rights: 'none',
    errors: ['INVALID_ARGS'],
    blocks: false,
    doc: 'Appends a line to the system log under the caller’s name. Level 0 info, 1 warn, 2 error; at most 1024 bytes of UTF-8.',
  },
] as const satisfies readonly SyscallDef[];

type ConstName<S extends string> = S extends `${infer A}.${infer B}` ? Uppercase<`${A}_${B}`> : Uppercase<S>;
type SysTable = { readonly [D in (typeof SYSCALLS)[number] as ConstName<D['name']>]: D['num'] };

/** Syscall numbers by constant name: `Sys.CHANNEL_WRITE === 21`. */
export const Sys = Object.fromEntries(
  SYSCALLS.map((d) => [d.name.replace('.', '_').toUpperCase(), d.num]),
) as SysTable;

const BY_NUM = new Map<number, SyscallDef>(SYSCALLS.map((d) => [d.num, d]));
export const syscallByNum = (num: number): SyscallDef | undefined => BY_NUM.get(num);

/** Process states reported by process.info and process.list. */
export const ProcessState = {
  STARTING: 0,
  RUNNING: 1,
  SUSPENDED: 2,
  EXITED: 3,
  KILLED: 4,
  CRASHED: 5,
  FAULTED: 6,
} as const;
export type ProcessState = (typeof ProcessState)[keyof typeof ProcessState];
