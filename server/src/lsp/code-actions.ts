import { AnnotatedTextEdit, CodeAction, CodeActionKind, CreateFile, TextDocumentEdit, TextEdit, type ChangeAnnotation, type CodeActionParams, type Diagnostic, type WorkspaceEdit } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { describeChange, mergeChanges, titleWithRemovals } from '../engine/behaviour-change';
import { SYNTAX_ERROR_ID, type Finding, type FindingFix } from '../engine/finding';
import type { BehaviourChange } from '../engine/rule';
import type { OffsetEdit } from '../edits/offset-edit';
import type { LineIndex } from '../parsing/line-index';
import { saysGenerated } from '../parsing/generated-banner';
import { FIX_ALL_KIND, SOURCE, SUPPRESS_COMMAND, type DiagnosticData, type SuppressionMenu } from '../protocol/protocol';
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

/** The id of the change annotation that makes the editor ask before a fix that changes behaviour. */
const CONFIRM = 'kube-zero-trust.changes-behaviour';

/**
 * Quick fixes for the diagnostics in the request, read from the cached lint result by rule
 * id and position (never by message text): the rules' own fixes first, then the combined
 * container fix and fix-all, then one "Suppress…" that asks which finding, where and why. The
 * documentation is one click away on the diagnostic's code. Fixes that change behaviour carry a
 * change annotation that needs confirmation (the editor previews them). Actions that re-lint
 * the whole file are returned without their edit and resolved only when chosen. Files that say
 * they are generated get no fix-all and no fix-on-save.
 */
export function codeActions(linting: Linting, document: TextDocument, params: CodeActionParams): CodeAction[] {
  const uri = document.uri;
  const file = linting.engine.workspace.getFile(uri);
  if (!file || file.parsed.text !== document.getText()) return [];
  const generated = saysGenerated(file.parsed.text);
  const only = params.context.only;
  if (only?.some((kind) => kind === CodeActionKind.SourceFixAll || kind === FIX_ALL_KIND)) {
    const rules = new Set(linting.settings.fixOnSave);
    const all = rules.size && !generated ? linting.engine.fixAll(uri, (f) => rules.has(f.ruleId)) : undefined;
    return all ? [{ title: 'Fix zero-trust findings chosen for fix-on-save', kind: FIX_ALL_KIND, edit: editOf(uri, document.version, file.parsed.lines, [all]) }] : [];
  }

  const findings = linting.result(uri).findings;
  const confirm = linting.clientConfirmsChanges;
  const fixes: CodeAction[] = [];
  const offered = new Set<string>();
  const combined = new Set<string>();
  const restricted = restrictedContextRules(linting);
  const suppressible: SuppressionMenu['choices'] = [];
  for (const diagnostic of params.context.diagnostics) {
    if (diagnostic.source !== SOURCE) continue;
    const finding = findings.find((f) => matches(f, diagnostic));
    if (!finding) continue;
    finding.fixes.forEach((fix, i) => {
      // Findings that share a fix (every dangerous capability of one list) offer it once.
      const key = `${fix.title}\0${JSON.stringify(fix.edits)}`;
      if (offered.has(key)) return;
      offered.add(key);
      fixes.push({
        title: titleWithRemovals(plain(fix.title), fix.changesBehaviour),
        kind: CodeActionKind.QuickFix,
        diagnostics: [diagnostic],
        isPreferred: i === 0,
        edit: fixEdit(uri, document.version, file.parsed.lines, fix, confirm),
      });
    });
    const key = `${finding.docIndex}:${finding.item}:${finding.target}`;
    if (finding.target && restricted.has(finding.ruleId) && !combined.has(key)) {
      combined.add(key);
      const sameContainer = findings.filter((f) => f.docIndex === finding.docIndex && f.item === finding.item && f.target === finding.target && restricted.has(f.ruleId) && f.fixes.length);
      if (sameContainer.length > 1) {
        const data: LazyAction = { uri, version: document.version, scope: { docIndex: finding.docIndex, item: finding.item, target: finding.target } };
        const change = mergeChanges(sameContainer.map((f) => f.fixes[0].changesBehaviour));
        fixes.push({ title: titleWithRemovals('Apply the restricted security context to this container', change), kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], data });
      }
    }
    if (finding.ruleId !== SYNTAX_ERROR_ID && !suppressible.some((c) => c.ruleId === finding.ruleId && c.position.line === finding.range.start.line)) {
      suppressible.push({ ruleId: finding.ruleId, position: finding.range.start, message: finding.message });
    }
  }
  if (fixes.length + suppressible.length && !generated && atLeastTwo(findings, (f) => f.fixes.some((fix) => !fix.manual && !fix.newFiles))) {
    const data: LazyAction = { uri, version: document.version, scope: 'file' };
    fixes.push({ title: 'Fix all zero-trust findings in this file', kind: CodeActionKind.QuickFix, data });
  }
  if (suppressible.length) {
    const menu: SuppressionMenu = { uri, version: document.version, choices: suppressible };
    const title = suppressible.length === 1 ? `Suppress ${suppressible[0].ruleId}…` : 'Suppress…';
    fixes.push({ title, kind: CodeActionKind.QuickFix, command: { title, command: SUPPRESS_COMMAND, arguments: [menu] } });
  }
  return fixes;
}

/** Whether two items pass `test`: stops at the second, so later findings do not build their fixes. */
function atLeastTwo<T>(items: readonly T[], test: (item: T) => boolean): boolean {
  let count = 0;
  for (const item of items) if (test(item) && ++count === 2) return true;
  return false;
}

/** Computes the edit of a whole-file action the user chose (`codeAction/resolve`); it asks first when a fix in it changes behaviour. */
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
  const changes: Array<BehaviourChange | undefined> = [];
  const all = linting.engine.fixAll(data.uri, select, (fix) => changes.push(fix.changesBehaviour));
  if (!all) return action;
  const change = mergeChanges(changes);
  return { ...action, edit: editOf(data.uri, data.version, file.parsed.lines, [all], linting.clientConfirmsChanges ? change : undefined) };
}

function fixEdit(uri: string, version: number, lines: LineIndex, fix: FindingFix, confirm: boolean): WorkspaceEdit {
  const change = confirm ? fix.changesBehaviour : undefined;
  const edit = editOf(uri, version, lines, fix.edits, change);
  const annotation = change ? CONFIRM : undefined;
  for (const file of fix.newFiles ?? []) {
    edit.documentChanges!.push(
      CreateFile.create(file.uri, { ignoreIfExists: false }, annotation),
      TextDocumentEdit.create({ uri: file.uri, version: null }, [annotate(TextEdit.insert({ line: 0, character: 0 }, file.text), annotation)]),
    );
  }
  return edit;
}

/** The edit; with `change`, every part of it carries the annotation that makes the editor ask first. */
function editOf(uri: string, version: number, lines: LineIndex, edits: OffsetEdit[], change?: BehaviourChange): WorkspaceEdit {
  const annotation = change ? CONFIRM : undefined;
  const documentChanges = edits.length ? [TextDocumentEdit.create({ uri, version }, edits.map((e) => annotate(toTextEdit(lines, e), annotation)))] : [];
  if (!change) return { documentChanges };
  const changeAnnotations: Record<string, ChangeAnnotation> = {
    [CONFIRM]: { label: 'Changes how the workload runs', description: describeChange(change), needsConfirmation: true },
  };
  return { documentChanges, changeAnnotations };
}

function annotate(edit: TextEdit, annotation: string | undefined): TextEdit | AnnotatedTextEdit {
  return annotation ? AnnotatedTextEdit.replace(edit.range, edit.newText, annotation) : edit;
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
