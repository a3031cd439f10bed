import { describe, expect, it } from 'vitest';
import {
  BOOT_LIMITS,
  decodeBootRequest,
  decodeDomainBootstrap,
  decodeHostLinkMessage,
  decodeKernelReport,
} from './boot.ts';
import { LIMITS } from './limits.ts';

const sab = () => new SharedArrayBuffer(8);
const bootstrap = (over: Record<string, unknown> = {}) => ({
  kind: 'bootstrap',
  pid: 1,
  name: 'init',
  spawner: 0,
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
    ['a negative spawner', bootstrap({ spawner: -1 })],
    ['a missing spawner', bootstrap({ spawner: undefined })],
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
    ['host bytes that are not bytes', { kind: 'host', data: [1, 2] }],
    ['host bytes over a message', { kind: 'host', data: new Uint8Array(LIMITS.MESSAGE_BYTES + 1) }],
    ['a refusal without a reason', { kind: 'host-refused' }],
  ])('decodeKernelReport rejects %s', (_what, data) => {
    expect(decodeKernelReport(data).ok).toBe(false);
  });

  it('decode the host link’s reports and messages, copying only known fields', () => {
    const data = new Uint8Array([1, 2]);
    expect(decodeKernelReport({ kind: 'host', data, extra: 1 })).toEqual({
      ok: true,
      value: { kind: 'host', data },
    });
    expect(decodeKernelReport({ kind: 'host-closed', x: 1 })).toEqual({
      ok: true,
      value: { kind: 'host-closed' },
    });
    expect(decodeKernelReport({ kind: 'host-refused', reason: 'full' })).toEqual({
      ok: true,
      value: { kind: 'host-refused', reason: 'full' },
    });
    const full = new Uint8Array(LIMITS.MESSAGE_BYTES);
    expect(decodeHostLinkMessage({ kind: 'host', data: full, extra: 1 })).toEqual({
      ok: true,
      value: { kind: 'host', data: full },
    });
  });

  it.each([
    ['null', null],
    ['a string', 'host'],
    ['another kind', { kind: 'boot', data: new Uint8Array(1) }],
    ['no data', { kind: 'host' }],
    ['an ArrayBuffer', { kind: 'host', data: new ArrayBuffer(4) }],
    ['a number array', { kind: 'host', data: [1, 2, 3] }],
    ['another typed array', { kind: 'host', data: new Uint16Array(2) }],
    ['one byte over a message', { kind: 'host', data: new Uint8Array(LIMITS.MESSAGE_BYTES + 1) }],
  ])('decodeHostLinkMessage rejects %s', (_what, data) => {
    expect(decodeHostLinkMessage(data).ok).toBe(false);
  });
});
