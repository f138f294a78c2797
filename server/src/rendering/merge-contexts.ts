import { mergeContexts, type ContextFindings } from '../engine/contexts';
import { SYNTAX_ERROR_ID, withFields, type Finding } from '../engine/finding';
import type { FileResult } from '../engine/lint';

/** One root cause, one finding: the same rule at the same node of the same object part. */
function keyOf(finding: Finding): string {
  return `${finding.ruleId}\u0000${finding.start}\u0000${finding.end}\u0000${finding.target ?? ''}`;
}

/**
 * A file's result with its deployment contexts' findings in place of its own (merged as the
 * static model merges its overlays: `engine/contexts.ts`): its syntax errors stay, and a
 * finding at the node of one of its own findings of the same rule keeps that finding's fixes
 * (they edit this file's text).
 */
export function withContexts(own: FileResult, contexts: readonly ContextFindings[], failures: FileResult['failures'] = []): FileResult {
  const merged = mergeContexts(contexts);
  const ownByKey = new Map([...own.findings, ...own.suppressed].map((f) => [keyOf(f), f]));
  const withFixes = (finding: Finding): Finding => {
    const same = ownByKey.get(keyOf(finding));
    if (!same) return finding;
    // The context's message, severity, object and suppression; this file's fixes.
    const { ruleId, severity, message, resource, target, suppressed, overlays } = finding;
    return withFields(same, { ruleId, severity, message, resource, target, suppressed, overlays });
  };
  const syntax = own.findings.filter((f) => f.ruleId === SYNTAX_ERROR_ID);
  return {
    uri: own.uri,
    findings: sortFindings([...syntax, ...merged.findings.map(withFixes)]),
    suppressed: merged.suppressed.map(withFixes),
    failures: [...own.failures, ...failures],
    objects: own.objects,
  };
}

function sortFindings(findings: Finding[]): Finding[] {
  return findings.sort((a, b) => a.start - b.start || a.ruleId.localeCompare(b.ruleId));
}
