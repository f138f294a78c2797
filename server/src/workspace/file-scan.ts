import { readdirSync, readFileSync, realpathSync, statSync, type Dirent } from 'node:fs';
import { join, resolve } from 'node:path';
import { helmChartOf, isHelmTemplate } from './helm-charts';

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
 * Every `.yaml`/`.yml` file under the given paths (files are taken as given). Whatever cannot
 * be read (a missing path, a directory without permission, a symbolic link loop, a path that
 * is neither a file nor a directory) is reported and skipped, and the rest is still scanned.
 * Directories reached twice (symbolic links) are visited once. Iterative: no depth of
 * directories can overflow the stack.
 */
export function scanManifests(paths: readonly string[], exclude: (path: string) => boolean = () => false): ScanResult {
  const files: string[] = [];
  const problems: ScanProblem[] = [];
  const seen = new Set<string>();
  // Paths still to visit, the next one last; `explicit` marks paths given by the caller.
  const pending: Array<{ path: string; explicit: boolean }> = paths.map((p) => ({ path: resolve(p), explicit: true })).reverse();
  while (pending.length) {
    const { path, explicit } = pending.pop()!;
    let stat;
    try {
      stat = statSync(path);
    } catch (error) {
      problems.push({ path, message: describe(error) });
      continue;
    }
    if (stat.isFile()) {
      if ((explicit || MANIFEST.test(path)) && !exclude(path)) files.push(path);
      continue;
    }
    if (!stat.isDirectory()) {
      // A FIFO, socket or device: reading it could block or never end.
      if (explicit) problems.push({ path, message: 'skipped: not a regular file' });
      continue;
    }
    if (exclude(path)) continue;
    let real: string;
    let entries: Dirent[];
    try {
      real = realpathSync(path);
      entries = readdirSync(path, { withFileTypes: true });
    } catch (error) {
      problems.push({ path, message: describe(error) });
      continue;
    }
    if (seen.has(real)) continue;
    seen.add(real);
    // Entries known to be other files are not even looked at: in a directory that can be
    // listed but not searched, only manifests and subdirectories are reported as unreadable.
    const next = entries
      .filter((e) => !SKIPPED_DIRS.has(e.name) && !((e.isFile() || e.isFIFO() || e.isSocket() || e.isCharacterDevice() || e.isBlockDevice()) && !MANIFEST.test(e.name)))
      .map((e) => e.name)
      .sort();
    for (let i = next.length - 1; i >= 0; i--) pending.push({ path: join(path, next[i]), explicit: false });
  }
  return { files, problems };
}

export type ReadResult = { text: string } | { problem: string };

/** Reads a manifest as UTF-8, refusing files over the size limit and bytes that are not UTF-8. */
export function readManifest(path: string, maxBytes: number): ReadResult {
  try {
    const stat = statSync(path);
    if (!stat.isFile()) return { problem: 'skipped: not a regular file' };
    if (stat.size > maxBytes) return { problem: tooLarge(stat.size, maxBytes) };
    const bytes = readFileSync(path);
    // The file may have grown since `stat`.
    if (bytes.length > maxBytes) return { problem: tooLarge(bytes.length, maxBytes) };
    if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) return { problem: 'skipped: UTF-16 text; save it as UTF-8' };
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch (error) {
    if (error instanceof TypeError) return { problem: 'skipped: not UTF-8 text (binary, or another encoding)' };
    return { problem: describe(error) };
  }
}

/** A manifest to lint, or why not: unreadable, or a Helm chart template (reported once per chart). */
export type LintableRead = { text: string } | { problem: string } | { chart: string };

export function readLintable(path: string, maxBytes: number): LintableRead {
  const read = readManifest(path, maxBytes);
  if ('text' in read && isHelmTemplate(path, read.text)) return { chart: helmChartOf(path)! };
  return read;
}

/** `skipped: 5.1 MB is over the 5 MB limit`: sizes round up, so a file is never "5 MB over 5 MB". */
function tooLarge(size: number, maxBytes: number): string {
  return `skipped: ${Math.ceil((size / 1048576) * 10) / 10} MB is over the ${Math.round((maxBytes / 1048576) * 100) / 100} MB limit`;
}

function describe(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'ENOENT') return 'no such file or directory';
  if (code === 'ELOOP') return 'symbolic link loop';
  if (code === 'ENAMETOOLONG') return 'path too long';
  return error instanceof Error ? error.message : String(error);
}
