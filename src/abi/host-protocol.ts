// The host-exchange protocol: what the page and init say over the host link (ADR 0011).
// Layer: abi. Each link message is one record framed as the fs protocol's requests are
// (syscall-codec.ts): `u32 id | u16 op | u16 0 | args`, checked as strictly, in both
// directions. `id` names the request a message belongs to, so that the streams of
// several requests interleave; the page picks ids (nonzero, unique among its live
// requests). Neither side trusts the other's bytes.
//
// A REQUEST'S LIFE. The page sends a request op (files.import, files.export, proc.run).
// Data then flows as `chunk` messages on numbered streams (INPUT: page to init, OUTPUT
// and ERROR: init to page), each closed by `end`. A sender may have at most WINDOW
// chunks of a stream unacknowledged; the receiver returns `credit` as it consumes them.
// init's `result` ends the request: a WASI errno (0 = success), for proc.run the
// process's exit status (when the errno is 0), and a sentence for people. After `result` no message with that id follows, and
// a stream not ended by then was cut short. `cancel` asks init to stop a request; it
// still answers with `result` (ECANCELED, unless the request finished first).
import { FsErrno } from './fs-protocol.ts';
import { LIMITS } from './limits.ts';
import { err, ok, type Result } from './result.ts';
import type { SyscallDef } from './sys.ts';
import { decodeCall, encodeCall, type WireValue } from './syscall-codec.ts';
import { utf8Decode, utf8Encode } from './utf8.ts';

/** Numbers of the message kinds; generic ones below 16, files.* 16..31, proc.* 32..47. */
export const HostOp = {
  CHUNK: 1,
  END: 2,
  CREDIT: 3,
  RESULT: 4,
  CANCEL: 5,
  FILES_IMPORT: 16,
  FILES_EXPORT: 17,
  PROC_RUN: 32,
} as const;
export type HostOp = (typeof HostOp)[keyof typeof HostOp];

/** Streams of a request. files.import sends its tar on INPUT; files.export answers on OUTPUT. */
export const HostStream = { INPUT: 0, OUTPUT: 1, ERROR: 2 } as const;
export type HostStream = (typeof HostStream)[keyof typeof HostStream];

export const HOST_PROTOCOL = {
  /** Chunks of one stream a sender may have sent beyond the credit returned. */
  WINDOW: 16,
  /** Most data bytes in one chunk: a message less room for the framing. */
  CHUNK_MAX: LIMITS.MESSAGE_BYTES - 64,
  /** Requests init serves at once; more are answered EBUSY. */
  REQUESTS: 16,
  /** Longest path or snapshot name in a request, in bytes. */
  PATH_BYTES: 4096,
  /** Longest argv, env or preopen list of a proc.run (NUL-separated), in bytes. */
  LIST_BYTES: 48 * 1024,
  /** Longest `result` sentence, in bytes; init cuts longer ones. */
  DETAIL_BYTES: 4096,
} as const;

/** Result codes besides FsErrno's: WASI preview-1 numbers. */
export const HostErrno = { ...FsErrno, EBADMSG: 9, ECANCELED: 11, EPIPE: 64, EPROTO: 65 } as const;

const NAMES = new Map<number, string>(Object.entries(HostErrno).map(([k, v]) => [v, k]));
/** "ENOENT" for 44; "errno 99" for a number not in the table. */
export const errnoName = (n: number): string => NAMES.get(n) ?? `errno ${n}`;

export type HostMessage =
  | {
      readonly op: typeof HostOp.CHUNK;
      readonly id: number;
      readonly stream: number;
      readonly data: Uint8Array;
    }
  | { readonly op: typeof HostOp.END; readonly id: number; readonly stream: number }
  | {
      readonly op: typeof HostOp.CREDIT;
      readonly id: number;
      readonly stream: number;
      readonly count: number;
    }
  | {
      readonly op: typeof HostOp.RESULT;
      readonly id: number;
      readonly status: number;
      /** proc.run's exit status when `status` is 0; else 0. */
      readonly exit: number;
      readonly detail: string;
    }
  | { readonly op: typeof HostOp.CANCEL; readonly id: number }
  | { readonly op: typeof HostOp.FILES_IMPORT; readonly id: number; readonly path: string }
  | {
      readonly op: typeof HostOp.FILES_EXPORT;
      readonly id: number;
      readonly path: string;
      readonly snapshot: string;
    }
  | {
      readonly op: typeof HostOp.PROC_RUN;
      readonly id: number;
      /** The module's path in the store. */
      readonly program: string;
      readonly argv: readonly string[];
      readonly env: readonly string[];
      /** Directories of the store preopened at guest paths. */
      readonly preopens: readonly HostPreopen[];
    };

/** A store directory (`path`) a proc.run preopens at `guest`. */
export interface HostPreopen {
  readonly guest: string;
  readonly path: string;
}

/** Which side may send a kind: `page` (to init), `init` (to the page) or both. */
type Sender = 'page' | 'init' | 'both';

const def = (num: number, name: string, args: SyscallDef['args']): SyscallDef => ({
  num,
  name,
  args,
  results: [],
  rights: '',
  errors: [],
  doc: '',
  blocks: false,
});

const S = 'string' as const;
const TABLE: readonly (readonly [SyscallDef, Sender])[] = [
  [
    def(HostOp.CHUNK, 'chunk', [
      ['stream', 'u32'],
      ['data', 'bytes'],
    ]),
    'both',
  ],
  [def(HostOp.END, 'end', [['stream', 'u32']]), 'both'],
  [
    def(HostOp.CREDIT, 'credit', [
      ['stream', 'u32'],
      ['count', 'u32'],
    ]),
    'both',
  ],
  [
    def(HostOp.RESULT, 'result', [
      ['status', 'i32'],
      ['exit', 'i32'],
      ['detail', S],
    ]),
    'init',
  ],
  [def(HostOp.CANCEL, 'cancel', []), 'page'],
  [def(HostOp.FILES_IMPORT, 'files.import', [['path', S]]), 'page'],
  [
    def(HostOp.FILES_EXPORT, 'files.export', [
      ['path', S],
      ['snapshot', S],
    ]),
    'page',
  ],
  [
    def(HostOp.PROC_RUN, 'proc.run', [
      ['program', S],
      ['argv', S],
      ['env', S],
      ['preopens', S],
    ]),
    'page',
  ],
];
const BY_NUM = new Map(TABLE.map(([d, from]) => [d.num, { d, from }]));

/** A message that does not decode; `id` is set when its header named one (so it can be answered). */
export interface HostDecodeError {
  readonly id: number | null;
  readonly op: number | null;
  readonly message: string;
}

/** Encodes one message; the caller passes fields in range (a path too long throws RangeError). */
export function encodeHostMessage(m: HostMessage): Uint8Array {
  const entry = BY_NUM.get(m.op);
  if (!entry) throw new RangeError(`no host message kind ${String(m.op)}`);
  const bytes = encodeCall(entry.d, m.id, argsOf(m));
  if (bytes.byteLength > LIMITS.MESSAGE_BYTES)
    throw new RangeError(`a ${entry.d.name} message over MESSAGE_BYTES`);
  return bytes;
}

function argsOf(m: HostMessage): WireValue[] {
  const text = (s: string, max: number): Uint8Array => {
    const b = utf8Encode(s);
    if (b.byteLength > max) throw new RangeError(`a string of ${b.byteLength} bytes; the limit is ${max}`);
    return b;
  };
  switch (m.op) {
    case HostOp.CHUNK:
      return [m.stream, m.data];
    case HostOp.END:
      return [m.stream];
    case HostOp.CREDIT:
      return [m.stream, m.count];
    case HostOp.RESULT:
      return [m.status, m.exit, utf8Encode(clip(m.detail, HOST_PROTOCOL.DETAIL_BYTES))];
    case HostOp.CANCEL:
      return [];
    case HostOp.FILES_IMPORT:
      return [text(m.path, HOST_PROTOCOL.PATH_BYTES)];
    case HostOp.FILES_EXPORT:
      return [text(m.path, HOST_PROTOCOL.PATH_BYTES), text(m.snapshot, HOST_PROTOCOL.PATH_BYTES)];
    case HostOp.PROC_RUN:
      return [
        text(m.program, HOST_PROTOCOL.PATH_BYTES),
        text(joinStrings(m.argv), HOST_PROTOCOL.LIST_BYTES),
        text(joinStrings(m.env), HOST_PROTOCOL.LIST_BYTES),
        text(joinStrings(m.preopens.flatMap((p) => [p.guest, p.path])), HOST_PROTOCOL.LIST_BYTES),
      ];
  }
}

// A list of strings travels NUL-separated; an empty list is the empty string.
function joinStrings(list: readonly string[]): string {
  if (list.some((s) => s.includes('\0'))) throw new RangeError('a list entry holds a NUL byte');
  return list.map((s) => `${s}\0`).join('');
}
const splitStrings = (text: string): string[] | null =>
  text === '' ? [] : text.endsWith('\0') ? text.slice(0, -1).split('\0') : null;

/** `s`, shortened (with an ellipsis) until its UTF-8 fits `max` bytes. */
function clip(s: string, max: number): string {
  let out = s;
  while (utf8Encode(out).byteLength > max) out = `${out.slice(0, Math.floor(out.length * 0.9) - 1)}…`;
  return out;
}

/** Decodes a message that `from` sent; anything else (the other side's kinds included) is an error. */
export function decodeHostMessage(
  bytes: Uint8Array,
  from: 'page' | 'init',
): Result<HostMessage, HostDecodeError> {
  const head = bytes.byteLength >= 8 ? new DataView(bytes.buffer, bytes.byteOffset, 8) : null;
  const id = head ? head.getUint32(0, true) : null;
  const op = head ? head.getUint16(4, true) : null;
  const fail = (message: string) => err({ id, op, message });
  if (bytes.byteLength > LIMITS.MESSAGE_BYTES) return fail('a message over MESSAGE_BYTES');
  const entry = op === null ? undefined : BY_NUM.get(op);
  if (op !== null && entry && entry.from !== 'both' && entry.from !== from)
    return fail(`${entry.d.name} is not a message the ${from} sends`);
  const call = decodeCall(bytes, (n) => BY_NUM.get(n)?.d);
  if (!call.ok) return fail(call.error);
  if (call.value.tag === 0) return fail('request id 0');
  const message = fromArgs(call.value.def.num, call.value.tag, call.value.args);
  return message.ok ? message : fail(message.error);
}

function fromArgs(op: number, id: number, a: readonly WireValue[]): Result<HostMessage> {
  const text = (v: WireValue | undefined, max: number): string | null =>
    v instanceof Uint8Array && v.byteLength <= max ? utf8Decode(v) : null;
  const [x, y] = a;
  switch (op) {
    case HostOp.CHUNK:
      return ok({ op, id, stream: x as number, data: y as Uint8Array });
    case HostOp.END:
      return ok({ op, id, stream: x as number });
    case HostOp.CREDIT:
      return ok({ op, id, stream: x as number, count: y as number });
    case HostOp.CANCEL:
      return ok({ op, id });
    case HostOp.RESULT: {
      const detail = text(a[2], HOST_PROTOCOL.DETAIL_BYTES);
      return detail === null
        ? err('result detail is not short UTF-8')
        : ok({ op, id, status: x as number, exit: y as number, detail });
    }
    case HostOp.FILES_IMPORT: {
      const path = text(x, HOST_PROTOCOL.PATH_BYTES);
      return path === null ? err('path is not short UTF-8') : ok({ op, id, path });
    }
    case HostOp.FILES_EXPORT: {
      const path = text(x, HOST_PROTOCOL.PATH_BYTES);
      const snapshot = text(y, HOST_PROTOCOL.PATH_BYTES);
      if (path === null || snapshot === null) return err('path or snapshot is not short UTF-8');
      return ok({ op, id, path, snapshot });
    }
    case HostOp.PROC_RUN: {
      const [, , z, w] = a;
      const program = text(x, HOST_PROTOCOL.PATH_BYTES);
      const lists = [y, z, w].map((v) => text(v, HOST_PROTOCOL.LIST_BYTES));
      const [argv, env, pre] = lists.map((t) => (t === null ? null : splitStrings(t)));
      if (program === null || !argv || !env || !pre)
        return err('program, argv, env or preopens is not short UTF-8');
      if (pre.length % 2 !== 0) return err('preopens must pair each guest path with a store path');
      if (env.some((s) => !s.includes('='))) return err('every env entry must be K=V');
      const preopens: HostPreopen[] = [];
      for (let i = 0; i < pre.length; i += 2) preopens.push({ guest: pre[i] ?? '', path: pre[i + 1] ?? '' });
      return ok({ op, id, program, argv, env, preopens });
    }
    default:
      return err(`no host message kind ${op}`);
  }
}
