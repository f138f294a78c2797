import type { AuditReport } from './audit';

/** Machine-readable findings with 0-based LSP positions (UTF-16 columns). */
export function formatJson(report: AuditReport): string {
  const findings = report.findings.map((f) => ({
    ruleId: f.ruleId,
    severity: f.severity,
    message: f.message,
    file: report.paths.get(f.uri),
    range: f.range,
    ...(f.resource ? { resource: f.resource } : {}),
  }));
  return `${JSON.stringify({ findings }, null, 2)}\n`;
}
