import { CodeAction, CodeActionKind, CreateFile, TextDocumentEdit, TextEdit, type CodeActionParams, type Diagnostic, type WorkspaceEdit } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { SYNTAX_ERROR_ID, type Finding, type FindingFix } from '../engine/finding';
import type { OffsetEdit } from '../fixes/offset-edit';
import type { LineIndex } from '../parsing/line-index';
import { FIX_ALL_KIND, SOURCE, SUPPRESS_COMMAND, type DiagnosticData, type SuppressionRequest } from '../protocol/protocol';
import type { Linting } from './linting';

/** Rules whose fixes together make up the restricted security context of a container (rule metadata). */
function restrictedContextRules(linting: Linting): ReadonlySet<string> {
  return new Set(linting.engine.rules.filter((r) => r.meta.groups?.includes('restricted-security-context')).map((r) => r.meta.id));
}

/** What a whole-file action needs to compute its edit later, in `codeAction/resolve`. */
interface LazyAction {
  uri: string;
  version: number;
  /** Gather one container's restricted-context fixes, or every fix in the file. */
  scope: { docIndex: number; item?: number; target: string } | 'file';
}

/**
 * Quick fixes for the diagnostics in the request, read from the cached lint result by rule
 * id and position (never by message text), plus suppressions, the combined container fix,
 * fix-all, and `source.fixAll.kube-zero-trust` for fix-on-save. Actions that re-lint the
 * whole file are returned without their edit and resolved only when chosen.
 */
export function codeActions(linting: Linting, document: TextDocument, params: CodeActionParams): CodeAction[] {
  const uri = document.uri;
  const file = linting.engine.workspace.getFile(uri);
  if (!file || file.parsed.text !== document.getText()) return [];
  const only = params.context.only;
  if (only?.some((kind) => kind === CodeActionKind.SourceFixAll || kind === FIX_ALL_KIND)) {
    const rules = new Set(linting.settings.fixOnSave);
    const all = rules.size ? linting.engine.fixAll(uri, (f) => rules.has(f.ruleId)) : undefined;
    return all ? [{ title: 'Fix zero-trust findings chosen for fix-on-save', kind: FIX_ALL_KIND, edit: editOf(uri, document.version, file.parsed.lines, [all]) }] : [];
  }

  const findings = linting.result(uri).findings;
  const actions: CodeAction[] = [];
  const combined = new Set<string>();
  const restricted = restrictedContextRules(linting);
  for (const diagnostic of params.context.diagnostics) {
    if (diagnostic.source !== SOURCE) continue;
    const finding = findings.find((f) => matches(f, diagnostic));
    if (!finding) continue;
    finding.fixes.forEach((fix, i) => {
      actions.push({ title: plain(fix.title), kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], isPreferred: i === 0, edit: fixEdit(uri, document.version, file.parsed.lines, fix) });
    });
    const key = `${finding.docIndex}:${finding.item}:${finding.target}`;
    if (finding.target && restricted.has(finding.ruleId) && !combined.has(key)) {
      combined.add(key);
      const sameContainer = findings.filter((f) => f.docIndex === finding.docIndex && f.item === finding.item && f.target === finding.target && restricted.has(f.ruleId) && f.fixes.length);
      if (sameContainer.length > 1) {
        const data: LazyAction = { uri, version: document.version, scope: { docIndex: finding.docIndex, item: finding.item, target: finding.target } };
        actions.push({ title: 'Apply the restricted security context to this container', kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], data });
      }
    }
    if (finding.ruleId !== SYNTAX_ERROR_ID) {
      for (const [scope, title] of [['resource', `Suppress ${finding.ruleId} for this resource…`], ['line', `Suppress ${finding.ruleId} on this line…`]] as const) {
        const request: SuppressionRequest = { uri, version: document.version, ruleId: finding.ruleId, position: finding.range.start, scope };
        actions.push({ title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], command: { title, command: SUPPRESS_COMMAND, arguments: [request] } });
      }
      actions.push({ title: `Show documentation for ${finding.ruleId}`, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], command: { title: 'Show documentation', command: 'kubeZeroTrust.showRuleDocumentation', arguments: [finding.ruleId] } });
    }
  }
  if (actions.length && atLeastTwo(findings, (f) => f.fixes.some((fix) => !fix.manual && !fix.newFiles))) {
    const data: LazyAction = { uri, version: document.version, scope: 'file' };
    actions.push({ title: 'Fix all zero-trust findings in this file', kind: CodeActionKind.QuickFix, data });
  }
  return actions;
}

/** Whether two items pass `test`: stops at the second, so later findings do not build their fixes. */
function atLeastTwo<T>(items: readonly T[], test: (item: T) => boolean): boolean {
  let count = 0;
  for (const item of items) if (test(item) && ++count === 2) return true;
  return false;
}

/** Computes the edit of a whole-file action the user chose (`codeAction/resolve`). */
export function resolveCodeAction(linting: Linting, document: TextDocument | undefined, action: CodeAction): CodeAction {
  const data = action.data as LazyAction | undefined;
  const file = data && linting.engine.workspace.getFile(data.uri);
  if (!data || !document || !file || document.version !== data.version || file.parsed.text !== document.getText()) return action;
  const { scope } = data;
  const restricted = restrictedContextRules(linting);
  const select =
    scope === 'file'
      ? () => true
      : (f: Finding) => f.docIndex === scope.docIndex && f.item === scope.item && f.target === scope.target && restricted.has(f.ruleId);
  const all = linting.engine.fixAll(data.uri, select);
  return all ? { ...action, edit: editOf(data.uri, data.version, file.parsed.lines, [all]) } : action;
}

function fixEdit(uri: string, version: number, lines: LineIndex, fix: FindingFix): WorkspaceEdit {
  const edit = editOf(uri, version, lines, fix.edits);
  for (const file of fix.newFiles ?? []) {
    edit.documentChanges!.push(CreateFile.create(file.uri, { ignoreIfExists: false }), TextDocumentEdit.create({ uri: file.uri, version: null }, [TextEdit.insert({ line: 0, character: 0 }, file.text)]));
  }
  return edit;
}

function editOf(uri: string, version: number, lines: LineIndex, edits: OffsetEdit[]): WorkspaceEdit {
  return { documentChanges: edits.length ? [TextDocumentEdit.create({ uri, version }, edits.map((e) => toTextEdit(lines, e)))] : [] };
}

/** Code action menus do not render Markdown: `privileged: true` reads better without the backticks. */
function plain(title: string): string {
  return title.replace(/`/g, '');
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
