import { Document, parseDocument, Pair, Scalar, YAMLMap, YAMLSeq, type Node } from 'yaml';
import { Resource } from '../model/resource';
import type { ParsedDoc } from '../parsing/parse-file';
import { PARSE_OPTIONS } from '../parsing/reparse-in-place';
import { crossResourceValue, crossSignature, presetSignature, type PlainNode } from './cross-signature';

/**
 * A resource as another thread sees it: what cross-resource analyses may read of it
 * (`crossResourceValue`) as plain, structured-clone-able data, without
 * positions. An audit split over worker threads parses each file in one worker and sends
 * every other worker these extracts, which are far cheaper to rebuild than to parse.
 */
export interface ResourceExtract {
  readonly uri: string;
  readonly docIndex: number;
  readonly signature: string;
  /** The pruned value tree (see `PlainNode`), or the document's source when it uses aliases or merge keys. */
  readonly root?: PlainNode;
  readonly source?: string;
}

export function extractResource(resource: Resource): ResourceExtract {
  const head = { uri: resource.uri, docIndex: resource.docIndex, signature: crossSignature(resource) };
  const root = crossResourceValue(resource);
  if (root !== undefined) return { ...head, root };
  const [start, , end] = resource.parsed.doc.range;
  return { ...head, source: resource.parsed.source.slice(start, end) };
}

/** Rebuilds a resource from its extract: `yaml` nodes without positions, or a parse of its source. */
export function hydrateResource(extract: ResourceExtract): Resource | undefined {
  let doc: Document.Parsed;
  if (extract.root !== undefined) {
    doc = new Document() as Document.Parsed;
    // Positionless nodes: only cross-resource analyses read them, and they never report on them.
    doc.contents = node(extract.root) as Document.Parsed['contents'];
  } else doc = parseDocument(extract.source ?? '', PARSE_OPTIONS);
  const parsedDoc: ParsedDoc = { index: extract.docIndex, base: 0, source: extract.source ?? '', doc };
  const resource = Resource.from(extract.uri, parsedDoc);
  if (resource) presetSignature(resource, extract.signature);
  return resource;
}

function node(value: PlainNode): Node {
  if (typeof value === 'string') return new Scalar(value);
  if (Array.isArray(value)) {
    const seq = new YAMLSeq();
    for (const item of value) seq.items.push(node(item));
    return seq;
  }
  if ('m' in value) {
    const map = new YAMLMap();
    for (let i = 0; i < value.m.length; i += 2) map.items.push(new Pair(node(value.m[i]), node(value.m[i + 1])));
    return map;
  }
  const scalar = new Scalar(value.v);
  if (value.s !== undefined) scalar.source = value.s;
  return scalar;
}
