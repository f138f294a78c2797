import { parseAllDocuments, type Document } from 'yaml';
import { LineIndex } from './line-index';
import { splitDocuments } from './split-documents';

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

export interface ParsedFile {
  readonly text: string;
  readonly lines: LineIndex;
  readonly docs: readonly ParsedDoc[];
  readonly syntaxErrors: readonly SyntaxError[];
  /** Helm and other templates: `{{ … }}` makes YAML errors meaningless noise. */
  readonly templated: boolean;
  /** Parsed slices by source text, so the next version of the file re-parses only what changed. */
  readonly chunkCache: ReadonlyMap<string, Document.Parsed[]>;
}

const BOM = '\uFEFF';
const PARSE_OPTIONS = { keepSourceTokens: false, prettyErrors: false, uniqueKeys: false, strict: false } as const;

/**
 * Parses every document of a file. Pass the previous parse of the same file to reuse the
 * documents whose text did not change (the keystroke path re-parses one document).
 */
export function parseFile(input: string, previous?: ParsedFile): ParsedFile {
  // Editors hide the byte-order mark; positions must match what the user sees.
  const text = input.startsWith(BOM) ? input.slice(1) : input;
  const chunkCache = new Map<string, Document.Parsed[]>();
  const docs: ParsedDoc[] = [];
  const syntaxErrors: SyntaxError[] = [];
  for (const chunk of splitDocuments(text)) {
    const parsed = previous?.chunkCache.get(chunk.text) ?? parseAllDocuments(chunk.text, PARSE_OPTIONS);
    const list = Array.isArray(parsed) ? parsed : [];
    chunkCache.set(chunk.text, list);
    for (const doc of list) {
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
  return { text, lines: new LineIndex(text), docs, syntaxErrors, templated: /\{\{/.test(text), chunkCache };
}

function firstLine(message: string): string {
  return message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
}
