import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { AUDIT_WORKSPACE_REQUEST, LIST_RULES_REQUEST, type AuditResult, type RuleSummary } from '../../server/src/protocol/protocol';
import { DOCS_SCHEME, RuleDocsProvider, ruleDocsUri } from './rule-docs';

export function registerCommands(context: vscode.ExtensionContext, client: LanguageClient): void {
  context.subscriptions.push(
    vscode.workspace.registerTextDocumentContentProvider(DOCS_SCHEME, new RuleDocsProvider(client)),

    vscode.commands.registerCommand('kubeZeroTrust.showRuleDocumentation', async (ruleId?: string) => {
      const id = ruleId ?? (await pickRule(client));
      if (!id) return;
      await vscode.commands.executeCommand('markdown.showPreview', ruleDocsUri(id));
    }),

    vscode.commands.registerCommand('kubeZeroTrust.auditWorkspace', async (): Promise<AuditResult> => {
      const result = await client.sendRequest<AuditResult>(AUDIT_WORKSPACE_REQUEST);
      const summary = `${result.findings} finding${result.findings === 1 ? '' : 's'} in ${result.filesWithFindings} of ${result.files} files`;
      void vscode.window
        .showInformationMessage(`Kubernetes Zero Trust: ${result.cancelled ? 'audit cancelled after' : 'audit found'} ${summary}.`, 'Open Problems')
        .then((choice) => choice && vscode.commands.executeCommand('workbench.actions.view.problems'));
      return result;
    }),
  );
}

async function pickRule(client: LanguageClient): Promise<string | undefined> {
  const rules = await client.sendRequest<RuleSummary[]>(LIST_RULES_REQUEST);
  const pick = await vscode.window.showQuickPick(
    rules.map((r) => ({ label: r.id, description: r.title, detail: `default severity: ${r.severity}` })),
    { placeHolder: 'Show the documentation of a Kubernetes Zero Trust rule' },
  );
  return pick?.label;
}
