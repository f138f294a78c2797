import { availableParallelism } from 'node:os';
import { statSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import type { FileResult } from '../engine/lint';
import { isKustomizationFile } from '../kustomize/kustomization';
import type { ResourceExtract } from '../workspace/resource-extract';
import { assembleReport, planAudit, type AuditOptions, type AuditPlan, type AuditReport, type LoadedFile } from './audit';
import { renderKustomizations } from './audit-kustomize';
import { AuditShare } from './audit-share';
import type { ForeignMessage, WorkerInput, WorkerMessage } from './audit-worker';

/**
 * Below this much YAML, starting workers costs more than it saves: each worker warms up its
 * own JIT and rebuilds the others' resources and the workspace-wide indexes (on 2 shared
 * cores the split breaks even at 10,000 resources and gains at 25,000; see bench/RESULTS.md).
 */
const PARALLEL_MIN_BYTES = 4 << 20;
/** Each worker gets at least this much. */
const BYTES_PER_WORKER = 2 << 20;
/** Every worker rebuilds the others' resources and the workspace-wide indexes: more threads stop paying off. */
const MAX_WORKERS = 8;
/**
 * Parsing allocates many short-lived nodes: with V8's default young generation, garbage
 * collection is about a third of a large audit, and a file's nodes outlive small
 * scavenges and are promoted, only to die in the old generation. 192 MB (which the CLI
 * cannot ask for its main thread without a command-line flag) took the 25,000-resource
 * audit from 12.4 s (96 MB) to 10.4 s; 384 MB gained nothing and peaked 300 MB higher.
 */
const WORKER_YOUNG_GENERATION_MB = 192;

/**
 * Audits `paths` (`-` is standard input). Large audits are split over worker threads:
 * each parses and lints its share of the files, and cross-resource rules still see every
 * file through the others' extracts. `jobs` undefined chooses by size and CPU count (no
 * worker below 4 MB, one per CPU above, each with at least 2 MB); 1 keeps everything in
 * this thread.
 */
export async function audit(paths: readonly string[], options: AuditOptions, jobs?: number): Promise<AuditReport> {
  const plan = planAudit(paths, options);
  options = { ...options, unitRoots: plan.unitRoots };
  const sizes = plan.files.map(sizeOf);
  const bytes = sizes.reduce((sum, size) => sum + size, plan.stdin?.length ?? 0);
  const auto = bytes < PARALLEL_MIN_BYTES ? 0 : Math.min(availableParallelism(), MAX_WORKERS, Math.floor(bytes / BYTES_PER_WORKER));
  const threads = Math.min(jobs ?? auto, plan.files.length);
  if (jobs === 1 || threads < 1) {
    const share = new AuditShare(plan.files, plan.stdin, options);
    const loaded = share.load((done) => options.onProgress?.(done, plan.files.length));
    return withRendering(plan, loaded, byUri(share.lint()), options);
  }
  return inWorkers(plan, sizes, options, threads);
}

/** The report, with the top-level kustomizations rendered when a kustomize command is set (`--kustomize`). */
async function withRendering(plan: AuditPlan, loaded: readonly LoadedFile[], results: Map<string, FileResult>, options: AuditOptions): Promise<AuditReport> {
  if (!options.kustomize) return assembleReport(plan, loaded, results, options);
  const display = new Map(loaded.flatMap((file) => ('uri' in file ? [[file.uri, file.displayPath] as const] : [])));
  const rendered = await renderKustomizations(plan, results, options, options.kustomize, (uri) => display.get(uri) ?? uri);
  const report = assembleReport(plan, loaded, rendered.results, options);
  return { ...report, skipped: [...report.skipped, ...rendered.skipped] };
}

function sizeOf(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0; // reported when the file is read
  }
}

async function inWorkers(plan: AuditPlan, sizes: readonly number[], options: AuditOptions, threads: number): Promise<AuditReport> {
  const shares = splitBySize(plan.files, sizes, threads);
  const kustomizations = plan.files.filter(isKustomizationFile);
  const workers = shares.map((files, i) => {
    const contextFiles = kustomizations.filter((path) => !files.includes(path));
    const { config, defaultNamespace, maxBytes, cwd, unitRoots } = options;
    const workerData: WorkerInput = { files, contextFiles, stdin: i === 0 ? plan.stdin : undefined, options: { config, defaultNamespace, maxBytes, cwd, unitRoots } };
    return new Worker(__filename, { workerData, resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB } });
  });
  try {
    let done = 0;
    const loaded = await Promise.all(
      workers.map(async (worker, i) => {
        const share = await next(worker, 'loaded');
        options.onProgress?.((done += shares[i].length), plan.files.length);
        return share;
      }),
    );
    // Back in plan order: the report does not depend on how files were shared out.
    const position = new Map(plan.files.map((path, i) => [path, i]));
    const files: LoadedFile[] = loaded.flatMap((l) => l.loaded).sort((a, b) => position.get(a.path)! - position.get(b.path)!);
    for (const [i, worker] of workers.entries()) {
      const foreign: ResourceExtract[] = loaded.flatMap((other, j) => (j === i ? [] : other.extracts));
      worker.postMessage({ foreign } satisfies ForeignMessage);
    }
    const results = await Promise.all(workers.map((worker) => next(worker, 'results')));
    return await withRendering(plan, files, byUri(results.flatMap((r) => r.results)), options);
  } finally {
    for (const worker of workers) void worker.terminate();
  }
}

/** Files dealt out largest first to the least loaded share; each share keeps plan order. */
function splitBySize(files: readonly string[], sizes: readonly number[], threads: number): string[][] {
  const load = new Array<number>(threads).fill(0);
  const owner = new Array<number>(files.length);
  for (const i of files.map((_, i) => i).sort((a, b) => sizes[b] - sizes[a] || a - b)) {
    const share = load.indexOf(Math.min(...load));
    owner[i] = share;
    load[share] += sizes[i] + 1;
  }
  return load.map((_, share) => files.filter((_, i) => owner[i] === share));
}

function next<T extends WorkerMessage['type']>(worker: Worker, type: T): Promise<Extract<WorkerMessage, { type: T }>> {
  return new Promise((resolve, reject) => {
    const cleanup = () => {
      worker.off('message', onMessage);
      worker.off('error', reject);
      worker.off('exit', onExit);
    };
    const onMessage = (message: WorkerMessage) => {
      cleanup();
      if (message.type === type) resolve(message as Extract<WorkerMessage, { type: T }>);
      else reject(new Error(message.type === 'error' ? message.error : `unexpected ${message.type} from an audit worker`));
    };
    const onExit = (code: number) => {
      cleanup();
      reject(new Error(`an audit worker exited with code ${code}`));
    };
    worker.on('message', onMessage);
    worker.once('error', reject);
    worker.once('exit', onExit);
  });
}

function byUri(results: readonly FileResult[]): Map<string, FileResult> {
  return new Map(results.map((result) => [result.uri, result]));
}
