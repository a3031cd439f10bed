// The wasi loader's own arguments: what a spawner may say, and what it may not.
import { describe, expect, it } from 'vitest';
import { loaderArgs, parseLoaderArgs } from './loader-args.ts';

describe('loader arguments', () => {
  it('round-trips preopens and an argv that looks like options', () => {
    const argv = ['prog', '--preopen=/x', '--', ''];
    expect(parseLoaderArgs(loaderArgs(['/', '/data dir'], argv))).toEqual({
      ok: true,
      value: { preopens: ['/', '/data dir'], digest: null, argv },
    });
    expect(loaderArgs([], ['p'])).toEqual(['--', 'p']);
    expect(parseLoaderArgs(loaderArgs(['/'], argv, 'ab01'))).toEqual({
      ok: true,
      value: { preopens: ['/'], digest: 'ab01', argv },
    });
    // No digest (a file with unsynced changes has none) is no option at all.
    expect(loaderArgs([], ['p'], '')).toEqual(['--', 'p']);
  });

  it('refuses what a spawner could get wrong, naming it', () => {
    const bad = (words: string[]) => {
      const r = parseLoaderArgs(words);
      return r.ok ? 'accepted' : r.error;
    };
    expect(bad(['--preopen=/', 'p'])).toMatch(/expects `--`/);
    expect(bad(['--preopen=/', '--'])).toMatch(/no command/);
    expect(bad(['--preopen=', '--', 'p'])).toMatch(/bad loader option "--preopen="/);
    expect(bad(['-v', '--', 'p'])).toMatch(/bad loader option "-v"/);
    expect(bad(['--digest=', '--', 'p'])).toMatch(/bad loader option "--digest="/);
    expect(bad(['--digest=AB', '--', 'p'])).toMatch(/bad loader option "--digest=AB"/);
    expect(bad(['--digest=../x', '--', 'p'])).toMatch(/bad loader option/);
    expect(bad(['--digest=a', '--digest=b', '--', 'p'])).toMatch(/bad loader option "--digest=b"/);
  });
});
