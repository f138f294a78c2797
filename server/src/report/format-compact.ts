import { escapeControls } from './escape';
import type { ReportInput } from './report-input';
import { summaryLine } from './summary';

/**
 * One line per finding, `path:line:col severity rule-id message`, 1-based like compilers, so
 * problem matchers (GitHub Actions, VS Code tasks, Emacs, Vim) link them; then one line per
 * file not checked and the totals. Names from the input have their control characters
 * escaped, so no name can move the cursor, clear the screen or forge a line.
 */
export function formatCompact(report: ReportInput): string {
  const lines = report.findings.map((f) => `${escapeControls(report.paths.get(f.uri) ?? f.uri)}:${f.range.start.line + 1}:${f.range.start.character + 1} ${f.severity} ${f.ruleId} ${escapeControls(f.message)}`);
  for (const skipped of report.skipped) lines.push(`${escapeControls(skipped.file)}:1:1 ${skipped.level === 'warning' ? 'warning' : 'info'} not-checked ${escapeControls(skipped.reason)}`);
  lines.push(summaryLine(report));
  return `${lines.join('\n')}\n`;
}
