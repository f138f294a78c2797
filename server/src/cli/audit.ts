import picomatch from 'picomatch';
import { basename, relative } from 'node:path';
import { CONFIG_FILE_NAME } from '../config/config-file';
import { URI } from 'vscode-uri';
import type { EngineConfig } from '../engine/config';
import { Engine } from '../engine/engine';
import type { Finding } from '../engine/finding';
import type { ReportInput } from '../report/report-input';
import { readManifest, scanManifests, type ScanProblem } from '../workspace/file-scan';
import { helmChartOf, isHelmTemplate } from '../workspace/helm-charts';
import { Workspace } from '../workspace/workspace';

export const STDIN = '-';

export interface AuditOptions {
  config: EngineConfig;
  defaultNamespace: string;
  /** Globs relative to `excludeBase` (the config file's folder). */
  exclude: readonly string[];
  excludeBase: string;
  maxBytes: number;
  cwd: string;
  version: string;
  readStdin: () => string;
}

export interface AuditReport extends ReportInput {
  problems: ScanProblem[];
  skippedCharts: string[];
}

/**
 * Reads every manifest under `paths` (`-` is standard input) into one workspace, so
 * cross-file rules see them all, and lints each file.
 */
export function audit(paths: readonly string[], options: AuditOptions): AuditReport {
  const isExcluded = excluder(options.exclude, options.excludeBase);
  const scan = scanManifests(paths.filter((p) => p !== STDIN), isExcluded);
  const engine = new Engine(new Workspace(options.defaultNamespace), options.config);
  const problems = [...scan.problems];
  const displayPaths = new Map<string, string>();
  const charts = new Set<string>();
  if (paths.includes(STDIN)) {
    const uri = 'stdin:///manifest.yaml';
    displayPaths.set(uri, '<stdin>');
    engine.workspace.setFile(uri, options.readStdin());
  }
  for (const path of scan.files) {
    if (basename(path) === CONFIG_FILE_NAME) continue;
    const read = readManifest(path, options.maxBytes);
    if ('problem' in read) {
      problems.push({ path, message: read.problem });
      continue;
    }
    if (isHelmTemplate(path, read.text)) {
      charts.add(helmChartOf(path)!);
      continue;
    }
    const uri = URI.file(path).toString();
    displayPaths.set(uri, relative(options.cwd, path) || path);
    engine.workspace.setFile(uri, read.text);
  }
  const findings: Finding[] = [];
  const suppressed: Finding[] = [];
  for (const uri of displayPaths.keys()) {
    const result = engine.lint(uri);
    findings.push(...result.findings);
    suppressed.push(...result.suppressed);
    for (const failure of result.failures) problems.push({ path: displayPaths.get(uri) ?? uri, message: `internal error in rule ${failure.ruleId} on ${failure.resource}: ${failure.error.split('\n')[0]}` });
  }
  return {
    findings,
    suppressed,
    paths: displayPaths,
    rules: engine.rules,
    filesRead: displayPaths.size,
    version: options.version,
    problems,
    skippedCharts: [...charts].sort().map((c) => relative(options.cwd, c) || c),
  };
}

function excluder(globs: readonly string[], base: string): (path: string) => boolean {
  if (globs.length === 0) return () => false;
  const isMatch = picomatch([...globs], { dot: true });
  return (path) => {
    const segments = relative(base, path).split(/[\\/]/);
    return !segments[0].startsWith('..') && segments.some((_, i) => isMatch(segments.slice(0, i + 1).join('/')));
  };
}
