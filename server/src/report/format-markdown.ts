import type { Finding } from '../engine/finding';
import { ruleDocsUrl } from '../engine/rule-docs';
import { escapeMarkdown } from './escape';
import { posture } from './posture';
import { count } from './plural';
import { SEVERITIES, summarize } from './summary';
import type { ReportInput } from './report-input';
import type { ReachabilityMatrix } from '../protocol/protocol';

/**
 * A Markdown posture report for reviews: summary tables, then every finding and every
 * suppression with its reason. Every text from the input (paths, names, namespaces, messages,
 * reasons) is escaped: it renders as the text it is, never as a link, image, HTML or a row break.
 */
export function formatMarkdown(report: ReportInput, defaultNamespace = 'default'): string {
  const p = posture(report.findings, report.suppressed.length, report.filesRead, report.rules, defaultNamespace);
  const cell = escapeMarkdown;
  const { notChecked } = summarize(report);
  const where = (f: Finding) => `${cell(report.paths.get(f.uri) ?? f.uri)}:${f.range.start.line + 1}`;
  const resource = (f: Finding) => (f.resource ? cell(`${f.resource.kind}/${f.resource.name}`) : '');
  const out = [
    '# Kubernetes Zero Trust posture report',
    '',
    `kube-zero-trust ${report.version} · ${count(report.filesRead, 'file')} · **${count(p.total, 'finding')}** (${SEVERITIES.map((s) => count(p.bySeverity[s], s)).join(', ')}) · ${p.suppressed} suppressed${notChecked ? ` · **${count(notChecked, 'file')} not checked**` : ''}`,
    '',
    '## By zero-trust principle',
    '',
    '| Principle | Errors | Warnings | Info |',
    '| --- | ---: | ---: | ---: |',
    ...p.byPrinciple.map((r) => `| ${r.principle} | ${r.counts.error} | ${r.counts.warning} | ${r.counts.info} |`),
    '',
    '## By namespace',
    '',
    '| Namespace | Findings |',
    '| --- | ---: |',
    ...p.byNamespace.map((r) => `| ${cell(r.namespace)} | ${r.count} |`),
    '',
    '## Top rules',
    '',
    '| Rule | Findings |',
    '| --- | ---: |',
    ...p.topRules.map((r) => `| [${r.ruleId}](${ruleDocsUrl(r.ruleId)}) — ${cell(r.title)} | ${r.count} |`),
    '',
    '## Findings',
    '',
    '| Severity | Rule | Resource | Location | Message |',
    '| --- | --- | --- | --- | --- |',
    ...report.findings.map((f) => `| ${f.severity} | ${f.ruleId} | ${resource(f)} | ${where(f)} | ${cell(f.message)} |`),
  ];
  if (report.reachability?.workloads.length) out.push('', ...reachabilitySummary(report.reachability));
  if (report.skipped.length) {
    out.push('', '## Not checked', '', '| File | Reason |', '| --- | --- |');
    out.push(...report.skipped.map((s) => `| ${cell(s.file)} | ${cell(s.reason)} |`));
  }
  if (report.suppressed.length) {
    out.push('', '## Suppressed', '', '| Rule | Resource | Location | By | Reason |', '| --- | --- | --- | --- | --- |');
    out.push(...report.suppressed.map((f) => `| ${f.ruleId} | ${resource(f)} | ${where(f)} | ${f.suppressed?.by} | ${cell(f.suppressed?.reason ?? '—')} |`));
  }
  return `${out.join('\n')}\n`;
}

/** Who may talk to whom, per workload: any source / anywhere, or how many workloads and which (the first few). */
function reachabilitySummary(matrix: ReachabilityMatrix): string[] {
  const cell = escapeMarkdown;
  const allowed = matrix.reach.flat().filter((r) => r === 'allowed').length;
  const names = (indices: number[]) => `${count(indices.length, 'workload')}${indices.length ? `: ${indices.slice(0, 5).map((k) => cell(matrix.workloads[k].label)).join(', ')}${indices.length > 5 ? ', …' : ''}` : ''}`;
  const peers = (i: number, inbound: boolean) => matrix.workloads.map((_, j) => j).filter((j) => j !== i && (inbound ? matrix.reach[j][i] : matrix.reach[i][j]) !== 'denied');
  return [
    '## Network reachability',
    '',
    `${count(matrix.workloads.length, 'workload')} · ${allowed} of ${matrix.reach.flat().length} pairs may connect · ${matrix.workloads.filter((w) => w.openIngress).length} open to every source · ${matrix.workloads.filter((w) => w.openEgress).length} may connect anywhere`,
    '',
    '| Workload | Namespace | Reachable from | Reaches |',
    '| --- | --- | --- | --- |',
    ...matrix.workloads.map((w, i) => `| ${cell(w.label)} | ${cell(w.namespace)} | ${w.openIngress ? '**any source**' : names(peers(i, true))} | ${w.openEgress ? '**anywhere**' : names(peers(i, false))} |`),
  ];
}
