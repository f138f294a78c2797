import type { Position, Range, TextDocument, TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';
import type { TextDocumentsConfiguration } from 'vscode-languageserver';
import { LineIndex } from '../parsing/line-index';

/**
 * An open document whose text lives in a buffer that each edit patches in place; each version's
 * string is copied out of it once.
 *
 * Why not `vscode-languageserver-textdocument`: its update concatenates the new text and reads
 * it, so V8 flattens a new string of the whole file at every keystroke, in its large-object
 * space, whose pages are mapped afresh for each object and unmapped when it is collected. On a
 * VM where touching fresh memory is slow (the benchmark's: about 3 ms a megabyte) that was 5.5
 * to 6 ms of every keystroke in Argo CD's 1.9 MB install.yaml. Node decodes a latin1 or UTF-16
 * buffer of a megabyte or more into an external string whose memory comes from `malloc`, which
 * hands out again the blocks of earlier versions once they are collected: then the copy takes
 * 0.2 to 0.5 ms (bench/ANALYSIS.md, "Keystroke path").
 *
 * Same text, lines and positions as the library's `TextDocument` after any edits (a test
 * compares them on random edits): CRLF and lone CR end lines, positions past a line's end stop
 * before its line break, a reversed range is put in order.
 */
export class BufferedTextDocument implements TextDocument {
  /** The text as latin1 (every character below U+0100) or else as UTF-16 code units, with room to grow. */
  private bytes: Buffer;
  private wide: boolean;
  private text: string;
  private lines: LineIndex;

  constructor(readonly uri: string, readonly languageId: string, public version: number, content: string) {
    this.text = content;
    this.wide = needsWide(content);
    this.bytes = encode(content, this.wide, content.length);
    this.lines = new LineIndex(content);
  }

  getText(range?: Range): string {
    // `substring`, as the library: a reversed range gives the text between its ends.
    return range ? this.text.substring(this.offsetAt(range.start), this.offsetAt(range.end)) : this.text;
  }

  get lineCount(): number {
    return this.lines.lineCount;
  }

  positionAt(offset: number): Position {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    const { line, character } = this.lines.positionAt(clamped);
    const start = clamped - character;
    return { line, character: beforeLineBreak(this.text, clamped, start) - start };
  }

  offsetAt(position: Position): number {
    if (position.line < 0) return 0;
    const offset = this.lines.offsetAt(position);
    if (position.line >= this.lines.lineCount || position.character <= 0) return offset;
    return beforeLineBreak(this.text, offset, this.lines.offsetAt({ line: position.line, character: 0 }));
  }

  getLineRange(line: number): Range {
    if (line < 0) return { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    const last = Math.min(line, this.lines.lineCount - 1);
    const { start, contentEnd } = this.lineBounds(last);
    // Past the last line: the last line whole, up to the end of the text.
    const end = line > last ? this.text.length : contentEnd;
    return { start: { line: last, character: 0 }, end: { line: last, character: end - start } };
  }

  getEOLCharacters(line: number): string {
    if (line < 0 || line >= this.lines.lineCount) return '';
    const { contentEnd, end } = this.lineBounds(line);
    return this.text.slice(contentEnd, end);
  }

  /** Where a line starts, where its content ends (before its line break) and where the next line starts. */
  private lineBounds(line: number): { start: number; contentEnd: number; end: number } {
    const start = this.lines.offsetAt({ line, character: 0 });
    const end = line + 1 < this.lines.lineCount ? this.lines.offsetAt({ line: line + 1, character: 0 }) : this.text.length;
    return { start, contentEnd: beforeLineBreak(this.text, end, start), end };
  }

  /** Applies the changes in order, each to the text the previous one left. */
  update(changes: readonly TextDocumentContentChangeEvent[], version: number): void {
    for (const change of changes) {
      if ('range' in change) this.replace(wellFormed(change.range), change.text);
      else this.reset(change.text);
    }
    this.version = version;
  }

  private reset(content: string): void {
    this.text = content;
    this.wide = needsWide(content);
    this.bytes = encode(content, this.wide, content.length);
    this.lines = new LineIndex(content);
  }

  private replace(range: Range, inserted: string): void {
    const from = this.offsetAt(range.start);
    const to = this.offsetAt(range.end);
    const length = this.text.length - (to - from) + inserted.length;
    if (!this.wide && needsWide(inserted)) {
      this.wide = true;
      this.bytes = encode(this.text, true, length);
    }
    const unit = this.wide ? 2 : 1;
    if (length * unit > this.bytes.length) this.bytes = grown(this.bytes, this.text.length * unit, length * unit);
    // Overlapping copies are safe (`Buffer.copy` is memmove): shift the tail, then write the insertion.
    this.bytes.copy(this.bytes, (from + inserted.length) * unit, to * unit, this.text.length * unit);
    this.bytes.write(inserted, from * unit, inserted.length * unit, this.wide ? 'utf16le' : 'latin1');
    const text = this.bytes.toString(this.wide ? 'utf16le' : 'latin1', 0, length * unit);
    this.lines = LineIndex.edited(this.lines, text, from, to, from + inserted.length);
    this.text = text;
  }
}

/** For `new TextDocuments(…)`: documents are created and updated as `BufferedTextDocument`s. */
export const BUFFERED_TEXT_DOCUMENTS: TextDocumentsConfiguration<BufferedTextDocument> = {
  create: (uri, languageId, version, content) => new BufferedTextDocument(uri, languageId, version, content),
  update: (document, changes, version) => {
    document.update(changes, version);
    return document;
  },
};

function needsWide(text: string): boolean {
  return /[^\u0000-\u00ff]/.test(text);
}

/** `text` encoded, in a buffer with room for `length` characters and some more. */
function encode(text: string, wide: boolean, length: number): Buffer {
  const unit = wide ? 2 : 1;
  const bytes = Buffer.allocUnsafeSlow(capacity(Math.max(length, text.length) * unit));
  bytes.write(text, 0, text.length * unit, wide ? 'utf16le' : 'latin1');
  return bytes;
}

/** A larger buffer holding the first `used` bytes of `bytes`. */
function grown(bytes: Buffer, used: number, needed: number): Buffer {
  const larger = Buffer.allocUnsafeSlow(capacity(needed));
  bytes.copy(larger, 0, 0, used);
  return larger;
}

/** Room to type: an eighth more, at least 4 KB. */
function capacity(bytes: number): number {
  return bytes + Math.max(4096, bytes >> 3);
}

/** `offset` moved back over line-break characters, not before `lineStart` (as the library does). */
function beforeLineBreak(text: string, offset: number, lineStart: number): number {
  let at = offset;
  while (at > lineStart && isLineBreak(text.charCodeAt(at - 1))) at--;
  return at;
}

function isLineBreak(code: number): boolean {
  return code === 10 || code === 13;
}

function wellFormed(range: Range): Range {
  const { start, end } = range;
  return start.line > end.line || (start.line === end.line && start.character > end.character) ? { start: end, end: start } : range;
}
