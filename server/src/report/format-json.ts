import type { Finding } from '../engine/finding';
import { ruleDocsUrl } from '../engine/rule-docs';
import type { ReportInput } from './report-input';
import { summarize } from './summary';

/** Where the JSON report's schema is published (`kzt-report.schema.json` beside this file, shipped in the package). */
export const JSON_REPORT_SCHEMA = 'https://raw.githubusercontent.com/kube-zero-trust/kube-zero-trust/main/server/src/report/kzt-report.schema.json';

/**
 * Machine-readable findings with 0-based LSP positions (UTF-16 columns), each with its rule's
 * principle and documentation; suppressed ones listed apart with their reason; the files not
 * checked with theirs; the tool and totals. Its shape is `kzt-report.schema.json` (tested).
 */
export function formatJson(report: ReportInput): string {
  const principles = new Map(report.rules.map((r) => [r.meta.id, r.meta.principle]));
  const entry = (f: Finding) => ({
    ruleId: f.ruleId,
    severity: f.severity,
    message: f.message,
    file: report.paths.get(f.uri) ?? f.uri,
    range: f.range,
    ...(principles.has(f.ruleId) ? { principle: principles.get(f.ruleId), docsUrl: ruleDocsUrl(f.ruleId) } : {}),
    ...(f.resource ? { resource: f.resource } : {}),
    ...(f.overlays ? { overlays: f.overlays } : {}),
    ...(f.related ? { related: f.related.map((r) => ({ file: report.paths.get(r.uri) ?? r.uri, range: r.range, message: r.message })) } : {}),
    ...(f.suppressed ? { suppressed: f.suppressed } : {}),
  });
  const { findings, bySeverity, byRule, suppressed, filesRead, notChecked } = summarize(report);
  const json = {
    $schema: JSON_REPORT_SCHEMA,
    tool: { name: 'kube-zero-trust', version: report.version },
    summary: { findings, bySeverity, byRule: Object.fromEntries(byRule.map((r) => [r.ruleId, r.count])), suppressed, filesRead, notChecked },
    findings: report.findings.map(entry),
    suppressed: report.suppressed.map(entry),
    skipped: report.skipped.map(({ file, reason, level }) => ({ file, reason, level })),
  };
  return `${JSON.stringify(json, null, 2)}\n`;
}
