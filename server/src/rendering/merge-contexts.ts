import { SYNTAX_ERROR_ID, withFields, type Finding } from '../engine/finding';
import type { FileResult } from '../engine/lint';
import type { Severity } from '../engine/rule';

/** What one deployment context (a top-level kustomization) found in one file. */
export interface ContextFindings {
  /** How the context is named in messages: the kustomization's folder, `overlays/dev`. */
  name: string;
  findings: readonly Finding[];
  suppressed: readonly Finding[];
}

const RANK: Record<Severity, number> = { info: 0, warning: 1, error: 2 };

/** One root cause, one finding: the same rule at the same node of the same object part. */
function keyOf(finding: Finding): string {
  return `${finding.ruleId}\u0000${finding.start}\u0000${finding.end}\u0000${finding.target ?? ''}`;
}

/**
 * A file's findings over every context that deploys it: a finding that holds in all of them
 * once, as it is; one that holds in some only, once, saying where ("In overlays/prod: …").
 * A finding silenced in some contexts and not in others is a finding of the others.
 * The message is the one of the first context by name (an overlay's prefixes differ).
 */
export function mergeContexts(contexts: readonly ContextFindings[]): { findings: Finding[]; suppressed: Finding[] } {
  const ordered = [...contexts].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const merge = (pick: (c: ContextFindings) => readonly Finding[]): Finding[] => {
    const byKey = new Map<string, { finding: Finding; severity: Severity; contexts: string[] }>();
    for (const context of ordered) {
      for (const finding of pick(context)) {
        const key = keyOf(finding);
        const entry = byKey.get(key);
        if (!entry) byKey.set(key, { finding, severity: finding.severity, contexts: [context.name] });
        else if (!entry.contexts.includes(context.name)) {
          entry.contexts.push(context.name);
          if (RANK[finding.severity] > RANK[entry.severity]) entry.severity = finding.severity;
        }
      }
    }
    return [...byKey.values()].map(({ finding, severity, contexts: where }) => {
      const everywhere = where.length === ordered.length;
      return withFields(finding, { severity, ...(everywhere ? {} : { message: `In ${where.join(', ')}: ${finding.message}` }) });
    });
  };
  const findings = merge((c) => c.findings);
  const found = new Set(findings.map(keyOf));
  const suppressed = merge((c) => c.suppressed).filter((f) => !found.has(keyOf(f)));
  return { findings: sortFindings(findings), suppressed: sortFindings(suppressed) };
}

/**
 * A file's result with its deployment contexts' findings in place of its own: its syntax
 * errors stay, and a finding at the node of one of its own findings of the same rule keeps
 * that finding's fixes (they edit this file's text).
 */
export function withContexts(own: FileResult, contexts: readonly ContextFindings[], failures: FileResult['failures'] = []): FileResult {
  const merged = mergeContexts(contexts);
  const ownByKey = new Map([...own.findings, ...own.suppressed].map((f) => [keyOf(f), f]));
  const withFixes = (finding: Finding): Finding => {
    const same = ownByKey.get(keyOf(finding));
    if (!same) return finding;
    // The context's message, severity, object and suppression; this file's fixes.
    const { ruleId, severity, message, resource, target, suppressed } = finding;
    return withFields(same, { ruleId, severity, message, resource, target, suppressed });
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
