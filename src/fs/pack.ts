// One pack file: a header, then object records appended one after another (docs/fs.md,
// "Pack files"). Layer: fs. A Pack knows two lengths: `committed` (published in the
// superblock, never overwritten) and `end` (appended since, not yet published). Appends
// are buffered and written in large blocks; `sync` writes and flushes them.
import type { BlockFile } from './backend.ts';
import { crc32, Writer } from './codec.ts';
import {
  FORMAT_VERSION,
  isKind,
  readableVersion,
  MAGIC,
  PACK_HEADER_BYTES,
  RECORD_HEADER_BYTES,
  type Kind,
} from './format.ts';
import { HASH_BYTES, hashFromBytes, hashToBytes, type Hash } from './hash.ts';

/** Where an object lives. `offset` is its payload's offset in the pack. */
export interface Location {
  readonly pack: number;
  readonly offset: number;
  readonly length: number;
  readonly kind: Kind;
}

export interface ScannedRecord {
  readonly hash: Hash;
  readonly loc: Location;
}

const WRITE_BLOCK = 1024 * 1024;

function packHeader(id: number): Uint8Array {
  return new Writer().u32(MAGIC.PACK).u16(FORMAT_VERSION).u16(0).u32(id).u32(0).finish();
}

export class Pack {
  readonly id: number;
  readonly file: BlockFile;
  committed: number;
  #end: number;
  /** Appended bytes not yet written to the file; they start at #end - #bufferedBytes. */
  #buffer: Uint8Array[] = [];
  #bufferedBytes = 0;

  private constructor(id: number, file: BlockFile, committed: number) {
    this.id = id;
    this.file = file;
    this.committed = committed;
    this.#end = committed;
  }

  /** A new, empty pack; its header is the first (buffered) append. */
  static create(id: number, file: BlockFile): Pack {
    const pack = new Pack(id, file, 0);
    pack.#append(packHeader(id));
    return pack;
  }

  /** An existing pack of which `committed` bytes are published. */
  static existing(id: number, file: BlockFile, committed: number): Pack {
    return new Pack(id, file, committed);
  }

  get end(): number {
    return this.#end;
  }

  #append(bytes: Uint8Array): void {
    this.#buffer.push(bytes);
    this.#bufferedBytes += bytes.length;
    this.#end += bytes.length;
    if (this.#bufferedBytes >= WRITE_BLOCK) this.writeOut();
  }

  /** Appends one record; returns where its payload lives. */
  append(kind: Kind, hash: Hash, payload: Uint8Array): Location {
    const header = new Writer()
      .u8(kind)
      .u8(FORMAT_VERSION)
      .u16(0)
      .u32(payload.length)
      .bytes(hashToBytes(hash))
      .u32(crc32(payload))
      .finish();
    const offset = this.#end + RECORD_HEADER_BYTES;
    this.#append(header);
    this.#append(payload);
    return { pack: this.id, offset, length: payload.length, kind };
  }

  /** Writes buffered appends to the file (not yet durable). */
  writeOut(): void {
    if (this.#bufferedBytes === 0) return;
    const block = new Uint8Array(this.#bufferedBytes);
    let at = 0;
    for (const b of this.#buffer) {
      block.set(b, at);
      at += b.length;
    }
    this.file.write(block, this.#end - this.#bufferedBytes);
    this.#buffer = [];
    this.#bufferedBytes = 0;
  }

  /** Makes everything appended durable (the caller then publishes `end`). */
  sync(): void {
    this.writeOut();
    this.file.flush();
  }

  /** Forgets appends since the last publish. */
  rollback(): void {
    this.#buffer = [];
    this.#bufferedBytes = 0;
    this.#end = this.committed;
    if (this.committed === 0) this.#append(packHeader(this.id));
  }

  /** The payload at `loc`, checked against its record's CRC; null if it does not check out. */
  read(loc: Location): Uint8Array | null {
    if (loc.offset + loc.length > this.#end - this.#bufferedBytes) this.writeOut();
    // One backend read for the record's header and payload: on OPFS each read is a call
    // into the browser, and this runs once per chunk a read touches.
    const record = new Uint8Array(RECORD_HEADER_BYTES + loc.length);
    if (this.file.read(record, loc.offset - RECORD_HEADER_BYTES) !== record.length) return null;
    const payload = record.subarray(RECORD_HEADER_BYTES);
    const view = new DataView(record.buffer, 0, RECORD_HEADER_BYTES);
    return view.getUint32(RECORD_HEADER_BYTES - 4, true) === crc32(payload) ? payload : null;
  }

  /**
   * The payloads at `locs` (this pack's, in increasing offset order) with one backend
   * read of the span from the first record to the end of the last, each checked against
   * its record's CRC (null where one does not check out). The payloads are views of
   * that one span.
   */
  readSpan(locs: readonly Location[]): (Uint8Array | null)[] {
    const first = locs[0];
    const last = locs[locs.length - 1];
    if (first === undefined || last === undefined) return [];
    const from = first.offset - RECORD_HEADER_BYTES;
    const to = last.offset + last.length;
    if (to > this.#end - this.#bufferedBytes) this.writeOut();
    const span = new Uint8Array(to - from);
    if (this.file.read(span, from) !== span.length) return locs.map(() => null);
    const view = new DataView(span.buffer);
    return locs.map((loc) => {
      const at = loc.offset - from;
      const payload = span.subarray(at, at + loc.length);
      return view.getUint32(at - 4, true) === crc32(payload) ? payload : null;
    });
  }

  /** Every record in the committed part, or a description of the first damage found. */
  scan(): ScannedRecord[] | string {
    const head = new Uint8Array(Math.max(PACK_HEADER_BYTES, RECORD_HEADER_BYTES));
    const view = new DataView(head.buffer);
    const where = `pack ${this.id}`;
    if (this.committed < PACK_HEADER_BYTES) return `${where}: shorter than its header`;
    this.file.read(head.subarray(0, PACK_HEADER_BYTES), 0);
    if (view.getUint32(0, true) !== MAGIC.PACK) return `${where}: bad magic`;
    if (!readableVersion(view.getUint16(4, true))) return `${where}: format ${view.getUint16(4, true)}`;
    if (view.getUint32(8, true) !== this.id) return `${where}: header names pack ${view.getUint32(8, true)}`;
    const out: ScannedRecord[] = [];
    for (let at = PACK_HEADER_BYTES; at < this.committed;) {
      const n = this.file.read(head.subarray(0, RECORD_HEADER_BYTES), at);
      const kind = view.getUint8(0);
      const length = view.getUint32(4, true);
      const next = at + RECORD_HEADER_BYTES + length;
      if (
        n !== RECORD_HEADER_BYTES ||
        !isKind(kind) ||
        !readableVersion(view.getUint8(1)) ||
        next > this.committed
      ) {
        return `${where}: damaged record at byte ${at}`;
      }
      const hash = hashFromBytes(head.subarray(8, 8 + HASH_BYTES));
      out.push({ hash, loc: { pack: this.id, offset: at + RECORD_HEADER_BYTES, length, kind } });
      at = next;
    }
    return out;
  }
}
