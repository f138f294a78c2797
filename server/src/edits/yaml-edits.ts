import { isCollection, isScalar, type Node, type Pair } from 'yaml';
import type { MapView, SeqView } from '../model/yaml-view';
import type { OffsetEdit } from './offset-edit';
import { column, indentUnit, lineEnd, lineStart, newline, nextLineStart, startsLine, trimEnd } from './source-text';

/**
 * YAML-aware edit builders. Each returns offset edits on the document's source slice and
 * never re-serialises a document, so comments, key order, quoting and indentation of
 * everything it does not touch stay as the user wrote them.
 */

/** A path of keys under `map`, ending with the key to set, e.g. ['securityContext', 'runAsNonRoot']. */
export function setPath(map: MapView, path: readonly string[], value: string): OffsetEdit[] {
  let current = map;
  for (let i = 0; i < path.length; i++) {
    const pair = ownPair(current, path[i]);
    if (!pair) return [insertInMap(current, path.slice(i), value)];
    if (i === path.length - 1) return [replaceValue(current, pair, value)];
    const next = current.map(path[i]);
    if (!next) return [replaceValueWithPath(current, pair, path.slice(i + 1), value)];
    current = next;
  }
  return [];
}

/**
 * Removes `key: value` from a block or flow map; undefined if it cannot be removed cleanly. A
 * one-line pair with a comment after it is commented out instead, so the comment keeps its subject.
 */
export function removePair(map: MapView, key: string): OffsetEdit | undefined {
  const pair = ownPair(map, key);
  if (!pair) return undefined;
  const source = map.ctx.source;
  const keyStart = range(pair.key)[0];
  const valueEnd = trimEnd(source, range(pair.value ?? pair.key)[1]);
  // A comment inside the pair (`hostPort: # why⏎ 80`) would go with it: let the caller fall back.
  if (pair.value && source.slice(range(pair.key)[1], range(pair.value)[0]).includes('#')) return undefined;
  if (map.node.flow) return removeFlowItem(source, map.node.items.indexOf(pair as never), map.node.items.length, keyStart, valueEnd);
  // `- key: value` starts a sequence item: removing the line would drop the item.
  if (!startsLine(source, keyStart)) return undefined;
  // `privileged: true # it didn't start without it`: the reason stays, with what it was about,
  // as a commented-out line (the pair is on one line, so nothing under it is orphaned).
  if (commentAfter(source, valueEnd) && lineStart(source, valueEnd - 1) === lineStart(source, keyStart)) return { start: keyStart, end: keyStart, text: '# ' };
  return { start: lineStart(source, keyStart), end: nextLineStart(source, valueEnd - 1), text: '' };
}

/** Appends a scalar item (already YAML-formatted) to a block or flow sequence. */
export function appendToSeq(seq: SeqView, item: string): OffsetEdit {
  const source = seq.ctx.source;
  const items = seq.node.items as Node[];
  const [start, end] = range(seq.node);
  if (seq.node.flow || items.length === 0) {
    const close = source.lastIndexOf(']', end);
    if (items.length === 0) return { start: close, end: close, text: item };
    return { start: trimEnd(source, range(items[items.length - 1])[1]), end: trimEnd(source, range(items[items.length - 1])[1]), text: `, ${item}` };
  }
  const dash = source.lastIndexOf('-', range(items[0])[0]);
  const indent = ' '.repeat(column(source, Math.max(dash, start)));
  const at = lineEnd(source, trimEnd(source, end) - 1);
  return { start: at, end: at, text: `${newline(source)}${indent}- ${item}` };
}

/** Removes one item of a block or flow sequence; undefined if it cannot be removed cleanly. */
export function removeSeqItem(seq: SeqView, index: number): OffsetEdit | undefined {
  const source = seq.ctx.source;
  const item = seq.node.items[index] as Node | undefined;
  if (!item) return undefined;
  const [itemStart, itemEnd] = range(item);
  if (seq.node.flow) return removeFlowItem(source, index, seq.node.items.length, itemStart, trimEnd(source, itemEnd));
  const dash = source.lastIndexOf('-', itemStart);
  if (dash < 0 || !startsLine(source, dash)) return undefined;
  return { start: lineStart(source, dash), end: nextLineStart(source, trimEnd(source, itemEnd) - 1), text: '' };
}

/** Replaces a scalar value in place. */
export function replaceNode(node: Node, source: string, text: string): OffsetEdit {
  const [start, end] = range(node);
  return { start, end: Math.max(start, trimEnd(source, end)), text };
}

function ownPair(map: MapView, key: string): Pair<Node, Node | null> | undefined {
  const pair = map.pair(key);
  return pair && map.node.items.includes(pair as never) ? pair : undefined;
}

function range(node: Node | null | undefined): [number, number] {
  const r = (node as { range?: [number, number, number] } | null)?.range;
  return r ? [r[0], r[1]] : [0, 0];
}

function replaceValue(map: MapView, pair: Pair<Node, Node | null>, value: string): OffsetEdit {
  const source = map.ctx.source;
  const node = pair.value;
  if (!isEmptyValue(node)) {
    const [start, end] = range(node);
    return { start, end: isCollection(node) ? trimEnd(source, end) : end, text: value };
  }
  const colon = source.indexOf(':', range(pair.key)[1]);
  // No value: the rest of the line is blanks and perhaps a comment (`runAsNonRoot: # why`), which stays after the value.
  if (commentAfter(source, colon + 1)) return { start: colon + 1, end: colon + 1, text: ` ${value}` };
  return { start: colon + 1, end: lineEnd(source, colon + 1), text: ` ${value}` };
}

/** No value written: `key:` (the parser's empty null scalar, which may carry the line's comment) or no node at all. */
function isEmptyValue(node: Node | null | undefined): node is null | undefined {
  return !node || (isScalar(node) && node.value === null && range(node)[0] === range(node)[1]);
}

/** Whether a comment follows on the line from `offset` (blanks before it). */
function commentAfter(source: string, offset: number): boolean {
  return /^[ \t]*#/.test(source.slice(offset, lineEnd(source, offset)));
}

function replaceValueWithPath(map: MapView, pair: Pair<Node, Node | null>, rest: readonly string[], value: string): OffsetEdit {
  const source = map.ctx.source;
  if (map.node.flow) return replaceValue(map, pair, flowPath(rest, value));
  const node = pair.value;
  const colon = source.indexOf(':', range(pair.key)[1]);
  const end = node && range(node)[1] > range(node)[0] ? trimEnd(source, range(node)[1]) : lineEnd(source, colon + 1);
  const indent = column(source, range(pair.key)[0]) + indentUnit(source);
  // Keep a comment after the colon (`securityContext: # why⏎ null`, or `securityContext: # why`
  // with no value at all): the new block starts after it. A value on the colon's line is
  // replaced with whatever follows it (`a: "x # y"` holds no comment).
  const afterColon = lineEnd(source, colon + 1);
  const valueOnNextLine = isEmptyValue(node) || range(node)[0] > afterColon;
  if (!valueOnNextLine && isScalar(node) && node.value === null && commentAfter(source, range(node)[1])) {
    // `securityContext: null # why`: the null goes, the comment stays on the key's line, the block goes under it.
    const comment = source.slice(range(node)[1], afterColon).trim();
    return { start: colon + 1, end: afterColon, text: ` ${comment}${blockPath(rest, value, indent, source)}` };
  }
  const start = valueOnNextLine && commentAfter(source, colon + 1) ? afterColon : colon + 1;
  return { start, end: Math.max(start, end), text: blockPath(rest, value, indent, source) };
}

function insertInMap(map: MapView, path: readonly string[], value: string): OffsetEdit {
  const source = map.ctx.source;
  const items = map.node.items as Array<Pair<Node, Node | null>>;
  if (map.node.flow || items.length === 0) {
    const text = flowEntry(path, value);
    if (items.length === 0) {
      const open = source.indexOf('{', range(map.node)[0]);
      return { start: open + 1, end: open + 1, text };
    }
    const last = items[items.length - 1];
    const at = trimEnd(source, range(last.value ?? last.key)[1]);
    return { start: at, end: at, text: `, ${text}` };
  }
  const indent = column(source, range(items[0].key)[0]);
  const last = items[items.length - 1];
  const at = lineEnd(source, trimEnd(source, range(last.value ?? last.key)[1]) - 1);
  return { start: at, end: at, text: blockPath(path, value, indent, source) };
}

/** `\n<indent>a:\n<indent+unit>b: value` — starts with a line break, no trailing one. */
function blockPath(path: readonly string[], value: string, indent: number, source: string): string {
  const nl = newline(source);
  const unit = indentUnit(source);
  return path
    .map((key, i) => `${nl}${' '.repeat(indent + i * unit)}${key}:${i === path.length - 1 ? ` ${value}` : ''}`)
    .join('');
}

function flowEntry(path: readonly string[], value: string): string {
  return `${path[0]}: ${path.length > 1 ? flowPath(path.slice(1), value) : value}`;
}

function flowPath(path: readonly string[], value: string): string {
  return `{${flowEntry(path, value)}}`;
}

function removeFlowItem(source: string, index: number, count: number, start: number, end: number): OffsetEdit {
  if (count === 1) return { start, end, text: '' };
  if (index < count - 1) {
    const comma = source.indexOf(',', end);
    let after = comma + 1;
    while (source[after] === ' ') after++;
    return { start, end: after, text: '' };
  }
  // The last item goes with the comma before it; a comment after that comma belongs to the
  // previous item (`a: 1, # why\n  b: 2` → `a: 1 # why`) and stays, on its own line if the
  // removed item has a comment of its own after it.
  const comma = source.lastIndexOf(',', start);
  const between = source.slice(comma + 1, start);
  const comment = between.indexOf('#');
  if (comment < 0) return { start: comma, end, text: '' };
  const ownComment = source.slice(end, lineEnd(source, end)).trim().startsWith('#');
  return { start: comma, end, text: ` ${ownComment ? between.slice(comment) : between.slice(comment).replace(/\r?\n[ \t]*$/, '')}` };
}
