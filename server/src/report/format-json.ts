import type { Finding } from '../engine/finding';
import type { ReportInput } from './report-input';

/** Machine-readable findings with 0-based LSP positions (UTF-16 columns); suppressed ones listed apart with their reason. */
export function formatJson(report: ReportInput): string {
  const entry = (f: Finding) => ({
    ruleId: f.ruleId,
    severity: f.severity,
    message: f.message,
    file: report.paths.get(f.uri),
    range: f.range,
    ...(f.resource ? { resource: f.resource } : {}),
    ...(f.suppressed ? { suppressed: f.suppressed } : {}),
  });
  return `${JSON.stringify({ findings: report.findings.map(entry), suppressed: report.suppressed.map(entry) }, null, 2)}\n`;
}
