/**
 * The API resource of each kind an admission check can judge: admission rules match
 * resources (`apps` `deployments`), not kinds, and a kind names different resources in
 * different groups (a core `Service` is not a Knative `Service`), so resources are known by
 * group and kind. A kind a rule names that is missing here cannot be exported (the export
 * fails, naming it: the schema tests export every rule); api-resources.test.ts checks the
 * model's kinds with a pod template.
 */
export interface ApiResource {
  /** API group; `''` is the core group. */
  group: string;
  kind: string;
  /** Plural resource name. */
  resource: string;
  /** Subresources whose requests carry the whole object (a Pod's ephemeral containers). */
  subresources?: readonly string[];
}

/** Kubernetes' own kinds the checks judge: in Kubernetes' API, a kind names one resource. */
const KUBERNETES: readonly ApiResource[] = [
  { group: '', kind: 'Pod', resource: 'pods', subresources: ['ephemeralcontainers'] },
  { group: '', kind: 'PodTemplate', resource: 'podtemplates' },
  { group: '', kind: 'ReplicationController', resource: 'replicationcontrollers' },
  { group: 'apps', kind: 'Deployment', resource: 'deployments' },
  { group: 'apps', kind: 'StatefulSet', resource: 'statefulsets' },
  { group: 'apps', kind: 'DaemonSet', resource: 'daemonsets' },
  { group: 'apps', kind: 'ReplicaSet', resource: 'replicasets' },
  { group: 'batch', kind: 'Job', resource: 'jobs' },
  { group: 'batch', kind: 'CronJob', resource: 'cronjobs' },
  { group: '', kind: 'Service', resource: 'services' },
  { group: '', kind: 'ConfigMap', resource: 'configmaps' },
  { group: '', kind: 'Secret', resource: 'secrets' },
  { group: '', kind: 'Namespace', resource: 'namespaces' },
  { group: 'networking.k8s.io', kind: 'Ingress', resource: 'ingresses' },
  { group: 'rbac.authorization.k8s.io', kind: 'Role', resource: 'roles' },
  { group: 'rbac.authorization.k8s.io', kind: 'ClusterRole', resource: 'clusterroles' },
  { group: 'rbac.authorization.k8s.io', kind: 'RoleBinding', resource: 'rolebindings' },
  { group: 'rbac.authorization.k8s.io', kind: 'ClusterRoleBinding', resource: 'clusterrolebindings' },
];

/**
 * The custom resources the model knows as pod templates (model/pod-templates.ts), with the
 * plural their projects' CRDs declare (`spec.names.plural`).
 */
const CUSTOM_POD_TEMPLATES: readonly ApiResource[] = [
  { group: 'apps.openshift.io', kind: 'DeploymentConfig', resource: 'deploymentconfigs' },
  { group: 'argoproj.io', kind: 'Rollout', resource: 'rollouts' },
  { group: 'serving.knative.dev', kind: 'Service', resource: 'services' },
  { group: 'serving.knative.dev', kind: 'Configuration', resource: 'configurations' },
  { group: 'keda.sh', kind: 'ScaledJob', resource: 'scaledjobs' },
];

/** Whether a group is Kubernetes' own (core, `apps`, `*.k8s.io`): a kind there is unique, and Kyverno matches it by kind alone. */
export function isKubernetesGroup(group: string): boolean {
  return KUBERNETES.some((api) => api.group === group);
}

/** The resource of a kind in a group, when the export knows it. */
export function apiResourceOf(group: string, kind: string): ApiResource | undefined {
  return [...KUBERNETES, ...CUSTOM_POD_TEMPLATES].find((api) => api.group === group && api.kind === kind);
}

/** The resource of one of Kubernetes' own kinds (a rule's `kinds` name those), when the export knows it. */
export function kubernetesResourceOf(kind: string): ApiResource | undefined {
  return KUBERNETES.find((api) => api.kind === kind);
}

/** A resource a policy matches: in every version of its group (`*`), or in one version (a configured `group/version`). */
export interface MatchedResource extends ApiResource {
  version: string;
}

export interface ResourceRule {
  apiGroups: string[];
  apiVersions: string[];
  operations: string[];
  resources: string[];
}

/**
 * The resources to match, each once: a resource matched in every version needs no match for one
 * of its versions (a configured version of a built-in kind differs in its template's path only).
 */
export function distinctResources<T extends MatchedResource>(matched: readonly T[]): T[] {
  const everyVersion = new Set(matched.filter((api) => api.version === '*').map((api) => `${api.group}/${api.resource}`));
  const seen = new Set<string>();
  return matched.filter((api) => {
    const key = `${api.group}/${api.version}/${api.resource}`;
    if ((api.version !== '*' && everyVersion.has(`${api.group}/${api.resource}`)) || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Admission `resourceRules` for resources, one per API group and version (operations CREATE and UPDATE: DELETE has no object to judge). */
export function resourceRules(matched: readonly MatchedResource[]): ResourceRule[] {
  const rules = new Map<string, ResourceRule>();
  for (const api of distinctResources(matched)) {
    const key = `${api.group}/${api.version}`;
    const rule = rules.get(key) ?? { apiGroups: [api.group], apiVersions: [api.version], operations: ['CREATE', 'UPDATE'], resources: [] };
    rule.resources.push(api.resource, ...(api.subresources ?? []).map((sub) => `${api.resource}/${sub}`));
    rules.set(key, rule);
  }
  return [...rules.values()];
}
