import { escapeControls } from './escape';
import type { ReportInput } from './report-input';

/**
 * `path:line:col severity rule-id message`, 1-based like compilers, so terminals and problem
 * matchers link them. Paths and messages carry names from the input: their control characters
 * are shown as escapes, so no name can move the cursor, clear the screen or forge a line.
 */
export function formatText(report: ReportInput): string {
  const lines = report.findings.map((f) => `${escapeControls(report.paths.get(f.uri) ?? f.uri)}:${f.range.start.line + 1}:${f.range.start.character + 1} ${f.severity} ${f.ruleId} ${escapeControls(f.message)}`);
  const count = (severity: string) => report.findings.filter((f) => f.severity === severity).length;
  const suppressed = report.suppressed.length ? `; ${report.suppressed.length} suppressed` : '';
  lines.push(
    report.findings.length
      ? `${report.findings.length} findings (${count('error')} errors, ${count('warning')} warnings, ${count('info')} info) in ${report.filesRead} files${suppressed}`
      : `No findings in ${report.filesRead} files${suppressed}`,
  );
  return `${lines.join('\n')}\n`;
}
