import { applyEdits, diffAsEdit, editsConflict, type OffsetEdit } from '../edits/offset-edit';
import type { Finding, FindingFix } from './finding';

const MAX_PASSES = 10;

/**
 * Applies the first automatic fix (not `manual`, no new files) of every selected finding, pass after pass (as ESLint does): fixes
 * that touch the same place wait for the next pass, which re-lints the fixed text, so two
 * fixes that both create a `securityContext` never produce duplicate keys.
 * Returns one edit from the original to the fixed text, or undefined if nothing applies;
 * `applied` sees every fix that went in (e.g. to ask before applying fixes that change behaviour).
 */
export function fixAll(text: string, lint: (text: string) => Finding[], select: (finding: Finding) => boolean, applied?: (fix: FindingFix) => void): OffsetEdit | undefined {
  let current = text;
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const chosen: OffsetEdit[] = [];
    for (const finding of lint(current)) {
      // Only the selected findings build their fixes (rules may build them lazily).
      if (!select(finding)) continue;
      const fix = finding.fixes.find((f) => !f.manual && !f.newFiles?.length);
      if (!fix) continue;
      const edits = fix.edits;
      if (edits.some((edit) => chosen.some((other) => editsConflict(edit, other)))) continue;
      chosen.push(...edits);
      applied?.(fix);
    }
    if (chosen.length === 0) break;
    current = applyEdits(current, chosen);
  }
  return diffAsEdit(text, current);
}
