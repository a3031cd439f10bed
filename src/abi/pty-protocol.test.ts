// The pty control channel's decoders: modes, signals and sizes round-trip; anything else
// is refused.
import { describe, expect, it } from 'vitest';
import { decodePtyEvent, decodePtyRequest, encodePtyMessage, PTY_MAX_CELLS } from './pty-protocol.ts';
import { utf8Encode } from './utf8.ts';

const json = (v: unknown) => utf8Encode(JSON.stringify(v));

describe('pty protocol', () => {
  it('round-trips a mode, a signal and a size', () => {
    const mode = { op: 'mode', mode: { canonical: false, echo: false, signals: true } } as const;
    expect(decodePtyRequest(encodePtyMessage(mode))).toEqual({ ok: true, value: mode });
    const signal = { ev: 'signal', signal: 'suspend' } as const;
    expect(decodePtyEvent(encodePtyMessage(signal))).toEqual({ ok: true, value: signal });
    const size = { ev: 'size', cols: 80, rows: 24 } as const;
    expect(decodePtyEvent(encodePtyMessage(size))).toEqual({ ok: true, value: size });
  });

  it('refuses bad flags, unknown signals, sizes out of range and junk', () => {
    for (const bad of [
      { op: 'mode', mode: { canonical: 1, echo: false, signals: true } },
      { op: 'mode' },
      { op: 'other' },
    ])
      expect(decodePtyRequest(json(bad)).ok).toBe(false);
    for (const bad of [
      { ev: 'signal', signal: 'kill' },
      { ev: 'size', cols: 0, rows: 24 },
      { ev: 'size', cols: 80, rows: PTY_MAX_CELLS + 1 },
      { ev: 'size', cols: 8.5, rows: 24 },
      [1],
    ])
      expect(decodePtyEvent(json(bad)).ok).toBe(false);
    expect(decodePtyEvent(utf8Encode('{')).ok).toBe(false);
  });
});
