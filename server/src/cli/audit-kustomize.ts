import { URI } from 'vscode-uri';
import { isKustomizationFile } from '../kustomize/kustomization';
import { RULES } from '../../../rules';
import type { FileResult } from '../engine/lint';
import type { KustomizeCommand } from '../kustomize-runner/command';
import { renderTargets } from '../kustomize-runner/render-targets';
import { renderContexts } from '../rendering/render-contexts';
import { renderTargetsOf } from '../rendering/targets';
import type { SkippedFile } from '../report/report-input';
import { Workspace } from '../workspace/workspace';
import { loadFile } from '../audit/load';
import type { AuditOptions, AuditPlan } from './audit';

/**
 * The audit's results with every top-level kustomization rendered by kustomize: the files
 * they deploy get their rendered findings (placed back on them), and each kustomization that
 * could not be rendered a note. The files are read again here (the threads that linted them
 * keep their trees); only the audited ones: a base outside the paths is not reported on.
 */
export async function renderKustomizations(
  plan: AuditPlan,
  results: Map<string, FileResult>,
  options: AuditOptions,
  command: KustomizeCommand,
  display: (uri: string) => string,
): Promise<{ results: Map<string, FileResult>; skipped: SkippedFile[] }> {
  const kustomizations = plan.files.filter(isKustomizationFile);
  if (kustomizations.length === 0) return { results, skipped: [] };
  const workspace = new Workspace(options.defaultNamespace);
  workspace.setUnitRoots(plan.unitRoots);
  for (const path of kustomizations) {
    const file = loadFile(path, options);
    if ('text' in file) workspace.setFile(file.uri, file.text);
  }
  const byUri = new Map(plan.files.map((path) => [URI.file(path).toString(), path]));
  const targets = renderTargetsOf(workspace.kustomize(), (uri) => workspace.getFile(uri));
  for (const target of targets) {
    for (const uri of target.members) {
      const path = byUri.get(uri);
      if (path === undefined || workspace.getFile(uri)) continue;
      const file = loadFile(path, options);
      if ('text' in file) workspace.setFile(uri, file.text);
    }
  }
  const rendered = await renderTargets(targets, command, { onProgress: options.onRenderProgress });
  const { results: contexts, notes } = renderContexts({
    targets,
    results: rendered,
    own: (uri) => results.get(uri),
    sources: (uri) => workspace.getFile(uri),
    rules: RULES,
    config: () => options.config,
    defaultNamespace: options.defaultNamespace,
  });
  const skipped: SkippedFile[] = notes.map((note) => ({ file: display(note.uri), reason: note.message, level: note.level }));
  return { results: new Map([...results, ...contexts]), skipped };
}
