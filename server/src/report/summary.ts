import type { Severity } from '../engine/rule';
import { count } from './plural';
import type { ReportInput } from './report-input';

export const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info'];

/** Findings by severity and by rule (rules by count, then id): the totals every format shows. */
export interface ReportSummary {
  findings: number;
  bySeverity: Record<Severity, number>;
  byRule: Array<{ ruleId: string; count: number; severity: Severity }>;
  suppressed: number;
  filesRead: number;
  notChecked: number;
}

export function summarize(report: ReportInput): ReportSummary {
  const bySeverity: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  const byRule = new Map<string, { ruleId: string; count: number; severity: Severity }>();
  const rank = (s: Severity) => SEVERITIES.indexOf(s);
  for (const finding of report.findings) {
    bySeverity[finding.severity]++;
    const entry = byRule.get(finding.ruleId);
    if (!entry) byRule.set(finding.ruleId, { ruleId: finding.ruleId, count: 1, severity: finding.severity });
    else {
      entry.count++;
      if (rank(finding.severity) < rank(entry.severity)) entry.severity = finding.severity;
    }
  }
  return {
    findings: report.findings.length,
    bySeverity,
    byRule: [...byRule.values()].sort((a, b) => b.count - a.count || (a.ruleId < b.ruleId ? -1 : 1)),
    suppressed: report.suppressed.length,
    filesRead: report.filesRead,
    notChecked: report.skipped.filter((s) => s.level === 'warning').length,
  };
}

/** `15 findings (3 errors, 10 warnings, 2 info) in 4 files; 1 file not checked; 2 suppressed` */
export function summaryLine(report: ReportInput): string {
  const s = summarize(report);
  const severities = SEVERITIES.map((severity) => count(s.bySeverity[severity], severity)).join(', ');
  const head = s.findings ? `${count(s.findings, 'finding')} (${severities}) in ${count(s.filesRead, 'file')}` : `No findings in ${count(s.filesRead, 'file')}`;
  const notChecked = s.notChecked ? `; ${count(s.notChecked, 'file')} not checked` : '';
  const suppressed = s.suppressed ? `; ${s.suppressed} suppressed` : '';
  return `${head}${notChecked}${suppressed}`;
}
