import { DiagnosticSeverity, type CancellationToken, type Connection, type ProgressToken } from 'vscode-languageserver';
import { URI } from 'vscode-uri';
import type { Finding } from '../engine/finding';
import type { FileResult } from '../engine/lint';
import { lintFiles } from '../audit/lint-files';
import type { ResolvedConfig } from '../config/resolve-config';
import { SOURCE, type AuditItem, type AuditResult, type PostureSummary, type ReachabilityMatrix } from '../protocol/protocol';
import { readLintable, scanManifests, type ScanProblem } from '../workspace/file-scan';
import { HELM_HINT } from '../workspace/helm-charts';
import type { Linting } from './linting';
import { basename, relative } from 'node:path';
import { version } from '../../../package.json';
import { networkIndex, reachabilityGraph } from '../analysis/network';
import { posture } from '../report/posture';
import { CONFIG_FILE_NAME } from '../config/config-file';
import type { ReportInput } from '../report/report-input';
import { helmChartNotes, unreadableFiles } from '../report/skipped-files';

export interface IndexOptions {
  isOpen: (uri: string) => boolean;
  isExcluded: (path: string) => boolean;
  /** The size limit for a file (its folder's config file, else the setting). */
  maxBytes: (path: string) => number;
  /** Keep the files compact (the background index) rather than parsed for linting (an audit). */
  compact: boolean;
}

/**
 * Reads every manifest under the workspace folders into the engine's workspace (open
 * documents win). Excluded files and Helm chart templates are left out; returns the
 * indexed URIs and the charts that were skipped.
 */
export function indexFolders(linting: Linting, folders: readonly string[], options: IndexOptions): { uris: string[]; charts: string[]; problems: ScanProblem[] } {
  const { files, problems } = scanManifests(folders, options.isExcluded);
  const uris: string[] = [];
  const charts = new Set<string>();
  for (const path of files) {
    const uri = URI.file(path).toString();
    if (basename(path) === CONFIG_FILE_NAME) continue;
    if (options.isOpen(uri)) {
      uris.push(uri);
      continue;
    }
    const read = readLintable(path, options.maxBytes(path));
    if ('problem' in read) problems.push({ path, message: read.problem });
    if ('chart' in read) charts.add(read.chart);
    if (!('text' in read)) continue;
    linting.engine.workspace.setFile(uri, read.text, { compact: options.compact, lean: options.compact ? linting.engine.lean : undefined });
    uris.push(uri);
  }
  for (const problem of problems) linting.log(`Skipped ${problem.path}: ${problem.message}`);
  return { uris, charts: [...charts].sort(), problems };
}

/**
 * The young generation of the editor's audit workers: the server lives on after an audit and
 * shares the machine with the editor, so its peak counts more than the last second (the CLI's
 * workers get 192 MB; see audit/lint-files.ts).
 */
const EDITOR_YOUNG_GENERATION_MB = 48;

export interface AuditOptions extends Omit<IndexOptions, 'compact'> {
  /** The configuration in force in a folder (its `.kube-zero-trust.yaml` over the settings). */
  resolvedFor: (folder: string) => ResolvedConfig;
}

/**
 * "Audit Workspace": lints every manifest of the workspace folders, publishing findings to
 * the Problems panel for files that were never opened, with cancellable progress. Returns
 * every finding (suppressed ones marked) for the tree view and the report. Files nobody has
 * open are parsed and linted by the audit service's worker threads, as `kzt audit` does: the
 * server keeps them compact and keeps nothing of their results but the diagnostics it sent.
 */
export async function auditWorkspace(
  connection: Connection,
  linting: Linting,
  folders: readonly string[],
  options: AuditOptions,
  request: {
    workDoneToken?: ProgressToken;
    cancel?: CancellationToken;
    /** Runs once the files are indexed, before they are linted (rendering kustomizations); reports what it does. */
    beforeLint?: (report: (message: string) => void) => Promise<void>;
  } = {},
): Promise<{ result: AuditResult; report: ReportInput }> {
  // The client's token when it shows the progress itself (a cancellable notification), else one of our own.
  const own = request.workDoneToken === undefined ? await connection.window.createWorkDoneProgress() : undefined;
  const progress = own ?? connection.window.attachWorkDoneProgress(request.workDoneToken);
  // Cancelled from our own progress (its button), or by the client cancelling the request (its notification's button).
  const cancelled = () => own?.token.isCancellationRequested === true || request.cancel?.isCancellationRequested === true;
  progress.begin('Kubernetes Zero Trust: auditing', 0, 'Scanning the workspace…', true);
  const { uris, charts, problems } = indexFolders(linting, folders, { ...options, compact: true });
  await request.beforeLint?.((message) => progress.report(0, message));
  const principles = new Map(linting.engine.rules.map((r) => [r.meta.id, r.meta.principle]));
  const notChecked = problems.map((p) => ({ uri: URI.file(p.path).toString(), reason: p.message }));
  const result: AuditResult = { files: uris.length, findings: 0, filesWithFindings: 0, cancelled: false, items: [], skippedCharts: charts, notChecked };
  const all: Finding[] = [];
  const silenced: Finding[] = [];
  const toItem = (f: Finding): AuditItem => ({
    uri: f.uri,
    range: f.range,
    ruleId: f.ruleId,
    severity: f.severity,
    message: f.message,
    principle: principles.get(f.ruleId) ?? 'yaml',
    ...(f.resource ? { resource: f.resource } : {}),
    ...(f.suppressed ? { suppressed: f.suppressed } : {}),
  });
  const results = new Map<string, FileResult>();
  try {
    const workspace = linting.engine.workspace;
    const open = uris.filter((uri) => options.isOpen(uri));
    const closed = uris.filter((uri) => !options.isOpen(uri)).map((uri) => URI.parse(uri).fsPath);
    // Open documents' texts are what other files must see; their own diagnostics come from this thread.
    const texts = open.flatMap((uri) => {
      const file = workspace.getFile(uri);
      return file ? [{ uri, text: file.parsed.text }] : [];
    });
    const config = (folder: string) => options.resolvedFor(folder).engine;
    let linted = 0;
    const run = await lintFiles({ files: closed, texts }, {
      config: linting.engine.config,
      folderConfigs: folders.map((folder) => ({ folder, config: config(folder) })),
      defaultNamespace: workspace.defaultNamespace,
      ingressControllerNamespaces: workspace.ingressControllerNamespaces,
      unitRoots: workspace.unitRootUris,
      maxBytes: Math.max(0, ...folders.map((folder) => options.maxBytes(folder))),
      cwd: folders[0] ?? '/',
    }, {
      // One worker: the server keeps answering keystrokes while it audits, and each worker's
      // heap comes on top of the server's. A second one halved no audit's time on two cores
      // (bench/RESULTS.md) and doubled the peak.
      threads: 1,
      youngGenerationMb: EDITOR_YOUNG_GENERATION_MB,
      onParsed: (done, total) => progress.report(Math.round((done / total) * 50), `Parsing: ${done} of ${total} files`),
      onResults: async (batch) => {
        for (const result of batch) {
          linted++;
          if (!options.isOpen(result.uri)) results.set(result.uri, linting.publishComputed(result.uri, result));
        }
        progress.report(50 + Math.round((linted / uris.length) * 50), `${linted} of ${uris.length} files`);
        // Lets a cancellation (and keystrokes) in between batches.
        await new Promise((resolve) => setImmediate(resolve));
      },
      cancelled,
    });
    result.cancelled = run.cancelled;
    if (!run.cancelled) {
      for (const uri of open) {
        linting.publish(uri);
        results.set(uri, linting.result(uri));
      }
    }
    for (const uri of uris) {
      const audited = results.get(uri);
      if (!audited) continue;
      const { findings, suppressed } = audited;
      result.items.push(...findings.map(toItem), ...suppressed.map(toItem));
      all.push(...findings);
      silenced.push(...suppressed);
      result.findings += findings.length;
      if (findings.length) result.filesWithFindings++;
    }
  } finally {
    progress.done();
  }
  for (const chart of charts) {
    const uri = URI.file(`${chart}/Chart.yaml`).toString();
    void connection.sendDiagnostics({ uri, diagnostics: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }, severity: DiagnosticSeverity.Information, source: SOURCE, code: 'helm-chart-skipped', message: HELM_HINT }] });
  }
  result.defaultNamespace = linting.engine.workspace.defaultNamespace;
  // The analysis' and the report's own types are the wire shapes of protocol/ (structurally: these
  // annotations fail to compile when one side drifts from the other).
  const network: ReachabilityMatrix = reachabilityGraph(networkIndex(linting.engine.workspace));
  const summary: PostureSummary = posture(all, silenced.length, uris.length, linting.engine.rules, linting.engine.workspace.defaultNamespace);
  result.network = network;
  result.posture = summary;
  const paths = new Map(uris.map((uri) => [uri, displayPath(folders, uri)]));
  const display = (path: string) => displayPath(folders, URI.file(path).toString());
  const skipped = [...unreadableFiles(problems, display), ...helmChartNotes(charts, display)];
  return { result, report: { findings: all, suppressed: silenced, paths, rules: linting.engine.rules, filesRead: uris.length, skipped, version, reachability: network } };
}

/** A workspace-relative path for reports (the folder name first in multi-root workspaces). */
function displayPath(folders: readonly string[], uri: string): string {
  const path = URI.parse(uri).fsPath;
  const folder = folders.find((f) => path.startsWith(`${f}/`));
  if (!folder) return path;
  return folders.length > 1 ? `${basename(folder)}/${relative(folder, path)}` : relative(folder, path);
}
