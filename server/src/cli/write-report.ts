import { closeSync, lstatSync, openSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';

/**
 * Writes a report to `target` without ever writing through a symbolic link: an audited
 * repository may hold `kzt-report.txt -> ~/.bashrc`. The text goes to a new file beside the
 * target (created exclusively, so nothing can be there already) that is then renamed over it:
 * the rename replaces a link itself, never what it points to. Returns why it refused, or
 * undefined once written.
 */
export function writeReportFile(target: string, text: string): string | undefined {
  try {
    const existing = lstatSync(target, { throwIfNoEntry: false });
    if (existing?.isSymbolicLink()) return `--output ${target} is a symbolic link: refusing to write through it`;
    if (existing && !existing.isFile()) return `--output ${target} is not a regular file`;
  } catch (error) {
    return `--output ${target}: ${error instanceof Error ? error.message : String(error)}`;
  }
  const temporary = join(dirname(target), `.${basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
  let fd: number | undefined;
  try {
    fd = openSync(temporary, 'wx', 0o644);
    writeFileSync(fd, text);
    closeSync(fd);
    fd = undefined;
    renameSync(temporary, target);
    return undefined;
  } catch (error) {
    if (fd !== undefined) closeSync(fd);
    try {
      unlinkSync(temporary);
    } catch {
      // Never created, or already renamed.
    }
    return `--output ${target}: ${error instanceof Error ? error.message : String(error)}`;
  }
}
