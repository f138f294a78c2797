import * as vscode from 'vscode';
import { SOURCE } from '../../server/src/protocol/protocol';

/** Findings in the current file at a glance; a click opens the Problems panel. */
export function createStatusItem(): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('kubeZeroTrust.status', vscode.StatusBarAlignment.Left, 50);
  item.name = 'Kubernetes Zero Trust';
  item.command = 'workbench.actions.view.problems';
  const update = () => {
    const editor = vscode.window.activeTextEditor;
    if (!editor || editor.document.languageId !== 'yaml') {
      item.hide();
      return;
    }
    const ours = vscode.languages.getDiagnostics(editor.document.uri).filter((d) => d.source === SOURCE);
    const errors = ours.filter((d) => d.severity === vscode.DiagnosticSeverity.Error).length;
    item.text = ours.length ? `$(shield) ${ours.length} zero-trust finding${ours.length === 1 ? '' : 's'}` : '$(shield) Zero trust: clean';
    item.tooltip = `Kubernetes Zero Trust: ${ours.length} finding${ours.length === 1 ? '' : 's'} in this file (${errors} error${errors === 1 ? '' : 's'}). Click to open Problems.`;
    item.backgroundColor = errors ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    item.show();
  };
  update();
  return vscode.Disposable.from(
    item,
    vscode.languages.onDidChangeDiagnostics(update),
    vscode.window.onDidChangeActiveTextEditor(update),
  );
}
