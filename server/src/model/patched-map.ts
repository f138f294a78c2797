/**
 * A map made from another by changing a few keys, without copying it: a lookup reads the
 * changes, then the map they were made on. Indexes patched on every keystroke share their
 * thousands of entries this way (a copy per keystroke is garbage the collector must go over);
 * the changes are folded into a new map once they grow past a fraction of it. Immutable.
 */
export class PatchedMap<K, V> {
  private constructor(
    private readonly base: ReadonlyMap<K, V>,
    /** Changed keys: undefined where a key was removed. */
    private readonly changes: ReadonlyMap<K, V | undefined>,
  ) {}

  static of<K, V>(map: ReadonlyMap<K, V>): PatchedMap<K, V> {
    return new PatchedMap(map, new Map());
  }

  get(key: K): V | undefined {
    return this.changes.has(key) ? this.changes.get(key) : this.base.get(key);
  }

  /** The values, in no particular order. */
  *values(): IterableIterator<V> {
    for (const [key, value] of this.base) if (!this.changes.has(key)) yield value;
    for (const value of this.changes.values()) if (value !== undefined) yield value;
  }

  /** This map with the keys set to these values (undefined: removed). */
  with(updates: ReadonlyMap<K, V | undefined>): PatchedMap<K, V> {
    if (updates.size === 0) return this;
    const changes = new Map(this.changes);
    for (const [key, value] of updates) changes.set(key, value);
    if (changes.size * 8 <= this.base.size) return new PatchedMap(this.base, changes);
    const base = new Map(this.base);
    for (const [key, value] of changes) {
      if (value === undefined) base.delete(key);
      else base.set(key, value);
    }
    return PatchedMap.of(base);
  }
}
