import { parseAllDocuments, type Document } from 'yaml';
import { LineIndex } from './line-index';
import { PARSE_OPTIONS, reparseInPlace } from './reparse-in-place';
import { splitDocuments, type DocumentChunk } from './split-documents';

/** One YAML document of a file, with offsets relative to `base`. */
export interface ParsedDoc {
  /** 0-based position of the document in its file. */
  readonly index: number;
  /** Offset in the file where the document's source slice begins. */
  readonly base: number;
  /** The source slice the document was parsed from (offsets in `doc` index into it). */
  readonly source: string;
  readonly doc: Document.Parsed;
}

export interface SyntaxError {
  readonly docIndex: number;
  /** Offsets in the file. */
  readonly start: number;
  readonly end: number;
  readonly message: string;
}

/** One slice of the file between document markers and what it parsed to. */
export interface ParsedChunk {
  readonly start: number;
  readonly text: string;
  readonly docs: readonly Document.Parsed[];
  readonly templated: boolean;
}

export interface ParsedFile {
  readonly text: string;
  readonly lines: LineIndex;
  readonly docs: readonly ParsedDoc[];
  readonly syntaxErrors: readonly SyntaxError[];
  /** Helm and other templates: `{{ … }}` makes YAML errors meaningless noise. */
  readonly templated: boolean;
  /** The parsed slices, so the next version of the file re-parses only what changed. */
  readonly chunks: readonly ParsedChunk[];
}

export interface ParseOptions {
  /**
   * The caller owns `previous` and will drop it: a large edited document may be updated in
   * place (only the edited block is re-parsed) instead of being parsed again. Never set it
   * when another holder (a forked workspace) may still read `previous`.
   */
  mayMutatePrevious?: boolean;
}

/** Counters for tests and the benchmark: what the last calls actually parsed. */
export const parseStats = { chunksParsed: 0, charsParsed: 0, inPlace: 0 };

const BOM = '\uFEFF';
/** Below this size a changed document is simply parsed again (it costs about a millisecond). */
const IN_PLACE_MIN_CHARS = 16384;

/**
 * Parses every document of a file. Pass the previous parse of the same file to reuse the
 * documents whose text did not change: unchanged documents before and after the edit are
 * found by comparing text in place, so a keystroke costs a few comparisons plus the parse
 * of the edited document (or, for a large document, of the edited block in it).
 */
export function parseFile(input: string, previous?: ParsedFile, options: ParseOptions = {}): ParsedFile {
  // Editors hide the byte-order mark; positions must match what the user sees.
  const text = input.startsWith(BOM) ? input.slice(1) : input;
  if (!previous || previous.chunks.length === 0) return parseAll(text);

  const old = previous.chunks;
  const delta = text.length - previous.text.length;
  // Unchanged chunks at the front (same place) and at the back (shifted by delta).
  let front = 0;
  while (front < old.length && sameAt(text, old[front], 0)) front++;
  if (front === old.length && delta === 0) return previous;
  let back = old.length;
  while (back > front && old[back - 1].start + delta >= endOf(old, front - 1) && sameAt(text, old[back - 1], delta)) back--;
  // Re-split from one unchanged chunk before the edit to one after it: a removed or added
  // `---` merges or splits the neighbours, and their own boundaries cannot have moved.
  const from = Math.max(0, front - 1);
  const to = Math.min(old.length, back + 1);
  const regionStart = old[from].start;
  const oldRegionEnd = endOf(old, to - 1);
  const regionEnd = oldRegionEnd + delta;
  if (regionEnd < regionStart) return parseAll(text);
  const middle = splitDocuments(text.slice(regionStart, regionEnd)).map((c) => ({ start: c.start + regionStart, text: c.text }));

  // Middle chunks are reused by text (each old one at most once, so no two chunks ever share
  // a Document); a changed chunk that replaces one old chunk at the same position may be
  // updated in place.
  const byText = new Map<string, ParsedChunk[]>();
  for (let i = from; i < to; i++) {
    const list = byText.get(old[i].text) ?? [];
    list.push(old[i]);
    byText.set(old[i].text, list);
  }
  const replaced = middle.length === to - from ? old.slice(from, to) : undefined;
  const parsedMiddle = middle.map((chunk, i) => {
    const reused = byText.get(chunk.text)?.shift();
    if (reused) return { ...reused, start: chunk.start };
    const before = replaced?.[i];
    if (options.mayMutatePrevious && before && before.docs.length === 1 && byText.get(before.text)?.includes(before) && before.text.length >= IN_PLACE_MIN_CHARS) {
      const doc = reparseInPlace(before.docs[0], before.text, chunk.text);
      if (doc) {
        byText.get(before.text)!.splice(byText.get(before.text)!.indexOf(before), 1);
        parseStats.inPlace++;
        return { start: chunk.start, text: chunk.text, docs: [doc], templated: TEMPLATE.test(chunk.text) };
      }
    }
    return parseChunk(chunk);
  });
  const chunks: ParsedChunk[] = [...old.slice(0, from), ...parsedMiddle];
  for (let i = to; i < old.length; i++) chunks.push(delta === 0 ? old[i] : { ...old[i], start: old[i].start + delta });
  return assemble(text, chunks, LineIndex.edited(previous.lines, text, regionStart, oldRegionEnd, regionEnd));
}

const TEMPLATE = /\{\{/;

function sameAt(text: string, chunk: ParsedChunk, delta: number): boolean {
  return text.startsWith(chunk.text, chunk.start + delta);
}

function endOf(chunks: readonly ParsedChunk[], i: number): number {
  return i < 0 ? 0 : chunks[i].start + chunks[i].text.length;
}

function parseAll(text: string): ParsedFile {
  return assemble(text, splitDocuments(text).map(parseChunk), new LineIndex(text));
}

function parseChunk(chunk: DocumentChunk): ParsedChunk {
  parseStats.chunksParsed++;
  parseStats.charsParsed += chunk.text.length;
  const parsed = parseAllDocuments(chunk.text, PARSE_OPTIONS);
  return { start: chunk.start, text: chunk.text, docs: Array.isArray(parsed) ? parsed : [], templated: TEMPLATE.test(chunk.text) };
}

function assemble(text: string, chunks: ParsedChunk[], lines: LineIndex): ParsedFile {
  const docs: ParsedDoc[] = [];
  const syntaxErrors: SyntaxError[] = [];
  let templated = false;
  for (const chunk of chunks) {
    templated ||= chunk.templated;
    for (const doc of chunk.docs) {
      const index = docs.length;
      docs.push({ index, base: chunk.start, source: chunk.text, doc });
      const error = doc.errors[0];
      if (error) {
        syntaxErrors.push({
          docIndex: index,
          start: chunk.start + error.pos[0],
          end: chunk.start + Math.max(error.pos[1], error.pos[0] + 1),
          message: firstLine(error.message),
        });
      }
    }
  }
  return { text, lines, docs, syntaxErrors, templated, chunks };
}

function firstLine(message: string): string {
  return message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
}
