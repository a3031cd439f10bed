// Saved layouts: a round trip, and every kind of bad input answered with an error.
import { describe, expect, it } from 'vitest';
import { LAYOUT_FORMAT, MAX_LAYOUT_CHARS, parseLayout, serializeLayout, type Layout } from './persist.ts';

const layout: Layout = new Map([
  ['terminal', { rect: { x: 10, y: 20, w: 640, h: 400 }, placement: { kind: 'normal' }, workspace: 0 }],
  [
    'paint',
    {
      rect: { x: -30, y: 40, w: 500, h: 300 },
      placement: { kind: 'snapped', zone: 'top-right' },
      workspace: 2,
    },
  ],
  ['files', { rect: { x: 0, y: 0, w: 300, h: 200 }, placement: { kind: 'maximized' }, workspace: 3 }],
] as const);

const doc = (windows: unknown, extra: object = {}) =>
  JSON.stringify({ format: LAYOUT_FORMAT, version: 1, windows, ...extra });
const entry = { app: 'a', rect: { x: 0, y: 0, w: 100, h: 100 }, state: 'normal', workspace: 0 };

describe('layout persistence', () => {
  it('round-trips', () => {
    expect(parseLayout(serializeLayout(layout))).toEqual({ ok: true, value: layout });
    expect(parseLayout(serializeLayout(new Map()))).toEqual({ ok: true, value: new Map() });
  });

  it('rejects text that is not a layout', () => {
    expect(parseLayout('{')).toEqual({ ok: false, error: 'layout: not valid JSON' });
    expect(parseLayout(42)).toEqual({ ok: false, error: 'layout: expected JSON text' });
    expect(parseLayout('[]').ok).toBe(false);
    expect(parseLayout('{"windows": []}')).toEqual({
      ok: false,
      error: `layout: not a ${LAYOUT_FORMAT} document`,
    });
    expect(parseLayout(doc([], { version: 2 }))).toEqual({
      ok: false,
      error: 'layout: version 2 is not supported',
    });
    expect(parseLayout(doc({}))).toEqual({ ok: false, error: 'layout.windows: expected an array' });
    expect(parseLayout(' '.repeat(MAX_LAYOUT_CHARS + 1)).ok).toBe(false);
  });

  it('names the first bad field', () => {
    const bad = (patch: object) => parseLayout(doc([entry, { ...entry, app: 'b', ...patch }]));
    expect(bad({ rect: { x: 0, y: 0, w: -5, h: 100 } })).toEqual({
      ok: false,
      error: 'layout.windows[1].rect.w: expected an integer from 1 to 32768',
    });
    expect(bad({ rect: { x: 1.5, y: 0, w: 5, h: 5 } }).ok).toBe(false);
    expect(parseLayout(doc([entry]).replace('"x":0', '"x":1e400'))).toEqual({
      ok: false,
      error: 'layout.windows[0].rect.x: expected an integer from -32768 to 32768',
    });
    expect(bad({ rect: { x: '1', y: 0, w: 5, h: 5 } }).ok).toBe(false);
    expect(bad({ rect: null })).toEqual({
      ok: false,
      error: 'layout.windows[1].rect: expected an object {x, y, w, h}',
    });
    expect(bad({ state: 'fullscreen' }).ok).toBe(false);
    expect(bad({ state: 'snapped', zone: 'middle' })).toEqual({
      ok: false,
      error: 'layout.windows[1].zone: expected a snap zone (left, right, top-left, …)',
    });
    expect(bad({ workspace: 4 }).ok).toBe(false);
    expect(bad({ app: '' }).ok).toBe(false);
    expect(bad({ app: 'x'.repeat(129) }).ok).toBe(false);
    expect(bad({ app: 'a' })).toEqual({ ok: false, error: 'layout.windows[1].app: "a" appears twice' });
    expect(parseLayout(doc([null])).ok).toBe(false);
  });

  it('never throws and never yields a non-finite rect, whatever the text', () => {
    const texts = [
      'null',
      'true',
      '"x"',
      doc([{ ...entry, rect: { x: 'NaN' } }]),
      doc([{ __proto__: entry }]),
      '\u0000',
    ];
    for (const t of texts) {
      const r = parseLayout(t);
      if (r.ok)
        for (const s of r.value.values()) expect(Object.values(s.rect).every(Number.isFinite)).toBe(true);
    }
  });
});
