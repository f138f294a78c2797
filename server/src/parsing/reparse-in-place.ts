import { isAlias, isMap, isScalar, isSeq, parseDocument, type Document, type Node, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';

export const PARSE_OPTIONS = { keepSourceTokens: false, prettyErrors: false, uniqueKeys: false, strict: false } as const;

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
 * `doc` is mutated and must not be read afterwards; the returned Document is a new object
 * (so caches keyed by Document see a new document) over the updated tree.
 */
export function reparseInPlace(doc: Document.Parsed, oldText: string, newText: string): Document.Parsed | undefined {
  if (!isEligible(doc, oldText)) return undefined;
  const max = Math.min(oldText.length, newText.length);
  let lo = 0;
  while (lo < max && oldText.charCodeAt(lo) === newText.charCodeAt(lo)) lo++;
  let suffix = 0;
  while (suffix < max - lo && oldText.charCodeAt(oldText.length - 1 - suffix) === newText.charCodeAt(newText.length - 1 - suffix)) suffix++;
  const hi = oldText.length - suffix;
  const delta = newText.length - oldText.length;

  const region = deepestRegion(doc.contents as YAMLMap, oldText, lo, hi, oldText.length);
  if (!region) return undefined;
  const { map, first, last, start, end, column } = region;
  const newEnd = end + delta;
  if (newEnd <= start) return undefined;
  if (end === oldText.length ? newEnd !== newText.length : newText.charCodeAt(newEnd - 1) !== 10) return undefined;
  const fragmentText = newText.slice(start, newEnd);
  if (UNSAFE_FRAGMENT.test(fragmentText)) return undefined;
  const fragment = parseDocument(fragmentText, PARSE_OPTIONS);
  if (fragment.errors.length || fragment.warnings.length || fragment.commentBefore) return undefined;
  const root = fragment.contents;
  if (!isMap(root) || root.flow || root.items.length === 0 || !root.range) return undefined;
  for (const pair of root.items as Pair[]) {
    if (!isScalar(pair.key) || !pair.key.range || !startsLineAt(fragmentText, pair.key.range[0], column)) return undefined;
  }
  if (hasAnchors(root)) return undefined;

  // Splice: drop the old entries, shift everything that followed them, insert the new ones.
  const rootRange = root.range;
  map.items.splice(first, last - first + 1);
  shiftTree(doc, start, end, delta, [start + rootRange[0], start + rootRange[1], start + rootRange[2]]);
  for (const pair of root.items as Pair[]) offsetTree(pair, start);
  map.items.splice(first, 0, ...(root.items as never[]));

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
    ok = doc.errors.length === 0 && doc.warnings.length === 0 && isMap(root) && !root.flow && !/^%|\r(?!\n)/m.test(text) && !hasAnchors(root);
    eligible.set(doc, ok);
  }
  return ok;
}

interface Region {
  map: YAMLMap;
  /** Indices of the first and last entries of `map` to re-parse. */
  first: number;
  last: number;
  /** Old-text offsets: start of the first entry's line, end of the last entry's extent. */
  start: number;
  end: number;
  /** Column of the map's keys. */
  column: number;
}

/**
 * The deepest run of block-mapping entries whose lines contain the old changed span
 * `[lo, hi)`. An entry's extent runs from the start of its key's line to the start of the
 * next entry's key line (the last one to `limit`, the end of the parent's extent).
 */
function deepestRegion(map: YAMLMap, text: string, lo: number, hi: number, limit: number): Region | undefined {
  const items = map.items as Pair[];
  if (items.length === 0) return undefined;
  const lineStarts: number[] = [];
  for (const pair of items) {
    const key = pair.key as Node | null;
    if (!isScalar(key) || !key.range) return undefined;
    lineStarts.push(lineStartOf(text, key.range[0]));
  }
  const extentEnd = (i: number) => (i + 1 < items.length ? lineStarts[i + 1] : limit);
  const first = entryAt(lineStarts, lo);
  const last = hi > lo ? entryAt(lineStarts, hi - 1) : first;
  if (first < 0 || last < first || hi > extentEnd(last)) return undefined;

  if (first === last) {
    const value = items[first].value as Node | null;
    const deeper = isMap(value) && !value.flow
      ? deepestRegion(value, text, lo, hi, extentEnd(first))
      : isSeq(value) && !value.flow
        ? inSequence(value, text, lo, hi, extentEnd(first))
        : undefined;
    if (deeper) return deeper;
  }
  const keyStart = (items[first].key as Node).range![0];
  const column = keyStart - lineStarts[first];
  for (let i = first; i <= last; i++) {
    if (!startsLineAt(text, (items[i].key as Node).range![0], column)) return undefined;
  }
  return { map, first, last, start: lineStarts[first], end: extentEnd(last), column };
}

/** Descends into the block-map item of a block sequence that contains the edit. */
function inSequence(seq: YAMLSeq, text: string, lo: number, hi: number, limit: number): Region | undefined {
  const items = seq.items as Node[];
  const dashLines: number[] = [];
  for (const item of items) {
    if (!item || !(item as { range?: unknown }).range || isAlias(item)) return undefined;
    const itemStart = (item as { range: number[] }).range[0];
    const line = lineStartOf(text, itemStart);
    // The item must start on its dash's line: `- key: value`.
    if (!/^ *- +$/.test(text.slice(line, itemStart))) return undefined;
    dashLines.push(line);
  }
  const index = entryAt(dashLines, lo);
  if (index < 0) return undefined;
  const end = index + 1 < items.length ? dashLines[index + 1] : limit;
  if (hi > end || (hi > lo && entryAt(dashLines, hi - 1) !== index)) return undefined;
  const item = items[index];
  return isMap(item) && !item.flow ? deepestRegion(item, text, lo, hi, end) : undefined;
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
  const shift = (range: number[] | null | undefined) => {
    if (!range) return;
    for (let i = 0; i < 3; i++) {
      const v = range[i];
      if (v >= end) range[i] = v + delta;
      else if (v > start) range[i] = fragment[i];
    }
  };
  shift(doc.range);
  const visit = (node: unknown): void => {
    if (!node || typeof node !== 'object') return;
    const n = node as Ranged;
    if ('key' in n && !n.range) {
      visit(n.key);
      visit(n.value);
      return;
    }
    shift(n.range);
    if (n.items) for (const item of n.items) visit(item);
  };
  visit(doc.contents);
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
