import { availableParallelism } from 'node:os';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { FileResult } from '../engine/lint';
import { isKustomizationFile } from '../kustomize/kustomization';
import type { ResourceExtract } from '../workspace/resource-extract';
import { AuditShare, RESULTS_BATCH } from './audit-share';
import type { ForeignMessage, WorkerInput, WorkerMessage } from './audit-worker';
import type { InMemoryFile, LintOptions, LoadedFile } from './load';

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

/** The files of an audit: read from disk (`files`, in report order) or given as text. */
export interface LintInput {
  files: readonly string[];
  texts: readonly InMemoryFile[];
}

export interface LintRunOptions {
  /** Worker threads; 0 lints in this thread (blocking it). */
  threads: number;
  /** Files parsed so far, of all (in no particular order). */
  onParsed?: (done: number, total: number) => void;
  /** Results as they come, in batches; the next batch waits for the promise. */
  onResults?: (results: FileResult[]) => void | Promise<void>;
  /** Checked between batches: true stops the workers; the run returns what it has. */
  cancelled?: () => boolean;
  /**
   * Each worker's young generation (MB; default 192, the fastest): the editor, where the
   * audit's peak adds to a long-lived process, trades some speed for memory.
   */
  youngGenerationMb?: number;
}

export interface LintRun {
  /** `input.files` as read, in their order. */
  loaded: LoadedFile[];
  results: FileResult[];
  cancelled: boolean;
}

/**
 * How many worker threads an audit of `bytes` of YAML gets by default: none below 4 MB,
 * else one per CPU (at most 8), each with at least 2 MB.
 */
export function defaultThreads(bytes: number): number {
  return bytes < PARALLEL_MIN_BYTES ? 0 : Math.min(availableParallelism(), MAX_WORKERS, Math.floor(bytes / BYTES_PER_WORKER));
}

export function sizeOf(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0; // reported when the file is read
  }
}

/**
 * Parses and lints every file of an audit, the one path of the CLI and the editor. Split
 * over worker threads, each parses and lints its share of the files, and cross-resource
 * rules still see every file through the others' extracts: the results are those of one
 * thread, byte for byte (tested).
 */
export async function lintFiles(input: LintInput, options: LintOptions, run: LintRunOptions): Promise<LintRun> {
  const total = input.files.length + input.texts.length;
  if (run.threads < 1) {
    const share = new AuditShare(input.files, input.texts, options);
    const loaded = share.load((done) => run.onParsed?.(done + input.texts.length, total));
    const results: FileResult[] = [];
    await share.lint((batch) => results.push(...batch), RESULTS_BATCH);
    await run.onResults?.(results);
    return { loaded, results, cancelled: false };
  }
  return inWorkers(input, options, run);
}

async function inWorkers(input: LintInput, options: LintOptions, run: LintRunOptions): Promise<LintRun> {
  const total = input.files.length + input.texts.length;
  const shares = splitBySize(input, Math.min(run.threads, total));
  const kustomizations = input.files.filter(isKustomizationFile);
  const inbox = new Inbox();
  const workers = shares.map((share) => {
    const workerData: WorkerInput = { ...share, contextFiles: kustomizations.filter((path) => !share.files.includes(path)), options };
    const worker = new Worker(join(__dirname, 'audit-worker.js'), { workerData, resourceLimits: { maxYoungGenerationSizeMb: run.youngGenerationMb ?? WORKER_YOUNG_GENERATION_MB } });
    inbox.listen(worker);
    return worker;
  });
  const cancelled = () => run.cancelled?.() === true;
  try {
    // Parsing: every worker loads its share and sends its extracts.
    const parsed = new Array<number>(workers.length).fill(0);
    const loaded = new Array<Extract<WorkerMessage, { type: 'loaded' }> | undefined>(workers.length);
    while (loaded.includes(undefined)) {
      if (cancelled()) return { loaded: [], results: [], cancelled: true };
      const { from, message } = await inbox.next();
      if (message.type === 'parsed') parsed[from] = message.done;
      else if (message.type === 'loaded') {
        loaded[from] = message;
        parsed[from] = shares[from].files.length + shares[from].texts.length;
      } else throw unexpected(message);
      run.onParsed?.(parsed.reduce((a, b) => a + b, 0), total);
    }
    for (const [i, worker] of workers.entries()) {
      const foreign: ResourceExtract[] = loaded.flatMap((other, j) => (j === i ? [] : other!.extracts));
      worker.postMessage({ foreign } satisfies ForeignMessage);
    }
    // Sent (copied): this thread needs none of them while the workers lint.
    for (const message of loaded) message!.extracts = [];
    // Back in input order: the report does not depend on how files were shared out.
    const position = new Map(input.files.map((path, i) => [path, i]));
    const files = loaded.flatMap((l) => l!.loaded).sort((a, b) => position.get(a.path)! - position.get(b.path)!);
    // Linting: results come in batches until every worker is done.
    const results: FileResult[] = [];
    let working = workers.length;
    while (working > 0) {
      if (cancelled()) return { loaded: files, results, cancelled: true };
      const { message } = await inbox.next();
      if (message.type === 'results') {
        results.push(...message.results);
        await run.onResults?.(message.results);
      } else if (message.type === 'done') working--;
      else throw unexpected(message);
    }
    return { loaded: files, results, cancelled: false };
  } finally {
    for (const worker of workers) void worker.terminate();
  }
}

function unexpected(message: WorkerMessage): Error {
  return new Error(message.type === 'error' ? message.error : `unexpected ${message.type} from an audit worker`);
}

/** Every worker's messages in one queue, in order of arrival; an exit before its `done` is an error. */
class Inbox {
  private readonly queue: Array<{ from: number; message: WorkerMessage } | Error> = [];
  private waiting: (() => void) | undefined;
  private workers = 0;

  listen(worker: Worker): void {
    const from = this.workers++;
    const push = (item: { from: number; message: WorkerMessage } | Error) => {
      this.queue.push(item);
      this.waiting?.();
    };
    let finished = false;
    worker.on('message', (message: WorkerMessage) => {
      finished ||= message.type === 'done';
      push({ from, message });
    });
    worker.on('error', (error) => push(error));
    worker.on('exit', (code) => {
      if (!finished) push(new Error(`an audit worker exited with code ${code}`));
    });
  }

  async next(): Promise<{ from: number; message: WorkerMessage }> {
    while (this.queue.length === 0) await new Promise<void>((resolve) => (this.waiting = resolve));
    this.waiting = undefined;
    const item = this.queue.shift()!;
    if (item instanceof Error) throw item;
    return item;
  }
}

/** Files and texts dealt out largest first to the least loaded share; each share keeps input order. */
function splitBySize(input: LintInput, threads: number): Array<{ files: string[]; texts: InMemoryFile[] }> {
  const items = [...input.texts.map((text) => ({ text, size: text.text.length })), ...input.files.map((path) => ({ path, size: sizeOf(path) }))];
  const load = new Array<number>(threads).fill(0);
  const owner = new Array<number>(items.length);
  for (const i of items.map((_, i) => i).sort((a, b) => items[b].size - items[a].size || a - b)) {
    const share = load.indexOf(Math.min(...load));
    owner[i] = share;
    load[share] += items[i].size + 1;
  }
  return load.map((_, share) => ({
    files: items.flatMap((item, i) => (owner[i] === share && 'path' in item ? [item.path!] : [])),
    texts: items.flatMap((item, i) => (owner[i] === share && 'text' in item ? [item.text!] : [])),
  }));
}
