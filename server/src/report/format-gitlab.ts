import { createHash } from 'node:crypto';
import type { Finding } from '../engine/finding';
import type { Severity } from '../engine/rule';
import type { ReportInput } from './report-input';

/** GitLab's Code Quality severities (a subset of Code Climate's): a privileged container is a major issue, not a blocker of the pipeline by itself. */
const SEVERITY: Record<Severity, 'major' | 'minor' | 'info'> = { error: 'major', warning: 'minor', info: 'info' };

/**
 * GitLab Code Quality (`artifacts: reports: codequality`): one issue per finding and per file
 * not checked, shown in merge requests. A fingerprint identifies an issue across pipelines:
 * the rule, the file, the resource and the message, not the line (which moves with edits).
 */
export function formatGitlab(report: ReportInput): string {
  const issue = (f: Finding) => {
    const path = report.paths.get(f.uri) ?? f.uri;
    const resource = f.resource ? `${f.resource.kind}/${f.resource.namespace ?? ''}/${f.resource.name}` : '';
    return {
      type: 'issue',
      check_name: f.ruleId,
      description: f.message,
      categories: ['Security'],
      severity: SEVERITY[f.severity],
      fingerprint: fingerprint(f.ruleId, path, resource, f.message, f.target ?? ''),
      location: { path, lines: { begin: f.range.start.line + 1 } },
    };
  };
  const notChecked = report.skipped
    .filter((s) => s.level === 'warning')
    .map((s) => ({
      type: 'issue',
      check_name: 'not-checked',
      description: `Not checked: ${s.reason}`,
      categories: ['Security'],
      severity: 'minor',
      fingerprint: fingerprint('not-checked', s.file, s.reason),
      location: { path: s.file, lines: { begin: 1 } },
    }));
  return `${JSON.stringify([...report.findings.map(issue), ...notChecked], null, 2)}\n`;
}

function fingerprint(...parts: string[]): string {
  return createHash('sha256').update(parts.join('\0')).digest('hex').slice(0, 32);
}
