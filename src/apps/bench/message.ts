// Stream messages of the bench programs: the sequence number in the first four bytes
// and a check byte in the last, so the sink tells a torn, stale or reordered message
// from a good one without comparing every byte (the same marks the platform baselines
// use, bench/lib/message.ts). Layer: apps.

/** Smallest message that holds both marks. */
export const MIN_MESSAGE_BYTES = 8;

const checkByte = (seq: number): number => (seq & 0xff) ^ 0xa5;

/** Writes message number `seq` into `msg` (its other bytes are left as they are). */
export function stamp(msg: Uint8Array, seq: number): void {
  msg[0] = seq;
  msg[1] = seq >>> 8;
  msg[2] = seq >>> 16;
  msg[3] = seq >>> 24;
  msg[msg.length - 1] = checkByte(seq);
}

/** Whether `msg` is message number `seq`, `bytes` long. */
export function isStamped(msg: Uint8Array, seq: number, bytes: number): boolean {
  if (msg.length !== bytes) return false;
  const got = ((msg[0] ?? 0) | ((msg[1] ?? 0) << 8) | ((msg[2] ?? 0) << 16) | ((msg[3] ?? 0) << 24)) >>> 0;
  return got === seq >>> 0 && msg[msg.length - 1] === checkByte(seq);
}
