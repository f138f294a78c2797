import {
  type CancellationToken,
  CodeActionKind,
  createConnection,
  DidChangeConfigurationNotification,
  FileChangeType,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
} from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import { join } from 'node:path';
import { CONFIG_FILE_NAME } from './config/config-file';
import { Engine } from './engine/engine';
import { ruleDocsMarkdown } from './engine/rule-docs';
import { auditWorkspace, indexFolders, type IndexOptions } from './lsp/audit';
import { BUFFERED_TEXT_DOCUMENTS } from './lsp/buffered-text-document';
import { codeActions, resolveCodeAction } from './lsp/code-actions';
import { ConfigStore } from './lsp/config-store';
import { hover } from './lsp/hover';
import { KustomizeRendering } from './lsp/kustomize-rendering';
import { Linting } from './lsp/linting';
import { fetchSettings } from './lsp/settings';
import { suppressionEdit, type SuppressionRequest } from './lsp/suppress-with-reason';
import {
  AUDIT_WORKSPACE_REQUEST,
  type AuditWorkspaceParams,
  EXPORT_POLICIES_REQUEST,
  EXPORT_REPORT_REQUEST,
  FIX_ALL_KIND,
  type InitializationOptions,
  WORKSPACE_TRUSTED_NOTIFICATION,
  LIST_RULES_REQUEST,
  RULE_DOCUMENTATION_REQUEST,
  SUPPRESS_REQUEST,
  type AdmissionPolicyFormat,
  type ExportPoliciesResult,
  type RuleSummary,
} from './protocol/protocol';
import { exportPolicies, POLICY_FORMATS } from './export-policy/export-policies';
import { formatReport } from './report/format-report';
import { REPORT_FORMATS, type ReportFormat } from './report/report-input';
import { escapeNotificationText } from './report/escape';
import { Containment, readManifest } from './workspace/file-scan';
import { isHelmTemplate } from './workspace/helm-charts';

const connection = createConnection(ProposedFeatures.all);
// Large files are patched in a buffer, not concatenated into a new V8 string per keystroke.
const documents = new TextDocuments(BUFFERED_TEXT_DOCUMENTS);
const linting = new Linting(connection, new Engine());
const rendering = new KustomizeRendering(linting);
linting.rendered = rendering;
/** Renders wait for the workspace to be indexed (the kustomizations that include a file may not be open). */
let indexed = false;
const renderOpen = () => (indexed ? rendering.render(documents.all().map((d) => d.uri)) : Promise.resolve());
const configs = new ConfigStore(connection, new Set(linting.engine.rules.map((r) => r.meta.id)));
let folders: string[] = [];
/** Files read from disk for the workspace (not opened by the user) must lie inside its folders, links included. */
let inFolders = new Containment([]);

process.on('uncaughtException', (error) => linting.log(`Uncaught: ${error.stack ?? error.message}`));

/** The size limit for a file: its folder's config file, else the setting. */
const maxFileSizeMB = (uri?: string) => configs.resolvedFor(linting.settings, folders, uri).maxFileSizeMB;
const maxBytes = (uri?: string) => maxFileSizeMB(uri) * 1048576;
const indexOptions = (): Omit<IndexOptions, 'compact'> => ({
  isOpen: (uri) => documents.get(uri) !== undefined,
  isExcluded: (path) => configs.isExcluded(linting.settings, folders, path),
  maxBytes: (path) => maxBytes(URI.file(path).toString()),
});

function applyConfig(settings = linting.settings): void {
  configs.invalidate();
  linting.engine.configFor = (uri) => configs.resolvedFor(settings, folders, uri).engine;
  linting.applySettings(settings, configs.resolvedFor(settings, folders));
  // Excludes and size limits may have changed: files shown so far may now be out, open ones back in.
  for (const uri of [...linting.published]) {
    const file = linting.engine.workspace.getFile(uri);
    if (!documents.get(uri) && file && !isChecked(uri, file.parsed.text)) linting.clear(uri);
  }
  for (const document of documents.all()) {
    if (folderOfConfig(document.uri) !== undefined) continue;
    if (isChecked(document.uri, document.getText())) {
      if (!linting.published.has(document.uri)) linting.update(document.uri, document.getText(), true, document.version);
    } else linting.clear(document.uri);
  }
}

/** Whether a file is linted at all: not the config file, not excluded, not a Helm chart template, not too large. */
function isChecked(uri: string, text: string): boolean {
  if (ConfigStore.isConfigFile(uri) || text.length > maxBytes(uri)) return false;
  const parsed = URI.parse(uri);
  if (parsed.scheme !== 'file') return true;
  return !configs.isExcluded(linting.settings, folders, parsed.fsPath) && !isHelmTemplate(parsed.fsPath, text);
}

function folderOfConfig(uri: string): string | undefined {
  return folders.find((f) => URI.file(join(f, CONFIG_FILE_NAME)).toString() === uri);
}

connection.onInitialize((params) => {
  folders = (params.workspaceFolders ?? []).map((f) => URI.parse(f.uri)).filter((u) => u.scheme === 'file').map((u) => u.fsPath);
  inFolders = new Containment(folders);
  // Each workspace folder is an analysis unit: one project's namespaces never change another's findings.
  linting.engine.workspace.setUnitRoots(folders.map((folder) => URI.file(folder).toString()));
  linting.clientConfirmsChanges = params.capabilities.workspace?.workspaceEdit?.changeAnnotationSupport !== undefined;
  // Rendering runs kustomize: only when the client says the workspace is trusted (absent: not).
  rendering.trusted = (params.initializationOptions as InitializationOptions | undefined)?.workspaceTrusted === true;
  return {
    capabilities: {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, CodeActionKind.SourceFixAll, FIX_ALL_KIND], resolveProvider: true },
      hoverProvider: true,
    },
    serverInfo: { name: 'kube-zero-trust' },
  };
});

connection.onInitialized(async () => {
  void connection.client.register(DidChangeConfigurationNotification.type, { section: ['kubeZeroTrust', 'files.exclude'] });
  for (const folder of folders) {
    const path = join(folder, CONFIG_FILE_NAME);
    const read = readManifest(path, maxBytes(), inFolders);
    if ('text' in read) configs.update(folder, URI.file(path).toString(), read.text);
  }
  const settings = await fetchSettings(connection);
  linting.settings = settings;
  indexFolders(linting, folders, { ...indexOptions(), compact: true });
  applyConfig(settings);
  indexed = true;
  void renderOpen();
});

connection.onDidChangeConfiguration(async () => {
  const previous = linting.settings.kustomizeCommand;
  applyConfig(await fetchSettings(connection));
  if (linting.settings.kustomizeCommand !== previous) void renderOpen();
});

connection.onNotification(WORKSPACE_TRUSTED_NOTIFICATION, () => {
  rendering.trusted = true;
  void renderOpen();
});

// Rendered on open and save, never per keystroke: kustomize reads the files from disk.
documents.onDidOpen(({ document }) => void (indexed ? rendering.render([document.uri]) : undefined));
documents.onDidSave(({ document }) => void (indexed ? rendering.render([document.uri]) : undefined));

documents.onDidChangeContent(({ document }) => {
  const folder = folderOfConfig(document.uri);
  if (folder !== undefined) {
    if (configs.update(folder, document.uri, document.getText())) applyConfig();
    return;
  }
  if (isChecked(document.uri, document.getText())) linting.update(document.uri, document.getText(), true, document.version);
  else {
    linting.clear(document.uri);
    warnIfTooLarge(document);
  }
});

const warnedTooLarge = new Set<string>();
function warnIfTooLarge(document: TextDocument): void {
  if (document.getText().length <= maxBytes(document.uri) || warnedTooLarge.has(document.uri)) return;
  warnedTooLarge.add(document.uri);
  // Notifications render `[text](command:…)` links: the file name is the workspace's to choose.
  const name = escapeNotificationText(URI.parse(document.uri).path.split('/').pop() ?? '');
  void connection.window.showInformationMessage(
    `Kubernetes Zero Trust: ${name} is larger than the size limit (${maxFileSizeMB(document.uri)} MB: kubeZeroTrust.maxFileSizeMB, or maxFileSizeMB in .kube-zero-trust.yaml) and is not checked.`,
  );
}

documents.onDidClose(({ document }) => {
  const configFolder = folderOfConfig(document.uri);
  if (configFolder !== undefined) {
    // The file on disk is what applies now (or nothing, if it was deleted meanwhile).
    const read = readManifest(URI.parse(document.uri).fsPath, maxBytes(), inFolders);
    if (configs.update(configFolder, document.uri, 'text' in read ? read.text : undefined)) applyConfig();
    return;
  }
  // Back to what is on disk: other files' cross-resource findings must not see unsaved text.
  const uri = URI.parse(document.uri);
  const read = uri.scheme === 'file' ? readManifest(uri.fsPath, maxBytes(document.uri), inFolders) : undefined;
  if (read && 'text' in read && isChecked(document.uri, read.text)) {
    linting.clear(document.uri);
    linting.update(document.uri, read.text, false);
  } else linting.remove(document.uri);
});

connection.onDidChangeWatchedFiles(({ changes }) => {
  for (const change of changes) {
    const folder = folderOfConfig(change.uri);
    // An open document is authoritative, except that a deleted config file stops applying.
    if (documents.get(change.uri) && !(folder !== undefined && change.type === FileChangeType.Deleted)) continue;
    const uri = URI.parse(change.uri);
    const read = change.type === FileChangeType.Deleted ? undefined : readManifest(uri.fsPath, maxBytes(change.uri), inFolders);
    const text = read && 'text' in read ? read.text : undefined;
    if (folder !== undefined) {
      if (configs.update(folder, change.uri, text)) applyConfig();
    } else if (text !== undefined && isChecked(change.uri, text)) linting.update(change.uri, text, linting.published.has(change.uri));
    else linting.remove(change.uri);
  }
});

connection.onCodeAction((params) => {
  const document = documents.get(params.textDocument.uri);
  return document ? codeActions(linting, document, params) : [];
});

connection.onCodeActionResolve((action) => {
  const uri = (action.data as { uri?: string } | undefined)?.uri;
  return resolveCodeAction(linting, uri ? documents.get(uri) : undefined, action);
});

connection.onHover((params) => hover(linting, params.textDocument.uri, params.position));

/** Audit Workspace with every top-level kustomization rendered first (trusted workspaces); those not rendered are listed as not checked. */
async function auditRendered(request: { workDoneToken?: AuditWorkspaceParams['workDoneToken']; cancel?: CancellationToken } = {}) {
  const beforeLint = async (report: (message: string) => void) => {
    if (rendering.command()) await rendering.render('all', (done, total) => report(`Rendering kustomizations: ${done} of ${total}`));
  };
  const resolvedFor = (folder: string) => configs.resolvedFor(linting.settings, folders, URI.file(folder).toString());
  const audited = await auditWorkspace(connection, linting, folders, { ...indexOptions(), resolvedFor }, { ...request, beforeLint });
  const notRendered = rendering.notRendered();
  audited.result.notChecked.push(...notRendered.map(({ uri, reason }) => ({ uri, reason })));
  const skipped = [...audited.report.skipped, ...notRendered.map(({ uri, reason, level }) => ({ file: URI.parse(uri).fsPath, reason, level }))];
  return { result: audited.result, report: { ...audited.report, skipped } };
}

connection.onRequest(AUDIT_WORKSPACE_REQUEST, async (params: AuditWorkspaceParams | null, cancel) =>
  (await auditRendered({ workDoneToken: params?.workDoneToken, cancel })).result,
);

connection.onRequest(EXPORT_REPORT_REQUEST, async (format: ReportFormat): Promise<string> => {
  const { report } = await auditRendered();
  return formatReport(REPORT_FORMATS.includes(format) ? format : 'json', report, linting.engine.workspace.defaultNamespace);
});

connection.onRequest(EXPORT_POLICIES_REQUEST, (format: AdmissionPolicyFormat): ExportPoliciesResult =>
  exportPolicies({
    format: POLICY_FORMATS.includes(format) ? format : 'validating-admission-policy',
    rules: linting.engine.rules,
    config: configs.resolvedFor(linting.settings, folders).engine,
  }),
);

connection.onRequest(SUPPRESS_REQUEST, (request: SuppressionRequest) => suppressionEdit(linting, documents.get(request.uri), request));

connection.onRequest(LIST_RULES_REQUEST, (): RuleSummary[] =>
  linting.engine.rules.map((r) => ({ id: r.meta.id, title: r.meta.title, severity: r.meta.severity })),
);

connection.onRequest(RULE_DOCUMENTATION_REQUEST, (id: string): string | null => {
  const rule = linting.engine.rules.find((r) => r.meta.id === id);
  return rule ? ruleDocsMarkdown(rule.meta, 1) : null;
});

documents.listen(connection);
connection.listen();
