// Capabilities and their derivation tree. Every handle in every table refers to one
// Capability; duplicate, replace and mint create children; transfer moves a
// Capability between tables without changing its place in the tree. Revoking a
// capability kills all its descendants wherever they are (seL4's derivation tree).
// Layer: kernel.
import type { Rights } from '../abi/rights.ts';
import type { KernelObject } from './object.ts';

/** Where a capability currently lives; told when it is revoked. */
export interface CapabilityHolder {
  revoked(cap: Capability): void;
}

export class Capability {
  readonly object: KernelObject;
  readonly rights: Rights;
  readonly badge: number;
  #parent: Capability | null;
  readonly #children = new Set<Capability>();
  #revoked = false;
  #closed = false;
  /** The table slot or message that holds this capability; null while being moved. */
  holder: CapabilityHolder | null = null;

  private constructor(object: KernelObject, rights: Rights, badge: number, parent: Capability | null) {
    this.object = object;
    this.rights = rights;
    this.badge = badge;
    this.#parent = parent;
    object.capabilityOpened();
  }

  /** A root capability: the first handle to a new object. */
  static root(object: KernelObject, rights: Rights): Capability {
    return new Capability(object, rights, 0, null);
  }

  /** A child with `rights` (the caller has checked they are a subset) and `badge`. */
  derive(rights: Rights, badge = this.badge): Capability {
    const child = new Capability(this.object, rights, badge, this);
    this.#children.add(child);
    return child;
  }

  get revoked(): boolean {
    return this.#revoked;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Revokes every descendant (not this capability). Each is told through its holder
   * and releases its hold on the object. Returns how many were revoked.
   */
  revokeDescendants(): number {
    let count = 0;
    for (const child of [...this.#children]) {
      count += child.revokeDescendants();
      if (!child.#revoked && !child.#closed) {
        child.#revoked = true;
        child.object.capabilityClosed();
        child.holder?.revoked(child);
        count++;
      }
      child.#detach();
    }
    return count;
  }

  /**
   * The holder let go of this capability (handle.close, or its process ended).
   * Descendants stay valid: the node stays in the tree, as a link, while it has any.
   */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.holder = null;
    if (!this.#revoked) this.object.capabilityClosed();
    if (this.#children.size === 0) this.#detach();
  }

  #detach(): void {
    const parent = this.#parent;
    this.#parent = null;
    if (!parent) return;
    parent.#children.delete(this);
    if (parent.#closed && parent.#children.size === 0) parent.#detach();
  }

  /** Test and debugging aid: how many nodes hang below this one. */
  get descendantCount(): number {
    let n = 0;
    for (const c of this.#children) n += 1 + c.descendantCount;
    return n;
  }
}
