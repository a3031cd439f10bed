import { describe, expect, it } from 'vitest';
import {
  BUILTIN_PROGRAMS,
  HOST_LINK_HANDLE_INDEX,
  programHandleIndex,
  SELF_PROCESS_HANDLE_INDEX,
} from '../abi/programs.ts';
import { PROGRAMS } from './programs.ts';

describe('the built-in program table', () => {
  it('lists the programs of src/abi/programs.ts, in its order (pid 1 takes handles by position)', () => {
    expect(Object.keys(PROGRAMS)).toEqual([...BUILTIN_PROGRAMS]);
  });

  it('places each other program’s handle after the audit log, then pid 1’s own Process, then the host link', () => {
    expect(programHandleIndex('init', 'conformance')).toBe(1);
    const last = BUILTIN_PROGRAMS.at(-1) ?? 'init';
    expect(programHandleIndex(last, 'conformance')).toBe(BUILTIN_PROGRAMS.length - 1);
    expect(programHandleIndex('conformance-peer', 'conformance')).toBe(
      BUILTIN_PROGRAMS.indexOf('conformance-peer'),
    );
    expect(programHandleIndex('bench-echo', 'bench-ipc')).toBe(2);
    expect(() => programHandleIndex('bench-ipc', 'bench-ipc')).toThrow(/not another built-in/);
    expect(SELF_PROCESS_HANDLE_INDEX).toBe(BUILTIN_PROGRAMS.length);
    expect(HOST_LINK_HANDLE_INDEX).toBe(BUILTIN_PROGRAMS.length + 1);
  });
});
