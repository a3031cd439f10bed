// A bounded map that forgets the least recently used entry, telling its owner so that it
// can free what the entry holds (a GPU texture). Layer: gpu, pure logic.

/** A map of at most `capacity` entries; `get` and `set` make an entry the most recent. */
export class LruCache<K, V> {
  readonly #capacity: number;
  readonly #evict: (value: V, key: K) => void;
  readonly #map = new Map<K, V>();

  /** `evict` is called for every entry that leaves: pushed out, deleted or cleared. */
  constructor(capacity: number, evict: (value: V, key: K) => void = () => undefined) {
    this.#capacity = Math.max(1, Math.floor(capacity));
    this.#evict = evict;
  }

  get size(): number {
    return this.#map.size;
  }

  get(key: K): V | undefined {
    const v = this.#map.get(key);
    if (v !== undefined) {
      this.#map.delete(key);
      this.#map.set(key, v);
    }
    return v;
  }

  set(key: K, value: V): void {
    const old = this.#map.get(key);
    this.#map.delete(key);
    if (old !== undefined && old !== value) this.#evict(old, key);
    this.#map.set(key, value);
    for (const [k, v] of this.#map) {
      if (this.#map.size <= this.#capacity) break;
      this.#map.delete(k);
      this.#evict(v, k);
    }
  }

  delete(key: K): void {
    const v = this.#map.get(key);
    if (v === undefined) return;
    this.#map.delete(key);
    this.#evict(v, key);
  }

  clear(): void {
    const entries = [...this.#map];
    this.#map.clear();
    for (const [k, v] of entries) this.#evict(v, k);
  }
}
