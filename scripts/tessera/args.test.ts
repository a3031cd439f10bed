// `tessera run`'s argument parsing: every option, defaults and each usage error.
import { describe, expect, it } from 'vitest';
import { parseRunArgs } from './args.ts';

describe('parseRunArgs', () => {
  it('takes dirs, env, stdin and json, then the program and its own arguments', () => {
    const r = parseRunArgs([
      'run',
      '--dir',
      'data',
      '--dir',
      '/tmp/x::/',
      '--env',
      'A=1',
      '--stdin',
      'in.txt',
      '--json',
      'p.wasm',
      '--dir',
      'y',
    ]);
    expect(r).toEqual({
      dirs: [
        { host: 'data', guest: 'data' },
        { host: '/tmp/x', guest: '/' },
      ],
      env: ['A=1'],
      stdin: 'in.txt',
      json: true,
      program: 'p.wasm',
      args: ['--dir', 'y'],
    });
  });

  it('GUEST defaults to the directory name; -- ends the options', () => {
    const r = parseRunArgs(['run', '--dir', '/a/b/fs-tests.dir', '--', '--odd.wasm']);
    expect(r).toMatchObject({
      dirs: [{ host: '/a/b/fs-tests.dir', guest: 'fs-tests.dir' }],
      program: '--odd.wasm',
    });
  });

  it('with no --env the environment is empty', () => {
    expect(parseRunArgs(['run', 'p.wasm'])).toMatchObject({ env: [], dirs: [], stdin: null, json: false });
  });

  it.each([
    [['go', 'p.wasm'], /unknown command/],
    [['run'], /no PROGRAM/],
    [['run', '--dir'], /--dir needs/],
    [['run', '--dir', '::x', 'p.wasm'], /no host directory/],
    [['run', '--env', 'novalue', 'p.wasm'], /--env needs/],
    [['run', '--stdin'], /--stdin needs/],
    [['run', '--frob', 'p.wasm'], /unknown option/],
    [['run', '--dir', 'a::x', '--dir', 'b::x', 'p.wasm'], /same GUEST/],
  ])('%j is a usage error', (words, message) => {
    expect(parseRunArgs(words)).toMatch(message);
  });
});
