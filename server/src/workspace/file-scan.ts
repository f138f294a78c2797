import { closeSync, constants, fstatSync, lstatSync, openSync, readdirSync, readSync, realpathSync, statSync, type Dirent } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { helmChartOf, isHelmTemplate } from './helm-charts';

/**
 * The only module that reads manifests from disk; the engine itself never does I/O. Its input
 * is whatever a repository holds, so every read is bounded by the bytes actually read (not by
 * `stat`, which says 0 for `/proc` files), only regular files are opened, and symbolic links
 * are followed only where they stay inside the folders being checked.
 */

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

export const NOT_REGULAR = 'skipped: not a regular file (a device, FIFO or socket)';
export const LINK_OUTSIDE = 'skipped: symbolic link to a path outside the checked folders';
export const LINK_LOOP = 'symbolic link loop';

/** Real paths of the folders (or files) being checked: links are followed only inside them. */
export class Containment {
  private readonly roots: string[];

  constructor(paths: readonly string[]) {
    this.roots = paths.flatMap((path) => {
      try {
        return [realpathSync(path)];
      } catch {
        return [];
      }
    });
  }

  contains(realPath: string): boolean {
    return this.roots.some((root) => realPath === root || realPath.startsWith(root.endsWith(sep) ? root : root + sep));
  }

  /**
   * Why `path` may not be read, or undefined: it resolves (through symbolic links) outside
   * every root, or into a loop. Paths that do not exist are left to the read to report.
   */
  refusal(path: string): string | undefined {
    try {
      return this.contains(realpathSync(path)) ? undefined : LINK_OUTSIDE;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      return code === 'ELOOP' ? LINK_LOOP : undefined;
    }
  }
}

/**
 * Every `.yaml`/`.yml` file under the given paths (files are taken as given). Whatever cannot
 * be read (a missing path, a directory without permission, a symbolic link loop or one that
 * leaves the given paths, a device, FIFO or socket named like a manifest) is reported and
 * skipped, and the rest is still scanned. The given paths themselves are followed wherever they
 * point: the caller chose them. Directories reached twice are visited once. Iterative: no depth
 * of directories can overflow the stack.
 */
export function scanManifests(paths: readonly string[], exclude: (path: string) => boolean = () => false): ScanResult {
  const files: string[] = [];
  const problems: ScanProblem[] = [];
  const seen = new Set<string>();
  const containment = new Containment(paths.map((p) => resolve(p)));
  // Paths still to visit, the next one last; `explicit` marks paths given by the caller.
  const pending: Array<{ path: string; explicit: boolean }> = paths.map((p) => ({ path: resolve(p), explicit: true })).reverse();
  while (pending.length) {
    const { path, explicit } = pending.pop()!;
    let stat;
    try {
      if (!explicit && lstatSync(path).isSymbolicLink()) {
        const refusal = containment.refusal(path);
        if (refusal) {
          if (!exclude(path)) problems.push({ path, message: refusal });
          continue;
        }
      }
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
      if ((explicit || MANIFEST.test(path)) && !exclude(path)) problems.push({ path, message: NOT_REGULAR });
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

/**
 * Reads a manifest as UTF-8: only a regular file (checked before opening, so a device is never
 * opened, and again on the open descriptor), at most `maxBytes` + 1 bytes whatever its
 * reported size, refusing bytes that are not UTF-8. With `containment`, a path that resolves
 * outside it is refused too.
 */
export function readManifest(path: string, maxBytes: number, containment?: Containment): ReadResult {
  try {
    const refusal = containment?.refusal(path);
    if (refusal) return { problem: refusal };
    if (!statSync(path).isFile()) return { problem: NOT_REGULAR };
    // Non-blocking: a FIFO swapped in after the check above cannot block the open.
    const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
    try {
      const stat = fstatSync(fd);
      if (!stat.isFile()) return { problem: NOT_REGULAR };
      if (stat.size > maxBytes) return { problem: tooLarge(stat.size, maxBytes) };
      return decodeManifest(readBounded(fd, maxBytes, stat.size), maxBytes);
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    return { problem: describe(error) };
  }
}

/** Standard input, bounded like a file: at most `maxBytes` + 1 bytes are read. */
export function readStdin(maxBytes: number): ReadResult {
  try {
    return decodeManifest(readBounded(0, maxBytes), maxBytes);
  } catch (error) {
    return { problem: describe(error) };
  }
}

/** Up to `maxBytes` + 1 bytes (one more than allowed says "too large" without reading the rest). */
/**
 * At most `maxBytes` + 1 bytes of `fd`. `sizeHint`: a regular file's size, so that a small file
 * is read into a buffer of its size rather than a megabyte (an audit reads thousands).
 */
function readBounded(fd: number, maxBytes: number, sizeHint?: number): Buffer {
  const limit = Math.floor(maxBytes) + 1;
  const chunkSize = sizeHint === undefined ? 1 << 20 : Math.max(sizeHint + 1, 4096);
  const chunks: Buffer[] = [];
  let total = 0;
  while (total < limit) {
    const chunk = Buffer.allocUnsafe(Math.min(limit - total, chunkSize));
    let read: number;
    try {
      read = readSync(fd, chunk, 0, chunk.length, null);
    } catch (error) {
      // A non-blocking pipe on standard input with nothing in it yet.
      if ((error as NodeJS.ErrnoException).code === 'EAGAIN') {
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
        continue;
      }
      throw error;
    }
    if (read === 0) break;
    chunks.push(read === chunk.length ? chunk : chunk.subarray(0, read));
    total += read;
  }
  return Buffer.concat(chunks, total);
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

function decodeManifest(bytes: Buffer, maxBytes: number): ReadResult {
  if (bytes.length > maxBytes) return { problem: tooLarge(bytes.length, maxBytes) };
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) return { problem: 'skipped: UTF-16 text; save it as UTF-8' };
  try {
    return { text: UTF8.decode(bytes) };
  } catch {
    return { problem: 'skipped: not UTF-8 text (binary, or another encoding)' };
  }
}

/** A manifest to lint, or why not: unreadable, or a Helm chart template (reported once per chart). */
export type LintableRead = { text: string } | { problem: string } | { chart: string };

export function readLintable(path: string, maxBytes: number, containment?: Containment): LintableRead {
  const read = readManifest(path, maxBytes, containment);
  if ('text' in read && isHelmTemplate(path, read.text)) return { chart: helmChartOf(path)! };
  return read;
}

/**
 * `skipped: 5.1 MB is over the 5 MB limit`: sizes round up, so a file is never "5 MB over 5 MB".
 * A file read only up to the limit (its size unknown until then) is "over" the limit.
 */
function tooLarge(size: number, maxBytes: number): string {
  const limit = maxBytes >= 104857 ? `${Math.round((maxBytes / 1048576) * 100) / 100} MB` : `${Math.round(maxBytes / 1024)} KB`;
  if (size === Math.floor(maxBytes) + 1) return `skipped: over the ${limit} limit`;
  return `skipped: ${Math.ceil((size / 1048576) * 10) / 10} MB is over the ${limit} limit`;
}

function describe(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'ENOENT') return 'no such file or directory';
  if (code === 'ELOOP') return LINK_LOOP;
  if (code === 'ENAMETOOLONG') return 'path too long';
  return error instanceof Error ? error.message : String(error);
}
