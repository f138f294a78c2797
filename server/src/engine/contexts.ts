import { withFields, type Finding } from './finding';

/** A file's findings in one context: an overlay that builds it (`label`), or its only unit. */
export interface ContextFindings {
  readonly label: string | undefined;
  readonly findings: readonly Finding[];
  readonly suppressed: readonly Finding[];
}

/**
 * One file's findings over the contexts it is linted in. A finding that holds in every context
 * (same rule, place, message and severity) is reported once; one that holds in only some is
 * reported once per distinct finding, prefixed with the overlays it holds in ("In overlays/dev:
 * …"), which it also lists in `overlays`, and carries the namespace it has there.
 */
export function mergeContexts(contexts: readonly ContextFindings[]): { findings: Finding[]; suppressed: Finding[] } {
  if (contexts.length === 1) return { findings: [...contexts[0].findings], suppressed: [...contexts[0].suppressed] };
  return {
    findings: mergeLists(contexts.map((c) => ({ label: c.label, findings: c.findings }))),
    suppressed: mergeLists(contexts.map((c) => ({ label: c.label, findings: c.suppressed }))),
  };
}

function mergeLists(lists: ReadonlyArray<{ label: string | undefined; findings: readonly Finding[] }>): Finding[] {
  const groups = new Map<string, { first: Finding; labels: string[] }>();
  for (const { label, findings } of lists) {
    for (const finding of findings) {
      const key = [finding.ruleId, finding.start, finding.end, finding.severity, finding.message].join('\0');
      const group = groups.get(key);
      if (!group) groups.set(key, { first: finding, labels: [label ?? ''] });
      else if (!group.labels.includes(label ?? '')) group.labels.push(label ?? '');
    }
  }
  const merged: Finding[] = [];
  for (const { first, labels } of groups.values()) {
    if (labels.length === lists.length) merged.push(first);
    else merged.push(withFields(first, { message: `In ${labels.join(', ')}: ${first.message}`, overlays: labels }));
  }
  return merged;
}
