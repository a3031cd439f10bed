import { describe, expect, it } from 'vitest';
import {
  BOOT_LIMITS,
  decodeBootRequest,
  decodeDomainBootstrap,
  decodeDomainLog,
  decodeKernelReport,
  DOMAIN_STATUS,
} from './boot.ts';

const status = () => new SharedArrayBuffer(DOMAIN_STATUS.BYTES);

describe('boot protocol decoders', () => {
  it('accept well-formed messages and copy only known fields', () => {
    expect(decodeBootRequest({ kind: 'boot', initTimeoutMs: 10, extra: 1 })).toEqual({
      ok: true,
      value: { kind: 'boot', initTimeoutMs: 10 },
    });
    expect(decodeDomainLog({ kind: 'log', at: 5, level: 'warn', message: 'm', evil: true })).toEqual({
      ok: true,
      value: { kind: 'log', at: 5, level: 'warn', message: 'm' },
    });
    expect(decodeDomainBootstrap({ kind: 'bootstrap', pid: 1, name: 'init', status: status() }).ok).toBe(
      true,
    );
    expect(decodeKernelReport({ kind: 'ready', at: 3, initPid: 1 })).toEqual({
      ok: true,
      value: { kind: 'ready', at: 3, initPid: 1 },
    });
  });

  it.each([
    ['null', null],
    ['an array', [{ kind: 'log' }]],
    ['a string', 'log'],
    ['a wrong kind', { kind: 'boot', at: 1, level: 'info', message: '' }],
    ['a missing message', { kind: 'log', at: 1, level: 'info' }],
    ['a negative time', { kind: 'log', at: -1, level: 'info', message: '' }],
    ['an infinite time', { kind: 'log', at: Infinity, level: 'info', message: '' }],
    ['an unknown level', { kind: 'log', at: 1, level: 'debug', message: '' }],
    [
      'an oversized message',
      { kind: 'log', at: 1, level: 'info', message: 'x'.repeat(BOOT_LIMITS.LOG_MESSAGE_MAX + 1) },
    ],
  ])('decodeDomainLog rejects %s', (_what, data) => {
    expect(decodeDomainLog(data).ok).toBe(false);
  });

  it.each([
    ['pid 0', { kind: 'bootstrap', pid: 0, name: 'init', status: status() }],
    ['a fractional pid', { kind: 'bootstrap', pid: 1.5, name: 'init', status: status() }],
    ['an empty name', { kind: 'bootstrap', pid: 1, name: '', status: status() }],
    [
      'a long name',
      { kind: 'bootstrap', pid: 1, name: 'n'.repeat(BOOT_LIMITS.NAME_MAX + 1), status: status() },
    ],
    ['a plain ArrayBuffer', { kind: 'bootstrap', pid: 1, name: 'init', status: new ArrayBuffer(8) }],
    [
      'a status of the wrong size',
      { kind: 'bootstrap', pid: 1, name: 'init', status: new SharedArrayBuffer(64) },
    ],
  ])('decodeDomainBootstrap rejects %s', (_what, data) => {
    expect(decodeDomainBootstrap(data).ok).toBe(false);
  });

  it.each([
    ['a zero timeout', { kind: 'boot', initTimeoutMs: 0 }],
    ['a string timeout', { kind: 'boot', initTimeoutMs: '10' }],
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
