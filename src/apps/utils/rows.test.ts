import { describe, expect, it } from 'vitest';
import { LIMITS } from '../../abi/limits.ts';
import { decodeRow, decodeRows } from './rows.ts';

const raw = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
  pid: 2,
  name: 'shell',
  state: 'running',
  parent: 1,
  priority: 'interactive',
  cpu_ms: 12,
  handles: 5,
  memory_bytes: 4096,
  ...over,
});

describe('decodeRow', () => {
  it('takes a row as the kernel writes it', () => {
    expect(decodeRow(raw())).toEqual({
      pid: 2,
      name: 'shell',
      state: 'running',
      parent: 1,
      priority: 'interactive',
      cpuMs: 12,
      handles: 5,
      memoryBytes: 4096,
    });
  });

  it.each([
    ['pid 0', { pid: 0 }],
    ['a negative pid', { pid: -1 }],
    ['a fractional pid', { pid: 1.5 }],
    ['a string pid', { pid: '2' }],
    ['no name', { name: undefined }],
    ['a numeric name', { name: 7 }],
    ['an empty state', { state: '' }],
    ['an overlong state', { state: 'x'.repeat(17) }],
    ['a missing priority', { priority: null }],
    ['a negative parent', { parent: -3 }],
    ['NaN cpu', { cpu_ms: NaN }],
    ['infinite cpu', { cpu_ms: Infinity }],
    ['negative cpu', { cpu_ms: -1 }],
    ['fractional handles', { handles: 1.5 }],
    ['string memory', { memory_bytes: '4096' }],
  ])('drops a row with %s', (_, over) => {
    expect(decodeRow(raw(over))).toBeNull();
  });

  it.each([null, 3, 'row', [1, 2]])('drops %j, which is not an object', (v) => {
    expect(decodeRow(v)).toBeNull();
  });

  it('makes names printable and cuts them to NAME_LENGTH', () => {
    expect(decodeRow(raw({ name: '\x1b]0;pwned\x07' }))?.name).toBe('?]0;pwned?');
    expect(decodeRow(raw({ name: 'n'.repeat(500) }))?.name).toHaveLength(LIMITS.NAME_LENGTH);
    expect(decodeRow(raw({ state: 'run\x1bning' }))?.state).toBe('run?ning');
  });

  it('keeps fractional cpu time and memory', () => {
    expect(decodeRow(raw({ cpu_ms: 1.25, memory_bytes: 0 }))).toMatchObject({ cpuMs: 1.25, memoryBytes: 0 });
  });
});

describe('decodeRows', () => {
  it('decodes a table in order and counts nothing dropped', () => {
    const r = decodeRows(JSON.stringify([raw({ pid: 1, parent: 0 }), raw()]));
    expect(r.ok && r.value.rows.map((x) => x.pid)).toEqual([1, 2]);
    expect(r.ok && r.value.dropped).toBe(0);
  });

  it('drops malformed rows and repeated pids, and counts them', () => {
    const r = decodeRows(JSON.stringify([raw(), raw({ name: 'again' }), { pid: 'x' }, raw({ pid: 3 })]));
    expect(r.ok && r.value.rows.map((x) => x.name)).toEqual(['shell', 'shell']);
    expect(r.ok && r.value.dropped).toBe(2);
  });

  it('keeps no more rows than there can be processes', () => {
    const many = Array.from({ length: LIMITS.PROCESSES + 10 }, (_, i) => raw({ pid: i + 1 }));
    const r = decodeRows(JSON.stringify(many));
    expect(r.ok && r.value.rows).toHaveLength(LIMITS.PROCESSES);
    expect(r.ok && r.value.dropped).toBe(10);
  });

  it.each(['', 'not json', '{"pid":1}', '42', 'null'])('refuses %j, which is not a JSON list', (t) => {
    expect(decodeRows(t).ok).toBe(false);
  });

  it('takes an empty list', () => {
    expect(decodeRows('[]')).toEqual({ ok: true, value: { rows: [], dropped: 0 } });
  });
});
