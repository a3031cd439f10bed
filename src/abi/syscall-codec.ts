// Byte layout of syscall records in the submission and completion rings, and the
// strict decoder the kernel runs on every record a domain submits.
// Layer: abi. The decoder trusts nothing: any record that does not match its table
// entry exactly (length, counts, limits) is rejected, and the kernel faults the sender.
//
// Submission: u32 tag | u16 num | u16 0 | args…      (little-endian, unaligned)
// Completion: u32 tag | i32 status | results…        (results only when status is OK)
// Per kind:   handle, u32, i32 = 4 bytes; f64 = 8 bytes;
//             bytes, string = u32 length + bytes (string: UTF-8, checked by the kernel);
//             handles = u32 count + count × u32.
import { LIMITS } from './limits.ts';
import { err, ok, type Result } from './result.ts';
import { Status } from './status.ts';
import { syscallByNum, type SyscallDef, type WireKind } from './sys.ts';

export type WireValue = number | Uint8Array | readonly number[];

export interface DecodedCall {
  readonly def: SyscallDef;
  readonly tag: number;
  readonly args: readonly WireValue[];
}

export interface DecodedCompletion {
  readonly tag: number;
  readonly status: number;
  readonly results: readonly WireValue[];
}

const HEADER_BYTES = 8;
/** Longest byte payload in one record. */
const MAX_BYTES = Math.max(LIMITS.MESSAGE_BYTES, LIMITS.SPAWN_ARGS_BYTES);

function sizeOf(kind: WireKind, value: WireValue): number {
  if (kind === 'f64') return 8;
  if (kind === 'bytes' || kind === 'string') return 4 + (value as Uint8Array).byteLength;
  if (kind === 'handles') return 4 + 4 * (value as readonly number[]).length;
  return 4;
}

function put(view: DataView, at: number, kind: WireKind, value: WireValue): number {
  switch (kind) {
    case 'f64':
      view.setFloat64(at, value as number, true);
      return at + 8;
    case 'i32':
      view.setInt32(at, value as number, true);
      return at + 4;
    case 'bytes':
    case 'string': {
      const bytes = value as Uint8Array;
      view.setUint32(at, bytes.byteLength, true);
      new Uint8Array(view.buffer, view.byteOffset + at + 4, bytes.byteLength).set(bytes);
      return at + 4 + bytes.byteLength;
    }
    case 'handles': {
      const list = value as readonly number[];
      view.setUint32(at, list.length, true);
      list.forEach((h, i) => view.setUint32(at + 4 + 4 * i, h, true));
      return at + 4 + 4 * list.length;
    }
    default:
      view.setUint32(at, value as number, true);
      return at + 4;
  }
}

function encode(
  head: (v: DataView) => void,
  fields: SyscallDef['args'],
  values: readonly WireValue[],
  out: RecordBuffer | undefined,
): Uint8Array {
  if (values.length !== fields.length)
    throw new RangeError(`expected ${fields.length} values, got ${values.length}`);
  const size = fields.reduce((n, [, kind], i) => n + sizeOf(kind, values[i] as WireValue), HEADER_BYTES);
  const { view, bytes } = (out ?? shared).for(size);
  // Every byte of a record is defined: reserved ones are zero, whatever the last record left.
  bytes.fill(0, 0, size);
  head(view);
  fields.reduce((at, [, kind], i) => put(view, at, kind, values[i] as WireValue), HEADER_BYTES);
  return out ? bytes.subarray(0, size) : bytes.slice(0, size);
}

/**
 * A reusable buffer to encode records in. Records are encoded in, and completions decoded
 * from, one shared buffer: V8 keeps a small fresh Uint8Array on its heap until something
 * takes its .buffer (as a DataView over it must), and that costs about a microsecond, more
 * than the rest of a record's encoding. Encoding and decoding are synchronous, so one
 * buffer serves both. A caller that passes a RecordBuffer of its own gets the record as a
 * view of it, valid until that buffer's next use: no copy and no allocation per record,
 * which for a 64 KiB record (a file read's reply) is most of its cost in Chromium.
 */
export class RecordBuffer {
  #view = new DataView(new ArrayBuffer(1024));
  #bytes = new Uint8Array(this.#view.buffer);

  /** The buffer, grown to hold at least `size` bytes. */
  for(size: number): { view: DataView; bytes: Uint8Array } {
    if (size > this.#bytes.byteLength) {
      this.#view = new DataView(new ArrayBuffer(Math.max(size, 2 * this.#bytes.byteLength)));
      this.#bytes = new Uint8Array(this.#view.buffer);
    }
    return { view: this.#view, bytes: this.#bytes };
  }
}

const shared = new RecordBuffer();

/** Encodes a call; the caller (a trusted stub) passes values of the right kinds. */
export function encodeCall(
  def: SyscallDef,
  tag: number,
  args: readonly WireValue[],
  out?: RecordBuffer,
): Uint8Array {
  return encode(
    (v) => {
      v.setUint32(0, tag, true);
      v.setUint16(4, def.num, true);
    },
    def.args,
    args,
    out,
  );
}

/** Encodes a completion; results are written only for Status.OK. With `out`, see RecordBuffer. */
export function encodeCompletion(
  def: SyscallDef,
  tag: number,
  status: number,
  results: readonly WireValue[] = [],
  out?: RecordBuffer,
): Uint8Array {
  const ok = status === Status.OK;
  return encode(
    (v) => {
      v.setUint32(0, tag, true);
      v.setInt32(4, status, true);
    },
    ok ? def.results : [],
    ok ? results : [],
    out,
  );
}

/**
 * Reads fields from `at`; fails on any length that runs past the record or a limit.
 * Byte fields are copies, or with `views` views of `bytes`.
 */
function take(bytes: Uint8Array, at: number, fields: SyscallDef['args'], views = false): Result<WireValue[]> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const values: WireValue[] = [];
  for (const [name, kind] of fields) {
    const fixed = kind === 'f64' ? 8 : 4;
    if (at + fixed > bytes.byteLength) return err(`record ends before ${name}`);
    if (kind === 'f64') values.push(view.getFloat64(at, true));
    else if (kind === 'i32') values.push(view.getInt32(at, true));
    else if (kind === 'handle' || kind === 'u32') values.push(view.getUint32(at, true));
    else {
      const count = view.getUint32(at, true);
      const width = kind === 'handles' ? 4 : 1;
      const limit = kind === 'handles' ? LIMITS.MESSAGE_HANDLES : MAX_BYTES;
      if (count > limit) return err(`${name} has ${count} entries; the limit is ${limit}`);
      if (at + 4 + count * width > bytes.byteLength) return err(`${name} runs past the record`);
      values.push(
        kind === 'handles'
          ? Array.from({ length: count }, (_, i) => view.getUint32(at + 4 + 4 * i, true))
          : views
            ? bytes.subarray(at + 4, at + 4 + count)
            : bytes.slice(at + 4, at + 4 + count),
      );
      at += count * width;
    }
    at += fixed;
  }
  return at === bytes.byteLength ? ok(values) : err(`${bytes.byteLength - at} unexpected trailing bytes`);
}

/**
 * Decodes a submission record from an untrusted domain. `lookup` names the table the
 * number is looked up in: the syscall table, or a server protocol's (fs-protocol.ts),
 * which frames its requests and replies as these records do. With `inPlace`, byte
 * arguments are views of `bytes`: only for a record that is the caller's own copy, which
 * nobody else can still write (never a view of shared memory).
 */
export function decodeCall(
  bytes: Uint8Array,
  lookup: (num: number) => SyscallDef | undefined = syscallByNum,
  inPlace = false,
): Result<DecodedCall> {
  if (bytes.byteLength < HEADER_BYTES) return err('record shorter than its header');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const num = view.getUint16(4, true);
  if (view.getUint16(6, true) !== 0) return err('reserved header bits set');
  const def = lookup(num);
  if (!def) return err(`no call number ${num}`);
  const args = take(bytes, HEADER_BYTES, def.args, inPlace);
  return args.ok
    ? ok({ def, tag: view.getUint32(0, true), args: args.value })
    : err(`${def.name}: ${args.error}`);
}

/**
 * Decodes a completion for a call to `def` (run by the domain runtime). With `inPlace`,
 * as decodeCall's: byte results are views of the caller's own copy of the record.
 */
export function decodeCompletion(
  def: SyscallDef,
  record: Uint8Array,
  inPlace = false,
): Result<DecodedCompletion> {
  if (record.byteLength < HEADER_BYTES) return err('record shorter than its header');
  if (inPlace) {
    const v = new DataView(record.buffer, record.byteOffset, record.byteLength);
    const status = v.getInt32(4, true);
    const results = take(record, HEADER_BYTES, status === Status.OK ? def.results : [], true);
    return results.ok ? ok({ tag: v.getUint32(0, true), status, results: results.value }) : results;
  }
  // A completion copied out of the ring is such a small array (see RecordBuffer): decode a copy.
  const { view, bytes: buffer } = shared.for(record.byteLength);
  buffer.set(record);
  const bytes = buffer.subarray(0, record.byteLength);
  const status = view.getInt32(4, true);
  const results = take(bytes, HEADER_BYTES, status === Status.OK ? def.results : []);
  return results.ok ? ok({ tag: view.getUint32(0, true), status, results: results.value }) : results;
}

/** The tag of a completion, read before knowing which call it answers. */
export const completionTag = (bytes: Uint8Array): number =>
  bytes.byteLength < 4 ? -1 : new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0, true);
