import type { Resource } from '../model/resource';
import { IGNORE_ANNOTATION } from '../model/annotations';
import type { OffsetEdit } from './offset-edit';
import { setPath } from './yaml-edits';
import { lineStart } from './source-text';

/**
 * Adds `ruleId` to the resource's `kube-zero-trust.io/ignore` annotation (creating it if
 * needed); the reason goes in a trailing comment, which audits show next to the finding.
 */
export function suppressForResource(resource: Resource, ruleId: string, reason?: string): OffsetEdit[] {
  const current = resource.annotations[IGNORE_ANNOTATION];
  const ids = current ? [...new Set([...current.split(/[\s,]+/).filter(Boolean), ruleId])] : [ruleId];
  const comment = reason ? ` # ${oneLine(reason)}` : '';
  return setPath(resource.root, ['metadata', 'annotations', IGNORE_ANNOTATION], `${JSON.stringify(ids.join(','))}${comment}`);
}

/** Inserts `# kzt-ignore <rule> -- reason` above the line at `offset` (file offsets), aligned with it. */
export function suppressLine(text: string, offset: number, ruleId: string, reason = 'reason'): OffsetEdit {
  const start = lineStart(text, offset);
  const indent = /^[ \t]*/.exec(text.slice(start))?.[0] ?? '';
  const newline = text.includes('\r\n') ? '\r\n' : '\n';
  return { start, end: start, text: `${indent}# kzt-ignore ${ruleId} -- ${oneLine(reason)}${newline}` };
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
