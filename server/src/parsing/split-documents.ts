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
