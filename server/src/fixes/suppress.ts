import type { Resource } from '../model/resource';
import { IGNORE_ANNOTATION } from '../engine/suppressions';
import type { OffsetEdit } from './offset-edit';
import { setPath } from './yaml-edits';
import { lineStart } from './source-text';

/** Adds `ruleId` to the resource's `kube-zero-trust.io/ignore` annotation (creating it if needed). */
export function suppressForResource(resource: Resource, ruleId: string): OffsetEdit[] {
  const current = resource.annotations[IGNORE_ANNOTATION];
  const ids = current ? [...new Set([...current.split(/[\s,]+/).filter(Boolean), ruleId])] : [ruleId];
  return setPath(resource.root, ['metadata', 'annotations', IGNORE_ANNOTATION], JSON.stringify(ids.join(',')));
}

/** Inserts `# kzt-ignore <rule> -- reason` above the line at `offset` (file offsets), aligned with it. */
export function suppressLine(text: string, offset: number, ruleId: string): OffsetEdit {
  const start = lineStart(text, offset);
  const indent = /^[ \t]*/.exec(text.slice(start))?.[0] ?? '';
  const newline = text.includes('\r\n') ? '\r\n' : '\n';
  return { start, end: start, text: `${indent}# kzt-ignore ${ruleId} -- reason${newline}` };
}
