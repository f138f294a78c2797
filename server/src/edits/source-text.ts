/** Line-level helpers over a document's source slice, for building surgical edits. */

export function lineStart(source: string, offset: number): number {
  let i = offset;
  while (i > 0 && source[i - 1] !== '\n' && source[i - 1] !== '\r') i--;
  return i;
}

export function lineEnd(source: string, offset: number): number {
  let i = offset;
  while (i < source.length && source[i] !== '\n' && source[i] !== '\r') i++;
  return i;
}

/** Offset just past the line break that ends the line containing `offset` (or the end of text). */
export function nextLineStart(source: string, offset: number): number {
  const end = lineEnd(source, offset);
  if (source[end] === '\r' && source[end + 1] === '\n') return end + 2;
  return end < source.length ? end + 1 : end;
}

export function column(source: string, offset: number): number {
  return offset - lineStart(source, offset);
}

/** Steps back over trailing blanks and line breaks that a node's range may include. */
export function trimEnd(source: string, offset: number): number {
  let i = offset;
  while (i > 0 && /\s/.test(source[i - 1])) i--;
  return i;
}

/** The document's own line break, so a CRLF file stays CRLF. */
export function newline(source: string): string {
  return source.includes('\r\n') ? '\r\n' : '\n';
}

/** True if only blanks (and a sequence dash, when `allowDash`) precede `offset` on its line. */
export function startsLine(source: string, offset: number): boolean {
  return source.slice(lineStart(source, offset), offset).trim() === '';
}

/**
 * The document's indentation step: the first increase from a `key:` line to the next
 * content line that is not a sequence item. Two spaces when the document has no nesting.
 */
export function indentUnit(source: string): number {
  const lines = source.split(/\r?\n/);
  for (let i = 0; i < lines.length - 1; i++) {
    if (!/:\s*(#.*)?$/.test(lines[i]) || lines[i].trimStart().startsWith('#')) continue;
    const parent = lines[i].length - lines[i].trimStart().length;
    const next = lines.slice(i + 1).find((l) => l.trim() !== '' && !l.trimStart().startsWith('#'));
    if (!next) break;
    const child = next.length - next.trimStart().length;
    if (child > parent && !next.trimStart().startsWith('-')) return child - parent;
  }
  return 2;
}
