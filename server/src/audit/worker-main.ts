// Entry point of `dist/audit-worker.js`: the worker threads of an audit, started by the CLI
// and the language server alike (`lint-files.ts`).
import { runAuditWorker } from './audit-worker';

runAuditWorker();
