import { noteRead } from './read-trace';
import { isAlias, isMap, isNode, isPair, isScalar, isSeq, type Alias, type Document, type Node, type Pair, type Scalar, type YAMLMap, type YAMLSeq } from 'yaml';

/**
 * Read-only views over `yaml` nodes that resolve aliases and `<<` merge keys the way
 * Kubernetes (YAML 1.1 decoders) reads them, while keeping each node for its position.
 * Aliases are resolved one hop at a time, on demand, so an alias bomb costs nothing.
 */
export class YamlContext {
  private aliasTargets: Map<Alias, Node | undefined> | undefined;

  constructor(readonly doc: Document.Parsed, readonly source: string) {}

  /**
   * The node an alias points to: the last node before it with that anchor. `Alias.resolve`
   * walks the whole document on every call, so a document of many aliases cost the square
   * of its size; the anchors are instead indexed once, in one iterative walk.
   */
  deref(node: unknown): Node | undefined {
    if (isAlias(node)) {
      this.aliasTargets ??= indexAliases(this.doc.contents);
      return this.aliasTargets.get(node);
    }
    return (node as Node | null) ?? undefined;
  }

  map(node: unknown): MapView | undefined {
    const resolved = this.deref(node);
    return isMap(resolved) ? new MapView(resolved as YAMLMap, this) : undefined;
  }

  seq(node: unknown): SeqView | undefined {
    const resolved = this.deref(node);
    return isSeq(resolved) ? new SeqView(resolved as YAMLSeq, this) : undefined;
  }
}

type Scalarish = string | number | boolean | null;

/**
 * A scalar as a Kubernetes string field reads it. sigs.k8s.io/yaml resolves `yes` or `010`
 * with YAML 1.1 rules only for boolean and number fields; a string field keeps the text as
 * written, so `key: y` is "y", not "true".
 */
export function scalarText(node: Scalar): string | undefined {
  const value = node.value;
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string') return value;
  return typeof node.source === 'string' ? node.source : String(value);
}

/** Every alias of a document with its target, in document order (as `Alias.resolve` finds it). */
function indexAliases(root: unknown): Map<Alias, Node | undefined> {
  const targets = new Map<Alias, Node | undefined>();
  const anchors = new Map<string, Node>();
  // Pre-order, keys before values, with an explicit stack: nesting depth cannot overflow it.
  const pending: unknown[] = [root];
  while (pending.length) {
    const node = pending.pop();
    if (isAlias(node)) {
      targets.set(node, anchors.get(node.source));
      continue;
    }
    if (isPair(node)) {
      pending.push(node.value, node.key);
      continue;
    }
    if (!isNode(node)) continue;
    const anchor = (node as { anchor?: string }).anchor;
    if (anchor) anchors.set(anchor, node);
    if (isMap(node) || isSeq(node)) for (let i = node.items.length - 1; i >= 0; i--) pending.push(node.items[i]);
  }
  return targets;
}

function ownPair(map: YAMLMap, key: string): Pair<Node, Node | null> | undefined {
  for (const item of map.items as Pair[]) {
    const itemKey = item.key;
    // A string key compares directly; `010` or `true` as keys compare by their text.
    if (isScalar(itemKey) && (itemKey.value === key || (typeof itemKey.value !== 'string' && scalarText(itemKey) === key))) return item as Pair<Node, Node | null>;
  }
  return undefined;
}

/** A `<<` merge key: a plain `<<` string, or the merge symbol `yaml` makes of it when parsing YAML 1.1. */
function isMergePair(item: unknown): boolean {
  if (!isPair(item) || !isScalar(item.key)) return false;
  const key = item.key.value;
  return key === '<<' || (typeof key === 'symbol' && key.description === '<<');
}

/** A YAML mapping with typed, alias-resolving accessors. */
export class MapView {
  constructor(readonly node: YAMLMap, readonly ctx: YamlContext) {}

  /**
   * The pair for `key`, looking through `<<` merge keys as YAML 1.1 decoders do: own keys
   * first, then each merged map in order, depth first. Every map is searched at most once,
   * so merge keys that alias the same maps over and over (a "merge bomb") cost no more
   * than the maps that are written, and no chain of merges can overflow the stack.
   */
  pair(key: string): Pair<Node, Node | null> | undefined {
    noteRead(this.node, key, this.ctx);
    const own = ownPair(this.node, key);
    // Most maps have no `<<` key: a miss returns without starting the merge walk.
    if (own || !this.node.items.some(isMergePair)) return own;
    for (const map of this.mergedMaps()) {
      const found = ownPair(map, key);
      if (found) return found;
    }
    return undefined;
  }

  /** The maps `<<` keys merge into this one, each once, in lookup order (depth first). */
  private *mergedMaps(): Iterable<YAMLMap> {
    if (!this.node.items.some(isMergePair)) return;
    const visited = new Set<YAMLMap>([this.node]);
    // Maps still to visit, the next one last: no recursion, so no chain of merges overflows the stack.
    const pending: YAMLMap[] = [...this.mergeSources(this.node)].reverse();
    while (pending.length) {
      const map = pending.pop()!;
      if (visited.has(map)) continue;
      visited.add(map);
      yield map;
      pending.push(...[...this.mergeSources(map)].reverse());
    }
  }

  /** The maps merged into `map` by its `<<` keys, in precedence order. */
  private *mergeSources(map: YAMLMap): Iterable<YAMLMap> {
    for (const item of map.items) {
      if (!isMergePair(item)) continue;
      const merged = this.ctx.deref(item.value);
      for (const source of isSeq(merged) ? merged.items : [merged]) {
        const resolved = this.ctx.deref(source);
        if (isMap(resolved)) yield resolved as YAMLMap;
      }
    }
  }

  has(key: string): boolean {
    return this.pair(key) !== undefined;
  }

  /** The value node of `key`, aliases resolved. */
  get(key: string): Node | undefined {
    return this.ctx.deref(this.pair(key)?.value);
  }

  /** The key node of `key` (where to point when the value is a collection or missing). */
  keyNode(key: string): Node | undefined {
    return this.pair(key)?.key;
  }

  map(key: string): MapView | undefined {
    return this.ctx.map(this.pair(key)?.value);
  }

  seq(key: string): SeqView | undefined {
    return this.ctx.seq(this.pair(key)?.value);
  }

  scalar(key: string): Scalar | undefined {
    const value = this.get(key);
    return isScalar(value) ? value : undefined;
  }

  value(key: string): Scalarish | undefined {
    return this.scalar(key)?.value as Scalarish | undefined;
  }

  string(key: string): string | undefined {
    const scalar = this.scalar(key);
    return scalar && scalarText(scalar);
  }

  /** `true`/`false` only when the YAML value is a real boolean (a quoted "true" is a string). */
  bool(key: string): boolean | undefined {
    const value = this.value(key);
    return typeof value === 'boolean' ? value : undefined;
  }

  number(key: string): number | undefined {
    const value = this.value(key);
    return typeof value === 'number' ? value : undefined;
  }

  /**
   * Scalar string entries (labels, annotations, selectors), with those merged in by `<<`
   * keys as Kubernetes sees them: own keys first, then merged keys not already present, in
   * the order `pair()` looks them up. The `<<` pairs themselves are not entries.
   */
  entries(): Array<[string, string | null, Pair<Node, Node | null>]> {
    noteRead(this.node, undefined, this.ctx);
    const out: Array<[string, string | null, Pair<Node, Node | null>]> = [];
    const seen = new Set<string>();
    for (const map of [this.node, ...this.mergedMaps()]) {
      for (const item of map.items) {
        if (!isPair(item) || !isScalar(item.key) || isMergePair(item)) continue;
        const key = scalarText(item.key) ?? '';
        if (seen.has(key)) continue;
        seen.add(key);
        const value = this.ctx.deref(item.value);
        out.push([key, (isScalar(value) ? scalarText(value) : undefined) ?? null, item as Pair<Node, Node | null>]);
      }
    }
    return out;
  }

  record(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [key, value] of this.entries()) if (value !== null) out[key] = value;
    return out;
  }

}

/** A YAML sequence with alias-resolving accessors. */
export class SeqView {
  constructor(readonly node: YAMLSeq, readonly ctx: YamlContext) {}

  get length(): number {
    noteRead(this.node, undefined, this.ctx);
    return this.node.items.length;
  }

  maps(): MapView[] {
    noteRead(this.node, undefined, this.ctx);
    return this.node.items.map((item) => this.ctx.map(item)).filter((m): m is MapView => m !== undefined);
  }

  /** Scalar items with their nodes. */
  scalars(): Array<{ value: string; node: Scalar }> {
    noteRead(this.node, undefined, this.ctx);
    const out: Array<{ value: string; node: Scalar }> = [];
    for (const item of this.node.items) {
      const value = this.ctx.deref(item);
      const text = isScalar(value) ? scalarText(value) : undefined;
      if (text !== undefined) out.push({ value: text, node: value as Scalar });
    }
    return out;
  }
}
