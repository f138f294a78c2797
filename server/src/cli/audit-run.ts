import type { FileResult } from '../engine/lint';
import { defaultThreads, lintFiles, sizeOf } from '../audit/lint-files';
import type { LoadedFile } from '../audit/load';
import { assembleReport, planAudit, STDIN_URI, type AuditOptions, type AuditPlan, type AuditReport } from './audit';
import { renderKustomizations } from './audit-kustomize';

/**
 * Audits `paths` (`-` is standard input) through the audit service (`audit/lint-files.ts`):
 * large audits are split over worker threads. `jobs` undefined chooses by size and CPU count
 * (no worker below 4 MB, one per CPU above, each with at least 2 MB); 1 keeps everything in
 * this thread.
 */
export async function audit(paths: readonly string[], options: AuditOptions, jobs?: number): Promise<AuditReport> {
  const plan = planAudit(paths, options);
  options = { ...options, unitRoots: plan.unitRoots };
  const texts = plan.stdin === undefined ? [] : [{ uri: STDIN_URI, text: plan.stdin }];
  const bytes = plan.files.reduce((sum, path) => sum + sizeOf(path), plan.stdin?.length ?? 0);
  const threads = jobs === 1 ? 0 : Math.min(jobs ?? defaultThreads(bytes), plan.files.length);
  const { config, defaultNamespace, maxBytes, cwd, unitRoots } = options;
  const run = await lintFiles({ files: plan.files, texts }, { config, defaultNamespace, maxBytes, cwd, unitRoots }, {
    threads,
    onParsed: (done, total) => options.onProgress?.(done, total),
  });
  return withRendering(plan, run.loaded, new Map(run.results.map((result) => [result.uri, result])), options);
}

/** The report, with the top-level kustomizations rendered when a kustomize command is set (`--kustomize`). */
async function withRendering(plan: AuditPlan, loaded: readonly LoadedFile[], results: Map<string, FileResult>, options: AuditOptions): Promise<AuditReport> {
  if (!options.kustomize) return assembleReport(plan, loaded, results, options);
  const display = new Map(loaded.flatMap((file) => ('uri' in file ? [[file.uri, file.displayPath] as const] : [])));
  const rendered = await renderKustomizations(plan, results, options, options.kustomize, (uri) => display.get(uri) ?? uri);
  const report = assembleReport(plan, loaded, rendered.results, options);
  return { ...report, skipped: [...report.skipped, ...rendered.skipped] };
}
