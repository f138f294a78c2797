import { statSync } from 'node:fs';
import { basename, dirname, relative, resolve } from 'node:path';
import { CONFIG_FILE_NAME } from '../config/config-file';
import { pathGlobMatcher } from '../config/path-globs';
import { URI } from 'vscode-uri';
import { RULES } from '../../../rules';
import type { KustomizeCommand } from '../kustomize-runner/command';
import type { Finding } from '../engine/finding';
import type { FileResult } from '../engine/lint';
import type { ReportInput, SkippedFile } from '../report/report-input';
import { helmChartNotes, unreadableFiles } from '../report/skipped-files';
import { scanManifests, type ReadResult, type ScanProblem } from '../workspace/file-scan';
import { displayPath, type LintOptions, type LoadedFile } from '../audit/load';

export const STDIN = '-';
export const STDIN_URI = 'stdin:///manifest.yaml';
export const STDIN_DISPLAY = '<stdin>';

export interface AuditOptions extends LintOptions {
  /** Globs relative to `excludeBase` (the config file's folder). */
  exclude: readonly string[];
  excludeBase: string;
  version: string;
  /** Standard input, read only when `-` is among the paths (bounded like any file). */
  readStdin: () => ReadResult;
  /** Files parsed so far, of all (in this thread's order of finishing). */
  onProgress?: (done: number, total: number) => void;
  /** Renders top-level kustomizations with this command (`--kustomize`); undefined: the files as written only. */
  kustomize?: KustomizeCommand;
  /** Kustomizations rendered so far, of all. */
  onRenderProgress?: (done: number, total: number) => void;
}

export interface AuditReport extends ReportInput {
  /** Kubernetes objects in the files read: none means the paths hold nothing to check. */
  objects: number;
}

/** The files an audit reads, in report order, and what went wrong finding them. */
export interface AuditPlan {
  files: string[];
  stdin: string | undefined;
  problems: ScanProblem[];
  /** The folders audited and those holding a `.kube-zero-trust.yaml`, as URIs: each is an analysis unit. */
  unitRoots: string[];
}

export function planAudit(paths: readonly string[], options: AuditOptions): AuditPlan {
  const isExcluded = excluder(options.exclude, options.excludeBase);
  const scan = scanManifests(paths.filter((p) => p !== STDIN), isExcluded);
  const problems = [...scan.problems];
  const stdin = paths.includes(STDIN) ? options.readStdin() : undefined;
  if (stdin && 'problem' in stdin) problems.push({ path: STDIN_DISPLAY, message: stdin.problem });
  const configFolders = scan.files.filter((path) => basename(path) === CONFIG_FILE_NAME).map(dirname);
  return {
    files: scan.files.filter((path) => basename(path) !== CONFIG_FILE_NAME),
    stdin: stdin && 'text' in stdin ? stdin.text : undefined,
    problems,
    unitRoots: [...paths.filter((p) => p !== STDIN && isDirectory(p)).map((p) => resolve(p)), ...configFolders].map((folder) => URI.file(folder).toString()),
  };
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/**
 * The report from the per-file results, in plan order, whichever thread linted them:
 * the same files give the same report, byte for byte.
 */
export function assembleReport(plan: AuditPlan, loaded: readonly LoadedFile[], results: ReadonlyMap<string, FileResult>, options: AuditOptions): AuditReport {
  const display = (path: string) => (path === STDIN_DISPLAY ? path : displayPath(path, options.cwd));
  const problems = [...plan.problems];
  const displayPaths = new Map<string, string>();
  const charts = new Set<string>();
  if (plan.stdin !== undefined) displayPaths.set(STDIN_URI, STDIN_DISPLAY);
  for (const file of loaded) {
    if ('problem' in file) problems.push({ path: file.path, message: file.problem });
    else if ('chart' in file) charts.add(file.chart);
    else displayPaths.set(file.uri, file.displayPath);
  }
  const skipped: SkippedFile[] = unreadableFiles(problems, display);
  const findings: Finding[] = [];
  const suppressed: Finding[] = [];
  let objects = 0;
  for (const uri of displayPaths.keys()) {
    const result = results.get(uri);
    if (!result) continue;
    findings.push(...result.findings);
    suppressed.push(...result.suppressed);
    objects += result.objects;
    // A rule that failed left the file partly checked: the report says so and fails closed.
    for (const failure of result.failures) skipped.push({ file: displayPaths.get(uri) ?? uri, reason: `internal error in rule ${failure.ruleId} on ${failure.resource}: ${failure.error.split('\n')[0]}`, level: 'warning' });
  }
  skipped.push(...helmChartNotes([...charts].sort(), display));
  return { findings, suppressed, paths: displayPaths, rules: RULES, filesRead: displayPaths.size, version: options.version, skipped, objects };
}

function excluder(globs: readonly string[], base: string): (path: string) => boolean {
  if (globs.length === 0) return () => false;
  const isMatch = pathGlobMatcher(globs);
  return (path) => {
    const segments = relative(base, path).split(/[\\/]/);
    return !segments[0].startsWith('..') && segments.some((_, i) => isMatch(segments.slice(0, i + 1).join('/')));
  };
}
