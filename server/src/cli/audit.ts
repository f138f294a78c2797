import { relative } from 'node:path';
import { URI } from 'vscode-uri';
import type { EngineConfig } from '../engine/config';
import { Engine } from '../engine/engine';
import type { Finding } from '../engine/finding';
import { readManifest, scanManifests, type ScanProblem } from '../workspace/file-scan';
import { Workspace } from '../workspace/workspace';

export interface AuditReport {
  findings: Finding[];
  /** Path of each file relative to the working directory, by URI. */
  paths: Map<string, string>;
  filesRead: number;
  problems: ScanProblem[];
  engine: Engine;
}

export interface AuditOptions {
  config: EngineConfig;
  defaultNamespace: string;
  maxBytes: number;
  cwd: string;
}

/** Reads every manifest under `paths` into one workspace (so cross-file rules see them all) and lints each file. */
export function audit(paths: readonly string[], options: AuditOptions): AuditReport {
  const scan = scanManifests(paths);
  const engine = new Engine(new Workspace(options.defaultNamespace), options.config);
  const problems = [...scan.problems];
  const pathsByUri = new Map<string, string>();
  for (const path of scan.files) {
    const read = readManifest(path, options.maxBytes);
    if ('problem' in read) {
      problems.push({ path, message: read.problem });
      continue;
    }
    const uri = URI.file(path).toString();
    pathsByUri.set(uri, relative(options.cwd, path) || path);
    engine.workspace.setFile(uri, read.text);
  }
  const findings: Finding[] = [];
  for (const uri of pathsByUri.keys()) {
    const result = engine.lint(uri);
    findings.push(...result.findings);
    for (const failure of result.failures) problems.push({ path: pathsByUri.get(uri) ?? uri, message: `internal error in rule ${failure.ruleId} on ${failure.resource}: ${failure.error.split('\n')[0]}` });
  }
  return { findings, paths: pathsByUri, filesRead: pathsByUri.size, problems, engine };
}
