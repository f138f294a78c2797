import { isCollection, isScalar, parseAllDocuments, parseDocument, visit, YAMLParseError, type Document } from 'yaml';
import { commonPrefix, commonSuffix } from './common-span';
import { MAX_NESTING, nestingOverflow } from './nesting';
import { kindLine, leanDocument, type LeanPolicy } from './lean-parse';
import { LineIndex } from './line-index';
import { PARSE_OPTIONS, reparseInPlace } from './reparse-in-place';
import { editKeepsBoundaries, splitDocuments, type DocumentChunk } from './split-documents';

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
  /**
   * Set when an edit left this large document invalid and only the edited block was parsed
   * (`ParseOptions.provisional`): `docs` holds a stand-in with that block's first error, and
   * this is the last valid tree and its text, which the next edit updates in place.
   */
  readonly provisional?: { readonly doc: Document.Parsed; readonly text: string };
  /**
   * A provisional chunk whose documents now carry the exact errors of a full parse, computed
   * in another thread (`ParseOptions.settled`): no longer provisional, but the next edit still
   * updates the last valid tree in place.
   */
  readonly settled?: boolean;
  /**
   * Parsed where it is read only (`ParseOptions.lean`): the values nothing reads are null in
   * `docs`. Never updated in place; an edit parses the new text whole.
   */
  readonly lean?: boolean;
}

/** A document's first syntax error as a full parse reports it (offsets in its chunk). */
export interface SettledError {
  readonly from: number;
  readonly to: number;
  readonly message: string;
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
  /** A document's syntax error is provisional: parse the same text again without `provisional` for the exact one. */
  readonly provisional: boolean;
}

export interface ParseOptions {
  /**
   * The caller owns `previous` and will drop it: a large edited document may be updated in
   * place (only the edited block is re-parsed) instead of being parsed again. Never set it
   * when another holder (a forked workspace) may still read `previous`.
   */
  mayMutatePrevious?: boolean;
  /**
   * With `mayMutatePrevious`: a large document (`PROVISIONAL_MIN_CHARS`) that an edit leaves
   * invalid YAML is not parsed again whole. Its syntax error is the first error of the edited
   * block, and the next edit updates its last valid tree in place; typing a new key in Argo
   * CD's 1.4 MB CRD would otherwise parse all of it at every keystroke until the `:`. The
   * error may differ from a full parse's: parsing the same text again without this option
   * gives the exact one (the language server does when typing pauses).
   */
  provisional?: boolean;
  /**
   * When the same text is parsed again without `provisional` (settling it): the exact errors of
   * a provisional chunk's documents, computed elsewhere by `settledErrors` on the chunk's text
   * (undefined: parse it here). The language server computes them in another thread, so that
   * parsing a 1.4 MB document whole never holds up the next keystroke.
   */
  settled?: (chunkText: string) => readonly SettledError[] | undefined;
  /**
   * For a file parsed afresh whose trees serve linting only (an audit, a file indexed in the
   * background): documents of kinds nothing reads whole are parsed only where they are read,
   * when that is certain to give the same syntax errors (none) and the same nodes there
   * (`lean-parse.ts`). Never for a document open in the editor: hovers read all of it.
   */
  lean?: LeanPolicy;
}

/** Counters for tests and the benchmark: what the last calls actually parsed. */
export const parseStats = { chunksParsed: 0, charsParsed: 0, inPlace: 0, provisional: 0, lean: 0 };

const BOM = '\uFEFF';
/**
 * Below this size a changed document is simply parsed again (a fraction of a millisecond);
 * above it, updating in place wins: a 12 KB Deployment takes about 4 ms to parse and 0.15 ms
 * to update.
 */
export const IN_PLACE_MIN_CHARS = 2048;
/** Below this size an invalid document is parsed whole at once (a 32 KB document takes about 8 ms). */
export const PROVISIONAL_MIN_CHARS = 32 * 1024;

/**
 * Parses every document of a file. Pass the previous parse of the same file to reuse the
 * documents whose text did not change: unchanged documents before and after the edit are
 * found by comparing text in place, so a keystroke costs a few comparisons plus the parse
 * of the edited document (or, for a large document, of the edited block in it).
 */
export function parseFile(input: string, previous?: ParsedFile, options: ParseOptions = {}): ParsedFile {
  // Editors hide the byte-order mark; positions must match what the user sees.
  // Strip every leading one, so parsing already-stripped text again (fix-all passes) is idempotent.
  let text = input;
  while (text.startsWith(BOM)) text = text.slice(1);
  if (!previous || previous.chunks.length === 0) return parseAll(text, options.lean);
  if (text === previous.text) return previous.provisional && !options.provisional ? settle(previous, options.settled) : previous;

  // The changed span: [changeStart, oldChangeEnd) of the old text is [changeStart, newChangeEnd) now.
  const oldText = previous.text;
  const changeStart = commonPrefix(oldText, text);
  const suffix = commonSuffix(oldText, text, Math.min(oldText.length, text.length) - changeStart);
  const oldChangeEnd = oldText.length - suffix;
  const newChangeEnd = text.length - suffix;
  const delta = text.length - oldText.length;
  const old = previous.chunks;
  const first = chunkAt(old, changeStart);
  const last = oldChangeEnd > changeStart ? chunkAt(old, oldChangeEnd - 1) : first;
  const edit: Edit = { changeStart, oldChangeEnd, delta, mayMutate: options.mayMutatePrevious === true, provisional: options.provisional === true };
  let from: number;
  let to: number;
  let middle: ParsedChunk[];
  if (first === last && editKeepsBoundaries(oldText, changeStart, oldChangeEnd) && editKeepsBoundaries(text, changeStart, newChangeEnd)) {
    // Typing inside a document: every chunk boundary stays, so the file is not split again
    // (that scan alone reads the 1.4 MB CRD around each keystroke in Argo CD's install.yaml).
    const before = old[first];
    from = first;
    to = first + 1;
    middle = [updateChunk(before, { start: before.start, text: text.slice(before.start, endOf(old, first) + delta) }, edit)];
  } else {
    // Chunks that hold the change, plus one unchanged chunk on each side: a removed or added
    // `---` merges or splits the neighbours, and their outer boundaries cannot have moved.
    from = Math.max(0, first - 1);
    to = Math.min(old.length, last + 2);
    middle = reparseRegion(old, from, to, text, edit);
  }
  const chunks: ParsedChunk[] = old.slice(0, from);
  for (const chunk of middle) chunks.push(chunk);
  for (let i = to; i < old.length; i++) chunks.push(delta === 0 ? old[i] : { ...old[i], start: old[i].start + delta });
  return assemble(text, chunks, LineIndex.edited(previous.lines, text, changeStart, oldChangeEnd, newChangeEnd));
}

/** The change between two versions of a file: `[changeStart, oldChangeEnd)` of the old text was replaced. */
interface Edit {
  readonly changeStart: number;
  readonly oldChangeEnd: number;
  readonly delta: number;
  readonly mayMutate: boolean;
  readonly provisional: boolean;
}

/** Splits the region `[old[from], old[to - 1]]` of the new text again and parses what changed. */
function reparseRegion(old: readonly ParsedChunk[], from: number, to: number, text: string, edit: Edit): ParsedChunk[] {
  const regionStart = old[from].start;
  const regionEnd = endOf(old, to - 1) + edit.delta;
  const middle = splitDocuments(text.slice(regionStart, regionEnd)).map((c) => ({ start: c.start + regionStart, text: c.text }));
  // Middle chunks that equal the old chunk at their place are reused (comparing two strings
  // is memcmp; hashing a 1 MB chunk for a map is not free). When documents were added or
  // removed they are matched by text instead, each old chunk at most once, so no two chunks
  // ever share a Document.
  if (middle.length === to - from) return middle.map((chunk, i) => updateChunk(old[from + i], chunk, edit));
  const byText = new Map<string, ParsedChunk[]>();
  for (let i = from; i < to; i++) {
    const list = byText.get(old[i].text);
    if (list) list.push(old[i]);
    else byText.set(old[i].text, [old[i]]);
  }
  return middle.map((chunk) => {
    const reused = byText.get(chunk.text)?.shift();
    if (!reused) return parseChunk(chunk);
    return reused.start === chunk.start ? reused : { ...reused, start: chunk.start };
  });
}

/**
 * The new version of the chunk that was `before`: reused if equal, else updated in place when
 * allowed, else parsed; or a provisional stand-in (see `ParseOptions.provisional`).
 */
function updateChunk(before: ParsedChunk, chunk: DocumentChunk, edit: Edit): ParsedChunk {
  if (before.provisional && !edit.provisional) return parseChunk(chunk);
  // Back to the last valid text (the half-typed key deleted): its tree, untouched while invalid.
  if (before.provisional?.text === chunk.text) return { start: chunk.start, text: chunk.text, docs: [before.provisional.doc], templated: isTemplated(chunk.text) };
  if (before.text === chunk.text) return before.start === chunk.start ? before : { ...before, start: chunk.start };
  if (before.lean) return parseChunk(chunk);
  const span = edit.mayMutate && before.start === chunk.start ? inPlaceSpan(before, chunk, edit) : undefined;
  if (!span) return parseChunk(chunk);
  const { base, lo, hi } = span;
  const result = reparseInPlace(base.doc, base.text, chunk.text, lo, hi);
  if (result && 'doc' in result) {
    parseStats.inPlace++;
    const templated = before.provisional ? isTemplated(chunk.text) : templatedAfterEdit(before, chunk.text, lo, hi + edit.delta);
    return { start: chunk.start, text: chunk.text, docs: [result.doc], templated };
  }
  if (result && edit.provisional && base.text.length >= PROVISIONAL_MIN_CHARS) {
    parseStats.provisional++;
    return { start: chunk.start, text: chunk.text, docs: [standIn(result.error)], templated: isTemplated(chunk.text), provisional: base };
  }
  return parseChunk(chunk);
}

/**
 * The tree to update in place and the span of its text that changed: the chunk's own document
 * and the edit, or for a provisional chunk its last valid tree and everything that changed
 * since (the characters typed while the document was invalid).
 */
function inPlaceSpan(before: ParsedChunk, chunk: DocumentChunk, edit: Edit): { base: { doc: Document.Parsed; text: string }; lo: number; hi: number } | undefined {
  if (before.provisional) {
    const base = before.provisional;
    const lo = commonPrefix(base.text, chunk.text);
    const hi = base.text.length - commonSuffix(base.text, chunk.text, Math.min(base.text.length, chunk.text.length) - lo);
    return { base, lo, hi };
  }
  if (before.docs.length !== 1 || before.text.length < IN_PLACE_MIN_CHARS) return undefined;
  const lo = edit.changeStart - before.start;
  const hi = edit.oldChangeEnd - before.start;
  if (lo < 0 || hi > before.text.length || chunk.text.length - before.text.length !== edit.delta) return undefined;
  return { base: { doc: before.docs[0], text: before.text }, lo, hi };
}

/**
 * The file again with its provisional documents parsed whole: their exact syntax errors. With
 * `settled`, a chunk whose errors were computed elsewhere gets stand-ins carrying them.
 */
function settle(file: ParsedFile, settled?: ParseOptions['settled']): ParsedFile {
  return assemble(file.text, file.chunks.map((chunk) => {
    if (!chunk.provisional || chunk.settled) return chunk;
    const errors = settled?.(chunk.text);
    if (!errors) return parseChunk(chunk);
    const docs = errors.map((error) => standIn(new YAMLParseError([error.from, error.to], 'IMPOSSIBLE', error.message)));
    return { ...chunk, docs, settled: true };
  }), file.lines);
}

/**
 * What a full parse of a chunk's text reports, as plain data (for another thread): each
 * document's first syntax error; undefined when some document is valid (its tree is needed).
 */
export function settledErrors(text: string): SettledError[] | undefined {
  const errors: SettledError[] = [];
  for (const doc of parseChunk({ start: 0, text }).docs) {
    const error = firstError(doc);
    if (!error) return undefined;
    errors.push(error);
  }
  return errors;
}

/** Index of the chunk that contains `offset` (the last chunk for the end of the text). */
function chunkAt(chunks: readonly ParsedChunk[], offset: number): number {
  let low = 0;
  let high = chunks.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (chunks[mid].start <= offset) low = mid;
    else high = mid - 1;
  }
  return low;
}

function isTemplated(text: string): boolean {
  return text.includes('{{');
}

/**
 * Whether a chunk is templated after `[lo, newEnd)` of it changed: a `{{` that was not there
 * before overlaps the change, so only those characters are read (not a 1.4 MB CRD).
 */
function templatedAfterEdit(before: ParsedChunk, text: string, lo: number, newEnd: number): boolean {
  return before.templated ? isTemplated(text) : isTemplated(text.slice(Math.max(0, lo - 1), newEnd + 1));
}

function endOf(chunks: readonly ParsedChunk[], i: number): number {
  return i < 0 ? 0 : chunks[i].start + chunks[i].text.length;
}

function parseAll(text: string, lean?: LeanPolicy): ParsedFile {
  return assemble(text, splitDocuments(text).map((chunk) => parseChunk(chunk, lean)), new LineIndex(text));
}

function parseChunk(chunk: DocumentChunk, lean?: LeanPolicy): ParsedChunk {
  parseStats.chunksParsed++;
  parseStats.charsParsed += chunk.text.length;
  const overflow = nestingOverflow(chunk.text);
  if (overflow >= 0) return { start: chunk.start, text: chunk.text, docs: [tooDeep(overflow)], templated: isTemplated(chunk.text) };
  const leanDoc = lean && parseLean(chunk.text, lean);
  if (leanDoc) return { start: chunk.start, text: chunk.text, docs: [leanDoc], templated: isTemplated(chunk.text), lean: true };
  const parsed = parseAllDocuments(chunk.text, PARSE_OPTIONS);
  return { start: chunk.start, text: chunk.text, docs: Array.isArray(parsed) ? parsed : [], templated: isTemplated(chunk.text) };
}

/** The document parsed only where `lean` says it is read, if that is certain to be exact. */
function parseLean(text: string, lean: LeanPolicy): Document.Parsed | undefined {
  const kind = kindLine(text);
  const kept = kind === undefined ? undefined : lean(kind);
  if (kind === undefined || kept === undefined) return undefined;
  const doc = leanDocument(text, kind, kept);
  if (doc) parseStats.lean++;
  return doc;
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
      const error = firstError(doc);
      // An error at the very end of the text must not end past it.
      if (error) syntaxErrors.push({ docIndex: index, start: Math.min(chunk.start + error.from, text.length), end: Math.min(chunk.start + error.to, text.length), message: error.message });
    }
  }
  return { text, lines, docs, syntaxErrors, templated, chunks, provisional: chunks.some((chunk) => chunk.provisional !== undefined && !chunk.settled) };
}

/** A document's first syntax error as reported (offsets in its chunk), if it has one. */
function firstError(doc: Document.Parsed): SettledError | undefined {
  const error = doc.errors[0];
  if (!error) return undefined;
  const opener = unclosedOpener(doc, error.pos[0]);
  const [from, to] = opener === undefined ? error.pos : [opener, opener + 1];
  return { from, to: Math.max(to, from + 1), message: firstLine(error.message) + (opener === undefined ? '' : ' (opened here)') };
}

/**
 * `yaml` reports an unclosed quote or flow collection where it expected the closing
 * character, often lines later or at the end of the file; the user needs the opening one.
 * That is the innermost quoted scalar or flow collection that ends exactly at the error.
 */
function unclosedOpener(doc: Document.Parsed, errorAt: number): number | undefined {
  let opener: number | undefined;
  visit(doc, (_, node) => {
    const range = (node as { range?: [number, number, number] } | null)?.range;
    if (!range || range[1] !== errorAt || range[0] >= errorAt) return;
    const open = (isScalar(node) && (node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE')) || (isCollection(node) && node.flow);
    if (open && (opener === undefined || range[0] > opener)) opener = range[0];
  });
  return opener;
}

/** A stand-in for a document too deeply nested to parse safely: no content, one clear error. */
function tooDeep(offset: number): Document.Parsed {
  return standIn(new YAMLParseError([offset, offset + 1], 'IMPOSSIBLE', `this document is nested deeper than ${MAX_NESTING} levels and is not checked`));
}

/** A document with no content and one error: what an unparsed document reports. */
function standIn(error: YAMLParseError): Document.Parsed {
  const doc = parseDocument('', PARSE_OPTIONS);
  doc.errors.push(error);
  return doc;
}

function firstLine(message: string): string {
  return message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
}
