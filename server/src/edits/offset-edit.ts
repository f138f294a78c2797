import { commonPrefix, commonSuffix } from '../parsing/common-span';

/** A text replacement in string offsets (UTF-16), the unit every fix is built from. */
export interface OffsetEdit {
  start: number;
  end: number;
  text: string;
}

export function shiftEdit(edit: OffsetEdit, by: number): OffsetEdit {
  return { start: edit.start + by, end: edit.end + by, text: edit.text };
}

/**
 * Two edits conflict if they overlap, insert at the same place (their order would be
 * ambiguous) or touch: an insertion right where a removal ends was computed against the
 * removed text (`{add: [X]}` emptied and `, drop: [ALL]` appended after `X` gives `{, drop…}`),
 * so fix-all leaves it for its next pass, which re-lints the text it edits.
 */
export function editsConflict(a: OffsetEdit, b: OffsetEdit): boolean {
  return a.start <= b.end && b.start <= a.end;
}

/** Applies non-conflicting edits; callers ensure they do not conflict. */
export function applyEdits(text: string, edits: readonly OffsetEdit[]): string {
  const sorted = [...edits].sort((x, y) => y.start - x.start);
  let out = text;
  for (const edit of sorted) out = out.slice(0, edit.start) + edit.text + out.slice(edit.end);
  return out;
}

/** The smallest single edit that turns `before` into `after` (fix-all returns one edit). */
export function diffAsEdit(before: string, after: string): OffsetEdit | undefined {
  if (before === after) return undefined;
  const start = commonPrefix(before, after);
  const suffix = commonSuffix(before, after, Math.min(before.length, after.length) - start);
  return { start, end: before.length - suffix, text: after.slice(start, after.length - suffix) };
}
