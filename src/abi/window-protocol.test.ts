// The window protocol's decoders: what the compositor accepts from an app and an app from
// the compositor, including a bitmap window's link messages (ADR 0020). Everything out of
// bounds is refused with a reason; nothing malformed decodes.
import { describe, expect, it } from 'vitest';
import { utf8Encode } from './utf8.ts';
import {
  decodeAppEvent,
  decodeAppRequest,
  decodeBitmapDrawn,
  decodeBitmapFrame,
  decodeControlMessage,
  encodeWindowMessage,
  WINDOW_LIMITS,
} from './window-protocol.ts';

const json = (v: unknown) => utf8Encode(JSON.stringify(v));
const bitmap = (width: number, height: number) => ({ width, height, close: () => undefined });

describe('decodeAppRequest', () => {
  it('round-trips a create, with bitmaps only when asked for', () => {
    const plain = { op: 'create', title: 'Clock', width: 320, height: 200 } as const;
    expect(decodeAppRequest(encodeWindowMessage(plain))).toEqual({ ok: true, value: plain });
    const gpu = { ...plain, bitmaps: true } as const;
    expect(decodeAppRequest(encodeWindowMessage(gpu))).toEqual({ ok: true, value: gpu });
    expect(decodeAppRequest(json({ ...plain, bitmaps: false }))).toEqual({ ok: true, value: plain });
  });

  it('refuses bad sizes, titles, flags and ids, and what is not a JSON object', () => {
    const create = { op: 'create', title: 't', width: 10, height: 10 };
    for (const bad of [
      { ...create, width: 0 },
      { ...create, height: WINDOW_LIMITS.SURFACE_MAX + 1 },
      { ...create, width: 1.5 },
      { ...create, title: 'x'.repeat(WINDOW_LIMITS.TITLE_MAX + 1) },
      { ...create, bitmaps: 'yes' },
      { op: 'present', window: 0 },
      { op: 'present', window: -3 },
      { op: 'text', window: 1, text: 'x'.repeat(WINDOW_LIMITS.TEXT_MAX + 1) },
      { op: 'launch', app: '../etc' },
      { op: 'nope' },
    ])
      expect(decodeAppRequest(json(bad)).ok, JSON.stringify(bad).slice(0, 80)).toBe(false);
    for (const bytes of [json([1]), json(null), utf8Encode('{'), new Uint8Array([0xff, 0xfe])])
      expect(decodeAppRequest(bytes).ok).toBe(false);
  });
});

describe('decodeAppEvent and decodeControlMessage', () => {
  it('round-trips a surface event and refuses one with a bad size', () => {
    const e = { ev: 'surface', window: 3, width: 640, height: 480 } as const;
    expect(decodeAppEvent(encodeWindowMessage(e))).toEqual({ ok: true, value: e });
    expect(decodeAppEvent(json({ ...e, width: 0 })).ok).toBe(false);
    expect(decodeAppEvent(json({ ...e, window: 'x' })).ok).toBe(false);
  });

  it('keeps known grants once each and refuses unknown ones', () => {
    const m = decodeControlMessage(json({ op: 'client', pid: 4, app: 'lamp', grants: ['notify', 'notify'] }));
    expect(m).toEqual({ ok: true, value: { op: 'client', pid: 4, app: 'lamp', grants: ['notify'] } });
    expect(decodeControlMessage(json({ op: 'client', pid: 4, app: 'lamp', grants: ['root'] })).ok).toBe(
      false,
    );
  });
});

describe('bitmap window link messages', () => {
  it('takes a frame with a rising number and a bitmap-shaped object of a sane size', () => {
    const b = bitmap(360, 240);
    expect(decodeBitmapFrame({ t: 'frame', frame: 1, bitmap: b })).toEqual({
      ok: true,
      value: { t: 'frame', frame: 1, bitmap: b },
    });
    for (const bad of [
      null,
      'frame',
      { t: 'frame', frame: 0, bitmap: b },
      { t: 'frame', frame: 2.5, bitmap: b },
      { t: 'frame', frame: 1 },
      { t: 'frame', frame: 1, bitmap: { width: 10, height: 10 } },
      { t: 'frame', frame: 1, bitmap: bitmap(0, 10) },
      { t: 'frame', frame: 1, bitmap: bitmap(10, WINDOW_LIMITS.SURFACE_MAX + 1) },
      { t: 'drawn', frame: 1, bitmap: b },
    ])
      expect(decodeBitmapFrame(bad).ok).toBe(false);
  });

  it('takes a drawn acknowledgement and nothing else', () => {
    expect(decodeBitmapDrawn({ t: 'drawn', frame: 7 })).toEqual({
      ok: true,
      value: { t: 'drawn', frame: 7 },
    });
    for (const bad of [{ t: 'drawn', frame: 0 }, { t: 'frame', frame: 1 }, 'drawn', null])
      expect(decodeBitmapDrawn(bad).ok).toBe(false);
  });
});
