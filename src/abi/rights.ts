// Rights: what a handle lets its holder do with the object behind it. Rights only
// ever shrink: duplicate and replace take a subset, never a superset. Layer: abi.

declare const rightsBrand: unique symbol;
/** A set of RIGHT bits. Branded so a plain number is never mistaken for one. */
export type Rights = number & { readonly [rightsBrand]: true };

export const Right = {
  NONE: 0 as Rights,
  /** handle.duplicate may copy the handle. */
  DUPLICATE: (1 << 0) as Rights,
  /** The handle may be moved to another process in a channel message. */
  TRANSFER: (1 << 1) as Rights,
  READ: (1 << 2) as Rights,
  WRITE: (1 << 3) as Rights,
  /** Spawn a process from a program; run code. */
  EXECUTE: (1 << 4) as Rights,
  /** Map a memory object into the caller's address space. */
  MAP: (1 << 5) as Rights,
  /** Raise user signals on the object. */
  SIGNAL: (1 << 6) as Rights,
  /** Wait on the object's signals, directly or through a port. */
  WAIT: (1 << 7) as Rights,
  /** Read the object's details (object.info beyond type and rights, process.list). */
  INSPECT: (1 << 8) as Rights,
  /** Change the object's life: kill, suspend, resume, set quotas. */
  MANAGE: (1 << 9) as Rights,
  /**
   * Rights the kernel never checks but keeps like any other: they only shrink and are
   * revoked with the handle. A server gives them meaning: a channel reader learns the
   * rights of the handle each message was written through (channel.read), so a file
   * server can let a Directory handle be duplicated without CREATE, say.
   */
  SERVER_0: (1 << 16) as Rights,
  SERVER_1: (1 << 17) as Rights,
  SERVER_2: (1 << 18) as Rights,
  SERVER_3: (1 << 19) as Rights,
  SERVER_4: (1 << 20) as Rights,
  SERVER_5: (1 << 21) as Rights,
  SERVER_6: (1 << 22) as Rights,
  SERVER_7: (1 << 23) as Rights,
} as const;

/** The server-defined bits (SERVER_0..SERVER_7). */
export const SERVER_RIGHTS = (0xff << 16) as Rights;

export const ALL_RIGHTS = Object.values(Right).reduce((all, r) => all | r, 0) as Rights;

export const rights = (...bits: Rights[]): Rights => bits.reduce((all, r) => all | r, 0) as Rights;

/** True when every bit of `wanted` is in `held`. */
export const hasRights = (held: Rights, wanted: Rights): boolean => (held & wanted) === wanted;

/** Narrows an unchecked number from a domain to Rights, or null if it names unknown bits. */
export function toRights(value: number): Rights | null {
  return Number.isInteger(value) && value >= 0 && (value & ~ALL_RIGHTS) === 0 ? (value as Rights) : null;
}

/** "READ|WRITE" for display and docs. */
export function rightsNames(r: Rights): string {
  const names = Object.entries(Right).filter(([n, bit]) => n !== 'NONE' && (r & bit) !== 0);
  return names.length === 0 ? 'NONE' : names.map(([n]) => n).join('|');
}
