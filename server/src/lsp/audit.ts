import type { Connection } from 'vscode-languageserver';
import { URI } from 'vscode-uri';
import type { AuditResult } from '../protocol/protocol';
import { readManifest, scanManifests } from '../workspace/file-scan';
import type { Linting } from './linting';

/** Reads every manifest under the workspace folders into the engine's workspace (open documents win). */
export function indexFolders(linting: Linting, folders: readonly string[], isOpen: (uri: string) => boolean): string[] {
  const { files, problems } = scanManifests(folders);
  for (const problem of problems) linting.log(`Skipped ${problem.path}: ${problem.message}`);
  const uris: string[] = [];
  for (const path of files) {
    const uri = URI.file(path).toString();
    uris.push(uri);
    if (isOpen(uri)) continue;
    const read = readManifest(path, linting.settings.maxFileSizeMB * 1048576);
    if ('text' in read) linting.engine.workspace.setFile(uri, read.text);
    else linting.log(`Skipped ${path}: ${read.problem}`);
  }
  return uris;
}

/**
 * "Audit Workspace": lints every manifest of the workspace folders, publishing findings to
 * the Problems panel for files that were never opened, with cancellable progress.
 */
export async function auditWorkspace(connection: Connection, linting: Linting, folders: readonly string[], isOpen: (uri: string) => boolean): Promise<AuditResult> {
  const progress = await connection.window.createWorkDoneProgress();
  progress.begin('Kubernetes Zero Trust: auditing', 0, 'Scanning the workspace…', true);
  const uris = indexFolders(linting, folders, isOpen);
  const result: AuditResult = { files: uris.length, findings: 0, filesWithFindings: 0, cancelled: false };
  try {
    for (let i = 0; i < uris.length; i++) {
      if (progress.token.isCancellationRequested) {
        result.cancelled = true;
        break;
      }
      const count = linting.publish(uris[i]);
      result.findings += count;
      if (count) result.filesWithFindings++;
      if (i % 20 === 0) {
        progress.report(Math.round((i / uris.length) * 100), `${i + 1} of ${uris.length} files`);
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
  } finally {
    progress.done();
  }
  return result;
}
