// The wasi loader's own arguments: what a spawner may say, and what it may not.
import { describe, expect, it } from 'vitest';
import { loaderArgs, parseLoaderArgs } from './loader-args.ts';

describe('loader arguments', () => {
  it('round-trips preopens, the digest flag and an argv that looks like options', () => {
    const argv = ['prog', '--preopen=/x', '--module-digest', '--', ''];
    for (const digest of [false, true]) {
      const words = loaderArgs(['/', '/data dir'], argv, digest);
      expect(parseLoaderArgs(words)).toEqual({
        ok: true,
        value: { preopens: ['/', '/data dir'], moduleDigest: digest, argv },
      });
    }
    expect(loaderArgs([], ['p'])).toEqual(['--', 'p']);
  });

  it('refuses what a spawner could get wrong, naming it', () => {
    const bad = (words: string[]) => {
      const r = parseLoaderArgs(words);
      return r.ok ? 'accepted' : r.error;
    };
    expect(bad(['--preopen=/', 'p'])).toMatch(/expects `--`/);
    expect(bad(['--preopen=/', '--'])).toMatch(/no command/);
    expect(bad(['--preopen=', '--', 'p'])).toMatch(/bad loader option "--preopen="/);
    expect(bad(['--module-digest', '--module-digest', '--', 'p'])).toMatch(/bad loader option/);
    expect(bad(['--module-digest=1', '--', 'p'])).toMatch(/bad loader option "--module-digest=1"/);
    expect(bad(['-v', '--', 'p'])).toMatch(/bad loader option "-v"/);
  });
});
