import type { Resource } from '../model/resource';
import type { LineIndex } from '../parsing/line-index';

export const IGNORE_ANNOTATION = 'kube-zero-trust.io/ignore';
const IGNORE_COMMENT = /^\s*#\s*kzt-ignore\s+(.+?)(?:\s+--\s*(.*))?\s*$/;

/** Rule ids the resource's `kube-zero-trust.io/ignore` annotation silences (`all` silences every rule). */
export function annotationIgnores(resource: Resource): Set<string> {
  return parseRuleList(resource.annotations[IGNORE_ANNOTATION] ?? '');
}

/** Rule ids a `# kzt-ignore rule-a,rule-b -- reason` comment on the line above `line` silences. */
export function commentIgnores(lines: LineIndex, line: number): Set<string> {
  if (line === 0) return new Set();
  const start = lines.offsetAt({ line: line - 1, character: 0 });
  const end = lines.offsetAt({ line, character: 0 });
  const match = IGNORE_COMMENT.exec(lines.text.slice(start, end).replace(/\r?\n$/, ''));
  return match ? parseRuleList(match[1]) : new Set();
}

export function isSuppressed(ids: Set<string>, ruleId: string): boolean {
  return ids.has(ruleId) || ids.has('all');
}

function parseRuleList(value: string): Set<string> {
  return new Set(value.split(/[\s,]+/).filter(Boolean));
}
