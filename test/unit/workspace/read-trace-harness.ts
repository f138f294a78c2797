// What each rule reads of resources other than the one it checks, found by tracing every
// read through the YAML views (server/src/model/read-trace.ts) while the rule runs alone on
// a fresh workspace: no cache, memo or derivation built by another rule hides a read.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { isMap, isPair, isSeq, type Document, type Node } from 'yaml';
import { reportFixes } from '../../../server/src/engine/lint';
import { appliesTo, type Rule, type RuleCases } from '../../../server/src/engine/rule';
import { PodTemplates } from '../../../server/src/model/pod-templates';
import { traceReads } from '../../../server/src/model/read-trace';
import { isListKind } from '../../../server/src/model/resource';
import { covers, PROJECTIONS, type ProjectionName } from '../../../server/src/workspace/projections';
import { Workspace } from '../../../server/src/workspace/workspace';

const root = join(__dirname, '..', '..', '..');

/** A set of manifests linted together. */
export interface Corpus {
  name: string;
  files: Record<string, string>;
}

/** Every rule's cases (with their workspaces) and the YAML under examples/ and the editor fixtures. */
export async function corpora(): Promise<Corpus[]> {
  const out: Corpus[] = [];
  const rulesDir = join(root, 'rules');
  for (const file of readdirSync(rulesDir).filter((f) => f.endsWith('.ts') && f !== 'index.ts')) {
    const { cases } = (await import(join(rulesDir, file))) as { cases: RuleCases };
    for (const c of [...cases.valid, ...cases.invalid]) out.push({ name: `${file}: ${c.name}`, files: { 'file:///case.yaml': c.yaml, ...(c.workspace ?? {}) } });
  }
  for (const dir of ['examples', 'test/e2e/fixtures/workspace']) {
    const files: Record<string, string> = {};
    for (const path of readdirSync(join(root, dir), { recursive: true }).map(String).filter((f) => /\.ya?ml$/.test(f))) {
      files[`file:///${relative(root, join(root, dir, path))}`] = readFileSync(join(root, dir, path), 'utf8');
    }
    out.push({ name: dir, files });
  }
  return out;
}

/** A read of another resource: the kind of the object read (a List item's own kind) and the path in it. */
export interface ObjectRead {
  apiVersion: string;
  kind: string;
  path: string[];
  /** Where it was first seen. */
  where: string;
}

interface NodePlace {
  apiVersion: string;
  kind: string;
  path: string[];
  /** The List item the node belongs to (`Resource.item`); undefined in an object that is a whole document. */
  item: number | undefined;
}

function fieldOf(node: unknown, field: 'apiVersion' | 'kind'): string {
  const pair = isMap(node) ? node.items.find((p) => isPair(p) && (p.key as { value?: unknown })?.value === field) : undefined;
  return String((pair?.value as { value?: unknown } | undefined)?.value ?? '');
}

/** Each map and sequence of a document: the object it belongs to (List items are objects) and its path there, `*` for items. */
function placesOf(doc: Document): Map<Node, NodePlace> {
  const places = new Map<Node, NodePlace>();
  const rootKind = fieldOf(doc.contents, 'kind');
  type Pending = { node: unknown; apiVersion: string; kind: string; path: string[]; item: number | undefined; list: boolean };
  const pending: Pending[] = [{ node: doc.contents, apiVersion: fieldOf(doc.contents, 'apiVersion'), kind: rootKind, path: [], item: undefined, list: isListKind(rootKind) }];
  while (pending.length) {
    const { node, apiVersion, kind, path, item, list } = pending.pop()!;
    if (isMap(node)) {
      places.set(node, { apiVersion, kind, path, item });
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const key = String((pair.key as { value?: unknown })?.value);
        pending.push({ node: pair.value, apiVersion, kind, path: [...path, key], item, list: list && path.length === 0 && key === 'items' });
      }
    } else if (isSeq(node)) {
      places.set(node, { apiVersion, kind, path, item });
      // The items of a List are objects of their own kind.
      node.items.forEach((child, index) =>
        pending.push(list ? { node: child, apiVersion: fieldOf(child, 'apiVersion'), kind: fieldOf(child, 'kind'), path: [], item: index, list: false } : { node: child, apiVersion, kind, path: [...path, '*'], item, list: false }),
      );
    }
  }
  return places;
}

/** Every read `rule` makes of other resources over the corpora, one per kind and path. */
export function otherResourceReads(rule: Rule, corpora: readonly Corpus[]): ObjectRead[] {
  return traceRuleReads(rule, corpora, 'other');
}

/** Every read `rule` makes of the object it checks, one per kind and path. */
export function ownObjectReads(rule: Rule, corpora: readonly Corpus[]): ObjectRead[] {
  return traceRuleReads(rule, corpora, 'own');
}

function traceRuleReads(rule: Rule, corpora: readonly Corpus[], whose: 'own' | 'other'): ObjectRead[] {
  const reads = new Map<string, ObjectRead>();
  for (const corpus of corpora) {
    const workspace = new Workspace();
    for (const [uri, text] of Object.entries(corpus.files)) workspace.setFile(uri, text);
    const docPlaces = new Map<Document, Map<Node, NodePlace>>();
    for (const resource of workspace.resources()) {
      if (!appliesTo(rule.meta, resource)) continue;
      const own = resource.parsed.doc;
      const tracer = {
        read(node: Node, key: string | undefined, ctx: { doc: Document }) {
          let places = docPlaces.get(ctx.doc);
          if (!places) docPlaces.set(ctx.doc, (places = placesOf(ctx.doc)));
          const at = places.get(node);
          if (!at) return; // not in the document's tree
          // Its own object (the List holding it reads as nothing: the workspace never hands it out).
          const ownObject = ctx.doc === own && (at.item === resource.item || isListKind(at.kind));
          if (ownObject !== (whose === 'own') || (whose === 'own' && at.item !== resource.item)) return;
          const path = [...at.path, key ?? '*'];
          const id = `${at.apiVersion}\0${at.kind}\0${path.join('\0')}`;
          if (!reads.has(id)) reads.set(id, { apiVersion: at.apiVersion, kind: at.kind, path, where: `${corpus.name} (${resource.label})` });
        },
      };
      try {
        // Fixes a rule builds lazily are built here, inside the trace: they read what the check reads.
        traceReads(tracer, () => rule.check(resource, { profile: 'restricted', options: rule.meta.options?.defaults ?? {}, requireNamespace: true, workspace, report: (report) => void reportFixes(report) }));
      } catch {
        // A rule that throws is the rule tests' business.
      }
    }
  }
  return [...reads.values()];
}

/** The reads of `rule` that none of its declared projections (nor `identity`) covers. */
export function undeclaredReads(rule: Rule, corpora: readonly Corpus[]): ObjectRead[] {
  const declared = ['identity', ...(rule.meta.reads ?? [])].map((name) => PROJECTIONS[name as ProjectionName]);
  return otherResourceReads(rule, corpora).filter((read) => !covers({ kind: read.kind, podTemplate: PodTemplates.BUILT_IN.holderOf(read) }, declared, read.path));
}
