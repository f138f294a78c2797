import type { Node } from 'yaml';
import type { Range } from 'vscode-languageserver-textdocument';
import type { ParsedFile } from '../parsing/parse-file';

/**
 * Where a resource is named in its file: its `metadata.name` (for an item of a List, inside
 * `items`), else the start of its object, on that node's first line. Related locations point
 * there; a resource's extract keeps it (`ResourceExtract.place`), so a file known only by its
 * extracts (another thread's, or compact) still gives the exact place. Undefined when the
 * parsed file does not hold the document.
 */
export function namePlace(parsed: ParsedFile, docIndex: number, item: number | undefined): Range | undefined {
  const doc = parsed.docs.find((d) => d.index === docIndex);
  if (!doc) return undefined;
  const path = item === undefined ? [] : ['items', item];
  const node = (doc.doc.getIn([...path, 'metadata', 'name'], true) ?? doc.doc.getIn(path, true) ?? doc.doc.contents) as Node | null;
  const [start, end] = node?.range ?? [0, 0];
  const lineBreak = doc.source.slice(start, end).search(/\r?\n/);
  const stop = lineBreak < 0 ? end : start + lineBreak;
  return { start: parsed.lines.positionAt(doc.base + start), end: parsed.lines.positionAt(doc.base + stop) };
}
