import { isMap, isScalar, isSeq, type Node } from 'yaml';
import type { Resource } from '../model/resource';
import type { ParsedDoc } from '../parsing/parse-file';
import type { WorkspaceFile } from '../workspace/snapshot';
import { follow, jsonPointer, sameValue, type NodePath, type Step } from './yaml-path';

/** A patch file of the kustomizations a render went through, with the objects its kustomization entry targets. */
export interface PatchRef {
  uri: string;
  /** `target:` of the entry, when known (strategic merge patches name their object themselves; JSON patches only through it). */
  target?: { kind?: string; name?: string };
}

/** Where a finding is shown: a node of a document the user can open. */
export interface Placement {
  file: WorkspaceFile;
  doc: ParsedDoc;
  node: Node;
}

/** The rendered object a finding is about, and the source document it was read from. */
export interface PlacementInput {
  path: NodePath;
  /** The node the finding spans in the rendered document. */
  rendered: Node;
  renderedResource: Resource;
  source: { file: WorkspaceFile; doc: ParsedDoc };
  /** Patch files, outermost kustomization first (an overlay's patch wins over its base's). */
  patches: ReadonlyArray<{ ref: PatchRef; file: WorkspaceFile }>;
}

/**
 * The node of a source file that holds the finding's value: the same path in the source
 * document when the value there is the rendered one; else the patch that set it; else the
 * object's head in its source document. Never the rendered output, which the user cannot open.
 */
export function placeFinding(input: PlacementInput): Placement {
  const { path, source } = input;
  const inSource = follow(source.doc.doc.contents as Node | null, path.steps);
  if (inSource && holdsValue(path.steps, valueOf(input), inSource.node)) return { ...source, node: shown(path, inSource) };
  for (const patch of input.patches) {
    const placed = placeInPatch(input, patch.ref, patch.file, path.steps);
    if (placed) return placed;
  }
  return { ...source, node: source.doc.doc.contents as Node };
}

/**
 * Whether a source node holds the rendered value. Names (`metadata.name`, `serviceAccountName`,
 * `secretName`…) are the written name with the overlays' prefixes and suffixes (and a
 * generator's hash) around it: kustomize renames objects and the references to them.
 */
function holdsValue(steps: readonly Step[], rendered: Node | null | undefined, source: Node): boolean {
  const last = steps[steps.length - 1];
  const isName = last !== undefined && 'key' in last && (last.key === 'name' || last.key.endsWith('Name'));
  if (isName && isScalar(rendered) && isScalar(source) && typeof rendered.value === 'string' && typeof source.value === 'string') return namedLike(source.value, rendered.value);
  return sameValue(rendered, source);
}

/** The rendered value the finding is about: a finding on a key (`privileged:`) is about the key's value. */
function valueOf(input: PlacementInput): Node | null | undefined {
  if (!input.path.onKey) return input.rendered;
  return follow(input.renderedResource.parsed.doc.contents as Node | null, input.path.steps)?.node;
}

/** On the key when the finding was on the key. */
function shown(path: NodePath, found: { node: Node; pair?: { key: unknown } }): Node {
  return path.onKey && found.pair && isScalar(found.pair.key) ? found.pair.key : found.node;
}

function placeInPatch(input: PlacementInput, ref: PatchRef, file: WorkspaceFile, steps: Step[]): Placement | undefined {
  const resource = input.renderedResource;
  if (ref.target && !targets(ref.target, resource)) return undefined;
  const value = valueOf(input);
  for (const doc of file.parsed.docs) {
    const root = doc.doc.contents as Node | null;
    if (isMap(root)) {
      // A strategic merge patch: a partial object of the same kind and name.
      const kind = root.get('kind');
      const metadata = root.get('metadata');
      const name = isMap(metadata) ? metadata.get('name') : undefined;
      if (kind !== resource.kind || typeof name !== 'string' || !namedLike(name, resource.name)) continue;
      const found = follow(root, steps);
      if (found && sameValue(value, found.node)) return { file, doc, node: shown(input.path, found) };
    } else if (isSeq(root)) {
      // A JSON patch names no object: its entry's target does, when known; the path and value must match either way.
      const placed = placeInJsonPatch(root.items as Node[], steps, value);
      if (placed) return { file, doc, node: placed };
    }
  }
  return undefined;
}

/**
 * A JSON patch (RFC 6902) operation that adds or replaces the path, or an object above it
 * whose value holds it: the value node there (or the operation, when the value is not found).
 */
function placeInJsonPatch(operations: readonly Node[], steps: Step[], value: Node | null | undefined): Node | undefined {
  const pointer = jsonPointer(steps);
  // Later operations win: the last one that writes the path set it.
  for (const operation of [...operations].reverse()) {
    if (!isMap(operation)) continue;
    const op = operation.get('op');
    const at = operation.get('path');
    if ((op !== 'add' && op !== 'replace') || typeof at !== 'string') continue;
    const prefix = at.replace(/\/-$/, '');
    if (pointer !== prefix && !pointer.startsWith(`${prefix}/`)) continue;
    const depth = prefix === '' ? 0 : prefix.split('/').length - 1;
    const opValue = operation.get('value', true) as Node | undefined;
    // `…/-` appends: the rendered index is not the patch's, so the item is matched by name only.
    const appended = at.endsWith('/-') ? steps[depth] : undefined;
    if (appended && (!('name' in appended) || appended.name === undefined || follow(opValue, [{ key: 'name' }])?.node.toJSON() !== appended.name)) continue;
    const found = follow(opValue, steps.slice(appended ? depth + 1 : depth));
    if (found && sameValue(value, found.node)) return found.node;
  }
  return undefined;
}

function targets(target: NonNullable<PatchRef['target']>, resource: Resource): boolean {
  return (!target.kind || target.kind === resource.kind) && (!target.name || namedLike(target.name, resource.name));
}

/**
 * Whether a name written in a source or patch names the rendered object: the same, or with
 * the overlays' name prefixes and suffixes around it.
 */
export function namedLike(written: string, rendered: string): boolean {
  return written !== '' && rendered.includes(written);
}
