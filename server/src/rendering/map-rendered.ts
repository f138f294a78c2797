import { isMap, isSeq, type Node } from 'yaml';
import type { EngineConfig } from '../engine/config';
import type { Finding } from '../engine/finding';
import { lintFile, nodeSpan, type RuleFailure } from '../engine/lint';
import type { Rule } from '../engine/rule';
import { RuleCache } from '../engine/rule-cache';
import { suppressionOf } from '../engine/suppressions';
import type { Resource } from '../model/resource';
import type { ParsedDoc } from '../parsing/parse-file';
import { Workspace } from '../workspace/workspace';
import type { WorkspaceFile } from '../workspace/snapshot';
import { readOrigin } from './origin';
import { namedLike, placeFinding, type PatchRef, type Placement } from './place';
import { pathOfSpan } from './yaml-path';

/** One top-level kustomization as kustomize rendered it. */
export interface RenderedInput {
  /** URI of the kustomization file (where what cannot be placed elsewhere is shown). */
  kustomization: string;
  /** kustomize's output: the objects with their origin annotations. */
  yaml: string;
  /** The URI of a file named by an origin annotation (paths relative to where kustomize ran). */
  resolveOrigin: (originPath: string) => string;
  /** The files of the workspace as they were rendered (sources, patches, kustomizations). */
  sources: (uri: string) => WorkspaceFile | undefined;
  /** Patch files of the kustomizations the render went through, outermost first. */
  patches: readonly PatchRef[];
  rules: readonly Rule[];
  config: EngineConfig;
  defaultNamespace: string;
}

/** The findings of a render, placed on the files they came from. */
export interface RenderedFindings {
  /** By URI of the file they are shown in. */
  files: Map<string, { findings: Finding[]; suppressed: Finding[] }>;
  failures: RuleFailure[];
  /** Objects rendered. */
  objects: number;
}

const RENDERED_URI = 'kzt-rendered:///rendered.yaml';

/**
 * Lints kustomize's output as one workspace (what is deployed together: its NetworkPolicies,
 * ServiceAccounts and bindings) and places every finding on a file the user can open (see
 * placeFinding). Suppressions apply as in the sources: annotations travel with the objects;
 * a comment above the node a finding is placed on silences it there.
 */
export function mapRendered(input: RenderedInput): RenderedFindings {
  const workspace = new Workspace(input.defaultNamespace);
  const rendered = workspace.setFile(RENDERED_URI, input.yaml);
  const result = lintFile(workspace.snapshot, RENDERED_URI, input.rules, input.config, new RuleCache());
  const byId = new Map(input.rules.map((rule) => [rule.meta.id, rule]));
  const files = new Map<string, { findings: Finding[]; suppressed: Finding[] }>();
  const patches = input.patches.flatMap((ref) => {
    const file = input.sources(ref.uri);
    return file ? [{ ref, file }] : [];
  });
  const add = (finding: Finding, placement: Placement, silenced: boolean) => {
    const placed = placedFinding(finding, placement);
    const owner = placement.file.resources.find((r) => r.docIndex === placement.doc.index);
    const rule = byId.get(finding.ruleId);
    const suppressed = silenced ? finding.suppressed : owner && rule && suppressionOf(owner, rule, placed, placement.file.parsed.lines, input.config, input.defaultNamespace);
    let entry = files.get(placement.file.uri);
    if (!entry) files.set(placement.file.uri, (entry = { findings: [], suppressed: [] }));
    if (suppressed) entry.suppressed.push({ ...placed, suppressed });
    else entry.findings.push(placed);
  };
  for (const [finding, silenced] of [...result.findings.map((f) => [f, false] as const), ...result.suppressed.map((f) => [f, true] as const)]) {
    const resource = rendered.resources.find((r) => r.docIndex === finding.docIndex);
    const placement = resource && placementOf(finding, resource, input, patches);
    const fallback = input.sources(input.kustomization);
    if (placement) add(finding, placement, silenced);
    else if (fallback?.parsed.docs[0]) add(finding, { file: fallback, doc: fallback.parsed.docs[0], node: fallback.parsed.docs[0].doc.contents as Node }, silenced);
  }
  return { files, failures: result.failures, objects: rendered.resources.length };
}

function placementOf(finding: Finding, resource: Resource, input: RenderedInput, patches: ReadonlyArray<{ ref: PatchRef; file: WorkspaceFile }>): Placement | undefined {
  const origin = readOrigin(resource);
  if (!origin) return undefined;
  if (origin.configuredIn) return generatorEntry(input.sources(input.resolveOrigin(origin.configuredIn)), resource);
  const file = origin.path ? input.sources(input.resolveOrigin(origin.path)) : undefined;
  const doc = file && sourceDocument(file, resource);
  if (!file || !doc) return undefined;
  const { base, source } = resource.parsed;
  const path = pathOfSpan(resource.parsed.doc.contents as Node, finding.start - base, finding.end - base, (node) => nodeSpan(node, source));
  if (!path) return { file, doc, node: doc.doc.contents as Node };
  return placeFinding({ path, rendered: path.node, renderedResource: resource, source: { file, doc }, patches });
}

/**
 * The document of a source file a rendered object came from: of its kind, with the name the
 * overlays' prefixes and suffixes were put around (the longest such name), else the only one
 * of its kind. kustomize's origin names the file, not the document.
 */
function sourceDocument(file: WorkspaceFile, resource: Resource): ParsedDoc | undefined {
  const sameKind = file.resources.filter((r) => r.kind === resource.kind);
  const named = sameKind.filter((r) => namedLike(r.name, resource.name)).sort((a, b) => b.name.length - a.name.length)[0];
  const source = named ?? (sameKind.length === 1 ? sameKind[0] : undefined);
  return source && file.parsed.docs.find((d) => d.index === source.docIndex);
}

/** A generated ConfigMap or Secret: the generator entry of its kustomization that named it, else the kustomization's head. */
function generatorEntry(file: WorkspaceFile | undefined, resource: Resource): Placement | undefined {
  const doc = file?.parsed.docs[0];
  const root = doc?.doc.contents;
  if (!file || !doc || !isMap(root)) return undefined;
  const generators = root.get(resource.kind === 'Secret' ? 'secretGenerator' : 'configMapGenerator', true);
  const entry = isSeq(generators)
    ? (generators.items as Node[]).find((item) => isMap(item) && typeof item.get('name') === 'string' && resource.name.includes(item.get('name') as string))
    : undefined;
  return { file, doc, node: entry ?? (root as Node) };
}

/** A rendered finding shown at a source node: same rule, message and object, no fixes (they edit the rendered text). */
function placedFinding(finding: Finding, placement: Placement): Finding {
  const { base, source } = placement.doc;
  const [start, end] = nodeSpan(placement.node, source).map((offset) => offset + base);
  const lines = placement.file.parsed.lines;
  return {
    ruleId: finding.ruleId,
    severity: finding.severity,
    message: finding.message,
    uri: placement.file.uri,
    start,
    end,
    range: { start: lines.positionAt(start), end: lines.positionAt(end) },
    docIndex: placement.doc.index,
    ...(finding.resource ? { resource: finding.resource } : {}),
    ...(finding.target !== undefined ? { target: finding.target } : {}),
    fixes: [],
  };
}
