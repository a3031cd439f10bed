// A full channel, from the runtime's side (src/workers/channel.ts over a real in-thread
// kernel): an unmapped writer that fills the peer's queue waits for room instead of
// failing and learns of the reader's close, and a pipe's drain (src/workers/wasi/spawn.ts)
// joins what a chatty writer queued.
import { afterEach, describe, expect, it } from 'vitest';
import { LIMITS } from '../../abi/limits.ts';
import { DEFAULT_RIGHTS, ObjectType } from '../../abi/objects.ts';
import { Status } from '../../abi/status.ts';
import { attach, type DomainContext } from '../../workers/domain.ts';
import { drain } from '../../workers/wasi/spawn.ts';
import { Capability } from '../capability.ts';
import { ChannelEnd } from '../objects/channel.ts';
import { harness, type Harness } from '../test-harness.ts';

let h: Harness<DomainContext> | null = null;
afterEach(() => h?.stop());

function pair(): { writer: DomainContext; reader: DomainContext } {
  h = harness(attach);
  h.start('init');
  const [a, b] = ChannelEnd.pair();
  const rights = DEFAULT_RIGHTS[ObjectType.CHANNEL];
  const writer = h.start('writer', [Capability.root(a, rights)]).ctx;
  const reader = h.start('reader', [Capability.root(b, rights)]).ctx;
  return { writer, reader };
}

const settledSoon = <T>(p: Promise<T>) =>
  Promise.race([p.then(() => 'settled'), new Promise((r) => setTimeout(() => r('pending'), 50))]);

it('an unmapped writeAsync past a full queue waits for the reader, then goes', async () => {
  const { writer, reader } = pair();
  const out = writer.channel(writer.handles[0] as number);
  const inbox = reader.channel(reader.handles[0] as number);
  const bytes = (i: number) => Uint8Array.of(i & 0xff, i >> 8);
  const queued = Array.from({ length: LIMITS.QUEUED_MESSAGES }, (_, i) => out.writeAsync(bytes(i)));
  expect(await Promise.all(queued)).toEqual(queued.map(() => Status.OK));
  const next = out.writeAsync(bytes(LIMITS.QUEUED_MESSAGES));
  expect(await settledSoon(next)).toBe('pending');
  const first = await inbox.readAsync();
  expect(first.status === Status.OK && [...first.message.data]).toEqual([0, 0]);
  expect(await next).toBe(Status.OK);
  // Every message arrives, in order, the late one last.
  for (let i = 1; i <= LIMITS.QUEUED_MESSAGES; i++) {
    const r = await inbox.readAsync();
    expect(r.status === Status.OK && [...r.message.data]).toEqual([...bytes(i)]);
  }
});

it('a writer waiting on a full queue gets PEER_CLOSED when the reader goes', async () => {
  const { writer, reader } = pair();
  const out = writer.channel(writer.handles[0] as number);
  await Promise.all(Array.from({ length: LIMITS.QUEUED_MESSAGES }, () => out.writeAsync(Uint8Array.of(1))));
  const next = out.writeAsync(Uint8Array.of(2));
  expect(await settledSoon(next)).toBe('pending');
  await reader.sys.handleCloseAsync(reader.handles[0] as number);
  expect(await next).toBe(Status.PEER_CLOSED);
});

describe('drain', () => {
  /** `count` two-byte messages queued on a pipe whose writer then closes, drained with `batchBytes`. */
  async function drained(count: number, batchBytes: number): Promise<number[][]> {
    const { writer: child, reader: parent } = pair();
    const out = child.channel(child.handles[0] as number);
    for (let i = 0; i < count; i++) expect(await out.writeAsync(Uint8Array.of(i, i))).toBe(Status.OK);
    await child.sys.handleCloseAsync(out.handle);
    const calls: number[][] = [];
    await drain(
      parent.channel(parent.handles[0] as number),
      (bytes) => void calls.push([...bytes]),
      batchBytes,
    );
    return calls;
  }

  it('passes the first chunk alone, then joins what is queued behind each, up to batchBytes', async () => {
    const each = (n: number) => Array.from({ length: n }, (_, i) => [i, i]);
    expect(await drained(5, 0)).toEqual(each(5));
    h?.stop();
    const batched = await drained(10, 5);
    expect(batched[0]).toEqual([0, 0]);
    expect(batched.slice(1).every((c) => c.length <= 6)).toBe(true); // joined until 5 bytes or more
    expect(batched.length).toBeLessThan(10);
    expect(batched.flat()).toEqual(each(10).flat());
  });
});
