// Test messages. Latency benchmarks send a small structured payload shaped like a
// capability call. Throughput messages carry their sequence number at the start and
// a check byte at the end, so a consumer can tell a torn, stale or reordered message
// from a good one without comparing every byte.

export interface PingMessage {
  readonly kind: 'ping';
  readonly seq: number;
  readonly op: 'call';
  readonly cap: number;
  readonly args: readonly number[];
  readonly tag: string;
}

export const pingMessage = (seq: number): PingMessage => ({
  kind: 'ping',
  seq,
  op: 'call',
  cap: 12345,
  args: [1, 2, 3],
  tag: 'x',
});

export const isPing = (data: unknown): data is PingMessage =>
  typeof data === 'object' && data !== null && (data as { kind?: unknown }).kind === 'ping';

/** Smallest message that holds both marks. */
export const MIN_MESSAGE_BYTES = 8;

const checkByte = (seq: number): number => (seq & 0xff) ^ 0xa5;

/** Writes message number `seq` into `msg` (its other bytes are left as they are). */
export function stampMessage(msg: Uint8Array, seq: number): void {
  msg[0] = seq;
  msg[1] = seq >>> 8;
  msg[2] = seq >>> 16;
  msg[3] = seq >>> 24;
  msg[msg.length - 1] = checkByte(seq);
}

/** Whether `msg` is message number `seq`. */
export function isMessage(msg: Uint8Array, seq: number): boolean {
  const got = ((msg[0] ?? 0) | ((msg[1] ?? 0) << 8) | ((msg[2] ?? 0) << 16) | ((msg[3] ?? 0) << 24)) >>> 0;
  return got === seq >>> 0 && msg[msg.length - 1] === checkByte(seq);
}
