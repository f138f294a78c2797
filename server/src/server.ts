import {
  CodeActionKind,
  createConnection,
  DidChangeConfigurationNotification,
  FileChangeType,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import { Engine } from './engine/engine';
import { ruleDocsMarkdown } from './engine/rule-docs';
import { auditWorkspace, indexFolders } from './lsp/audit';
import { codeActions } from './lsp/code-actions';
import { hover } from './lsp/hover';
import { Linting } from './lsp/linting';
import { fetchSettings } from './lsp/settings';
import { AUDIT_WORKSPACE_REQUEST, FIX_ALL_KIND, LIST_RULES_REQUEST, RULE_DOCUMENTATION_REQUEST, type RuleSummary } from './protocol/protocol';
import { readManifest } from './workspace/file-scan';

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
const linting = new Linting(connection, new Engine());
let folders: string[] = [];

process.on('uncaughtException', (error) => linting.log(`Uncaught: ${error.stack ?? error.message}`));

connection.onInitialize((params) => {
  folders = (params.workspaceFolders ?? []).map((f) => URI.parse(f.uri)).filter((u) => u.scheme === 'file').map((u) => u.fsPath);
  return {
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, CodeActionKind.SourceFixAll, FIX_ALL_KIND] },
      hoverProvider: true,
    },
    serverInfo: { name: 'kube-zero-trust' },
  };
});

connection.onInitialized(async () => {
  void connection.client.register(DidChangeConfigurationNotification.type, { section: 'kubeZeroTrust' });
  linting.applySettings(await fetchSettings(connection));
  indexFolders(linting, folders, (uri) => documents.get(uri) !== undefined);
  linting.relintAll();
});

connection.onDidChangeConfiguration(async () => linting.applySettings(await fetchSettings(connection)));

const isManifest = (document: TextDocument) => document.getText().length <= linting.settings.maxFileSizeMB * 1048576;

documents.onDidOpen(({ document }) => {
  if (isManifest(document)) linting.update(document.uri, document.getText(), true);
  else connection.window.showWarningMessage(`Kubernetes Zero Trust: ${document.uri} is larger than kubeZeroTrust.maxFileSizeMB and is not checked.`);
});
documents.onDidChangeContent(({ document }) => {
  if (isManifest(document)) linting.update(document.uri, document.getText(), true);
});
documents.onDidClose(({ document }) => {
  // Back to what is on disk: other files' cross-resource findings must not see unsaved text.
  const uri = URI.parse(document.uri);
  const read = uri.scheme === 'file' ? readManifest(uri.fsPath, linting.settings.maxFileSizeMB * 1048576) : undefined;
  if (read && 'text' in read) {
    linting.update(document.uri, read.text, false);
    linting.clear(document.uri);
  } else linting.remove(document.uri);
});

connection.onDidChangeWatchedFiles(({ changes }) => {
  for (const change of changes) {
    if (documents.get(change.uri)) continue;
    const uri = URI.parse(change.uri);
    if (change.type === FileChangeType.Deleted) {
      linting.remove(change.uri);
      continue;
    }
    const read = readManifest(uri.fsPath, linting.settings.maxFileSizeMB * 1048576);
    if ('text' in read) linting.update(change.uri, read.text, linting.published.has(change.uri));
  }
});

connection.onCodeAction((params) => {
  const document = documents.get(params.textDocument.uri);
  return document ? codeActions(linting, document, params) : [];
});

connection.onHover((params) => hover(linting, params.textDocument.uri, params.position));

connection.onRequest(AUDIT_WORKSPACE_REQUEST, () => auditWorkspace(connection, linting, folders, (uri) => documents.get(uri) !== undefined));

connection.onRequest(LIST_RULES_REQUEST, (): RuleSummary[] =>
  linting.engine.rules.map((r) => ({ id: r.meta.id, title: r.meta.title, severity: r.meta.severity })),
);

connection.onRequest(RULE_DOCUMENTATION_REQUEST, (id: string): string | null => {
  const rule = linting.engine.rules.find((r) => r.meta.id === id);
  return rule ? ruleDocsMarkdown(rule.meta, 1) : null;
});

documents.listen(connection);
connection.listen();
