import type { Node } from 'yaml';
import type { OffsetEdit } from '../edits/offset-edit';
import { column, indentUnit, lineStart, newline, startsLine } from '../edits/source-text';
import { appendToSeq } from '../edits/yaml-edits';
import { addBlockValue } from '../edits/block-edits';
import { renderFlow, textStyleOf } from '../edits/yaml-render';
import type { AuditLevel, AuditPolicyModel } from '../analysis/audit/policy';

/** A rule to add to an audit policy. */
export interface NewAuditRule {
  level: AuditLevel;
  /** Resources by API group, in the order written. */
  resources: Array<{ group: string; resources: string[] }>;
  /** One line written above the rule. */
  comment: string;
}

const PLACEHOLDER = '\u0000';

/**
 * Inserts `rule` into the policy's `rules` before the rule at `before` (or after the last when
 * `before` is their number): in the sequence's own style and indentation, above the comment
 * lines that introduce the rule it goes before, so those stay with their rule. Undefined when
 * the sequence is written in a way that cannot be edited cleanly.
 */
export function insertAuditRule(policy: AuditPolicyModel, before: number, rule: NewAuditRule): OffsetEdit[] | undefined {
  const value = { level: rule.level, resources: rule.resources.map((gr) => ({ group: gr.group, resources: gr.resources })) };
  const seq = policy.rulesSeq;
  if (!seq) {
    if (policy.resource.root.has('rules')) return undefined;
    return addBlockValue(policy.resource.root, 'rules', { value: [value], comments: [{ path: [0], text: rule.comment }] });
  }
  const source = seq.ctx.source;
  const items = seq.node.items as Node[];
  if (seq.node.flow || items.length === 0) {
    if (before >= items.length) return [appendToSeq(seq, renderFlow(value))];
    const start = items[before].range?.[0];
    return start === undefined ? undefined : [{ start, end: start, text: `${renderFlow(value)}, ` }];
  }
  const nl = newline(source);
  if (before >= items.length) {
    const edit = appendToSeq(seq, PLACEHOLDER);
    const block = /^(\r?\n)( *)- \u0000$/.exec(edit.text);
    if (!block) return undefined;
    return [{ ...edit, text: block[1] + blockLines(rule, block[2], source).join(nl) }];
  }
  const itemStart = items[before].range?.[0];
  if (itemStart === undefined) return undefined;
  const dash = source.lastIndexOf('-', itemStart);
  if (dash < 0 || !startsLine(source, dash)) return undefined;
  const indent = column(source, dash);
  let at = lineStart(source, dash);
  // Comment lines at the item's indentation just above it introduce it: insert above them.
  while (at > 0) {
    const previousStart = lineStart(source, at - (source[at - 2] === '\r' ? 2 : 1));
    const previous = source.slice(previousStart, at).replace(/\r?\n$/, '');
    if (!previous.trimStart().startsWith('#') || previous.length - previous.trimStart().length !== indent) break;
    at = previousStart;
  }
  return [{ start: at, end: at, text: blockLines(rule, ' '.repeat(indent), source).map((line) => line + nl).join('') }];
}

/** The rule as block lines at `indent`, with its resource lists in flow style. */
function blockLines(rule: NewAuditRule, indent: string, source: string): string[] {
  const style = textStyleOf(source);
  const items = `${indent}  ${style.indentSeq ? ' '.repeat(indentUnit(source)) : ''}`;
  return [
    `${indent}# ${rule.comment}`,
    `${indent}- level: ${rule.level}`,
    `${indent}  resources:`,
    ...rule.resources.flatMap((gr) => [`${items}- group: ${gr.group === '' ? '""' : gr.group}`, `${items}  resources: [${gr.resources.join(', ')}]`]),
  ];
}
