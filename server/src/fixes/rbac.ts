import type { Node } from 'yaml';
import type { FixSpec } from '../engine/rule';
import type { OffsetEdit } from '../edits/offset-edit';
import { column, indentUnit, newline, trimEnd } from '../edits/source-text';
import { removeSeqItem, replaceNode, setPath } from '../edits/yaml-edits';
import type { PodSpecView } from '../model/pod-spec';
import type { Resource } from '../model/resource';
import type { SeqView } from '../model/yaml-view';
import type { WorkspaceView } from '../workspace/snapshot';
import { serviceAccountsNamed } from '../analysis/rbac/service-accounts';

/**
 * Edits the RBAC fixes share, built on the surgical builders of edits/yaml-edits: they
 * replace or remove sequence items and add documents without re-serialising anything.
 */

/** Replaces one scalar item of a sequence with several (plain scalars), in block or flow style. */
export function replaceSeqItem(seq: SeqView, index: number, values: readonly string[]): OffsetEdit {
  const source = seq.ctx.source;
  const item = seq.node.items[index] as Node;
  if (seq.node.flow) return replaceNode(item, source, values.join(', '));
  const dash = source.lastIndexOf('-', item.range![0]);
  const indent = ' '.repeat(column(source, dash));
  const nl = newline(source);
  return replaceNode(item, source, values.map((v, i) => (i === 0 ? v : `${nl}${indent}- ${v}`)).join(''));
}

/** Removes several items of a sequence; undefined if one cannot be removed cleanly. */
export function removeSeqItems(seq: SeqView, indexes: readonly number[]): OffsetEdit[] | undefined {
  const source = seq.ctx.source;
  if (seq.node.flow) {
    // Removing flow items one by one would give overlapping edits around the commas.
    const kept = (seq.node.items as Node[]).filter((_, i) => !indexes.includes(i)).map((n) => source.slice(n.range![0], trimEnd(source, n.range![1])));
    const [start, end] = seq.node.range!;
    return [{ start, end: trimEnd(source, end), text: `[${kept.join(', ')}]` }];
  }
  const edits = indexes.map((i) => removeSeqItem(seq, i));
  return edits.every((e): e is OffsetEdit => e !== undefined) ? edits : undefined;
}

/** A ServiceAccount name for a workload that no ServiceAccount of its namespace has yet. */
function freeServiceAccountName(workspace: WorkspaceView, namespace: string, workload: string): string {
  const base = workload.replace(/-+$/, '') || 'workload';
  for (let i = 0; ; i++) {
    const name = i === 0 ? base : i === 1 ? `${base}-sa` : `${base}-sa-${i}`;
    if (serviceAccountsNamed(workspace, namespace, name).length === 0) return name;
  }
}

/** Adds a ServiceAccount document without a mounted token after the resource's document. */
export function appendServiceAccount(resource: Resource, name: string): OffsetEdit {
  const source = resource.parsed.source;
  const nl = newline(source);
  const indent = ' '.repeat(indentUnit(source));
  const lines = ['---', 'apiVersion: v1', 'kind: ServiceAccount', 'metadata:', `${indent}name: ${name}`];
  if (resource.namespace !== undefined) lines.push(`${indent}namespace: ${resource.namespace}`);
  lines.push('automountServiceAccountToken: false');
  const lead = source.length === 0 || source.endsWith('\n') ? '' : nl;
  return { start: source.length, end: source.length, text: `${lead}${lines.join(nl)}${nl}` };
}

/** Points the pod spec at a ServiceAccount, rewriting the deprecated `serviceAccount` too when present. */
function runAs(pod: PodSpecView, name: string): OffsetEdit[] {
  const edits = setPath(pod.spec, ['serviceAccountName'], name);
  if (pod.spec.has('serviceAccount')) edits.push(...setPath(pod.spec, ['serviceAccount'], name));
  return edits;
}

/** "Create a dedicated ServiceAccount for this workload": the new document and `serviceAccountName`, in one fix. */
export function dedicatedServiceAccountFix(resource: Resource, pod: PodSpecView, workspace: WorkspaceView): FixSpec {
  const name = freeServiceAccountName(workspace, resource.effectiveNamespace(workspace.defaultNamespace), resource.name);
  return { title: 'Create a dedicated ServiceAccount for this workload', edits: joinInsertions([...runAs(pod, name), appendServiceAccount(resource, name)]) };
}

/**
 * Edits on another object of the same file, in the offsets of `from`'s document (which is
 * what a finding's fix is expressed in); undefined when the object is in another file.
 */
export function editsOn(from: Resource, target: Resource, edits: readonly OffsetEdit[]): OffsetEdit[] | undefined {
  if (target.uri !== from.uri) return undefined;
  const delta = target.parsed.base - from.parsed.base;
  return edits.map((e) => ({ start: e.start + delta, end: e.end + delta, text: e.text }));
}

/**
 * Insertions at the same offset, joined in order into one edit: appliers disagree about the
 * order of same-offset inserts, and the engine treats them as conflicting.
 */
function joinInsertions(edits: OffsetEdit[]): OffsetEdit[] {
  const out: OffsetEdit[] = [];
  for (const edit of edits) {
    const same = out.find((e) => e.start === edit.start && e.end === e.start && edit.end === edit.start);
    if (same) same.text += edit.text;
    else out.push({ ...edit });
  }
  return out;
}
