import { rule, urlRule, type PolicyRule } from './policy-rule';

/**
 * The ClusterRoles every cluster has (the API server's bootstrap policy), by their
 * documented meaning, for bindings that reference them without the workspace defining them.
 * `admin`, `edit` and `view` are aggregated, as in a cluster: `view` collects the ClusterRoles
 * labelled `aggregate-to-view`, `edit` those labelled `aggregate-to-edit` (including `view`),
 * `admin` those labelled `aggregate-to-admin` (including `edit`), so workspace ClusterRoles
 * with those labels extend them. Other `system:` roles not listed here are treated as unknown.
 */
export interface BuiltInRole {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly rules: readonly PolicyRule[];
  /** The label an aggregated role selects (`<label>: "true"`). */
  readonly aggregates?: string;
}

const AGGREGATE = 'rbac.authorization.k8s.io/aggregate-to-';
const READ = ['get', 'list', 'watch'];
const WRITE = ['create', 'delete', 'deletecollection', 'patch', 'update'];
const ALL_VERBS = [...READ, ...WRITE];
const TOKEN_REVIEW = [rule(['authentication.k8s.io'], ['tokenreviews'], ['create']), rule(['authorization.k8s.io'], ['subjectaccessreviews'], ['create'])];

/** What `view` grants: read access to most namespaced objects, never secrets, exec or RBAC. */
const VIEW_RULES = [
  rule([''], ['configmaps', 'endpoints', 'persistentvolumeclaims', 'persistentvolumeclaims/status', 'pods', 'replicationcontrollers', 'replicationcontrollers/scale', 'serviceaccounts', 'services', 'services/status', 'bindings', 'events', 'limitranges', 'namespaces', 'namespaces/status', 'pods/log', 'pods/status', 'replicationcontrollers/status', 'resourcequotas', 'resourcequotas/status'], READ),
  rule(['discovery.k8s.io'], ['endpointslices'], READ),
  rule(['apps'], ['controllerrevisions', 'daemonsets', 'daemonsets/status', 'deployments', 'deployments/scale', 'deployments/status', 'replicasets', 'replicasets/scale', 'replicasets/status', 'statefulsets', 'statefulsets/scale', 'statefulsets/status'], READ),
  rule(['autoscaling'], ['horizontalpodautoscalers', 'horizontalpodautoscalers/status'], READ),
  rule(['batch'], ['cronjobs', 'cronjobs/status', 'jobs', 'jobs/status'], READ),
  rule(['extensions'], ['daemonsets', 'daemonsets/status', 'deployments', 'deployments/scale', 'deployments/status', 'ingresses', 'ingresses/status', 'networkpolicies', 'replicasets', 'replicasets/scale', 'replicasets/status', 'replicationcontrollers/scale'], READ),
  rule(['policy'], ['poddisruptionbudgets', 'poddisruptionbudgets/status'], READ),
  rule(['networking.k8s.io'], ['ingresses', 'ingresses/status', 'networkpolicies'], READ),
];

/** What `edit` adds: secrets, exec/attach/port-forward, workloads, ServiceAccount impersonation and tokens. */
const EDIT_RULES = [
  rule([''], ['pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy', 'secrets', 'services/proxy'], READ),
  rule([''], ['serviceaccounts'], ['impersonate']),
  rule([''], ['pods', 'pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy'], WRITE),
  rule([''], ['pods/eviction'], ['create']),
  rule([''], ['configmaps', 'events', 'persistentvolumeclaims', 'replicationcontrollers', 'replicationcontrollers/scale', 'secrets', 'serviceaccounts', 'services', 'services/proxy'], WRITE),
  rule([''], ['serviceaccounts/token'], ['create']),
  rule(['apps'], ['daemonsets', 'deployments', 'deployments/rollback', 'deployments/scale', 'replicasets', 'replicasets/scale', 'statefulsets', 'statefulsets/scale'], WRITE),
  rule(['autoscaling'], ['horizontalpodautoscalers'], WRITE),
  rule(['batch'], ['cronjobs', 'jobs'], WRITE),
  rule(['extensions'], ['daemonsets', 'deployments', 'deployments/rollback', 'deployments/scale', 'ingresses', 'networkpolicies', 'replicasets', 'replicasets/scale', 'replicationcontrollers/scale'], WRITE),
  rule(['policy'], ['poddisruptionbudgets'], WRITE),
  rule(['networking.k8s.io'], ['ingresses', 'networkpolicies'], WRITE),
  rule(['coordination.k8s.io'], ['leases'], ALL_VERBS),
];

/** What `admin` adds: Roles and RoleBindings of the namespace. */
const ADMIN_RULES = [
  rule(['authorization.k8s.io'], ['localsubjectaccessreviews'], ['create']),
  rule(['rbac.authorization.k8s.io'], ['rolebindings', 'roles'], ALL_VERBS),
];

const DEFAULTS = { 'kubernetes.io/bootstrapping': 'rbac-defaults' };
const labelled = (...targets: string[]) => ({ ...DEFAULTS, ...Object.fromEntries(targets.map((t) => [`${AGGREGATE}${t}`, 'true'])) });
const role = (name: string, rules: PolicyRule[]): BuiltInRole => ({ name, labels: DEFAULTS, rules });

export const BUILT_IN_CLUSTER_ROLES: readonly BuiltInRole[] = [
  role('cluster-admin', [rule(['*'], ['*'], ['*']), urlRule(['*'], ['*'])]),
  { name: 'admin', labels: DEFAULTS, rules: [], aggregates: `${AGGREGATE}admin` },
  { name: 'edit', labels: labelled('admin'), rules: [], aggregates: `${AGGREGATE}edit` },
  { name: 'view', labels: labelled('edit'), rules: [], aggregates: `${AGGREGATE}view` },
  { name: 'system:aggregate-to-admin', labels: labelled('admin'), rules: ADMIN_RULES },
  { name: 'system:aggregate-to-edit', labels: labelled('edit'), rules: EDIT_RULES },
  { name: 'system:aggregate-to-view', labels: labelled('view'), rules: VIEW_RULES },
  role('system:auth-delegator', TOKEN_REVIEW),
  role('system:basic-user', [rule(['authorization.k8s.io'], ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'], ['create']), rule(['authentication.k8s.io'], ['selfsubjectreviews'], ['create'])]),
  role('system:discovery', [urlRule(['/api', '/api/*', '/apis', '/apis/*', '/healthz', '/livez', '/openapi', '/openapi/*', '/readyz', '/version', '/version/'], ['get'])]),
  role('system:public-info-viewer', [urlRule(['/healthz', '/livez', '/readyz', '/version', '/version/'], ['get'])]),
  role('system:monitoring', [urlRule(['/healthz', '/healthz/*', '/livez', '/livez/*', '/metrics', '/metrics/slis', '/readyz', '/readyz/*'], ['get'])]),
  role('system:service-account-issuer-discovery', [urlRule(['/.well-known/openid-configuration', '/openid/v1/jwks'], ['get'])]),
  role('system:heapster', [rule([''], ['events', 'namespaces', 'nodes', 'pods'], READ), rule(['extensions'], ['deployments'], READ)]),
  role('system:kube-dns', [rule([''], ['endpoints', 'services'], ['list', 'watch'])]),
  role('system:kube-aggregator', [rule([''], ['endpoints', 'services'], READ)]),
  role('system:node-proxier', [
    rule([''], ['endpoints', 'services'], ['list', 'watch']),
    rule([''], ['nodes'], READ),
    rule(['', 'events.k8s.io'], ['events'], ['create', 'patch', 'update']),
    rule(['discovery.k8s.io'], ['endpointslices'], ['list', 'watch']),
  ]),
  role('system:node-bootstrapper', [rule(['certificates.k8s.io'], ['certificatesigningrequests'], ['create', 'get', 'list', 'watch'])]),
  role('system:kubelet-api-admin', [rule([''], ['nodes'], [...READ, 'proxy']), rule([''], ['nodes/log', 'nodes/metrics', 'nodes/proxy', 'nodes/stats'], ['*'])]),
  role('system:persistent-volume-provisioner', [
    rule([''], ['persistentvolumes'], ['create', 'delete', ...READ]),
    rule([''], ['persistentvolumeclaims'], [...READ, 'update']),
    rule(['storage.k8s.io'], ['storageclasses'], READ),
    rule([''], ['events'], ['watch']),
    rule(['', 'events.k8s.io'], ['events'], ['create', 'patch', 'update']),
  ]),
  role('system:volume-scheduler', [rule([''], ['persistentvolumes', 'persistentvolumeclaims'], [...READ, 'patch', 'update']), rule(['storage.k8s.io'], ['storageclasses'], READ)]),
];

/** Default grants to every (authenticated) caller: binding them to broad groups is how Kubernetes itself works. */
export const DISCOVERY_ROLES: ReadonlySet<string> = new Set(['system:basic-user', 'system:discovery', 'system:public-info-viewer']);
