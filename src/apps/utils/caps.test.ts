import { describe, expect, it } from 'vitest';
import { ObjectType } from '../../abi/objects.ts';
import { Right, rights } from '../../abi/rights.ts';
import { Status } from '../../abi/status.ts';
import { capLine, rightNames } from './caps.ts';

describe('rightNames', () => {
  it('names rights in reading order, not bit order', () => {
    const r = rights(Right.DUPLICATE, Right.TRANSFER, Right.READ, Right.WRITE, Right.WAIT);
    expect(rightNames(r)).toBe('READ WRITE WAIT TRANSFER DUPLICATE');
  });
  it('says NONE for no rights and shows bits no right names in hex', () => {
    expect(rightNames(0)).toBe('NONE');
    expect(rightNames(Right.READ | (1 << 30))).toBe('READ 0x40000000');
    expect(rightNames(Right.SERVER_0 | Right.SERVER_7)).toBe('SERVER_0 SERVER_7');
  });
});

describe('capLine', () => {
  it('prints index, type, koid and rights', () => {
    const info = {
      status: Status.OK,
      type: ObjectType.CHANNEL,
      koid: 41,
      rights: rights(Right.READ, Right.WRITE, Right.WAIT, Right.TRANSFER, Right.DUPLICATE),
      badge: 0,
      related: 0,
    };
    expect(capLine(3, info)).toBe('3  channel  koid 41  READ WRITE WAIT TRANSFER DUPLICATE');
  });

  it('adds the badge and what related means for the type', () => {
    expect(
      capLine(1, { status: 0, type: ObjectType.CHANNEL, koid: 7, rights: Right.READ, badge: 3, related: 8 }),
    ).toBe('1  channel  koid 7  READ  badge 3  peer 8');
    expect(
      capLine(4, { status: 0, type: ObjectType.PROCESS, koid: 9, rights: Right.INSPECT, related: 2 }),
    ).toBe('4  process  koid 9  INSPECT  parent 2');
    expect(capLine(5, { status: 0, type: ObjectType.TIMER, koid: 9, rights: 0, related: 2 })).toBe(
      '5  timer  koid 9  NONE  related 2',
    );
  });

  it('names a type the table lacks by number', () => {
    expect(capLine(0, { status: 0, type: 99, koid: 1, rights: 0 })).toBe('0  type(99)  koid 1  NONE');
  });

  it('prints the status when object.info is refused', () => {
    expect(capLine(2, { status: Status.ACCESS_DENIED })).toBe('2  ACCESS_DENIED');
    expect(capLine(2, { status: -99 })).toBe('2  STATUS(-99)');
  });
});
