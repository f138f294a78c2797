import { Document, isMap, isPair, isScalar, type Node } from 'yaml';
import { indentUnit, newline } from './source-text';

/** How a document writes YAML, so generated text looks as if the user wrote it. */
export interface TextStyle {
  indent: number;
  /** `key:\n  - item` (true) or `key:\n- item` (false, kubectl's style). */
  indentSeq: boolean;
  newline: string;
}

/** A comment on a key (path ends with the key) or on a sequence item (path ends with its index). */
export interface YamlComment {
  path: readonly (string | number)[];
  text: string;
}

/** Generated YAML before rendering: plain data plus the comments that explain it. */
export interface YamlDraft {
  value: unknown;
  comments: readonly YamlComment[];
}

export function textStyleOf(source: string): TextStyle {
  return { indent: indentUnit(source), indentSeq: sequencesIndented(source), newline: newline(source) };
}

/** Block YAML of the draft in the given style, ending with a line break. */
export function renderBlock(draft: YamlDraft, style: TextStyle): string {
  const doc = new Document(draft.value);
  for (const comment of draft.comments) {
    const target = commentTarget(doc, comment.path);
    if (target) target.commentBefore = comment.text.split('\n').map((line) => ` ${line}`).join('\n');
  }
  const text = doc.toString({ indent: style.indent, indentSeq: style.indentSeq, lineWidth: 0 });
  return style.newline === '\n' ? text : text.replace(/\n/g, style.newline);
}

/** One-line flow YAML of a value, for insertion into flow collections. */
export function renderFlow(value: unknown): string {
  return new Document(value).toString({ collectionStyle: 'flow', flowCollectionPadding: false, lineWidth: 0 }).trim();
}

function commentTarget(doc: Document, path: readonly (string | number)[]): Node | undefined {
  const last = path[path.length - 1];
  if (typeof last === 'number') return doc.getIn(path, true) as Node | undefined;
  const parent = path.length > 1 ? doc.getIn(path.slice(0, -1), true) : doc.contents;
  if (!isMap(parent)) return undefined;
  const pair = parent.items.find((item) => isPair(item) && isScalar(item.key) && item.key.value === last);
  return pair?.key as Node | undefined;
}

/** True unless the source writes a sequence at the indentation of its parent key. */
function sequencesIndented(source: string): boolean {
  const lines = source.split(/\r?\n/);
  for (let i = 0; i < lines.length - 1; i++) {
    if (!/^\s*[^#\s-][^:]*:\s*(#.*)?$/.test(lines[i])) continue;
    const next = lines.slice(i + 1).find((l) => l.trim() !== '' && !l.trimStart().startsWith('#'));
    if (!next?.trimStart().startsWith('- ')) continue;
    return next.length - next.trimStart().length > lines[i].length - lines[i].trimStart().length;
  }
  return true;
}
