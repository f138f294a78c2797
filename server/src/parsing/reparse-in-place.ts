import { nestingOverflow } from './nesting';
import { isAlias, isMap, isScalar, isSeq, parseDocument, YAMLParseError, type Document, type Node, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';

/** Kubernetes decodes manifests with YAML 1.1 rules (sigs.k8s.io/yaml): `yes`/`on` are booleans, `<<` merges. */
export const PARSE_OPTIONS = { version: '1.1', keepSourceTokens: false, prettyErrors: false, uniqueKeys: false, strict: false } as const;

/**
 * Incremental re-parse of one large YAML document (a 23,000-line CRD is 70 % of Argo CD's
 * install.yaml): instead of parsing the whole document again after a keystroke, only the
 * smallest block-mapping entries that contain the edit are parsed, as a standalone
 * fragment at their own indentation, and spliced into the existing tree; every node after
 * the edit is shifted. The result equals a full parse (values and every node range), which
 * `test/unit/perf` checks on random edits. Anything unusual falls back to the full parse:
 * errors, anchors or aliases, directives, flow collections around the edit, an edit that
 * changes the indentation structure, a document marker inside the fragment.
 *
 * `[lo, hi)` is the changed span of `oldText` (everything before and after it is the same in
 * `newText`). `doc` is mutated and must not be read afterwards; the returned Document is a
 * new object (so caches keyed by Document see a new document) over the updated tree.
 */
export function reparseInPlace(doc: Document.Parsed, oldText: string, newText: string, lo: number, hi: number): InPlaceResult {
  if (!isEligible(doc, oldText)) return undefined;
  const delta = newText.length - oldText.length;
  const candidates: Region[] = [];
  mapRegion(doc.contents as YAMLMap, oldText, lo, hi, oldText.length, candidates);
  let error: YAMLParseError | undefined;
  // Deepest first; a candidate whose new text does not parse as the same kind of block
  // (an added dash turned a map entry into a sequence item) gives way to its parent.
  const small = (region: Region) => region.end - region.start <= Math.max(4096, oldText.length / 4);
  for (let i = candidates.length - 1; i >= 0 && i >= candidates.length - MAX_TRIES; i--) {
    const region = candidates[i];
    if (!small(region)) break;
    let result = tryRegion(doc, region, oldText, newText, delta);
    if (result === ENDS_EMPTY && region.nextEnd !== undefined) {
      const withNext = { ...region, last: region.last + 1, end: region.nextEnd };
      if (small(withNext)) result = tryRegion(doc, withNext, oldText, newText, delta);
    }
    if (result === ENDS_EMPTY) continue;
    if (result instanceof YAMLParseError) error = result; // the widest block tried says it with the most context
    else if (result) return { doc: result };
  }
  return error && { error };
}

/**
 * The updated document; or, when the edited block no longer parses, its first error (offsets
 * in the new text), and the document is left untouched; or undefined: parse it again whole.
 */
export type InPlaceResult = { readonly doc: Document.Parsed } | { readonly error: YAMLParseError } | undefined;

const MAX_TRIES = 3;

/**
 * At the end of its input `yaml` places an empty value (`key:` as it is being typed) and the
 * ends of the collections around it elsewhere than when more entries follow: such a fragment
 * is parsed again with the entry after it.
 */
const ENDS_EMPTY = Symbol('ends with an empty value');

function tryRegion(doc: Document.Parsed, region: Region, oldText: string, newText: string, delta: number): Document.Parsed | YAMLParseError | typeof ENDS_EMPTY | undefined {
  const { collection, first, last, start, end, column } = region;
  const newEnd = end + delta;
  if (newEnd <= start) return undefined;
  if (end === oldText.length ? newEnd !== newText.length : newText.charCodeAt(newEnd - 1) !== 10) return undefined;
  const fragmentText = newText.slice(start, newEnd);
  if (UNSAFE_FRAGMENT.test(fragmentText) || nestingOverflow(fragmentText) >= 0) return undefined;
  const fragment = parseDocument(fragmentText, PARSE_OPTIONS);
  const [error] = fragment.errors;
  if (error) return new YAMLParseError([start + error.pos[0], start + error.pos[1]], error.code, error.message);
  if (fragment.warnings.length || fragment.commentBefore) return undefined;
  const root = fragment.contents;
  if (!root || !root.range || hasAnchors(root)) return undefined;
  if (endsEmpty(root)) return ENDS_EMPTY;
  if (isMap(collection)) {
    if (!isMap(root) || root.flow || root.items.length === 0) return undefined;
    for (const pair of root.items as Pair[]) {
      if (!isScalar(pair.key) || !pair.key.range || !startsLineAt(fragmentText, pair.key.range[0], column)) return undefined;
    }
  } else {
    if (!isSeq(root) || root.flow || root.items.length === 0) return undefined;
    for (const item of root.items as Node[]) if (dashLineOf(fragmentText, item, column) < 0) return undefined;
  }

  // Splice: drop the old entries, shift everything that followed them, insert the new ones.
  const rootRange = root.range;
  collection.items.splice(first, last - first + 1);
  shiftTree(doc, start, end, delta, [start + rootRange[0], start + rootRange[1], start + rootRange[2]]);
  for (const item of root.items) offsetTree(item, start);
  collection.items.splice(first, 0, ...(root.items as never[]));

  const updated = Object.create(Object.getPrototypeOf(doc), Object.getOwnPropertyDescriptors(doc)) as Document.Parsed;
  eligible.set(updated, true);
  return updated;
}

/** A document marker, a directive or a lone CR inside a fragment changes how it parses in place. */
const UNSAFE_FRAGMENT = /^(?:---|\.\.\.)(?=[ \t\r\n]|$)|^%|\r(?!\n)/m;

const eligible = new WeakMap<Document, boolean>();

function isEligible(doc: Document.Parsed, text: string): boolean {
  let ok = eligible.get(doc);
  if (ok === undefined) {
    const root = doc.contents;
    // Anchors and aliases are written with `&` and `*`: a text with neither has none, which
    // spares walking every node of a large document (15 ms for Argo CD's 1.4 MB CRD).
    ok = doc.errors.length === 0 && doc.warnings.length === 0 && isMap(root) && !root.flow && !/^%|\r(?!\n)/m.test(text) && (!/[&*]/.test(text) || !hasAnchors(root));
    eligible.set(doc, ok);
  }
  return ok;
}

interface Region {
  /** The block mapping or block sequence whose entries are re-parsed. */
  collection: YAMLMap | YAMLSeq;
  /** Indices of the first and last entries to re-parse. */
  first: number;
  last: number;
  /** Old-text offsets: start of the first entry's line, end of the last entry's extent. */
  start: number;
  end: number;
  /** Column of the keys (map) or dashes (sequence). */
  column: number;
  /** End of the entry after the last one, if there is one (see `ENDS_EMPTY`). */
  nextEnd?: number;
}

/**
 * Collects, outermost first, the runs of block-mapping entries whose lines contain the old
 * changed span `[lo, hi)`. An entry's extent runs from the start of its key's line to the
 * start of the next entry's key line (the last one to `limit`, the end of the parent's).
 */
function mapRegion(map: YAMLMap, text: string, lo: number, hi: number, limit: number, out: Region[]): void {
  const items = map.items as Pair[];
  if (items.length === 0) return;
  const lineStarts: number[] = [];
  for (const pair of items) {
    const key = pair.key as Node | null;
    if (!isScalar(key) || !key.range) return;
    lineStarts.push(lineStartOf(text, key.range[0]));
  }
  const extentEnd = (i: number) => (i + 1 < items.length ? lineStarts[i + 1] : limit);
  const first = entryAt(lineStarts, lo);
  const last = hi > lo ? entryAt(lineStarts, hi - 1) : first;
  if (first < 0 || last < first || hi > extentEnd(last)) return;
  const column = (items[first].key as Node).range![0] - lineStarts[first];
  let aligned = true;
  for (let i = first; i <= last && aligned; i++) aligned = startsLineAt(text, (items[i].key as Node).range![0], column);
  const next = last + 1 < items.length && startsLineAt(text, (items[last + 1].key as Node).range![0], column) ? extentEnd(last + 1) : undefined;
  if (aligned) out.push({ collection: map, first, last, start: lineStarts[first], end: extentEnd(last), column, nextEnd: next });
  if (first === last) nestedRegion(items[first].value, text, lo, hi, extentEnd(first), out);
}

/** The same for the items of a block sequence written `- value` (dash and value on one line). */
function seqRegion(seq: YAMLSeq, text: string, lo: number, hi: number, limit: number, out: Region[]): void {
  const items = seq.items as Node[];
  if (items.length === 0) return;
  const first0 = items[0] as { range?: number[] } | null;
  if (!first0?.range) return;
  const column = dashColumn(text, first0.range[0]);
  if (column < 0) return;
  const dashLines: number[] = [];
  for (const item of items) {
    const line = dashLineOf(text, item, column);
    if (line < 0) return;
    dashLines.push(line);
  }
  const extentEnd = (i: number) => (i + 1 < items.length ? dashLines[i + 1] : limit);
  const first = entryAt(dashLines, lo);
  const last = hi > lo ? entryAt(dashLines, hi - 1) : first;
  if (first < 0 || last < first || hi > extentEnd(last)) return;
  out.push({ collection: seq, first, last, start: dashLines[first], end: extentEnd(last), column, nextEnd: last + 1 < items.length ? extentEnd(last + 1) : undefined });
  if (first === last) nestedRegion(items[first], text, lo, hi, extentEnd(first), out);
}

function nestedRegion(value: unknown, text: string, lo: number, hi: number, limit: number, out: Region[]): void {
  if (isMap(value) && !value.flow) mapRegion(value, text, lo, hi, limit, out);
  else if (isSeq(value) && !value.flow) seqRegion(value, text, lo, hi, limit, out);
}

/** Column of the dash before a sequence item that starts on the dash's line, else -1. */
function dashColumn(text: string, itemStart: number): number {
  const line = lineStartOf(text, itemStart);
  const match = /^( *)- +$/.exec(text.slice(line, itemStart));
  return match ? match[1].length : -1;
}

/** Line start of a sequence item written `- value` with its dash at `column`, else -1. */
function dashLineOf(text: string, item: unknown, column: number): number {
  const range = (item as { range?: number[] } | null)?.range;
  if (!range || isAlias(item)) return -1;
  return dashColumn(text, range[0]) === column ? lineStartOf(text, range[0]) : -1;
}

/** Index of the last entry whose line starts at or before `offset`. */
function entryAt(starts: number[], offset: number): number {
  let low = 0;
  let high = starts.length - 1;
  if (high < 0 || starts[0] > offset) return -1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (starts[mid] <= offset) low = mid;
    else high = mid - 1;
  }
  return low;
}

function lineStartOf(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** Whether only `column` spaces precede `offset` on its line. */
function startsLineAt(text: string, offset: number, column: number): boolean {
  const line = lineStartOf(text, offset);
  if (offset - line !== column) return false;
  for (let i = line; i < offset; i++) if (text.charCodeAt(i) !== 32) return false;
  return true;
}

/** Whether the last node of a fragment is an empty value (see `ENDS_EMPTY`). */
function endsEmpty(root: Node): boolean {
  let node: unknown = root;
  for (;;) {
    if (isMap(node)) node = (node.items[node.items.length - 1] as Pair | undefined)?.value;
    else if (isSeq(node)) node = node.items[node.items.length - 1];
    else return node === null || node === undefined || (isScalar(node) && node.value === null && node.range?.[0] === node.range?.[2]);
  }
}

type Ranged = { range?: [number, number, number] | null; items?: unknown[]; key?: unknown; value?: unknown; anchor?: string };

function hasAnchors(node: unknown): boolean {
  if (!node || typeof node !== 'object') return false;
  if (isAlias(node)) return true;
  const n = node as Ranged;
  if (n.anchor) return true;
  if ('key' in n && !n.range) return hasAnchors(n.key) || hasAnchors(n.value);
  if (n.items) for (const item of n.items) if (hasAnchors(item)) return true;
  return false;
}

/**
 * Old offsets after the replaced span move by `delta`; an ancestor's offsets inside the
 * span (it starts or ends with the replaced entries) take the fragment root's offsets.
 */
function shiftTree(doc: Document.Parsed, start: number, end: number, delta: number, fragment: [number, number, number]): void {
  shiftRange(doc.range, start, end, delta, fragment);
  shiftNode(doc.contents, start, end, delta, fragment);
}

function shiftNode(node: unknown, start: number, end: number, delta: number, fragment: [number, number, number]): void {
  if (node === null || typeof node !== 'object') return;
  const n = node as Ranged;
  const range = n.range;
  if (range === undefined) {
    // A Pair: no range of its own.
    shiftNode(n.key, start, end, delta, fragment);
    shiftNode(n.value, start, end, delta, fragment);
    return;
  }
  // A node that ends before the replaced span has nothing to shift, nor have its children.
  if (range === null || range[2] <= start) return;
  if (range[0] >= end) {
    range[0] += delta;
    range[1] += delta;
    range[2] += delta;
  } else shiftRange(range, start, end, delta, fragment);
  const items = n.items;
  if (items !== undefined) for (let i = 0; i < items.length; i++) shiftNode(items[i], start, end, delta, fragment);
}

function shiftRange(range: number[] | null | undefined, start: number, end: number, delta: number, fragment: [number, number, number]): void {
  if (!range) return;
  for (let i = 0; i < 3; i++) {
    const v = range[i];
    if (v >= end) range[i] = v + delta;
    else if (v > start) range[i] = fragment[i];
  }
}

function offsetTree(node: unknown, offset: number): void {
  if (!node || typeof node !== 'object') return;
  const n = node as Ranged;
  if ('key' in n && !n.range) {
    offsetTree(n.key, offset);
    offsetTree(n.value, offset);
    return;
  }
  const range = n.range;
  if (range) {
    range[0] += offset;
    range[1] += offset;
    range[2] += offset;
  }
  if (n.items) for (const item of n.items) offsetTree(item, offset);
}
