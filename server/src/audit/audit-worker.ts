import { parentPort, workerData } from 'node:worker_threads';
import type { FileResult } from '../engine/lint';
import type { ResourceExtract } from '../workspace/resource-extract';
import { AuditShare, RESULTS_BATCH } from './audit-share';
import type { InMemoryFile, LintOptions, LoadedFile } from './load';

/** What the main thread gives a worker: its files, in report order. */
export interface WorkerInput {
  files: string[];
  /** Files given as text (standard input, open documents), linted by this worker. */
  texts: InMemoryFile[];
  /** Other threads' files this one holds whole (kustomizations). */
  contextFiles: string[];
  options: LintOptions;
}

/**
 * Worker → main: how many files are parsed (now and then), the loaded files (without text)
 * and extracts, then the lint results in batches, then `done`.
 */
export type WorkerMessage =
  | { type: 'parsed'; done: number }
  | { type: 'loaded'; loaded: LoadedFile[]; extracts: ResourceExtract[] }
  | { type: 'results'; results: FileResult[] }
  | { type: 'done' }
  | { type: 'error'; error: string };

/** Main → worker, once every worker has loaded: the extracts of every other worker's files. */
export interface ForeignMessage {
  foreign: ResourceExtract[];
}

/** Files parsed between two progress messages. */
const PARSED_EVERY = 20;

/** The worker side of a parallel audit (`dist/audit-worker.js`, started by `lintFiles`). */
export function runAuditWorker(): void {
  const port = parentPort!;
  const input = workerData as WorkerInput;
  const post = (message: WorkerMessage) => port.postMessage(message);
  const failed = (error: unknown) => post({ type: 'error', error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  try {
    const share = new AuditShare(input.files, input.texts, input.options, input.contextFiles);
    const loaded = share.load((done) => {
      if (done % PARSED_EVERY === 0) post({ type: 'parsed', done });
    });
    post({ type: 'loaded', loaded: loaded.map((file) => ('text' in file ? { ...file, text: '' } : file)), extracts: share.extracts() });
    port.once('message', async (message: ForeignMessage) => {
      try {
        share.addForeign(message.foreign);
        await share.lint((results) => post({ type: 'results', results }), RESULTS_BATCH);
        post({ type: 'done' });
      } catch (error) {
        failed(error);
      }
    });
  } catch (error) {
    failed(error);
  }
}
