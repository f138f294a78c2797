import { CST, Lexer, parseAllDocuments, visit, type Document } from 'yaml';
import { pathTrie, type PathTrie } from './path-trie';
import { PARSE_OPTIONS } from './reparse-in-place';

/**
 * Paths of an object that something reads (map keys; `*` for any key or sequence item). A
 * path covers the whole subtree under it.
 */
export type KeptPaths = ReadonlyArray<readonly string[]>;

/**
 * Which paths of a document of this kind anything reads, or undefined when the whole document
 * may be read. A kind no rule looks into (a CustomResourceDefinition: most of the bytes of a
 * real repository, almost all of it schema) is parsed only where it is read.
 */
export type LeanPolicy = (kind: string) => KeptPaths | undefined;

/** The kind a document says it is on a line of its own at column 0, before anything is parsed. */
const KIND_LINE = /^kind:[ \t]*([A-Za-z][A-Za-z0-9]*)[ \t]*(?:#[^\n]*)?\r?$/m;
/** Plain scalars YAML 1.1 reads as something other than a string. */
const NOT_A_STRING = /^(?:y|n|yes|no|on|off|true|false|null)$/i;

export function kindLine(text: string): string | undefined {
  const kind = KIND_LINE.exec(text)?.[1];
  return kind && !NOT_A_STRING.test(kind) ? kind : undefined;
}

/** What is read under `key` of a node whose reads are `keep` (null: nothing). */
function child(keep: PathTrie | null, key: string): PathTrie | null {
  if (keep === null || keep.all) return keep;
  return keep.next.get(key) ?? keep.next.get('*') ?? null;
}

interface Token {
  readonly type: string;
  readonly source: string;
  readonly start: number;
}

/** `yaml`'s lexer as typed tokens with offsets; a plain scalar or block scalar body is `scalar`. */
class Tokens {
  private readonly lexed: Iterator<string>;
  private offset = 0;
  private peeked: Token | undefined | null = null;

  constructor(text: string) {
    this.lexed = new Lexer().lex(text);
  }

  next(): Token | undefined {
    const peeked = this.peeked;
    if (peeked === null) return this.read();
    this.peeked = null;
    return peeked;
  }

  peek(): Token | undefined {
    if (this.peeked === null) this.peeked = this.read();
    return this.peeked;
  }

  private read(): Token | undefined {
    let scalar = false;
    for (;;) {
      const step = this.lexed.next();
      if (step.done) return undefined;
      const source = step.value;
      if (source === CST.DOCUMENT) continue;
      if (source === CST.SCALAR) {
        scalar = true;
        continue;
      }
      const start = this.offset;
      this.offset += source.length;
      return { type: scalar ? 'scalar' : (CST.tokenType(source) ?? 'unknown'), source, start };
    }
  }
}

/** Thrown inside the walk: the text is outside the subset this module can vouch for. */
class Unsure extends Error {}

function unsure(): never {
  throw new Unsure();
}

interface Frame {
  /** The column of its keys or of its `-` indicators. */
  readonly indent: number;
  readonly seq: boolean;
  readonly keep: PathTrie | null;
}

/**
 * The document as `yaml` parses it where it is read; every other value is null. Only the lines
 * read are parsed (the others are cut out, and the nodes' offsets moved back to the text's), so
 * this costs little more than lexing the whole: a CustomResourceDefinition's schema is lexed,
 * never built. Returns undefined unless the text is certainly one valid YAML document of block
 * mappings, block sequences and scalars, with one top-level `kind` (which is `kind`) and one
 * `metadata`, which `yaml` parses without an error: anything else (flow collections, anchors,
 * tags, some escapes, tabs, unusual indentation) is left to the full parse, which reports
 * exactly what is wrong.
 */
export function leanDocument(text: string, kind: string, paths: KeptPaths): Document.Parsed | undefined {
  let cuts: number[];
  try {
    cuts = new LeanWalk(text, kind, pathTrie(paths)).run();
  } catch (error) {
    if (error instanceof Unsure) return undefined;
    throw error;
  }
  const { kept, moves } = cutOut(text, cuts);
  const docs = parseAllDocuments(kept, PARSE_OPTIONS);
  // The walk vouched for the text; a surprise here means it was wrong: the full parse decides.
  if (!Array.isArray(docs) || docs.length !== 1 || docs[0].errors.length > 0) return undefined;
  const doc = docs[0];
  const move = (range: [number, number, number]) => {
    for (let i = 0; i < 3; i++) range[i] = moved(moves, range[i]);
  };
  move(doc.range);
  visit(doc, (_, node) => {
    const range = (node as { range?: [number, number, number] | null }).range;
    if (range) move(range);
  });
  return doc;
}

/**
 * `text` without the values `[from, to)` of `cuts`, each leaving its first line break so the
 * lines around it stay lines; `moves` maps an offset of the result back to the text's.
 */
function cutOut(text: string, cuts: readonly number[]): { kept: string; moves: { at: number[]; by: number[] } } {
  const parts: string[] = [];
  const at: number[] = [];
  const by: number[] = [];
  let from = 0;
  let length = 0;
  const keep = (end: number) => {
    parts.push(text.slice(from, end));
    length += end - from;
    from = end;
  };
  const cut = (end: number) => {
    if (end > from) {
      at.push(length);
      by.push(end);
    }
    from = end;
  };
  for (let i = 0; i < cuts.length; i += 2) {
    const [start, end] = [cuts[i], cuts[i + 1]];
    keep(start);
    const nl = text.indexOf('\n', start);
    const lineEnd = nl < 0 || nl >= end ? end : text[nl - 1] === '\r' && nl - 1 >= start ? nl - 1 : nl;
    cut(lineEnd);
    if (lineEnd < end) {
      keep(nl + 1);
      cut(end);
    }
  }
  keep(text.length);
  return { kept: parts.join(''), moves: { at, by } };
}

/** The text's offset of `offset` in the cut text: moved past every cut made at or before it. */
function moved({ at, by }: { at: number[]; by: number[] }, offset: number): number {
  let low = 0;
  let high = at.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (at[mid] <= offset) low = mid + 1;
    else high = mid;
  }
  return low === 0 ? offset : by[low - 1] + offset - at[low - 1];
}

class LeanWalk {
  private readonly tokens: Tokens;
  private readonly stack: Frame[] = [];
  /** A key whose value starts on a later line (or is empty): its column and what is read of it. */
  private open: { indent: number; keep: PathTrie | null } | undefined;
  /** Offset where the value being cut out starts, and the stack depth of its entry. */
  private region: { from: number; depth: number } | undefined;
  /** The values nobody reads: `[from, to)` pairs, in order. */
  private readonly cuts: number[] = [];
  /** Top-level `kind` keys (with the expected value) and `metadata` keys seen. */
  private kinds = 0;
  private metadatas = 0;

  constructor(
    private readonly text: string,
    private readonly kind: string,
    private readonly keep: PathTrie,
  ) {
    this.tokens = new Tokens(text);
  }

  /** The values to cut out: `[from, to)` pairs, in order. */
  run(): number[] {
    let t = this.tokens.next();
    let started = false;
    while (t) {
      // One document start, before any content (comments may come first).
      if (t.type === 'doc-start' && !started && this.stack.length === 0) {
        started = true;
        t = this.endOfLine(this.tokens.next(), false);
        continue;
      }
      const lineStart = t.start;
      let indent = 0;
      if (t.type === 'space') {
        if (!/^ *$/.test(t.source)) unsure();
        indent = t.source.length;
        t = this.tokens.next();
        if (!t) break;
      }
      if (t.type === 'newline') t = this.tokens.next();
      else if (t.type === 'comment') t = this.endOfLine(this.tokens.next(), false);
      else if (t.type === 'seq-item-ind') t = this.item(t, indent, lineStart);
      else t = this.entry(t, this.place(indent, false, lineStart), lineStart);
    }
    // One kind, and a metadata whose key places findings about the object as a whole.
    if (this.kinds !== 1 || this.metadatas !== 1) unsure();
    if (this.region) this.cuts.push(this.region.from, this.text.length);
    return this.cuts;
  }

  /**
   * The collection a line at `indent` starting an entry (`seq`: an item) belongs to, closing
   * the collections it ends; where the line's entry is not where YAML would put it, unsure.
   */
  private place(indent: number, seq: boolean, lineStart: number): Frame {
    const open = this.open;
    this.open = undefined;
    if (open && (seq ? indent >= open.indent : indent > open.indent)) return this.push({ indent, seq, keep: open.keep }, lineStart);
    const stack = this.stack;
    if (stack.length === 0) {
      if (seq || indent !== 0) unsure();
      return this.push({ indent, seq, keep: this.keep }, lineStart);
    }
    while (stack.length > 1 && (stack[stack.length - 1].indent > indent || (!seq && stack[stack.length - 1].seq && stack[stack.length - 1].indent === indent))) stack.pop();
    const top = stack[stack.length - 1];
    if (top.indent !== indent || top.seq !== seq) unsure();
    this.closeRegion(lineStart);
    return top;
  }

  private push(frame: Frame, lineStart: number): Frame {
    this.stack.push(frame);
    this.closeRegion(lineStart);
    return frame;
  }

  /** A line placed at or above the cut entry's collection ends its value. */
  private closeRegion(lineStart: number): void {
    if (this.region && this.stack.length <= this.region.depth) {
      this.cuts.push(this.region.from, lineStart);
      this.region = undefined;
    }
  }

  private cutFrom(from: number, keep: PathTrie | null): void {
    if (keep === null && !this.region) this.region = { from, depth: this.stack.length };
  }

  /** `key: …` in `frame`: the key token is `t`. Returns the token after the entry's line(s). */
  private entry(t: Token, frame: Frame, lineStart: number): Token | undefined {
    const key = keyText(t);
    const colon = this.tokens.next();
    if (colon?.type !== 'map-value-ind') unsure();
    const keep = child(frame.keep, key);
    if (frame === this.stack[0] && key === 'metadata') this.metadatas++;
    this.cutFrom(colon.start + 1, keep);
    const column = t.start - lineStart;
    let next = this.tokens.next();
    if (!next || next.type === 'newline') {
      this.open = { indent: column, keep };
      return this.tokens.next();
    }
    if (next.type !== 'space' || next.source.includes('\t')) unsure();
    next = this.tokens.next();
    if (next?.type === 'comment') {
      this.open = { indent: column, keep };
      return this.endOfLine(this.tokens.next(), false);
    }
    if (frame === this.stack[0] && key === 'kind') {
      if (next?.type !== 'scalar' || next.source !== this.kind) unsure();
      this.kinds++;
    }
    return this.value(next, column);
  }

  /** `- …` at `indent`: a scalar item, or the first entry of a mapping item. */
  private item(dash: Token, indent: number, lineStart: number): Token | undefined {
    const frame = this.place(indent, true, lineStart);
    const keep = child(frame.keep, '*');
    this.cutFrom(dash.start + 1, keep);
    const space = this.tokens.next();
    if (space?.type !== 'space' || space.source.includes('\t')) unsure();
    const t = this.tokens.next();
    if (!t) unsure();
    if (isKeyCandidate(t) && this.tokens.peek()?.type === 'map-value-ind') return this.entry(t, this.push({ indent: t.start - lineStart, seq: false, keep }, lineStart), lineStart);
    return this.value(t, indent);
  }

  /** A value on its entry's line (`t`); `indent`: the column of its key or `-`. */
  private value(t: Token | undefined, indent: number): Token | undefined {
    if (!t) unsure();
    switch (t.type) {
      case 'scalar':
        if (BAD_PLAIN_START.test(t.source)) unsure();
        return this.endOfLine(this.tokens.next(), continued(t.source, indent));
      case 'single-quoted-scalar':
      case 'double-quoted-scalar':
        if (!closedQuote(t)) unsure();
        return this.endOfLine(this.tokens.next(), continued(t.source, indent));
      case 'block-scalar-header': {
        if (!/^[|>][-+]?$/.test(t.source)) unsure();
        const newline = this.tokens.next();
        if (newline?.type !== 'newline' || newline.source === '') unsure();
        const body = this.tokens.next();
        if (body?.type !== 'scalar' || !blockBodyFits(body.source, indent)) unsure();
        return this.tokens.next();
      }
      case 'flow-seq-start':
      case 'flow-map-start': {
        const end = this.tokens.next();
        if (end?.type !== (t.type === 'flow-seq-start' ? 'flow-seq-end' : 'flow-map-end')) unsure();
        return this.endOfLine(this.tokens.next(), false);
      }
      default:
        unsure();
    }
  }

  /** The end of a line: a line break, or a comment and one (not after a multi-line scalar). */
  private endOfLine(t: Token | undefined, multiLine: boolean): Token | undefined {
    if (t?.type === 'space' && !multiLine) {
      if (t.source.includes('\t')) unsure();
      t = this.tokens.next();
      if (t?.type === 'comment') t = this.tokens.next();
    }
    if (!t) return undefined;
    if (t.type !== 'newline') unsure();
    return this.tokens.next();
  }

}

function isKeyCandidate(t: Token): boolean {
  return t.type === 'scalar' || t.type === 'single-quoted-scalar' || t.type === 'double-quoted-scalar';
}

/** A key as the path names it: one line, short, plain or quoted without escapes. */
function keyText(t: Token): string {
  if (!isKeyCandidate(t) || t.source.length > 1000 || /[\r\n]/.test(t.source)) unsure();
  if (t.type === 'scalar') {
    if (BAD_PLAIN_START.test(t.source)) unsure();
    return t.source;
  }
  if (!closedQuote(t)) unsure();
  const inner = t.source.slice(1, -1);
  return t.type === 'single-quoted-scalar' ? inner.replace(/''/g, "'") : inner;
}

/** What `yaml` refuses at the start of a plain scalar (its `plainValue`). */
const BAD_PLAIN_START = /^[\t,%|>@`]/;
/** Single-quoted text: `''` stands for a quote. */
const SINGLE_QUOTED = /^(?:[^']|'')*$/;
/** Double-quoted text with escapes `yaml` reads without an error (not the line-continuing one). */
const DOUBLE_QUOTED = /^(?:[^"\\]|\\(?:[0abefnrtvN_LP "/\\]|x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}))*$/;

/** A quoted scalar that ends with its own closing quote, its escapes valid. */
function closedQuote(t: Token): boolean {
  if (t.source.length < 2 || t.source[t.source.length - 1] !== t.source[0]) return false;
  return (t.type === 'single-quoted-scalar' ? SINGLE_QUOTED : DOUBLE_QUOTED).test(t.source.slice(1, -1));
}

/**
 * Whether a flow scalar runs over several lines; each further line must be indented past
 * `indent` (the column of its key or `-`) with spaces, else unsure.
 */
function continued(source: string, indent: number): boolean {
  if (!source.includes('\n')) return false;
  const lines = source.split('\n');
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i];
    const spaces = leadingSpaces(line);
    if (spaces === line.length || (spaces === line.length - 1 && line.endsWith('\r'))) continue;
    if (spaces <= indent || line[spaces] === '\t') unsure();
  }
  return true;
}

/**
 * Whether a block scalar's body is one `yaml` reads without an error: its first line with
 * content sets the indentation, past `indent`; no empty line before it is longer, no later
 * line with content is shorter, no tab in the indentation.
 */
function blockBodyFits(body: string, indent: number): boolean {
  let first = -1;
  let leading = 0;
  for (const raw of body.split('\n')) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const spaces = leadingSpaces(line);
    if (spaces === line.length) {
      if (first < 0) leading = Math.max(leading, spaces);
      continue;
    }
    if (first < 0) {
      if (spaces <= indent || leading > spaces || line[spaces] === '\t') return false;
      first = spaces;
    } else if (spaces < first) return false;
  }
  return first >= 0;
}

function leadingSpaces(line: string): number {
  let n = 0;
  while (n < line.length && line.charCodeAt(n) === 32) n++;
  return n;
}
