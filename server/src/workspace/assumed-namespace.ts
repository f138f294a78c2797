import { isNamespacedKind, placementKey, type Placement } from '../model/placement';
import type { Resource } from '../model/resource';

const BINDING_KINDS = new Set(['RoleBinding', 'ClusterRoleBinding']);
const assumed = new WeakMap<readonly Resource[], Placement | null>();

/**
 * The namespace a file is evidently meant for when it names none: Argo CD's `install.yaml`
 * (for `kubectl apply -n argocd`) defines its ServiceAccounts without a namespace and binds
 * them as `argocd/<name>` beside them. When no namespaced object of the file writes a namespace,
 * and its bindings name its own namespace-less ServiceAccounts in exactly one namespace, the
 * file is placed there, and findings that depend on it say so. Reads only the file's objects.
 */
export function assumedNamespace(resources: readonly Resource[]): Placement | undefined {
  let placement = assumed.get(resources);
  if (placement === undefined) assumed.set(resources, (placement = infer(resources) ?? null));
  return placement ?? undefined;
}

function infer(resources: readonly Resource[]): Placement | undefined {
  if (resources.some((r) => r.namespace !== undefined && isNamespacedKind(r.kind))) return undefined;
  const accounts = new Set(resources.filter((r) => r.kind === 'ServiceAccount').map((r) => r.name));
  if (accounts.size === 0) return undefined;
  const namespaces = new Map<string, string>();
  for (const binding of resources) {
    if (!BINDING_KINDS.has(binding.kind)) continue;
    for (const subject of binding.root.seq('subjects')?.maps() ?? []) {
      const namespace = subject.string('namespace');
      const name = subject.string('name');
      if (subject.string('kind') !== 'ServiceAccount' || !namespace || !name || !accounts.has(name) || namespaces.has(namespace)) continue;
      namespaces.set(namespace, `${binding.kind} ${binding.name} names ServiceAccount ${namespace}/${name}`);
    }
  }
  if (namespaces.size !== 1) return undefined;
  const [[namespace, evidence]] = namespaces;
  const base = {
    unit: '',
    namespace,
    labels: {},
    templateLabels: {},
    annotations: {},
    assumption: `(Namespace ${namespace} assumed: the file names none, and ${evidence}, which it defines.)`,
  };
  return { ...base, key: placementKey(base) };
}
