import { parentPort, workerData } from 'node:worker_threads';
import type { FileResult } from '../engine/lint';
import type { ResourceExtract } from '../workspace/resource-extract';
import type { LintOptions, LoadedFile } from './audit';
import { AuditShare } from './audit-share';

/** What the main thread gives a worker: its files, in report order. */
export interface WorkerInput {
  files: string[];
  /** Other threads' files this one holds whole (kustomizations). */
  contextFiles: string[];
  stdin: string | undefined;
  options: LintOptions;
}

/** Worker → main: first the loaded files (without text) and extracts, then the lint results. */
export type WorkerMessage =
  | { type: 'loaded'; loaded: LoadedFile[]; extracts: ResourceExtract[] }
  | { type: 'results'; results: FileResult[] }
  | { type: 'error'; error: string };

/** Main → worker, once every worker has loaded: the extracts of every other worker's files. */
export interface ForeignMessage {
  foreign: ResourceExtract[];
}

/** The worker side of a parallel audit (`dist/cli.js` started as a worker thread). */
export function runAuditWorker(): void {
  const port = parentPort!;
  const input = workerData as WorkerInput;
  const post = (message: WorkerMessage) => port.postMessage(message);
  try {
    const share = new AuditShare(input.files, input.stdin, input.options, input.contextFiles);
    const loaded = share.load().map((file) => ('text' in file ? { ...file, text: '' } : file));
    post({ type: 'loaded', loaded, extracts: share.extracts() });
    port.once('message', (message: ForeignMessage) => {
      try {
        share.addForeign(message.foreign);
        post({ type: 'results', results: share.lint() });
      } catch (error) {
        post({ type: 'error', error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
      }
    });
  } catch (error) {
    post({ type: 'error', error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  }
}
