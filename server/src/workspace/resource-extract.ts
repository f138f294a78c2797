import { Document, isAlias, parseDocument, isMap, isPair, isScalar, isSeq, Pair, Scalar, YAMLMap, YAMLSeq, type Node } from 'yaml';
import { Resource } from '../model/resource';
import { scalarText } from '../model/yaml-view';
import type { ParsedDoc } from '../parsing/parse-file';
import { PARSE_OPTIONS } from '../parsing/reparse-in-place';
import { crossSignature, LOCAL_CONTAINER_FIELDS, LOCAL_POD_FIELDS, presetSignature } from './cross-signature';

/**
 * A resource as another thread sees it: what cross-resource analyses may read of it (its
 * cross-resource signature's fields) as plain, structured-clone-able data, without
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

/**
 * A node as plain data: a string scalar is the string; any other scalar keeps its YAML text
 * (`{ v, s }`), because a Kubernetes string field reads `010` as "010", not 8; a map is its
 * keys and values in order (`{ m: [key, value, …] }`); a sequence is an array.
 */
export type PlainNode = string | { v: number | boolean | null | bigint; s?: string } | { m: PlainNode[] } | PlainNode[];

const CONTAINER_LISTS = ['containers', 'initContainers', 'ephemeralContainers'];
const CRD_SPEC_FIELDS = new Set(['group', 'names', 'scope', 'versions']);
const CRD_VERSION_FIELDS = new Set(['name', 'served', 'storage']);

/** Thrown inside `plain` when the document needs a real parse on the other side. */
class NeedsSource extends Error {}

export function extractResource(resource: Resource): ResourceExtract {
  const head = { uri: resource.uri, docIndex: resource.docIndex, signature: crossSignature(resource) };
  // The same fields the signature leaves out (see cross-signature.ts).
  const keep = resource.kind === 'CustomResourceDefinition' ? crdKeep : resource.podSpec ? workloadKeep : keepAll;
  try {
    return { ...head, root: plain(resource.root.node, keep, []) };
  } catch (error) {
    if (!(error instanceof NeedsSource)) throw error;
    const [start, , end] = resource.parsed.doc.range;
    return { ...head, source: resource.parsed.source.slice(start, end) };
  }
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

/** Which keys of a map at `path` (keys from the root) cross-resource analyses may read. */
type Keep = (path: readonly string[], key: string, map: YAMLMap) => boolean;

const workloadKeep: Keep = (path, key, map) => {
  if (path.length === 0 && key === 'status') return false;
  if (CONTAINER_LISTS.some((list) => isSeq(valueOf(map, list)))) return !LOCAL_POD_FIELDS.includes(key);
  if (CONTAINER_LISTS.includes(path[path.length - 2] ?? '')) return !LOCAL_CONTAINER_FIELDS.includes(key);
  return true;
};

const keepAll: Keep = () => true;

const crdKeep: Keep = (path, key) => {
  if (path.length === 0) return key !== 'status';
  if (path.length === 1 && path[0] === 'spec') return CRD_SPEC_FIELDS.has(key);
  if (path.length === 3 && path[0] === 'spec' && path[1] === 'versions') return CRD_VERSION_FIELDS.has(key);
  return true;
};

function valueOf(map: YAMLMap, key: string): unknown {
  for (const item of map.items) if (isPair(item) && isScalar(item.key) && item.key.value === key) return item.value;
  return undefined;
}

/** `path` holds map keys and, for sequence items, their index as a string. */
function plain(value: unknown, keep: Keep, path: string[]): PlainNode {
  if (isAlias(value)) throw new NeedsSource();
  if (isScalar(value)) {
    const v = value.value;
    if (typeof v === 'string') return v;
    if (v === null || v === undefined || typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') {
      return typeof value.source === 'string' ? { v: v ?? null, s: value.source } : { v: v ?? null };
    }
    throw new NeedsSource(); // a custom tag's object value (!!binary, !!set …)
  }
  if (isSeq(value)) return value.items.map((item, i) => plain(item, keep, [...path, String(i)]));
  if (isMap(value)) {
    const m: PlainNode[] = [];
    for (const item of value.items) {
      if (!isPair(item)) continue;
      const key = isScalar(item.key) ? item.key.value : undefined;
      if (typeof key === 'symbol' || key === '<<' || !isScalar(item.key)) throw new NeedsSource();
      const text = scalarText(item.key) ?? '';
      if (!keep(path, text, value)) continue;
      m.push(plain(item.key, keep, path), item.value === null ? { v: null } : plain(item.value, keep, [...path, text]));
    }
    return { m };
  }
  if (value === null || value === undefined) return { v: null };
  throw new NeedsSource();
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
