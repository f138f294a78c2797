import type { Document } from 'yaml';
import type { Resource } from '../model/resource';

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
export const LOCAL_CONTAINER_FIELDS: readonly string[] = [
  'securityContext', 'image', 'imagePullPolicy', 'resources', 'livenessProbe', 'readinessProbe', 'startupProbe',
  'lifecycle', 'terminationMessagePath', 'terminationMessagePolicy', 'workingDir', 'stdin', 'stdinOnce', 'tty', 'resizePolicy',
];
export const LOCAL_POD_FIELDS: readonly string[] = [
  'securityContext', 'affinity', 'tolerations', 'nodeSelector', 'topologySpreadConstraints', 'terminationGracePeriodSeconds',
  'priorityClassName', 'priority', 'schedulerName', 'activeDeadlineSeconds', 'dnsConfig', 'resources',
];

const CONTAINER_LISTS = ['containers', 'initContainers', 'ephemeralContainers'];
const signatures = new WeakMap<Document, string>();

/** The resource's cross-resource signature, computed once per parsed document. */
export function crossSignature(resource: Resource): string {
  const doc = resource.parsed.doc;
  let signature = signatures.get(doc);
  if (signature === undefined) {
    signature = compute(resource);
    signatures.set(doc, signature);
  }
  return signature;
}

/** A resource rebuilt from an extract (another thread's parse) carries the signature taken there. */
export function presetSignature(resource: Resource, signature: string): void {
  signatures.set(resource.parsed.doc, signature);
}

function compute(resource: Resource): string {
  const head = `${resource.uri}\n${resource.apiVersion}\n${resource.kind}\n`;
  try {
    if (resource.kind === 'CustomResourceDefinition') {
      const spec = resource.root.map('spec');
      const versions = spec?.seq('versions')?.maps().map((v) => [v.value('name'), v.value('served'), v.value('storage')]);
      return head + JSON.stringify([
        resource.metadata?.node.toJSON(),
        spec?.value('group'),
        spec?.map('names')?.node.toJSON(),
        spec?.value('scope'),
        versions,
      ]);
    }
    if (resource.podSpec) {
      const value = resource.parsed.doc.toJS({ maxAliasCount: 1000 }) as Record<string, unknown>;
      delete value.status;
      strip(value);
      return head + JSON.stringify(value);
    }
  } catch {
    // Too many aliases or an odd shape: the text is always a safe signature.
  }
  return head + resource.parsed.source;
}

/** Removes the workload-local fields from every pod spec and container in the value. */
function strip(value: unknown): void {
  if (!value || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    for (const item of value) strip(item);
    return;
  }
  const object = value as Record<string, unknown>;
  if (CONTAINER_LISTS.some((list) => Array.isArray(object[list]))) {
    for (const field of LOCAL_POD_FIELDS) delete object[field];
    for (const list of CONTAINER_LISTS) {
      for (const container of Array.isArray(object[list]) ? (object[list] as unknown[]) : []) {
        if (container && typeof container === 'object') for (const field of LOCAL_CONTAINER_FIELDS) delete (container as Record<string, unknown>)[field];
      }
    }
  }
  for (const key of Object.keys(object)) strip(object[key]);
}
