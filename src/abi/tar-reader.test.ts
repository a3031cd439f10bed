// The streaming tar writer (tar.ts) and reader (tar-reader.ts): round trips in pieces of
// any size, archives made and read by the system's tar, and hostile archives refused.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, readlinkSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  encodeTarHeader,
  normalizeTarPath,
  TAR_BLOCK,
  tarEnd,
  tarPaddingBytes,
  type TarHeader,
} from './tar.ts';
import { TarReader, type TarEvent } from './tar-reader.ts';

interface Member {
  readonly header: TarHeader;
  readonly data: Uint8Array;
}

function archive(members: readonly Member[]): Uint8Array {
  const parts: Uint8Array[] = [];
  let written = 0;
  for (const m of members) {
    for (const p of [encodeTarHeader(m.header), m.data, new Uint8Array(tarPaddingBytes(m.data.length))]) {
      parts.push(p);
      written += p.length;
    }
  }
  parts.push(tarEnd(written));
  return new Uint8Array(Buffer.concat(parts));
}

/** Reads `bytes` pushed in pieces of `piece` bytes; members with their data joined. */
function read(bytes: Uint8Array, piece: number): { members: Member[]; done: boolean } {
  const reader = new TarReader();
  const members: { header: TarHeader; data: Uint8Array[] }[] = [];
  for (let at = 0; at < bytes.length; at += piece) {
    const r = reader.push(bytes.subarray(at, at + piece));
    if (!r.ok) throw new Error(r.error.message);
    for (const e of r.value as TarEvent[]) {
      if (e.type === 'entry') members.push({ header: e.header, data: [] });
      else if (e.type === 'data') members.at(-1)?.data.push(e.bytes.slice());
    }
  }
  return {
    members: members.map((m) => ({ header: m.header, data: Buffer.concat(m.data) })),
    done: reader.finish().ok,
  };
}

const file = (path: string, text: string, mtime = 1_700_000_000_000): Member => {
  const data = new TextEncoder().encode(text);
  return { header: { kind: 'file', path, mode: 0o644, mtime, size: data.length, target: '' }, data };
};

describe('tar', () => {
  it('round-trips files, directories and links, whatever the piece size', () => {
    const members: Member[] = [
      {
        header: { kind: 'dir', path: 'a', mode: 0o755, mtime: 1_000, size: 0, target: '' },
        data: new Uint8Array(),
      },
      file('a/x.txt', 'hello'),
      file(`a/${'long-name-'.repeat(20)}.txt`, 'a name over 100 bytes goes in a pax record'),
      file('a/ünïcode ☃.txt', 'non-ASCII names too', 1_700_000_000_123),
      {
        header: { kind: 'symlink', path: 'a/l', mode: 0o777, mtime: 0, size: 0, target: 'x.txt' },
        data: new Uint8Array(),
      },
      file('a/empty', ''),
    ];
    const bytes = archive(members);
    expect(bytes.length % (20 * TAR_BLOCK)).toBe(0);
    for (const piece of [1, 7, 512, 513, 100_000]) {
      const got = read(bytes, piece);
      expect(got.done).toBe(true);
      expect(got.members.map((m) => m.header)).toEqual(members.map((m) => m.header));
      expect(got.members.map((m) => Buffer.from(m.data).toString())).toEqual(
        members.map((m) => Buffer.from(m.data).toString()),
      );
    }
  });

  it('round-trips any file contents and sizes (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.stringMatching(/^[a-z]{1,12}$/), fc.uint8Array({ maxLength: 3000 })), {
          maxLength: 6,
        }),
        fc.integer({ min: 1, max: 2000 }),
        (files, piece) => {
          const members = files.map(([name, data], i) => ({
            header: {
              kind: 'file' as const,
              path: `${i}-${name}`,
              mode: 0o600,
              mtime: 0,
              size: data.length,
              target: '',
            },
            data,
          }));
          const got = read(archive(members), piece);
          expect(got.done).toBe(true);
          expect(got.members).toEqual(members.map((m) => ({ ...m, data: Buffer.from(m.data) })));
        },
      ),
    );
  });

  it('writes archives the system tar extracts, and reads archives it makes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tessera-tar-'));
    const out = join(dir, 'out');
    mkdirSync(out);
    writeFileSync(join(dir, 'ours.tar'), archive([file('a/b.txt', 'from tessera'), file('c.txt', 'two')]));
    execFileSync('tar', ['-xf', join(dir, 'ours.tar'), '-C', out]);
    expect(readFileSync(join(out, 'a/b.txt'), 'utf8')).toBe('from tessera');
    expect(readFileSync(join(out, 'c.txt'), 'utf8')).toBe('two');

    const src = join(dir, 'src');
    mkdirSync(join(src, 'd'), { recursive: true });
    writeFileSync(join(src, 'd', 'f.txt'), 'x'.repeat(1500));
    symlinkSync('f.txt', join(src, 'd', 'link'));
    expect(readlinkSync(join(src, 'd', 'link'))).toBe('f.txt');
    for (const format of ['gnu', 'posix', 'ustar']) {
      const tar = execFileSync('tar', [`--format=${format}`, '-cf', '-', '-C', src, 'd']);
      const got = read(new Uint8Array(tar), 333);
      expect(got.done).toBe(true);
      const byPath = new Map(got.members.map((m) => [m.header.path, m]));
      expect(byPath.get('d')?.header.kind).toBe('dir');
      expect(byPath.get('d/f.txt')?.data.length).toBe(1500);
      expect(byPath.get('d/link')?.header).toMatchObject({ kind: 'symlink', target: 'f.txt' });
    }
  });

  it('refuses hostile and damaged archives with a reason', () => {
    const good = archive([file('ok.txt', 'fine')]);
    const flipped = good.slice();
    flipped[10] = (flipped[10] ?? 0) ^ 0xff;
    const bad = new TarReader().push(flipped);
    expect(bad.ok).toBe(false);

    const truncated = new TarReader();
    expect(truncated.push(good.subarray(0, TAR_BLOCK + 10)).ok).toBe(true);
    expect(truncated.finish().ok).toBe(false);

    for (const name of ['/etc/passwd', '../up', 'a/../../b', 'nul\0byte'])
      expect(normalizeTarPath(name).ok, name).toBe(false);
    expect(normalizeTarPath('./a//b/./c/')).toEqual({ ok: true, value: 'a/b/c' });

    // A member named with `..` by the system's tar (which keeps what it is told with -P).
    const dir = mkdtempSync(join(tmpdir(), 'tessera-tar-'));
    writeFileSync(join(dir, 'x'), 'escape');
    const evil = execFileSync('tar', ['-P', '--transform', 's,^,../../,', '-cf', '-', '-C', dir, 'x']);
    const r = new TarReader().push(new Uint8Array(evil));
    expect(r.ok).toBe(false);
  });
});
