import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver';
import type { Finding } from '../engine/finding';
import { ruleDocsUrl } from '../engine/rule-docs';
import { SOURCE, type DiagnosticData } from '../protocol/protocol';
import { SYNTAX_ERROR_ID } from '../engine/finding';

const SEVERITY = { error: DiagnosticSeverity.Error, warning: DiagnosticSeverity.Warning, info: DiagnosticSeverity.Information } as const;

export function toDiagnostic(finding: Finding): Diagnostic {
  const data: DiagnosticData = { ruleId: finding.ruleId, docIndex: finding.docIndex, ...(finding.target ? { target: finding.target } : {}) };
  return {
    range: finding.range,
    severity: SEVERITY[finding.severity],
    source: SOURCE,
    code: finding.ruleId,
    ...(finding.ruleId === SYNTAX_ERROR_ID ? {} : { codeDescription: { href: ruleDocsUrl(finding.ruleId) } }),
    message: finding.message,
    ...(finding.related ? { relatedInformation: finding.related.map(({ uri, range, message }) => ({ location: { uri, range }, message })) } : {}),
    data,
  };
}
