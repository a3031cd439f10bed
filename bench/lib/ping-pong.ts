// Bare SharedArrayBuffer ping-pong between two workers: the platform's floor for a
// synchronous round trip. The pinger stores a sequence number in PING; the ponger
// echoes it into PONG. Both sides wait with lib/wait.ts, so `spin` picks the mode.
import { awaitChange, publish } from './wait.ts';

export const PING_PONG = { PING: 0, PONG: 1, PINGER_SLEEPING: 2, PONGER_SLEEPING: 3, BYTES: 16 } as const;
const { PING, PONG, PINGER_SLEEPING, PONGER_SLEEPING } = PING_PONG;

/** A fresh, zeroed ping-pong cell block; use one per run so sequence numbers start at 1. */
export const createPingPong = (): SharedArrayBuffer => new SharedArrayBuffer(PING_PONG.BYTES);

/** One round trip: round `seq` (1, 2, …) out, and back. */
export function ping(view: Int32Array, seq: number, spin: number): void {
  publish(view, PING, seq, PONGER_SLEEPING);
  let seen = Atomics.load(view, PONG);
  while (seen !== seq) seen = awaitChange(view, PONG, seen, PINGER_SLEEPING, spin);
}

/** Answers `count` pings, then returns. */
export function pong(view: Int32Array, count: number, spin: number): void {
  let last = 0;
  for (let i = 0; i < count; i++) {
    last = awaitChange(view, PING, last, PONGER_SLEEPING, spin);
    publish(view, PONG, last, PINGER_SLEEPING);
  }
}
