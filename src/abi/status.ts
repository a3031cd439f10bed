// Status: how every syscall reports its outcome. Expected failures are values, never
// exceptions (STYLE.md, errors tier 1). Layer: abi.

export const Status = {
  OK: 0,
  /** Not a live handle in the caller's table (never valid, closed, or stale generation). */
  BAD_HANDLE: -1,
  /** The handle names an object of another type than the call needs. */
  WRONG_TYPE: -2,
  /** The handle lacks a right the call needs, or the caller may not do this. */
  ACCESS_DENIED: -3,
  /** An argument is out of its documented range. */
  INVALID_ARGS: -4,
  /** The call exists in the table but is not implemented. */
  NOT_SUPPORTED: -5,
  /** Nothing to do yet: retry after waiting for the signal the call documents. */
  SHOULD_WAIT: -6,
  /** The other end of a channel (or a pipe) is gone. */
  PEER_CLOSED: -7,
  /** The capability was revoked through one of its ancestors. */
  REVOKED: -8,
  /** A per-process or per-object limit from LIMITS would be exceeded. */
  LIMIT_EXCEEDED: -9,
  /** A wait reached its deadline. */
  TIMED_OUT: -10,
  /** The object is in a state that does not allow the call (e.g. waiting on an exited process's exit). */
  BAD_STATE: -11,
  /** A buffer the caller supplied is too small for the result. */
  BUFFER_TOO_SMALL: -12,
  /** No such thing (program name, process id). */
  NOT_FOUND: -13,
  /** The operation was cancelled because its object or its caller went away. */
  CANCELED: -14,
} as const;

export type Status = (typeof Status)[keyof typeof Status];

const NAMES = new Map<number, string>(Object.entries(Status).map(([name, value]) => [value, name]));

/** "ACCESS_DENIED" for -3; "STATUS(-99)" for a value not in the table. */
export function statusName(status: number): string {
  return NAMES.get(status) ?? `STATUS(${status})`;
}

export function isStatus(value: number): value is Status {
  return NAMES.has(value);
}
