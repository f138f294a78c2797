import { Document, parseDocument, Pair, Scalar, YAMLMap, YAMLSeq, type Node } from 'yaml';
import type { Range } from 'vscode-languageserver-textdocument';
import type { PodTemplates } from '../model/pod-templates';
import { Resource, type ResourceHead } from '../model/resource';
import type { ParsedDoc } from '../parsing/parse-file';
import { PARSE_OPTIONS } from '../parsing/reparse-in-place';
import { crossResourceJson, presetToken, signatureToken, type PlainNode } from './cross-signature';

/**
 * A resource as another thread, or the index of a file nobody looks at, keeps it: what
 * cross-resource analyses may read of it (`crossResourceValue`) as plain,
 * structured-clone-able data, without positions. An audit split over worker threads parses
 * each file in one worker and sends every other worker these extracts, which are far
 * cheaper to rebuild than to parse; the language server keeps unopened files as extracts.
 */
export interface ResourceExtract {
  readonly uri: string;
  readonly docIndex: number;
  /** `Resource.item`: its index in the List document's `items`. */
  readonly item?: number;
  readonly head: ResourceHead;
  /** The resource's `signatureToken`. */
  readonly token: string;
  /**
   * The pruned value tree (`PlainNode`) of the object as JSON, or else the whole document's
   * source (when it uses aliases or merge keys). Text: far less memory than the same value as objects, and
   * cheaper to send to another thread.
   */
  readonly json?: string;
  readonly source?: string;
  /** Where the resource is named in its file (`namePlace`), for findings that point at it from other files. */
  readonly place?: Range;
}

/** `place`: where the resource is named in its file, when the caller has the parsed file (`namePlace`). */
export function extractResource(resource: Resource, place?: Range): ResourceExtract {
  const json = crossResourceJson(resource);
  const { apiVersion, kind, name, namespace } = resource;
  // A copy: V8 keeps a string read from the text as a slice of it, which would keep the whole text alive.
  const copy = structuredClone({ apiVersion, kind, name, namespace });
  const head = {
    uri: resource.uri,
    docIndex: resource.docIndex,
    ...(resource.item === undefined ? {} : { item: resource.item }),
    head: copy,
    token: signatureToken(resource, () => json),
    ...(place ? { place } : {}),
  };
  if (json !== undefined) return { ...head, json };
  const [start, , end] = resource.parsed.doc.range;
  return { ...head, source: resource.parsed.source.slice(start, end) };
}

/**
 * The resource an extract describes. Its tree, rebuilt when something reads it, is made of
 * `yaml` nodes without positions (only cross-resource analyses read it, and they never
 * report on it) or, for a document with aliases or merge keys, parsed from its source.
 * `podTemplates` must be those the extract was taken with.
 */
export function hydrateResource(extract: ResourceExtract, podTemplates: PodTemplates): Resource {
  // The closure keeps these, not the extract: its head is copied into the resource.
  const { json, source = '', docIndex } = extract;
  const rebuild = (): ParsedDoc => {
    let doc: Document.Parsed;
    if (json !== undefined) {
      doc = new Document() as Document.Parsed;
      doc.contents = node(JSON.parse(json) as PlainNode) as Document.Parsed['contents'];
    } else doc = parseDocument(source, PARSE_OPTIONS);
    return { index: docIndex, base: 0, source, doc };
  };
  // The JSON is the object's own tree; the source is its whole document (a List item is found in it).
  const resource = Resource.rebuilt(extract.uri, extract.docIndex, extract.head, extract.item, podTemplates, rebuild, json !== undefined);
  presetToken(resource, extract.token);
  if (extract.place) places.set(resource, extract.place);
  return resource;
}

const places = new WeakMap<Resource, Range>();

/** Where a resource rebuilt from an extract is named in its file, when the extract kept it. */
export function extractedPlace(resource: Resource): Range | undefined {
  return places.get(resource);
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
