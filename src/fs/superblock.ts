// The superblock: two fixed slots at the start of one file; the valid slot with the
// higher sequence number names the store's state (the refs object and the committed
// length of every pack). Layer: fs. Publishing writes the *other* slot and flushes, so a
// torn write only ever damages the slot that was not current (docs/fs.md, "Crash safety").
import type { BlockFile } from './backend.ts';
import { crc32, tryRead, Writer } from './codec.ts';
import { FORMAT_VERSION, MAGIC, readableVersion, SLOT_BYTES } from './format.ts';
import { HASH_BYTES, hashFromBytes, hashToBytes, ZERO_HASH, type Hash } from './hash.ts';

export interface PackExtent {
  readonly id: number;
  /** Bytes of the pack that belong to the store; anything after is a crashed append. */
  readonly length: number;
}

export interface SuperState {
  /** Increases by one per publish; the higher valid slot wins. */
  readonly seq: number;
  /** The next pack id to allocate (ids are never reused while a store exists). */
  readonly nextPackId: number;
  /** The REFS object; ZERO_HASH for an empty store. */
  readonly refs: Hash;
  readonly packs: readonly PackExtent[];
}

export const EMPTY_STATE: SuperState = { seq: 0, nextPackId: 1, refs: ZERO_HASH, packs: [] };

/** 4 magic, 2 version, 2 zero, 4 body length, 4 crc32(body). */
const SLOT_HEADER = 16;
/** Packs one slot can name. */
export const MAX_PACKS = Math.floor((SLOT_BYTES - SLOT_HEADER - 8 - 4 - HASH_BYTES - 4) / 12);

export function encodeSlot(s: SuperState): Uint8Array {
  const body = new Writer().u64(s.seq).u32(s.nextPackId).bytes(hashToBytes(s.refs)).u32(s.packs.length);
  for (const p of s.packs) body.u32(p.id).u64(p.length);
  const b = body.finish();
  const slot = new Writer().u32(MAGIC.SUPER).u16(FORMAT_VERSION).u16(0).u32(b.length).u32(crc32(b)).bytes(b);
  const out = new Uint8Array(SLOT_BYTES);
  out.set(slot.finish());
  return out;
}

/** The state in a slot, or null if the slot is empty, torn or of another version. */
export function decodeSlot(slot: Uint8Array): SuperState | null {
  const view = new DataView(slot.buffer, slot.byteOffset, slot.byteLength);
  if (slot.length < SLOT_HEADER || view.getUint32(0, true) !== MAGIC.SUPER) return null;
  if (!readableVersion(view.getUint16(4, true))) return null;
  const length = view.getUint32(8, true);
  if (length > slot.length - SLOT_HEADER) return null;
  const body = slot.subarray(SLOT_HEADER, SLOT_HEADER + length);
  if (crc32(body) !== view.getUint32(12, true)) return null;
  return tryRead(body, (r) => {
    const seq = r.u64();
    const nextPackId = r.u32();
    const refs = hashFromBytes(r.bytes(HASH_BYTES));
    const packs = Array.from({ length: r.u32() }, () => ({ id: r.u32(), length: r.u64() }));
    return { seq, nextPackId, refs, packs };
  });
}

/** Magic of a slot that is not ours, or of a newer format: refuse to touch the store. */
export function foreignSlot(slot: Uint8Array): string | null {
  if (slot.length < 8) return null;
  const view = new DataView(slot.buffer, slot.byteOffset, slot.byteLength);
  const magic = view.getUint32(0, true);
  if (magic === MAGIC.SUPER && view.getUint16(4, true) > FORMAT_VERSION) {
    return `superblock format ${view.getUint16(4, true)} is newer than this build (${FORMAT_VERSION})`;
  }
  return null;
}

/** Reads both slots; the newest valid state, EMPTY_STATE for a new file, or an error text. */
export function readSuperblock(file: BlockFile): { state: SuperState; slot: number } | string {
  const slots = [0, 1].map((i) => {
    const b = new Uint8Array(SLOT_BYTES);
    const n = file.read(b, i * SLOT_BYTES);
    return b.subarray(0, n);
  });
  for (const s of slots) {
    const foreign = foreignSlot(s);
    if (foreign !== null) return foreign;
  }
  const states = slots.map(decodeSlot);
  let best: { state: SuperState; slot: number } | null = null;
  states.forEach((state, slot) => {
    if (state !== null && (best === null || state.seq > best.state.seq)) best = { state, slot };
  });
  if (best !== null) return best;
  // Slot 0 is written first and slot 1 only after slot 0 was valid and durable, so a file
  // shorter than two slots without a valid one is a new store whose first publish did
  // not land: empty, and slot 0 is next.
  if (file.size() < 2 * SLOT_BYTES) return { state: EMPTY_STATE, slot: 1 };
  return 'neither superblock slot is valid: the store is damaged or is not a Tessera store';
}

/** Writes `state` over the slot that is not `current` and flushes. Returns the slot written. */
export function writeSuperblock(file: BlockFile, state: SuperState, current: number): number {
  const slot = 1 - current;
  file.write(encodeSlot(state), slot * SLOT_BYTES);
  file.flush();
  return slot;
}
