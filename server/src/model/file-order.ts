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
  const out = list.slice(0, from);
  for (const entry of entries) out.push(entry);
  for (let i = to; i < list.length; i++) out.push(list[i]);
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
 * `after`: a new map when a group changed. Groups stay in file order; an emptied group is gone
 * as if never made. Only lookups may read the result: its keys are no longer in file order.
 */
export function regroup<T>(groups: ReadonlyMap<string, readonly T[]>, uri: string, before: readonly T[], after: readonly T[], keysOf: (entry: T) => readonly string[], uriOf: (entry: T) => string): ReadonlyMap<string, readonly T[]> {
  const keys = new Set([...before, ...after].flatMap(keysOf));
  if (keys.size === 0) return groups;
  const patched = new Map(groups);
  for (const key of keys) {
    const list = withFile(groups.get(key) ?? [], uri, after.filter((entry) => keysOf(entry).includes(key)), uriOf);
    if (list.length > 0) patched.set(key, list);
    else patched.delete(key);
  }
  return patched;
}

/** Two resources in the order the workspace lists them: by URI, then document, then List item. */
export function compareFileOrder(a: { readonly uri: string; readonly docIndex: number; readonly item?: number }, b: { readonly uri: string; readonly docIndex: number; readonly item?: number }): number {
  if (a.uri !== b.uri) return a.uri < b.uri ? -1 : 1;
  return a.docIndex - b.docIndex || (a.item ?? -1) - (b.item ?? -1);
}
