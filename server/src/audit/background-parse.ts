import { join } from 'node:path';
import { parentPort, Worker } from 'node:worker_threads';
import { settledErrors, type SettledError } from '../parsing/parse-file';

/** Main → parse thread: texts of documents to parse whole. */
interface ParseRequest {
  id: number;
  texts: string[];
}

/** Parse thread → main: for each text, its documents' exact errors (undefined: some document is valid). */
interface ParseResponse {
  id: number;
  errors: Array<SettledError[] | undefined>;
}

/** Marks the parse thread in `workerData` (the audit worker's bundle runs it too). */
export const BACKGROUND_PARSE = 'background-parse';

/**
 * A thread that parses large documents whole while the language server goes on answering:
 * settling a provisional syntax error (`ParseOptions.settled`) takes a full parse of the
 * document (about 400 ms for Argo CD's 1.4 MB CRD), which must not hold up the next keystroke.
 */
export class BackgroundParser {
  private worker: Worker | undefined;
  private next = 0;
  private readonly pending = new Map<number, { resolve: (errors: ParseResponse['errors']) => void; reject: (error: Error) => void }>();

  /** Each text's documents' exact errors, from the parse thread. */
  settledErrors(texts: string[]): Promise<ParseResponse['errors']> {
    const worker = this.start();
    const id = ++this.next;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, texts } satisfies ParseRequest);
    });
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(join(__dirname, 'audit-worker.js'), { workerData: BACKGROUND_PARSE });
    // Never keeps the server alive by itself.
    worker.unref();
    worker.on('message', ({ id, errors }: ParseResponse) => {
      this.pending.get(id)?.resolve(errors);
      this.pending.delete(id);
    });
    const fail = (error: Error) => {
      this.worker = undefined;
      for (const { reject } of this.pending.values()) reject(error);
      this.pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`the parse thread exited with code ${code}`)));
    this.worker = worker;
    return worker;
  }
}

/** The parse thread's side. */
export function runBackgroundParser(): void {
  parentPort!.on('message', ({ id, texts }: ParseRequest) => {
    parentPort!.postMessage({ id, errors: texts.map(settledErrors) } satisfies ParseResponse);
  });
}
