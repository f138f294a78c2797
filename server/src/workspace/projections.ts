import { isAlias, isMap, isPair, isScalar, isSeq, type YAMLMap } from 'yaml';
import type { PodTemplateHolder } from '../model/pod-templates';
import type { Resource } from '../model/resource';
import { scalarText } from '../model/yaml-view';
import { pathTrie, type PathTrie } from '../parsing/path-trie';

/**
 * What a rule may read of resources other than the one it checks, named. A cross-resource rule
 * declares the projections it reads (`RuleMeta.reads`, usually through its analysis: network,
 * RBAC…); the workspace keeps and compares only these of other files (their signatures decide
 * which files a keystroke re-lints, their extracts are what compact files and other audit
 * threads hold). A test traces every rule's reads (`read-trace.ts`) and fails, naming the rule
 * and the field, when a rule reads what none of its projections covers.
 *
 * A path is relative to an object's root (a List item's own): map keys, `*` for any key or
 * sequence item, `@pod` and `@podMetadata` for the pod template's `spec` and `metadata` of a
 * kind with one (`model/pod-templates.ts`). A projection covers the whole subtree under each of its paths.
 */
export interface Projection {
  readonly description: string;
  /** Kinds it reads; omitted: every kind. */
  readonly kinds?: readonly string[];
  readonly paths: ReadonlyArray<readonly string[]>;
}

const POD = '@pod';
const POD_METADATA = '@podMetadata';
const CONTAINER_LISTS = ['containers', 'initContainers', 'ephemeralContainers'];
const NETWORK_POLICY_KINDS = ['NetworkPolicy', 'CiliumNetworkPolicy', 'CiliumClusterwideNetworkPolicy'];
const RBAC_KINDS = ['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding'];

export const PROJECTIONS = {
  identity: {
    description: 'apiVersion, kind, name and namespace (every rule may read them)',
    paths: [['apiVersion'], ['kind'], ['metadata', 'name'], ['metadata', 'generateName'], ['metadata', 'namespace']],
  },
  labels: { description: 'metadata.labels of any object', paths: [['metadata', 'labels']] },
  podNetwork: {
    description: "workloads' pod labels and selector, host network, container names and ports; pod labels custom resources give their operators' pods",
    paths: [
      [POD_METADATA, 'labels'],
      [POD, 'hostNetwork'],
      ...CONTAINER_LISTS.flatMap((list) => [[POD, list, '*', 'name'], [POD, list, '*', 'ports']]),
      ['spec', 'selector'],
      ['spec', 'podMetadata', 'labels'],
    ],
  },
  podReferences: {
    description: "workloads' container commands, arguments and environment, where they name the Services they call",
    paths: CONTAINER_LISTS.flatMap((list) => [[POD, list, '*', 'env'], [POD, list, '*', 'envFrom'], [POD, list, '*', 'args'], [POD, list, '*', 'command']]),
  },
  podIdentity: {
    description: "workloads' ServiceAccount and whether their pods mount its token",
    paths: [[POD, 'serviceAccountName'], [POD, 'serviceAccount'], [POD, 'automountServiceAccountToken']],
  },
  networkPolicies: { description: 'NetworkPolicies and Cilium policies', kinds: NETWORK_POLICY_KINDS, paths: [['spec'], ['specs']] },
  services: { description: 'Services', kinds: ['Service'], paths: [['spec']] },
  ingresses: { description: 'Ingresses', kinds: ['Ingress'], paths: [['spec']] },
  gatewayRoutes: { description: 'Gateway API routes (their backends and hostnames)', kinds: ['HTTPRoute', 'GRPCRoute', 'TLSRoute', 'TCPRoute', 'UDPRoute'], paths: [['spec', 'rules'], ['spec', 'hostnames']] },
  monitors: { description: 'Prometheus Operator ServiceMonitors and PodMonitors (what they scrape)', kinds: ['ServiceMonitor', 'PodMonitor'], paths: [['spec']] },
  rbac: {
    description: 'RBAC roles and bindings, and whether the API server reconciles a built-in role',
    kinds: RBAC_KINDS,
    paths: [['rules'], ['roleRef'], ['subjects'], ['aggregationRule'], ['metadata', 'annotations', 'rbac.authorization.kubernetes.io/autoupdate']],
  },
  serviceAccounts: { description: 'ServiceAccounts', kinds: ['ServiceAccount'], paths: [['automountServiceAccountToken'], ['secrets']] },
  limitRanges: { description: 'LimitRanges', kinds: ['LimitRange'], paths: [['spec', 'limits']] },
  customResourceDefinitions: {
    description: 'CustomResourceDefinitions: group, names, scope and versions (not their schemas)',
    kinds: ['CustomResourceDefinition'],
    paths: [['spec', 'group'], ['spec', 'names'], ['spec', 'scope'], ['spec', 'versions', '*', 'name'], ['spec', 'versions', '*', 'served'], ['spec', 'versions', '*', 'storage']],
  },
  kustomizations: { description: "a Kustomization's namespace", kinds: ['Kustomization'], paths: [['namespace']] },
  linkerdAuthentications: { description: 'Linkerd NetworkAuthentications (the networks an AuthorizationPolicy may require)', kinds: ['NetworkAuthentication'], paths: [['spec', 'networks']] },
} satisfies Record<string, Projection>;

export type ProjectionName = keyof typeof PROJECTIONS;

/** An object as projections see it: its kind, and where it holds a pod template. */
export interface ProjectedObject {
  readonly kind: string;
  readonly podTemplate: PodTemplateHolder | undefined;
}

/** The concrete paths of `projections` for an object: `@pod…` resolved, inapplicable ones dropped. */
export function pathsFor({ kind, podTemplate }: ProjectedObject, projections: Iterable<Projection>): string[][] {
  const out: string[][] = [];
  const template = podTemplate?.path;
  for (const projection of projections) {
    if (projection.kinds && !projection.kinds.includes(kind)) continue;
    for (const path of projection.paths) {
      if (path[0] === POD || path[0] === POD_METADATA) {
        if (template) out.push([...template, path[0] === POD ? 'spec' : 'metadata', ...path.slice(1)]);
      } else out.push([...path]);
    }
  }
  return out;
}

/** Whether `path` (read of an object) lies inside, or on the way to, a path of `projections`. */
export function covers(object: ProjectedObject, projections: Iterable<Projection>, path: readonly string[]): boolean {
  return pathsFor(object, projections).some((pattern) => {
    const n = Math.min(pattern.length, path.length);
    for (let i = 0; i < n; i++) if (pattern[i] !== '*' && path[i] !== '*' && pattern[i] !== path[i]) return false;
    return true;
  });
}

/**
 * A node as plain data: a string scalar is the string; any other scalar keeps its YAML text
 * (`{ v, s }`), because a Kubernetes string field reads `010` as "010", not 8; a map is its
 * keys and values in order (`{ m: [key, value, …] }`); a sequence is an array.
 */
export type PlainNode = string | { v: number | boolean | null; s?: string } | { m: PlainNode[] } | PlainNode[];

/** Thrown when a document cannot be told as plain data (aliases, merge keys, custom tags): its text says it exactly. */
export class NeedsText extends Error {}

const ALL: ProjectionName[] = Object.keys(PROJECTIONS) as ProjectionName[];
const tries = new Map<string, PathTrie>();

/**
 * What other resources may read of `resource` (a List item's own object): every projection's
 * paths for its kind, as plain data in document order. Throws `NeedsText` when only the text
 * says it exactly.
 */
export function projectedValue(resource: Resource, names: readonly ProjectionName[] = ALL): PlainNode {
  return plain(resource.root.node, trieFor(resource, names));
}

function trieFor(object: ProjectedObject, names: readonly ProjectionName[]): PathTrie {
  const key = `${object.kind}\0${object.podTemplate?.path.join('.') ?? '\0'}\0${names.join(',')}`;
  let trie = tries.get(key);
  if (!trie) tries.set(key, (trie = pathTrie(pathsFor(object, names.map((n) => PROJECTIONS[n])))));
  return trie;
}

/** `value` pruned to `trie`. */
function plain(value: unknown, trie: PathTrie): PlainNode {
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
    const child = trie.all ? trie : trie.next.get('*');
    return child ? value.items.map((item) => plain(item, child)) : [];
  }
  if (isMap(value)) {
    const m: PlainNode[] = [];
    for (const item of (value as YAMLMap).items) {
      if (!isPair(item)) continue;
      const key = isScalar(item.key) ? item.key.value : undefined;
      if (typeof key === 'symbol' || key === '<<' || !isScalar(item.key)) throw new NeedsText();
      const child = trie.all ? trie : (trie.next.get(scalarText(item.key) ?? '') ?? trie.next.get('*'));
      if (child) m.push(plain(item.key, trie), item.value === null ? { v: null } : plain(item.value, child));
    }
    return { m };
  }
  if (value === null || value === undefined) return { v: null };
  throw new NeedsText();
}
