import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LIMITS } from '../abi/limits.ts';
import { Right, rights } from '../abi/rights.ts';
import { Status } from '../abi/status.ts';
import { Capability } from './capability.ts';
import { HandleTable, type Handle } from './handle-table.ts';
import { TestObject } from './test-objects.ts';

const RW = rights(Right.READ, Right.WRITE, Right.DUPLICATE);
const fresh = () => Capability.root(new TestObject(), RW);

describe('HandleTable', () => {
  it('issues non-zero values that look up to the capability', () => {
    const table = new HandleTable();
    const cap = fresh();
    const h = table.add(cap);
    expect(h).not.toBe(0);
    expect(table.lookup(h as number)).toEqual({ ok: true, cap });
  });

  it('never issues 0, even when the secret would make a slot encode to 0', () => {
    const table = new HandleTable(undefined, 0); // generation 0, index 0 encodes to 0
    const h = table.add(fresh());
    expect(h).not.toBe(0);
    expect(table.lookup(0)).toEqual({ ok: false, status: Status.BAD_HANDLE });
  });

  it('rejects a stale value after its slot is reused', () => {
    const table = new HandleTable();
    const first = table.add(fresh()) as Handle;
    table.remove(first);
    const second = table.add(fresh()) as Handle;
    expect(second).not.toBe(first);
    expect(table.lookup(first)).toEqual({ ok: false, status: Status.BAD_HANDLE });
    expect(table.lookup(second).ok).toBe(true);
  });

  it('gives the same slot different values in different processes', () => {
    const a = new HandleTable();
    const b = new HandleTable();
    const ha = a.add(fresh()) as Handle;
    const hb = b.add(fresh()) as Handle;
    expect(ha).not.toBe(hb); // fails with probability 2^-32
    expect(b.lookup(ha).ok).toBe(false);
  });

  it('enforces HANDLES_PER_PROCESS', () => {
    const table = new HandleTable();
    for (let i = 0; i < LIMITS.HANDLES_PER_PROCESS; i++)
      expect(table.add(fresh())).not.toBe(Status.LIMIT_EXCEEDED);
    expect(table.add(fresh())).toBe(Status.LIMIT_EXCEEDED);
    expect(table.size).toBe(LIMITS.HANDLES_PER_PROCESS);
  });

  it('turns a revoked handle into a tombstone that reports REVOKED until closed', () => {
    const revoked: Capability[] = [];
    const table = new HandleTable((c) => revoked.push(c));
    const root = fresh();
    const child = root.derive(rights(Right.READ));
    const h = table.add(child) as Handle;
    expect(root.revokeDescendants()).toBe(1);
    expect(revoked).toEqual([child]);
    expect(table.lookup(h)).toEqual({ ok: false, status: Status.REVOKED });
    expect(table.remove(h)).toBe(child);
    expect(table.lookup(h)).toEqual({ ok: false, status: Status.BAD_HANDLE });
  });

  it('rejects garbage values without throwing', () => {
    const table = new HandleTable();
    table.add(fresh());
    fc.assert(
      fc.property(fc.oneof(fc.integer(), fc.double(), fc.constant(Number.NaN)), (v) => {
        const r = table.lookup(v);
        return r.ok ? Number.isInteger(v) : r.status === Status.BAD_HANDLE;
      }),
    );
  });

  it('matches a model map under random add/remove/lookup sequences', () => {
    type Op = { kind: 'add' } | { kind: 'remove'; pick: number } | { kind: 'lookupStale'; pick: number };
    const op: fc.Arbitrary<Op> = fc.oneof(
      fc.constant({ kind: 'add' as const }),
      fc.record({ kind: fc.constant('remove' as const), pick: fc.nat() }),
      fc.record({ kind: fc.constant('lookupStale' as const), pick: fc.nat() }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 300 }), fc.integer(), (ops, secret) => {
        const table = new HandleTable(undefined, secret);
        const live = new Map<number, Capability>();
        const dead: number[] = [];
        for (const o of ops) {
          if (o.kind === 'add') {
            const cap = fresh();
            const h = table.add(cap) as number;
            if (h === 0 || live.has(h)) return false;
            live.set(h, cap);
          } else if (o.kind === 'remove' && live.size > 0) {
            const h = [...live.keys()][o.pick % live.size] as number;
            if (table.remove(h) !== live.get(h)) return false;
            live.delete(h);
            dead.push(h);
          } else if (o.kind === 'lookupStale' && dead.length > 0) {
            const h = dead[o.pick % dead.length] as number;
            if (!live.has(h) && table.lookup(h).ok) return false;
          }
        }
        for (const [h, cap] of live) {
          const r = table.lookup(h);
          if (!r.ok || r.cap !== cap) return false;
        }
        return table.size === live.size;
      }),
    );
  });
});

describe('Capability derivation tree', () => {
  it('revokes every descendant, through closed intermediates, but not itself', () => {
    const object = new TestObject();
    const root = Capability.root(object, RW);
    const child = root.derive(RW);
    const grandchild = child.derive(rights(Right.READ));
    const sibling = root.derive(rights(Right.WRITE));
    child.close(); // closing does not revoke, and keeps the link to the grandchild
    expect(grandchild.revoked).toBe(false);
    expect(root.revokeDescendants()).toBe(2);
    expect([grandchild.revoked, sibling.revoked, root.revoked]).toEqual([true, true, false]);
    expect(root.descendantCount).toBe(0);
    expect(object.capabilityCount).toBe(1);
  });

  it('counts capabilities so the object learns when the last one goes', () => {
    const object = new TestObject();
    const root = Capability.root(object, RW);
    const child = root.derive(RW);
    root.close();
    expect(object.lastClosed).toBe(0);
    child.close();
    expect(object.lastClosed).toBe(1);
    expect(object.capabilityCount).toBe(0);
  });

  it('releases the object once for a capability that is revoked and then closed', () => {
    const object = new TestObject();
    const root = Capability.root(object, RW);
    const child = root.derive(RW);
    root.revokeDescendants();
    child.close();
    expect(object.capabilityCount).toBe(1);
    root.close();
    expect(object.lastClosed).toBe(1);
  });

  it('keeps the object count exact under random derive/close/revoke', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom('derive', 'close', 'revoke'), fc.nat()), { maxLength: 200 }),
        (ops) => {
          const object = new TestObject();
          const all = [Capability.root(object, RW)];
          for (const [kind, pick] of ops) {
            const cap = all[pick % all.length] as Capability;
            if (kind === 'derive' && !cap.closed && !cap.revoked) all.push(cap.derive(RW));
            else if (kind === 'close') cap.close();
            else if (kind === 'revoke' && !cap.closed && !cap.revoked) cap.revokeDescendants();
          }
          const live = all.filter((c) => !c.closed && !c.revoked).length;
          return object.capabilityCount === live && (live === 0) === (object.lastClosed === 1);
        },
      ),
    );
  });
});
