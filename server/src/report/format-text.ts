import type { Severity } from '../engine/rule';
import { escapeControls } from './escape';
import type { ReportInput } from './report-input';
import { summarize, summaryLine } from './summary';

export interface TextOptions {
  /** ANSI colours (a terminal that asked for them); never in files or pipes by default. */
  color?: boolean;
}

const ANSI = { red: [31, 39], yellow: [33, 39], blue: [34, 39], dim: [2, 22], bold: [1, 22], underline: [4, 24] } as const;
type Style = keyof typeof ANSI;
const SEVERITY_STYLE: Record<Severity, Style> = { error: 'red', warning: 'yellow', info: 'blue' };

/**
 * Findings grouped by file, like ESLint's `stylish`: `line:col  severity  message  rule-id`,
 * columns aligned per file; then the files not checked, a count per rule and the totals.
 * Every text from the input (paths, messages that quote names, reasons) has its control
 * characters escaped, so no name can move the cursor, clear the screen or forge a line.
 */
export function formatText(report: ReportInput, options: TextOptions = {}): string {
  const paint = (style: Style, text: string) => (options.color ? `\u001b[${ANSI[style][0]}m${text}\u001b[${ANSI[style][1]}m` : text);
  const out: string[] = [];
  const byFile = new Map<string, ReportInput['findings'][number][]>();
  for (const finding of report.findings) {
    const list = byFile.get(finding.uri);
    if (list) list.push(finding);
    else byFile.set(finding.uri, [finding]);
  }
  for (const [uri, findings] of byFile) {
    out.push(paint('underline', escapeControls(report.paths.get(uri) ?? uri)));
    const rows = findings.map((f) => ({ at: `${f.range.start.line + 1}:${f.range.start.character + 1}`, severity: f.severity, message: escapeControls(f.message), ruleId: f.ruleId }));
    const width = { at: Math.max(...rows.map((r) => r.at.length)), severity: Math.max(...rows.map((r) => r.severity.length)) };
    for (const row of rows) {
      out.push(`  ${paint('dim', row.at.padEnd(width.at))}  ${paint(SEVERITY_STYLE[row.severity], row.severity.padEnd(width.severity))}  ${row.message}  ${paint('dim', row.ruleId)}`);
    }
    out.push('');
  }
  if (report.skipped.length) {
    out.push(paint('bold', 'Not checked'));
    for (const skipped of report.skipped) {
      const level = skipped.level === 'warning' ? paint('yellow', 'warning') : paint('blue', 'info   ');
      out.push(`  ${level}  ${escapeControls(skipped.file)}: ${escapeControls(skipped.reason)}`);
    }
    out.push('');
  }
  const summary = summarize(report);
  if (summary.byRule.length > 1) {
    out.push(paint('bold', 'By rule'));
    const width = Math.max(...summary.byRule.map((r) => String(r.count).length));
    for (const rule of summary.byRule) out.push(`  ${String(rule.count).padStart(width)}  ${paint(SEVERITY_STYLE[rule.severity], rule.ruleId)}`);
    out.push('');
  }
  const failed = summary.findings > 0 || summary.notChecked > 0;
  const mark = failed ? paint(summary.bySeverity.error ? 'red' : 'yellow', '✖') : '✔';
  out.push(`${mark} ${summaryLine(report)}`);
  return `${out.join('\n')}\n`;
}
