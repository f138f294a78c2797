/**
 * The API resource of each kind an admission check can judge: admission rules match
 * resources (`apps` `deployments`), not kinds. A kind missing here cannot be exported (the
 * export fails, naming it, and a test checks every kind the rules and the model name).
 */
export interface ApiResource {
  /** API group; `''` is the core group. */
  group: string;
  /** Plural resource name. */
  resource: string;
  /** Subresources whose requests carry the whole object (a Pod's ephemeral containers). */
  subresources?: readonly string[];
}

const RESOURCES: Record<string, ApiResource> = {
  Pod: { group: '', resource: 'pods', subresources: ['ephemeralcontainers'] },
  PodTemplate: { group: '', resource: 'podtemplates' },
  ReplicationController: { group: '', resource: 'replicationcontrollers' },
  Deployment: { group: 'apps', resource: 'deployments' },
  StatefulSet: { group: 'apps', resource: 'statefulsets' },
  DaemonSet: { group: 'apps', resource: 'daemonsets' },
  ReplicaSet: { group: 'apps', resource: 'replicasets' },
  Job: { group: 'batch', resource: 'jobs' },
  CronJob: { group: 'batch', resource: 'cronjobs' },
  Service: { group: '', resource: 'services' },
  ConfigMap: { group: '', resource: 'configmaps' },
  Secret: { group: '', resource: 'secrets' },
  Namespace: { group: '', resource: 'namespaces' },
  Ingress: { group: 'networking.k8s.io', resource: 'ingresses' },
  Role: { group: 'rbac.authorization.k8s.io', resource: 'roles' },
  ClusterRole: { group: 'rbac.authorization.k8s.io', resource: 'clusterroles' },
  RoleBinding: { group: 'rbac.authorization.k8s.io', resource: 'rolebindings' },
  ClusterRoleBinding: { group: 'rbac.authorization.k8s.io', resource: 'clusterrolebindings' },
};

/** Every kind with a known API resource. */
export const API_KINDS: readonly string[] = Object.keys(RESOURCES);

export function apiResourceOf(kind: string): ApiResource | undefined {
  return Object.hasOwn(RESOURCES, kind) ? RESOURCES[kind] : undefined;
}

/** Admission `resourceRules` for kinds, one per API group (operations CREATE and UPDATE: DELETE has no object to judge). */
export function resourceRules(kinds: readonly string[]): Array<{ apiGroups: string[]; apiVersions: string[]; operations: string[]; resources: string[] }> {
  const byGroup = new Map<string, string[]>();
  for (const kind of kinds) {
    const api = apiResourceOf(kind);
    if (!api) throw new Error(`no API resource known for kind ${kind}: add it to export-policy/api-resources.ts`);
    const resources = byGroup.get(api.group) ?? [];
    resources.push(api.resource, ...(api.subresources ?? []).map((sub) => `${api.resource}/${sub}`));
    byGroup.set(api.group, resources);
  }
  return [...byGroup].map(([group, resources]) => ({ apiGroups: [group], apiVersions: ['*'], operations: ['CREATE', 'UPDATE'], resources }));
}
