import { readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The only module that reads manifests from disk; the engine itself never does I/O. */

export interface ScanProblem {
  path: string;
  message: string;
}

export interface ScanResult {
  files: string[];
  problems: ScanProblem[];
}

const MANIFEST = /\.ya?ml$/i;
const SKIPPED_DIRS = new Set(['node_modules', '.git', '.hg', '.svn']);

/**
 * Every `.yaml`/`.yml` file under the given paths (files are taken as given). Unreadable
 * directories are reported and skipped; symlink loops are visited once.
 */
export function scanManifests(paths: readonly string[], exclude: (path: string) => boolean = () => false): ScanResult {
  const files: string[] = [];
  const problems: ScanProblem[] = [];
  const seen = new Set<string>();
  const visit = (path: string, explicit: boolean): void => {
    let stat;
    try {
      stat = statSync(path);
    } catch (error) {
      problems.push({ path, message: describe(error) });
      return;
    }
    if (stat.isFile()) {
      if ((explicit || MANIFEST.test(path)) && !exclude(path)) files.push(path);
      return;
    }
    if (!stat.isDirectory() || exclude(path)) return;
    let real: string;
    let entries: string[];
    try {
      real = realpathSync(path);
      entries = readdirSync(path).sort();
    } catch (error) {
      problems.push({ path, message: describe(error) });
      return;
    }
    if (seen.has(real)) return;
    seen.add(real);
    for (const entry of entries) if (!SKIPPED_DIRS.has(entry)) visit(join(path, entry), false);
  };
  for (const path of paths) visit(resolve(path), true);
  return { files, problems };
}

export type ReadResult = { text: string } | { problem: string };

/** Reads a manifest as UTF-8, refusing files over the size limit and bytes that are not UTF-8. */
export function readManifest(path: string, maxBytes: number): ReadResult {
  try {
    const size = statSync(path).size;
    if (size > maxBytes) return { problem: `skipped: ${(size / 1048576).toFixed(1)} MB is over the ${(maxBytes / 1048576).toFixed(0)} MB limit` };
    const bytes = readFileSync(path);
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch (error) {
    if (error instanceof TypeError) return { problem: 'skipped: not UTF-8 text' };
    return { problem: describe(error) };
  }
}

function describe(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'ENOENT') return 'no such file or directory';
  if (code === 'ELOOP') return 'symbolic link loop';
  return error instanceof Error ? error.message : String(error);
}
