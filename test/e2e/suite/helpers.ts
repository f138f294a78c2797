/**
 * Shared helpers of the editor suites. Bundled into each `*.test.js`; uses only the
 * `vscode` API. Every wait is on an editor event (diagnostics, document, configuration)
 * with a timeout, never a fixed sleep.
 */
import * as assert from 'assert';
import * as vscode from 'vscode';
import type { AuditItem, AuditResult } from '../../../server/src/protocol/protocol';

export type { AuditItem, AuditResult };

export const EXTENSION_ID = 'kube-zero-trust.kube-zero-trust';
export const SOURCE = 'kube-zero-trust';
export const SECTION = 'kubeZeroTrust';
/** Long enough for a cold language-server start on a 2-core CI machine. */
export const WAIT_MS = 30_000;

export function workspaceRoot(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'a workspace folder is open');
  return folder.uri;
}

export function fixtureUri(relative: string): vscode.Uri {
  return vscode.Uri.joinPath(workspaceRoot(), ...relative.split('/'));
}

export async function openFixture(relative: string, show = false): Promise<vscode.TextDocument> {
  const document = await vscode.workspace.openTextDocument(fixtureUri(relative));
  if (show) await vscode.window.showTextDocument(document, { preview: false });
  return document;
}

export function codeOf(diagnostic: vscode.Diagnostic): string | number | undefined {
  const code = diagnostic.code;
  return typeof code === 'object' && code !== null ? code.value : code;
}

/** The extension's diagnostics for a file (other sources, e.g. a YAML extension, ignored). */
export function ours(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === SOURCE);
}

export function withCode(uri: vscode.Uri, code: string): vscode.Diagnostic[] {
  return ours(uri).filter((d) => codeOf(d) === code);
}

export function describe(diagnostics: readonly vscode.Diagnostic[]): string {
  if (!diagnostics.length) return '(none)';
  return diagnostics
    .map((d) => `${String(codeOf(d))}@${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character}`)
    .join(', ');
}

/**
 * Resolves with the file's diagnostics from this extension once `predicate` holds for
 * them: checked now, then on every diagnostics change of the file.
 */
export function waitForDiagnostics(
  uri: vscode.Uri,
  predicate: (diagnostics: vscode.Diagnostic[]) => boolean,
  what: string,
  timeoutMs = WAIT_MS,
): Promise<vscode.Diagnostic[]> {
  return new Promise((resolve, reject) => {
    const check = (): boolean => {
      const current = ours(uri);
      if (!predicate(current)) return false;
      finish();
      resolve(current);
      return true;
    };
    const listener = vscode.languages.onDidChangeDiagnostics((event) => {
      if (event.uris.some((u) => u.toString() === uri.toString())) check();
    });
    const timer = setTimeout(() => {
      finish();
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what} in ${vscode.workspace.asRelativePath(uri)}; diagnostics: ${describe(ours(uri))}`));
    }, timeoutMs);
    const finish = () => {
      clearTimeout(timer);
      listener.dispose();
    };
    check();
  });
}

/** Resolves on the next diagnostics change of the file (e.g. a republish after new settings). */
export function nextDiagnosticsChange(uri: vscode.Uri, what: string, timeoutMs = WAIT_MS): Promise<vscode.Diagnostic[]> {
  return new Promise((resolve, reject) => {
    const listener = vscode.languages.onDidChangeDiagnostics((event) => {
      if (!event.uris.some((u) => u.toString() === uri.toString())) return;
      clearTimeout(timer);
      listener.dispose();
      resolve(ours(uri));
    });
    const timer = setTimeout(() => {
      listener.dispose();
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
    }, timeoutMs);
  });
}

/** Resolves with the first event that satisfies `predicate`, or rejects after the timeout. */
export function nextEvent<T>(event: vscode.Event<T>, predicate: (value: T) => boolean, what: string, timeoutMs = WAIT_MS): Promise<T> {
  return new Promise((resolve, reject) => {
    const listener = event((value) => {
      if (!predicate(value)) return;
      clearTimeout(timer);
      listener.dispose();
      resolve(value);
    });
    const timer = setTimeout(() => {
      listener.dispose();
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
    }, timeoutMs);
  });
}

export interface Expected {
  code: string;
  /** [startLine, startCharacter, endLine, endCharacter], 0-based. */
  range: [number, number, number, number];
  severity: vscode.DiagnosticSeverity;
  /** The text the range covers. */
  text: string;
  message?: RegExp;
}

/**
 * Every expected finding is there, exactly once, with its range, severity and text; for
 * the rule ids named in `expected` there is no other finding. Findings of rules that the
 * expectations do not name are allowed (new rules may add some to an insecure manifest).
 */
export function assertFindings(document: vscode.TextDocument, diagnostics: readonly vscode.Diagnostic[], expected: readonly Expected[]): void {
  const codes = new Set(expected.map((e) => e.code));
  for (const e of expected) {
    const [sl, sc, el, ec] = e.range;
    const match = diagnostics.filter(
      (d) => codeOf(d) === e.code && d.range.start.line === sl && d.range.start.character === sc && d.range.end.line === el && d.range.end.character === ec,
    );
    assert.strictEqual(match.length, 1, `one ${e.code} at ${sl}:${sc}-${el}:${ec}; got ${describe(diagnostics)}`);
    const d = match[0];
    assert.strictEqual(d.source, SOURCE);
    assert.strictEqual(d.severity, e.severity, `severity of ${e.code} at ${sl}:${sc}`);
    assert.strictEqual(document.getText(d.range), e.text, `text under ${e.code} at ${sl}:${sc}`);
    if (e.message) assert.match(d.message, e.message);
  }
  for (const code of codes) {
    const want = expected.filter((e) => e.code === code).length;
    const got = diagnostics.filter((d) => codeOf(d) === code).length;
    assert.strictEqual(got, want, `number of ${code} findings; got ${describe(diagnostics)}`);
  }
}

/** Sets a `kubeZeroTrust.*` (or other) setting in the workspace; returns the undo. */
export async function setWorkspaceSetting(section: string, key: string, value: unknown): Promise<() => Thenable<void>> {
  const config = vscode.workspace.getConfiguration(section);
  const before = config.inspect(key)?.workspaceValue;
  await config.update(key, value, vscode.ConfigurationTarget.Workspace);
  return () => vscode.workspace.getConfiguration(section).update(key, before, vscode.ConfigurationTarget.Workspace);
}

/** Text of a hover result, all parts joined. */
export function hoverText(hovers: readonly vscode.Hover[]): string {
  return hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))
    .join('\n');
}

export async function closeAllEditors(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

/** Runs "Audit Workspace" and returns its result (what the Zero Trust view shows). */
export async function audit(): Promise<AuditResult> {
  const result = await vscode.commands.executeCommand<AuditResult>('kubeZeroTrust.auditWorkspace');
  assert.ok(result && Array.isArray(result.items), 'the command returns the audit result');
  return result;
}

/** The audit's items of one file (URIs compared after normalising). */
export function itemsOf(result: AuditResult, uri: vscode.Uri): AuditItem[] {
  return result.items.filter((item) => vscode.Uri.parse(item.uri).toString() === uri.toString());
}

/** `rule@line:character` of each item or diagnostic, sorted: for comparing the audit with Problems. */
export function keys(entries: ReadonlyArray<AuditItem | vscode.Diagnostic>): string[] {
  return entries
    .map((e) => ('ruleId' in e ? `${e.ruleId}@${e.range.start.line}:${e.range.start.character}` : `${String(codeOf(e))}@${e.range.start.line}:${e.range.start.character}`))
    .sort();
}

/** Replaces a document's whole text through a workspace edit, as typing would (unsaved). */
export async function replaceText(document: vscode.TextDocument, text: string): Promise<void> {
  const edit = new vscode.WorkspaceEdit();
  edit.replace(document.uri, new vscode.Range(0, 0, document.lineCount, 0), text);
  assert.ok(await vscode.workspace.applyEdit(edit), `edit of ${vscode.workspace.asRelativePath(document.uri)} applied`);
  assert.strictEqual(document.getText(), text);
}

/**
 * Applies a fix's text edits as if confirmed in the refactor preview. Fixes that change behaviour
 * carry a change annotation that needs confirmation, and `applyEdit` would wait on the preview
 * for a person (the UI test confirms one there): the same edits without the annotation.
 */
export async function applyConfirmed(edit: vscode.WorkspaceEdit): Promise<boolean> {
  const plain = new vscode.WorkspaceEdit();
  for (const [uri, edits] of edit.entries()) plain.set(uri, edits);
  return vscode.workspace.applyEdit(plain);
}
