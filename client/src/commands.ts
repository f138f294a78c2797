import * as vscode from 'vscode';
import { WorkDoneProgress, type LanguageClient, type WorkspaceEdit } from 'vscode-languageclient/node';
import {
  AUDIT_WORKSPACE_REQUEST,
  EXPORT_POLICIES_REQUEST,
  EXPORT_REPORT_REQUEST,
  LIST_RULES_REQUEST,
  SUPPRESS_COMMAND,
  SUPPRESS_REQUEST,
  type AuditResult,
  type AuditWorkspaceParams,
  type ExportPoliciesResult,
  type RuleSummary,
  type SuppressionMenu,
  type SuppressionRequest,
} from '../../server/src/protocol/protocol';
import type { FindingsTree } from './findings-tree';
import { showPostureReport } from './posture-report';
import { DOCS_SCHEME, RuleDocsProvider, ruleDocsUri } from './rule-docs';

const EXPORTS = [
  { label: 'SARIF 2.1.0', description: 'for code scanning', format: 'sarif', extension: 'sarif' },
  { label: 'JSON', description: 'findings with exact ranges', format: 'json', extension: 'json' },
  { label: 'Markdown', description: 'a posture report for reviews', format: 'markdown', extension: 'md' },
  { label: 'GitLab Code Quality', description: 'for merge requests', format: 'gitlab', extension: 'json' },
] as const;

const POLICY_EXPORTS = [
  { label: 'ValidatingAdmissionPolicy', description: 'built into Kubernetes 1.30+, with bindings', format: 'validating-admission-policy', file: 'validating-admission-policies.yaml' },
  { label: 'Kyverno ClusterPolicy', description: 'CEL validation, Kyverno 1.13+', format: 'kyverno', file: 'kyverno-policies.yaml' },
] as const;

export function registerCommands(context: vscode.ExtensionContext, client: LanguageClient, tree: FindingsTree): void {
  /** The audit in a cancellable notification that counts the files; cancelling keeps what was audited so far. */
  const audit = (): Thenable<AuditResult> =>
    vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Kubernetes Zero Trust: auditing', cancellable: true }, async (progress, cancel) => {
      const workDoneToken = `kzt-audit-${Date.now()}-${Math.random().toString(36).slice(2)}`;
      let done = 0;
      const listener = client.onProgress(WorkDoneProgress.type, workDoneToken, (value) => {
        if (value.kind === 'end') return;
        const percentage = value.percentage ?? done;
        progress.report({ message: value.message, increment: Math.max(0, percentage - done) });
        done = Math.max(done, percentage);
      });
      try {
        const params: AuditWorkspaceParams = { workDoneToken };
        const result = await client.sendRequest<AuditResult>(AUDIT_WORKSPACE_REQUEST, params, cancel);
        tree.show(result);
        return result;
      } finally {
        listener.dispose();
      }
    });

  context.subscriptions.push(
    vscode.workspace.registerTextDocumentContentProvider(DOCS_SCHEME, new RuleDocsProvider(client)),

    vscode.commands.registerCommand('kubeZeroTrust.showRuleDocumentation', async (ruleId?: string) => {
      const id = ruleId ?? (await pickRule(client));
      if (!id) return;
      await vscode.commands.executeCommand('markdown.showPreview', ruleDocsUri(id));
    }),

    vscode.commands.registerCommand('kubeZeroTrust.auditWorkspace', async (): Promise<AuditResult> => {
      const result = await audit();
      const notChecked = result.notChecked.length ? `; ${result.notChecked.length} file${result.notChecked.length === 1 ? '' : 's'} not checked (see the Zero Trust view)` : '';
      const summary = `${result.findings} finding${result.findings === 1 ? '' : 's'} in ${result.filesWithFindings} of ${result.files} files${notChecked}`;
      void vscode.window
        .showInformationMessage(`Kubernetes Zero Trust: ${result.cancelled ? 'audit cancelled after' : 'audit found'} ${summary}.`, 'Open Problems', 'Show Posture Report')
        .then((choice) => {
          if (choice === 'Open Problems') void vscode.commands.executeCommand('workbench.actions.view.problems');
          if (choice === 'Show Posture Report') showPostureReport(result, context.extensionUri);
        });
      return result;
    }),

    vscode.commands.registerCommand('kubeZeroTrust.showPostureReport', async () => showPostureReport(await audit(), context.extensionUri)),

    vscode.commands.registerCommand('kubeZeroTrust.exportReport', async (format?: string, target?: vscode.Uri) => {
      const choice = EXPORTS.find((e) => e.format === format) ?? (await vscode.window.showQuickPick(EXPORTS, { placeHolder: 'Export the zero-trust audit as…' }));
      if (!choice) return undefined;
      const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
      const uri = target ?? (await vscode.window.showSaveDialog({ defaultUri: folder && vscode.Uri.joinPath(folder, `kube-zero-trust.${choice.extension}`), filters: { [choice.label]: [choice.extension] } }));
      if (!uri) return undefined;
      const content = await client.sendRequest<string>(EXPORT_REPORT_REQUEST, choice.format);
      await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(content));
      void vscode.window.showInformationMessage(`Kubernetes Zero Trust: report written to ${vscode.workspace.asRelativePath(uri)}.`, 'Open').then((open) => {
        if (open) void vscode.commands.executeCommand('vscode.open', uri);
      });
      return uri;
    }),

    vscode.commands.registerCommand('kubeZeroTrust.exportAdmissionPolicies', async (format?: string, target?: vscode.Uri) => {
      const choice = POLICY_EXPORTS.find((e) => e.format === format) ?? (await vscode.window.showQuickPick(POLICY_EXPORTS, { placeHolder: 'Export the rules as admission policies for…' }));
      if (!choice) return undefined;
      const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
      const uri = target ?? (await vscode.window.showSaveDialog({ defaultUri: folder && vscode.Uri.joinPath(folder, choice.file), filters: { YAML: ['yaml', 'yml'] } }));
      if (!uri) return undefined;
      const result = await client.sendRequest<ExportPoliciesResult>(EXPORT_POLICIES_REQUEST, choice.format);
      await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(result.yaml));
      const skipped = result.notExported.length ? ` ${result.notExported.length} rules need other resources or have no admission check and are not exported.` : '';
      void vscode.window.showInformationMessage(`Kubernetes Zero Trust: ${result.exported.length} admission policies written to ${vscode.workspace.asRelativePath(uri)}.${skipped}`, 'Open').then((open) => {
        if (open) void vscode.commands.executeCommand('vscode.open', uri);
      });
      return uri;
    }),

    /**
     * The menu's one "Suppress…": which finding and where (this line or the whole resource), then
     * why. Tests pass the request, or the menu and the index of a choice, and the reason.
     */
    vscode.commands.registerCommand(SUPPRESS_COMMAND, async (asked: SuppressionMenu | SuppressionRequest, reason?: string, choice?: number) => {
      const request = 'choices' in asked ? await pickSuppression(asked, choice) : asked;
      if (!request) return false;
      const given = reason ?? (await vscode.window.showInputBox({
        title: `Suppress ${request.ruleId} ${request.scope === 'resource' ? 'for this resource' : 'on this line'}`,
        prompt: 'Why is this acceptable? The reason is kept next to the suppression and shown in audits.',
        placeHolder: 'e.g. needs the host network for the CNI plugin',
        ignoreFocusOut: true,
      }));
      if (given === undefined) return false;
      const edit = await client.sendRequest<WorkspaceEdit | null>(SUPPRESS_REQUEST, { ...request, reason: given });
      if (!edit) return false;
      return vscode.workspace.applyEdit(await client.protocol2CodeConverter.asWorkspaceEdit(edit));
    }),

    vscode.commands.registerCommand('kubeZeroTrust.groupByPrinciple', () => tree.groupBy('principle')),
    vscode.commands.registerCommand('kubeZeroTrust.groupByNamespace', () => tree.groupBy('namespace')),
    vscode.commands.registerCommand('kubeZeroTrust.groupByFile', () => tree.groupBy('file')),
  );
}

/** Every finding of the menu, on this line or for its whole resource; `index` picks without asking. */
async function pickSuppression(menu: SuppressionMenu, index?: number): Promise<SuppressionRequest | undefined> {
  const items = menu.choices.flatMap((c) =>
    (['line', 'resource'] as const).map((scope) => ({
      label: `Suppress ${c.ruleId} ${scope === 'line' ? 'on this line' : 'for this resource'}`,
      detail: c.message,
      request: { uri: menu.uri, version: menu.version, ruleId: c.ruleId, position: c.position, scope } satisfies SuppressionRequest,
    })),
  );
  const pick = index !== undefined ? items[index] : await vscode.window.showQuickPick(items, { title: 'Suppress a zero-trust finding', placeHolder: 'Which finding, and where?', matchOnDetail: true });
  return pick?.request;
}

async function pickRule(client: LanguageClient): Promise<string | undefined> {
  const rules = await client.sendRequest<RuleSummary[]>(LIST_RULES_REQUEST);
  const pick = await vscode.window.showQuickPick(
    rules.map((r) => ({ label: r.id, description: r.title, detail: `default severity: ${r.severity}` })),
    { placeHolder: 'Show the documentation of a Kubernetes Zero Trust rule' },
  );
  return pick?.label;
}
