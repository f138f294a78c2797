import type { OffsetEdit } from './offset-edit';
import { newline } from './source-text';
import { appendToSeq, setPath } from './yaml-edits';
import type { Resource } from '../model/resource';
import type { MapView, SeqView } from '../model/yaml-view';
import { renderBlock, renderFlow, textStyleOf, type YamlDraft } from './yaml-render';

/**
 * Multi-line YAML insertions built on the shared edit builders: the builder places a
 * placeholder where a one-line value would go (it knows the indentation, the line breaks and
 * flow vs block); the placeholder becomes the rendered block.
 */
const PLACEHOLDER = '\u0000';

/** A new document after the resource's own, in the same file. */
export function appendDocument(resource: Resource, documentText: string): OffsetEdit {
  const source = resource.parsed.source;
  const nl = newline(source);
  const separator = /\n$/.test(source) || source === '' ? '' : nl;
  const text = documentText.replace(/\r?\n/g, nl);
  return { start: source.length, end: source.length, text: `${separator}---${nl}${text}` };
}

/** Adds `key:` with a block value (and the draft's comments) to a map that lacks the key. */
export function addBlockValue(map: MapView, key: string, draft: YamlDraft): OffsetEdit[] {
  return setPath(map, [key], PLACEHOLDER).map((edit) => {
    const block = new RegExp(`^(\\r?\\n)( *)${escape(key)}: ${PLACEHOLDER}$`).exec(edit.text);
    if (!block) return { ...edit, text: edit.text.replace(PLACEHOLDER, renderFlow(draft.value)) };
    const rendered = renderBlock({ value: { [key]: draft.value }, comments: draft.comments.map((c) => ({ ...c, path: [key, ...c.path] })) }, textStyleOf(map.ctx.source));
    return { ...edit, text: block[1] + indentLines(rendered, block[2], block[1]) };
  });
}

/** Appends an item (a map, rendered as a block item with its comments) to a sequence. */
export function appendBlockItem(seq: SeqView, draft: YamlDraft): OffsetEdit {
  const edit = appendToSeq(seq, PLACEHOLDER);
  const block = new RegExp(`^(\\r?\\n)( *)- ${PLACEHOLDER}$`).exec(edit.text);
  if (!block) return { ...edit, text: edit.text.replace(PLACEHOLDER, renderFlow(draft.value)) };
  const rendered = renderBlock({ value: [draft.value], comments: draft.comments.map((c) => ({ ...c, path: [0, ...c.path] })) }, textStyleOf(seq.ctx.source));
  return { ...edit, text: block[1] + indentLines(rendered, block[2], block[1]) };
}

function indentLines(text: string, indent: string, nl: string): string {
  return text
    .replace(/\r?\n$/, '')
    .split(/\r?\n/)
    .map((line) => indent + line)
    .join(nl);
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
