// Entry point of `dist/audit-worker.js`: the worker threads of an audit, started by the CLI
// and the language server alike (`lint-files.ts`), and the language server's parse thread
// (`background-parse.ts`).
import { workerData } from 'node:worker_threads';
import { runAuditWorker } from './audit-worker';
import { BACKGROUND_PARSE, runBackgroundParser } from './background-parse';

if (workerData === BACKGROUND_PARSE) runBackgroundParser();
else runAuditWorker();
