/** A slice of a multi-document file that can be parsed on its own. */
export interface DocumentChunk {
  /** Offset of the chunk in the file. */
  readonly start: number;
  readonly text: string;
}

// A `---` at column 0 followed by a blank or the end of the line always starts a document:
// YAML forbids that marker inside any scalar at column 0. Cutting there lets one edited
// document be re-parsed alone instead of the whole file.
const DOCUMENT_START = /^---(?=[ \t\r\n]|$)/gm;

/** Splits a file at its document-start markers; directive lines stay with their document. */
export function splitDocuments(text: string): DocumentChunk[] {
  const cuts: number[] = [0];
  for (const match of text.matchAll(DOCUMENT_START)) {
    const last = cuts[cuts.length - 1];
    let cut = match.index;
    // `%YAML` / `%TAG` directives belong to the document that follows them: move the cut
    // back over the directive lines right before the marker (only those lines are read,
    // so a 1 MB document costs nothing here).
    while (cut > last) {
      const line = Math.max(last, text.lastIndexOf('\n', cut - 2) + 1);
      if (text.charCodeAt(line) !== 37 /* % */) break;
      cut = line;
    }
    if (cut > last) cuts.push(cut);
  }
  return cuts.map((start, i) => ({ start, text: text.slice(start, cuts[i + 1] ?? text.length) }));
}

/** Above this many characters of lines around an edit, callers split the file again instead. */
const MAX_EDITED_LINES_LENGTH = 4096;
/** A document marker, or a line starting like a directive: where `splitDocuments` may cut. */
const BOUNDARY = /^(?:---(?=[ \t\r\n]|$)|%)/m;

/**
 * Whether the whole lines around the span `[from, to)` of `text` hold no document marker and
 * no directive line. When that holds for an edited span both before and after the edit, the
 * edit moved no cut of `splitDocuments`: it cuts only at markers and at the directive lines
 * right before them, and every other line is the same in both texts.
 */
export function editKeepsBoundaries(text: string, from: number, to: number): boolean {
  const start = from > 0 ? text.lastIndexOf('\n', from - 1) + 1 : 0;
  const next = text.indexOf('\n', to);
  const end = next < 0 ? text.length : next + 1;
  return end - start <= MAX_EDITED_LINES_LENGTH && !BOUNDARY.test(text.slice(start, end));
}
