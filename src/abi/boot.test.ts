import { describe, expect, it } from 'vitest';
import { BOOT_LIMITS, decodeBootRequest, decodeDomainBootstrap, decodeKernelReport } from './boot.ts';

const sab = () => new SharedArrayBuffer(8);
const bootstrap = (over: Record<string, unknown> = {}) => ({
  kind: 'bootstrap',
  pid: 1,
  name: 'init',
  submission: sab(),
  completion: sab(),
  doorbell: sab(),
  control: new SharedArrayBuffer(16),
  handles: [5],
  argv: [],
  env: ['A=1'],
  ...over,
});

describe('boot protocol decoders', () => {
  it('accept well-formed messages and copy only known fields', () => {
    expect(decodeBootRequest({ kind: 'boot', initTimeoutMs: 10, extra: 1 })).toEqual({
      ok: true,
      value: { kind: 'boot', initTimeoutMs: 10, init: 'init' },
    });
    expect(decodeDomainBootstrap(bootstrap({ extra: 1 }))).toMatchObject({
      ok: true,
      value: { pid: 1, handles: [5] },
    });
    expect(decodeKernelReport({ kind: 'ready', at: 3, initPid: 1 })).toEqual({
      ok: true,
      value: { kind: 'ready', at: 3, initPid: 1 },
    });
  });

  it.each([
    ['null', null],
    ['pid 0', bootstrap({ pid: 0 })],
    ['a fractional pid', bootstrap({ pid: 1.5 })],
    ['an empty name', bootstrap({ name: '' })],
    ['a long name', bootstrap({ name: 'n'.repeat(BOOT_LIMITS.NAME_MAX + 1) })],
    ['a plain ArrayBuffer ring', bootstrap({ submission: new ArrayBuffer(8) })],
    ['a missing doorbell', bootstrap({ doorbell: undefined })],
    ['a control block of the wrong size', bootstrap({ control: sab() })],
    ['handle 0', bootstrap({ handles: [0] })],
    ['a non-string argument', bootstrap({ argv: [1] })],
  ])('decodeDomainBootstrap rejects %s', (_what, data) => {
    expect(decodeDomainBootstrap(data).ok).toBe(false);
  });

  it.each([
    ['a zero timeout', { kind: 'boot', initTimeoutMs: 0 }],
    ['a string timeout', { kind: 'boot', initTimeoutMs: '10' }],
    ['an init that is not a program name', { kind: 'boot', initTimeoutMs: 10, init: '../evil.js' }],
  ])('decodeBootRequest rejects %s', (_what, data) => {
    expect(decodeBootRequest(data).ok).toBe(false);
  });

  it.each([
    ['an unknown kind', { kind: 'grant' }],
    ['a log without an event', { kind: 'log' }],
    ['a ready without a pid', { kind: 'ready', at: 1 }],
    ['a failure without a reason', { kind: 'failed', at: 1 }],
  ])('decodeKernelReport rejects %s', (_what, data) => {
    expect(decodeKernelReport(data).ok).toBe(false);
  });
});
