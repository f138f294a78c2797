import type { PatchedMap } from './patched-map';

/**
 * Lists in file order (URI, then document order), as the workspace and its units list
 * resources and what is derived from them: one file's entries are found by binary search and
 * replaced without going over every file again (a keystroke in a workspace of 25,000 resources).
 */

/**
 * `list` with the entries of `uri` replaced by `entries`: a new array, so whoever iterates the
 * old one keeps a consistent list (the same array when there was nothing to replace).
 */
export function withFile<T>(list: readonly T[], uri: string, entries: readonly T[], uriOf: (entry: T) => string): readonly T[] {
  const from = firstAtOrAfter(list, uri, false, uriOf);
  const to = firstAtOrAfter(list, uri, true, uriOf);
  if (from === to && entries.length === 0) return list;
  // Allocated once at its size: these lists have as many entries as the workspace has resources.
  const out = new Array<T>(list.length - (to - from) + entries.length);
  let at = 0;
  for (let i = 0; i < from; i++) out[at++] = list[i];
  for (const entry of entries) out[at++] = entry;
  for (let i = to; i < list.length; i++) out[at++] = list[i];
  return out;
}

/** The entries of `uri`, in their order. */
export function entriesOf<T>(list: readonly T[], uri: string, uriOf: (entry: T) => string): readonly T[] {
  return list.slice(firstAtOrAfter(list, uri, false, uriOf), firstAtOrAfter(list, uri, true, uriOf));
}

/** Binary search: the first entry whose URI is ≥ `uri` (> `uri` when `after`). */
function firstAtOrAfter<T>(list: readonly T[], uri: string, after: boolean, uriOf: (entry: T) => string): number {
  let low = 0;
  let high = list.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    const other = uriOf(list[mid]);
    if (other < uri || (after && other === uri)) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** Entries in file order, grouped under each of their keys (each group in file order). */
export function groupByKeys<T>(entries: readonly T[], keysOf: (entry: T) => readonly string[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const entry of entries) {
    for (const key of new Set(keysOf(entry))) {
      const list = groups.get(key);
      if (list) list.push(entry);
      else groups.set(key, [entry]);
    }
  }
  return groups;
}

/**
 * `groups` (made by `groupByKeys`) with the entries of `uri`, formerly `before`, replaced by
 * `after`. Groups stay in file order; an emptied group is gone as if never made.
 */
export function regroup<T>(groups: PatchedMap<string, readonly T[]>, uri: string, before: readonly T[], after: readonly T[], keysOf: (entry: T) => readonly string[], uriOf: (entry: T) => string): PatchedMap<string, readonly T[]> {
  const updates = new Map<string, readonly T[] | undefined>();
  for (const key of new Set([...before, ...after].flatMap(keysOf))) {
    const list = withFile(groups.get(key) ?? [], uri, after.filter((entry) => keysOf(entry).includes(key)), uriOf);
    updates.set(key, list.length > 0 ? list : undefined);
  }
  return groups.with(updates);
}

/** Two resources in the order the workspace lists them: by URI, then document, then List item. */
export function compareFileOrder(a: { readonly uri: string; readonly docIndex: number; readonly item?: number }, b: { readonly uri: string; readonly docIndex: number; readonly item?: number }): number {
  if (a.uri !== b.uri) return a.uri < b.uri ? -1 : 1;
  return a.docIndex - b.docIndex || (a.item ?? -1) - (b.item ?? -1);
}
