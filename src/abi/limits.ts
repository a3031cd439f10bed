// Limits the kernel enforces, in one place. A call that would exceed one fails with
// LIMIT_EXCEEDED; a domain that sends something larger than the wire allows is faulted.
// Layer: abi.

export const LIMITS = {
  /** Live handles in one process's table (including revoked tombstones). */
  HANDLES_PER_PROCESS: 4096,
  /**
   * Bytes in one channel message: 64 KiB of data and 1 KiB for a protocol's framing, so
   * that one fs request carries a whole 64 KiB read or write (FS_IO_MAX, ADR 0024).
   */
  MESSAGE_BYTES: 65 * 1024,
  /** Handles in one channel message. */
  MESSAGE_HANDLES: 64,
  /** Messages queued, unread, on one channel end. */
  QUEUED_MESSAGES: 1024,
  /** Live processes, init included. */
  PROCESSES: 256,
  /** Processes of class BATCH that may run at once; the rest park at their next syscall. */
  RUNNABLE_BATCH: 1,
  /** Arguments and environment of a spawn, in bytes after UTF-8 encoding. */
  SPAWN_ARGS_BYTES: 64 * 1024,
  /** Length of a process name in UTF-16 code units. */
  NAME_LENGTH: 64,
  /** Bytes in one Memory object. */
  MEMORY_BYTES: 256 * 1024 * 1024,
  /** Observers (waits and port bindings) on one object. */
  OBSERVERS_PER_OBJECT: 1024,
  /** Packets queued on one port. */
  PORT_PACKETS: 4096,
  /** Entries the audit log keeps before dropping the oldest. */
  AUDIT_ENTRIES: 4096,
  /**
   * Longest timer delay or wait timeout, in ms, that host timers (setTimeout) honour: a
   * longer one would fire at once. timer.set refuses more; object.wait_one waits forever.
   */
  TIMER_MS: 2 ** 31 - 1,
  /** Syscall ring size per direction, in bytes. */
  SYSCALL_RING_BYTES: 256 * 1024,
  /** Channel ring size per direction, in bytes: room for a MESSAGE_BYTES record and more. */
  CHANNEL_RING_BYTES: 256 * 1024,
  /** Channel ends one process may map (each costs two channel rings). */
  MAPPED_CHANNELS: 64,
  /**
   * Host messages the kernel holds for pid 1's host link while its queue is full
   * (QUEUED_MESSAGES); one more is refused back to the page (ADR 0011).
   */
  HOST_LINK_QUEUED: 64,
} as const;
