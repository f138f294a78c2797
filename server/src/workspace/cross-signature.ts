import { createHash } from 'node:crypto';
import { isAlias, isMap, isPair, isScalar, isSeq, type Document, type YAMLMap } from 'yaml';
import type { Resource } from '../model/resource';
import { scalarText } from '../model/yaml-view';

/**
 * What other resources' cross-resource results can depend on, as one string per resource.
 * When an edit leaves the signatures of a file's resources unchanged, no other file's
 * cross-resource findings can change, so the keystroke re-lints only the edited file.
 *
 * The contract for cross-resource rules (and `WorkspaceView.memo` values): what they read
 * from *another* resource must be part of its signature. The signature is the whole
 * document, except
 * - in workloads, the container and pod fields that only concern the workload itself
 *   (`LOCAL_CONTAINER_FIELDS`, `LOCAL_POD_FIELDS`): security contexts, image, resources,
 *   probes, scheduling;
 * - in CustomResourceDefinitions, the OpenAPI schemas (a CRD counts by its names, group,
 *   scope and versions);
 * - a top-level `status`.
 * A rule that needs one of these fields of other resources must take it out of the lists.
 */
const LOCAL_CONTAINER_FIELDS: readonly string[] = [
  'securityContext', 'image', 'imagePullPolicy', 'resources', 'livenessProbe', 'readinessProbe', 'startupProbe',
  'lifecycle', 'terminationMessagePath', 'terminationMessagePolicy', 'workingDir', 'stdin', 'stdinOnce', 'tty', 'resizePolicy',
];
const LOCAL_POD_FIELDS: readonly string[] = [
  'securityContext', 'affinity', 'tolerations', 'nodeSelector', 'topologySpreadConstraints', 'terminationGracePeriodSeconds',
  'priorityClassName', 'priority', 'schedulerName', 'activeDeadlineSeconds', 'dnsConfig', 'resources',
];

const CONTAINER_LISTS = ['containers', 'initContainers', 'ephemeralContainers'];
const tokens = new WeakMap<Document, string>();
const presetTokens = new WeakMap<Resource, string>();

/**
 * The resource's cross-resource signature as a hash, computed once per parsed document:
 * keeping the signature itself would keep a copy of the text of every version of a file
 * that some state still refers to. Two resources with the same token look the same to
 * other files' cross-resource rules.
 */
export function signatureToken(resource: Resource, json = () => crossResourceJson(resource)): string {
  const preset = presetTokens.get(resource);
  if (preset !== undefined) return preset;
  const doc = resource.parsed.doc;
  let token = tokens.get(doc);
  if (token === undefined) {
    token = tokenOf(signature(resource, json));
    tokens.set(doc, token);
  }
  return token;
}

/** A resource rebuilt from an extract (another thread's parse, a compacted file) carries the token taken from its parse. */
export function presetToken(resource: Resource, token: string): void {
  presetTokens.set(resource, token);
}

function tokenOf(signature: string): string {
  return createHash('sha1').update(signature).digest('base64');
}

function signature(resource: Resource, json: () => string | undefined): string {
  const head = `${resource.uri}\n${resource.apiVersion}\n${resource.kind}\n`;
  // Other kinds are read whole: their text is the cheapest exact signature.
  if (resource.kind === 'CustomResourceDefinition' || resource.podSpec) {
    const text = json();
    if (text !== undefined) return head + text;
  }
  return head + resource.parsed.source;
}

/**
 * A node as plain data: a string scalar is the string; any other scalar keeps its YAML text
 * (`{ v, s }`), because a Kubernetes string field reads `010` as "010", not 8; a map is its
 * keys and values in order (`{ m: [key, value, …] }`); a sequence is an array.
 */
export type PlainNode = string | { v: number | boolean | null; s?: string } | { m: PlainNode[] } | PlainNode[];

/** `crossResourceValue` as JSON text: a tenth of the memory of the same value as objects. */
export function crossResourceJson(resource: Resource): string | undefined {
  const value = crossResourceValue(resource);
  return value === undefined ? undefined : JSON.stringify(value);
}

/**
 * What other resources may read of this one (the contract above) as plain data, or
 * undefined when only its text says it exactly (aliases, merge keys, custom tags).
 */
export function crossResourceValue(resource: Resource): PlainNode | undefined {
  const keep = resource.kind === 'CustomResourceDefinition' ? crdKeep : resource.podSpec ? workloadKeep : keepAll;
  try {
    return plain(resource.root.node, keep, []);
  } catch (error) {
    if (error instanceof NeedsText) return undefined;
    throw error;
  }
}

const CRD_SPEC_FIELDS = new Set(['group', 'names', 'scope', 'versions']);
const CRD_VERSION_FIELDS = new Set(['name', 'served', 'storage']);

/** Thrown inside `plain` when the document cannot be told as plain data. */
class NeedsText extends Error {}

/** Which keys of a map at `path` (keys from the root) other resources may read. */
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

/**
 * `path` holds map keys and, for sequence items, their index as a string: one array, pushed
 * and popped on the way down and up (a copy per node was a tenth of a large audit's extracts).
 */
function plain(value: unknown, keep: Keep, path: string[]): PlainNode {
  if (isAlias(value)) throw new NeedsText();
  if (isScalar(value)) {
    const v = value.value;
    if (typeof v === 'string') return v;
    if (v === null || v === undefined || typeof v === 'number' || typeof v === 'boolean') {
      return typeof value.source === 'string' ? { v: v ?? null, s: value.source } : { v: v ?? null };
    }
    throw new NeedsText(); // a custom tag's object value (!!binary, !!set …)
  }
  if (isSeq(value)) {
    const items: PlainNode[] = [];
    for (let i = 0; i < value.items.length; i++) items.push(within(path, String(i), () => plain(value.items[i], keep, path)));
    return items;
  }
  if (isMap(value)) {
    const m: PlainNode[] = [];
    for (const item of value.items) {
      if (!isPair(item)) continue;
      const key = isScalar(item.key) ? item.key.value : undefined;
      if (typeof key === 'symbol' || key === '<<' || !isScalar(item.key)) throw new NeedsText();
      const text = scalarText(item.key) ?? '';
      if (!keep(path, text, value)) continue;
      m.push(plain(item.key, keep, path), item.value === null ? { v: null } : within(path, text, () => plain(item.value, keep, path)));
    }
    return { m };
  }
  if (value === null || value === undefined) return { v: null };
  throw new NeedsText();
}

function within<T>(path: string[], segment: string, read: () => T): T {
  path.push(segment);
  try {
    return read();
  } finally {
    path.pop();
  }
}
