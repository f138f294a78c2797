import { CodeAction, CodeActionKind, TextDocumentEdit, TextEdit, type CodeActionParams, type Diagnostic, type WorkspaceEdit } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Finding } from '../engine/finding';
import type { OffsetEdit } from '../fixes/offset-edit';
import { SYNTAX_ERROR_ID } from '../engine/finding';
import type { LineIndex } from '../parsing/line-index';
import { FIX_ALL_KIND, SOURCE, SUPPRESS_COMMAND, type DiagnosticData, type SuppressionRequest } from '../protocol/protocol';
import type { Linting } from './linting';

/** Rules whose fixes together make up the restricted security context of a container. */
const RESTRICTED_CONTEXT_RULES = new Set([
  'privileged-container',
  'privilege-escalation-allowed',
  'run-as-root',
  'capabilities-not-dropped',
  'dangerous-capability-added',
  'seccomp-not-enforced',
  'writable-root-filesystem',
]);

/**
 * Quick fixes for the diagnostics in the request, read from the cached lint result by rule
 * id and position (never by message text), plus suppressions, the combined container fix,
 * fix-all, and `source.fixAll.kube-zero-trust` for fix-on-save.
 */
export function codeActions(linting: Linting, document: TextDocument, params: CodeActionParams): CodeAction[] {
  const uri = document.uri;
  const file = linting.engine.workspace.getFile(uri);
  if (!file || file.parsed.text !== document.getText()) return [];
  const lines = file.parsed.lines;
  const edit = (edits: OffsetEdit[]): WorkspaceEdit => ({
    documentChanges: [TextDocumentEdit.create({ uri, version: document.version }, edits.map((e) => toTextEdit(lines, e)))],
  });
  const only = params.context.only;
  if (only?.some((kind) => kind === CodeActionKind.SourceFixAll || kind === FIX_ALL_KIND)) {
    const rules = new Set(linting.settings.fixOnSave);
    const all = rules.size ? linting.engine.fixAll(uri, (f) => rules.has(f.ruleId)) : undefined;
    return all ? [{ title: 'Fix zero-trust findings chosen for fix-on-save', kind: FIX_ALL_KIND, edit: edit([all]) }] : [];
  }

  const findings = linting.result(uri).findings;
  const actions: CodeAction[] = [];
  const combined = new Set<string>();
  for (const diagnostic of params.context.diagnostics) {
    if (diagnostic.source !== SOURCE) continue;
    const finding = findings.find((f) => matches(f, diagnostic));
    if (!finding) continue;
    finding.fixes.forEach((fix, i) => {
      actions.push({ title: fix.title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], isPreferred: i === 0, edit: edit(fix.edits) });
    });
    const key = `${finding.docIndex}:${finding.target}`;
    if (finding.target && RESTRICTED_CONTEXT_RULES.has(finding.ruleId) && !combined.has(key)) {
      combined.add(key);
      const select = (f: Finding) => f.docIndex === finding.docIndex && f.target === finding.target && RESTRICTED_CONTEXT_RULES.has(f.ruleId);
      if (findings.filter((f) => select(f) && f.fixes.length).length > 1) {
        const all = linting.engine.fixAll(uri, select);
        if (all) actions.push({ title: 'Apply the restricted security context to this container', kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], edit: edit([all]) });
      }
    }
    if (finding.ruleId !== SYNTAX_ERROR_ID) {
      for (const [scope, title] of [['resource', `Suppress ${finding.ruleId} for this resource…`], ['line', `Suppress ${finding.ruleId} on this line…`]] as const) {
        const request: SuppressionRequest = { uri, version: document.version, ruleId: finding.ruleId, position: finding.range.start, scope };
        actions.push({ title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], command: { title, command: SUPPRESS_COMMAND, arguments: [request] } });
      }
    }
    actions.push({ title: `Show documentation for ${finding.ruleId}`, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], command: { title: 'Show documentation', command: 'kubeZeroTrust.showRuleDocumentation', arguments: [finding.ruleId] } });
  }
  if (actions.length && findings.filter((f) => f.fixes.length).length > 1) {
    const all = linting.engine.fixAll(uri, () => true);
    if (all) actions.push({ title: 'Fix all zero-trust findings in this file', kind: CodeActionKind.QuickFix, edit: edit([all]) });
  }
  return actions;
}

function matches(finding: Finding, diagnostic: Diagnostic): boolean {
  const data = diagnostic.data as DiagnosticData | undefined;
  return (
    finding.ruleId === (data?.ruleId ?? diagnostic.code) &&
    finding.range.start.line === diagnostic.range.start.line &&
    finding.range.start.character === diagnostic.range.start.character
  );
}

function toTextEdit(lines: LineIndex, edit: OffsetEdit): TextEdit {
  return TextEdit.replace({ start: lines.positionAt(edit.start), end: lines.positionAt(edit.end) }, edit.text);
}
