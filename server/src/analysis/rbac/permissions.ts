import type { Node } from 'yaml';
import { ALL, allowsResource, resourceMatches, verbMatches, type PolicyRule, type WrittenRule } from './policy-rule';

/**
 * The permissions that matter for zero trust, each as the requests ("requests") that exercise
 * it. A rule has a permission when the API server would allow one of its requests, so `*`,
 * subresource patterns and resourceNames are honoured exactly.
 */
export interface AccessRequest {
  readonly verb: string;
  readonly group: string;
  readonly resource: string;
  readonly subresource?: string;
  /** Cluster-scoped: a Role or a RoleBinding cannot grant it. */
  readonly clusterScoped?: boolean;
  /** Dangerous even for named objects only (impersonating one user, binding one role). */
  readonly anyName?: boolean;
}

export interface Permission {
  readonly requests: readonly AccessRequest[];
  /** Which item of a written rule a finding points at: the verb or the resource that grants it. */
  readonly point: 'verb' | 'resource';
  /** What it lets a subject do, for "…, including reading Secrets and exec into pods". */
  readonly label: string;
}

/** Where rules apply: a namespace (Role, RoleBinding) or the whole cluster (ClusterRoleBinding). */
export type Scope = 'cluster' | 'namespace';

function requests(verbs: string[], group: string, resources: string[], extra: Partial<AccessRequest> = {}): AccessRequest[] {
  return verbs.flatMap((verb) =>
    resources.map((path) => {
      const [resource, subresource] = path.split('/');
      return { verb, group, resource, ...(subresource ? { subresource } : {}), ...extra };
    }),
  );
}

export const RBAC_GROUP = 'rbac.authorization.k8s.io';
const RBAC = RBAC_GROUP;
const CLUSTER = { clusterScoped: true } as const;

/** The verbs of the standard API. `*` adds escalate, bind, impersonate and the verbs of extensions. */
export const STANDARD_VERBS: readonly string[] = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection'];

/**
 * Equivalent to `cluster-admin`: every standard verb on `*` resources of `*` API groups, without
 * resourceNames, in one rule or spread over several (escalate, bind and impersonate are not
 * needed: reading every Secret, exec into every pod and creating pods as any ServiceAccount
 * already reach every permission of the cluster).
 */
const ADMIN_EQUIVALENT: readonly AccessRequest[] = STANDARD_VERBS.map((verb) => ({ verb, group: ALL, resource: ALL }));

export function isAdminEquivalent(rules: readonly PolicyRule[]): boolean {
  return ADMIN_EQUIVALENT.every((probe) => rules.some((rule) => allowsResource(rule, probe)));
}

/** list and watch return every secret's content; get reads any secret by name. */
export const SECRETS_READ: Permission = { requests: requests(['get', 'list', 'watch'], '', ['secrets']), point: 'resource', label: 'reading Secrets' };

/** A shell or a tunnel into pods, or into any pod through the kubelet (`nodes/proxy`). Websocket exec is authorized as get. */
export const POD_EXEC: Permission = {
  requests: [...requests(['create', 'get'], '', ['pods/exec', 'pods/attach', 'pods/portforward']), ...requests(['create', 'get'], '', ['nodes/proxy'], CLUSTER)],
  point: 'resource',
  label: 'exec into pods',
};

const POD_TEMPLATES: ReadonlyArray<[string, string[]]> = [
  ['', ['pods', 'replicationcontrollers']],
  ['apps', ['deployments', 'replicasets', 'statefulsets', 'daemonsets']],
  ['batch', ['jobs', 'cronjobs']],
];

/**
 * Creating pods, or controllers that create them, runs code as any ServiceAccount of the
 * namespace; updating or patching one changes its pod template (ServiceAccount, image,
 * volumes), which is as good, even for one named object.
 */
export const WORKLOAD_CREATION: Permission = {
  requests: POD_TEMPLATES.flatMap(([group, resources]) => [...requests(['create'], group, resources), ...requests(['update', 'patch'], group, resources, { anyName: true })]),
  point: 'resource',
  label: 'creating or changing workloads',
};

/** The verbs that bypass RBAC's escalation checks or take another identity. */
export const ESCALATION_VERBS: Permission = {
  requests: [
    ...requests(['escalate', 'bind'], RBAC, ['roles'], { anyName: true }),
    ...requests(['escalate', 'bind'], RBAC, ['clusterroles'], { ...CLUSTER, anyName: true }),
    ...requests(['impersonate'], '', ['serviceaccounts'], { anyName: true }),
    ...requests(['impersonate'], '', ['users', 'groups'], { ...CLUSTER, anyName: true }),
    ...requests(['impersonate'], 'authentication.k8s.io', ['uids'], { ...CLUSTER, anyName: true }),
  ],
  point: 'verb',
  label: 'escalate, bind or impersonate',
};

export const RBAC_WRITES: Permission = {
  requests: [...requests(['create', 'update', 'patch'], RBAC, ['roles', 'rolebindings']), ...requests(['create', 'update', 'patch'], RBAC, ['clusterroles', 'clusterrolebindings'], CLUSTER)],
  point: 'resource',
  label: 'writing roles and bindings',
};

export const TOKEN_CREATION: Permission = { requests: requests(['create'], '', ['serviceaccounts/token']), point: 'resource', label: 'minting ServiceAccount tokens' };

export const CSR_APPROVAL: Permission = {
  requests: [...requests(['update'], 'certificates.k8s.io', ['certificatesigningrequests/approval'], CLUSTER), ...requests(['approve'], 'certificates.k8s.io', ['signers'], { ...CLUSTER, anyName: true })],
  point: 'resource',
  label: 'approving certificates',
};

export const WEBHOOK_CONFIGURATION: Permission = {
  requests: requests(['create', 'update', 'patch'], 'admissionregistration.k8s.io', ['mutatingwebhookconfigurations', 'validatingwebhookconfigurations'], CLUSTER),
  point: 'resource',
  label: 'registering admission webhooks',
};

/** Every escalation path, in the order messages name them. */
export const ESCALATIONS: readonly Permission[] = [ESCALATION_VERBS, RBAC_WRITES, TOKEN_CREATION, CSR_APPROVAL, WEBHOOK_CONFIGURATION];

/** The permissions messages mention, most dangerous first. */
export const DANGEROUS: readonly Permission[] = [...ESCALATIONS, POD_EXEC, WORKLOAD_CREATION, SECRETS_READ];

function probeAllowed(rule: PolicyRule, probe: AccessRequest, scope: Scope): boolean {
  if (probe.clusterScoped && scope === 'namespace') return false;
  return allowsResource(probe.anyName ? { ...rule, resourceNames: [] } : rule, probe);
}

/**
 * The rule as written without its `*` items (in verbs, apiGroups and resources): what it
 * grants explicitly. What only the wildcards grant is rbac-wildcard's to report.
 */
export function withoutWildcards(rule: PolicyRule): PolicyRule {
  const explicit = (values: readonly string[]) => values.filter((v) => v !== ALL);
  return { ...rule, verbs: explicit(rule.verbs), apiGroups: explicit(rule.apiGroups), resources: explicit(rule.resources) };
}

/** The requests of a permission that a rule allows in a scope. */
export function grantedRequests(rule: PolicyRule, permission: Permission, scope: Scope): AccessRequest[] {
  return permission.requests.filter((probe) => probeAllowed(rule, probe, scope));
}

/**
 * The item of a written rule that grants the requests explicitly: the first matching verb or
 * resource other than `*`, as the permission says.
 */
export function offendingItem(rule: WrittenRule, permission: Permission, granted: readonly AccessRequest[]): Node {
  const explicit = (field: 'verbs' | 'resources') => rule.items(field).filter((i) => i.value !== ALL);
  const item =
    permission.point === 'verb'
      ? explicit('verbs').find((i) => granted.some((p) => verbMatches(i.value, p.verb)))
      : explicit('resources').find((i) => granted.some((p) => resourceMatches(i.value, p.resource, p.subresource)));
  return item?.node ?? rule.map.node;
}

/** "get, list, watch secrets and create pods/exec, pods/attach" (long resource lists cut) */
export function describeRequests(granted: readonly AccessRequest[]): string {
  const byResource = new Map<string, string[]>();
  for (const probe of granted) {
    const key = probe.subresource ? `${probe.resource}/${probe.subresource}` : probe.resource;
    const verbs = byResource.get(key) ?? [];
    if (!verbs.includes(probe.verb)) verbs.push(probe.verb);
    byResource.set(key, verbs);
  }
  const byVerbs = new Map<string, string[]>();
  for (const [resource, verbs] of byResource) {
    const key = verbs.join(', ');
    byVerbs.set(key, [...(byVerbs.get(key) ?? []), resource]);
  }
  return joinWithAnd([...byVerbs].map(([verbs, resources]) => `${verbs} ${listed(resources)}`));
}

const MAX_RESOURCES = 3;

/** "pods, deployments, jobs and 5 more": messages stay short, the hover's table lists everything. */
function listed(resources: readonly string[]): string {
  if (resources.length <= MAX_RESOURCES + 1) return resources.join(', ');
  return `${resources.slice(0, MAX_RESOURCES).join(', ')} and ${resources.length - MAX_RESOURCES} more`;
}

/** "a, b and c"; parts that hold commas themselves are separated by semicolons. */
export function joinWithAnd(parts: readonly string[]): string {
  if (parts.length <= 1) return parts.join('');
  const separator = parts.some((p) => p.includes(',')) ? '; ' : ', ';
  return `${parts.slice(0, -1).join(separator)} and ${parts[parts.length - 1]}`;
}
