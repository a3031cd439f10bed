import { describe, expect, it } from 'vitest';
import { CHANNEL_BLOCK, CHANNEL_RING, decodeChannelGrant } from './channel-ring.ts';
import { RING_HEADER } from './ring-layout.ts';
import { Ring } from './ring.ts';

describe('channel ring layout', () => {
  it('puts the channel words in the ring header without touching the ring’s own', () => {
    const ringWords = [
      RING_HEADER.MAGIC,
      RING_HEADER.CAPACITY,
      RING_HEADER.TAIL,
      RING_HEADER.HEAD,
      RING_HEADER.PRODUCER_WAITING,
      RING_HEADER.CONSUMER_WAITING,
    ];
    for (const word of Object.values(CHANNEL_RING)) {
      expect(ringWords).not.toContain(word);
      expect(word * 4).toBeLessThan(RING_HEADER.BYTES);
    }
  });
});

describe('decodeChannelGrant', () => {
  const ring = () => Ring.create(64).buffer;
  const block = () => new SharedArrayBuffer(CHANNEL_BLOCK.WORDS * 4);

  it('accepts a well-formed grant', () => {
    const grant = { kind: 'channel', koid: 7, inbound: ring(), outbound: ring(), block: block() };
    expect(decodeChannelGrant(grant)).toMatchObject({ ok: true, value: { koid: 7 } });
  });

  it.each([
    ['not an object', null],
    ['another kind', { kind: 'memory', koid: 7, inbound: ring(), outbound: ring(), block: block() }],
    ['a bad koid', { kind: 'channel', koid: 0, inbound: ring(), outbound: ring(), block: block() }],
    [
      'a plain ArrayBuffer ring',
      { kind: 'channel', koid: 7, inbound: new ArrayBuffer(8), outbound: ring(), block: block() },
    ],
    [
      'a block of the wrong size',
      { kind: 'channel', koid: 7, inbound: ring(), outbound: ring(), block: ring() },
    ],
  ])('refuses %s', (_what, grant) => {
    expect(decodeChannelGrant(grant).ok).toBe(false);
  });
});
