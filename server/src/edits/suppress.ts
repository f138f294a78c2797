import type { Resource } from '../model/resource';
import { IGNORE_ANNOTATION } from '../model/annotations';
import type { OffsetEdit } from './offset-edit';
import { setPath } from './yaml-edits';
import { lineStart } from './source-text';

/**
 * How the reason of an ignore annotation written in a flow map (`metadata: {name: web, annotations: {…}}`)
 * is kept: a comment line above `metadata:` that starts with this (a comment inside the braces would swallow them).
 */
export const FLOW_REASON_PREFIX = `# ${IGNORE_ANNOTATION} -- `;

/**
 * Adds `ruleId` to the resource's `kube-zero-trust.io/ignore` annotation (creating it if
 * needed); the reason goes in a trailing comment, which audits show next to the finding, or,
 * when the annotation sits in a flow map, on a comment line above `metadata:`.
 */
export function suppressForResource(resource: Resource, ruleId: string, reason?: string): OffsetEdit[] {
  const current = resource.annotations[IGNORE_ANNOTATION];
  const ids = current ? [...new Set([...current.split(/[\s,]+/).filter(Boolean), ruleId])] : [ruleId];
  const value = JSON.stringify(ids.join(','));
  const path = ['metadata', 'annotations', IGNORE_ANNOTATION];
  const metadataKey = resource.root.keyNode('metadata');
  const inFlow = resource.metadata?.node.flow === true || resource.metadata?.map('annotations')?.node.flow === true;
  if (!reason || !inFlow || !metadataKey?.range) return setPath(resource.root, path, reason ? `${value} # ${oneLine(reason)}` : value);
  return [commentLineAbove(resource.root.ctx.source, metadataKey.range[0], `${FLOW_REASON_PREFIX}${oneLine(reason)}`), ...setPath(resource.root, path, value)];
}

/** Inserts `# kzt-ignore <rule> -- reason` above the line at `offset` (file offsets), aligned with it. */
export function suppressLine(text: string, offset: number, ruleId: string, reason = 'reason'): OffsetEdit {
  return commentLineAbove(text, offset, `# kzt-ignore ${ruleId} -- ${oneLine(reason)}`);
}

/** `comment` on a line of its own above the line at `offset`, indented like it, with the text's line ends. */
function commentLineAbove(text: string, offset: number, comment: string): OffsetEdit {
  const start = lineStart(text, offset);
  const indent = /^[ \t]*/.exec(text.slice(start))?.[0] ?? '';
  const newline = text.includes('\r\n') ? '\r\n' : '\n';
  return { start, end: start, text: `${indent}${comment}${newline}` };
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
