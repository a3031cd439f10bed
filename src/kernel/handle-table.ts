// A process's handle table: maps the integers a process uses to Capabilities.
// Layer: kernel. Handle values are unforgeable in practice: each table XORs a random
// per-process secret into (generation << INDEX_BITS | index), so a value means
// nothing in another process, 0 is never issued, and a stale value fails because
// its generation no longer matches the slot's.
import { LIMITS } from '../abi/limits.ts';
import { Status } from '../abi/status.ts';
import type { Capability, CapabilityHolder } from './capability.ts';

const INDEX_BITS = 12;
const INDEX_MASK = (1 << INDEX_BITS) - 1;
const GENERATION_MASK = 0xfffff; // 20 bits: a slot can be reused ~1M times before a value repeats
if (LIMITS.HANDLES_PER_PROCESS > INDEX_MASK + 1)
  throw new Error('HANDLES_PER_PROCESS exceeds the index bits');

declare const handleBrand: unique symbol;
/** A handle value as a process sees it. */
export type Handle = number & { readonly [handleBrand]: true };

type Lookup =
  { ok: true; cap: Capability } | { ok: false; status: typeof Status.BAD_HANDLE | typeof Status.REVOKED };

interface Slot {
  cap: Capability;
  /** True once the capability was revoked; the slot stays until the process closes it. */
  tombstone: boolean;
  /** What this slot set as the capability's holder. */
  holder: CapabilityHolder | null;
}

export class HandleTable {
  readonly #secret: number;
  readonly #slots: (Slot | undefined)[] = [];
  readonly #generations: number[] = [];
  readonly #free: number[] = [];
  #count = 0;
  /** Told when a capability in this table is revoked (to cancel waits through it). */
  readonly #onRevoke: (cap: Capability) => void;

  constructor(onRevoke: (cap: Capability) => void = () => undefined, secret = randomSecret()) {
    this.#onRevoke = onRevoke;
    this.#secret = secret >>> 0;
  }

  get size(): number {
    return this.#count;
  }

  /** Installs a capability; LIMIT_EXCEEDED when the table is full (the caller keeps it). */
  add(cap: Capability): Handle | typeof Status.LIMIT_EXCEEDED {
    if (this.#count >= LIMITS.HANDLES_PER_PROCESS) return Status.LIMIT_EXCEEDED;
    const index = this.#free.pop() ?? this.#slots.length;
    const slot: Slot = { cap, tombstone: cap.revoked, holder: null };
    this.#slots[index] = slot;
    this.#generations[index] ??= 0;
    this.#count++;
    let value = this.#encode(index);
    while (value === 0) {
      this.#bump(index);
      value = this.#encode(index);
    }
    const holder: CapabilityHolder = {
      revoked: (c) => {
        slot.tombstone = true;
        this.#onRevoke(c);
      },
    };
    cap.holder = slot.holder = holder;
    return value as Handle;
  }

  /** BAD_HANDLE for a value this table never issued or has freed; REVOKED for a tombstone. */
  lookup(value: number): Lookup {
    const index = this.#index(value);
    const slot = index === -1 ? undefined : this.#slots[index];
    if (!slot) return { ok: false, status: Status.BAD_HANDLE };
    if (slot.tombstone) return { ok: false, status: Status.REVOKED };
    return { ok: true, cap: slot.cap };
  }

  /** Takes a handle out of the table (close or transfer). The caller owns the capability after. */
  remove(value: number): Capability | null {
    const index = this.#index(value);
    const slot = index === -1 ? undefined : this.#slots[index];
    if (!slot) return null;
    this.#slots[index] = undefined;
    this.#bump(index);
    this.#free.push(index);
    this.#count--;
    // Only if it is still ours: a spawn installs moved capabilities in the child's table
    // before it takes them out of the parent's.
    if (slot.cap.holder === slot.holder) slot.cap.holder = null;
    return slot.cap;
  }

  /** Every handle value with its capability, tombstones included. */
  *entries(): IterableIterator<[Handle, Capability, boolean]> {
    for (let i = 0; i < this.#slots.length; i++) {
      const slot = this.#slots[i];
      if (slot) yield [this.#encode(i) as Handle, slot.cap, slot.tombstone];
    }
  }

  /** Removes and closes every capability (the one exit path of a process). */
  closeAll(): void {
    for (const [value] of [...this.entries()]) this.remove(value)?.close();
  }

  #encode(index: number): number {
    return ((((this.#generations[index] ?? 0) << INDEX_BITS) | index) ^ this.#secret) >>> 0;
  }

  #index(value: number): number {
    if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) return -1;
    const raw = (value ^ this.#secret) >>> 0;
    const index = raw & INDEX_MASK;
    return raw >>> INDEX_BITS === this.#generations[index] && value !== 0 ? index : -1;
  }

  #bump(index: number): void {
    this.#generations[index] = ((this.#generations[index] ?? 0) + 1) & GENERATION_MASK;
  }
}

function randomSecret(): number {
  return crypto.getRandomValues(new Uint32Array(1))[0] ?? 0;
}
