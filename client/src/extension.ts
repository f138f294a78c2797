import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { registerCommands } from './commands';
import { FindingsTree } from './findings-tree';
import { createStatusItem } from './status';
import { linkCodesToLocalDocs } from './rule-docs';
import { SHOW_RULE_DOCUMENTATION_COMMAND, WORKSPACE_TRUSTED_NOTIFICATION, type InitializationOptions } from '../../server/src/protocol/protocol';

let client: LanguageClient | undefined;

/** Starts the bundled language server; everything else (rules, fixes, audit) lives there. */
export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const module = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { language: 'yaml', scheme: 'file' },
      { language: 'yaml', scheme: 'untitled' },
      // Virtual workspaces (e.g. GitHub Repositories): open documents are checked; audits need a local disk.
      { language: 'yaml', scheme: 'vscode-vfs' },
    ],
    synchronize: {
      fileEvents: vscode.workspace.createFileSystemWatcher('**/*.{yaml,yml}'),
    },
    middleware: { handleDiagnostics: linkCodesToLocalDocs },
    // Hovers link to a rule's documentation through this one command; no other command link runs
    // (and hovers escape every name they quote from the workspace).
    markdown: { isTrusted: { enabledCommands: [SHOW_RULE_DOCUMENTATION_COMMAND] } },
    // Only a trusted workspace has its kustomizations rendered (rendering runs kustomize on it).
    initializationOptions: { workspaceTrusted: vscode.workspace.isTrusted } satisfies InitializationOptions,
  };
  client = new LanguageClient('kubeZeroTrust', 'Kubernetes Zero Trust', serverOptions, clientOptions);
  const tree = new FindingsTree();
  context.subscriptions.push(vscode.window.createTreeView('kubeZeroTrust.findings', { treeDataProvider: tree, showCollapseAll: true }), createStatusItem());
  registerCommands(context, client, tree);
  context.subscriptions.push(vscode.workspace.onDidGrantWorkspaceTrust(() => void client?.sendNotification(WORKSPACE_TRUSTED_NOTIFICATION)));
  await client.start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
