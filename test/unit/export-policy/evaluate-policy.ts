// Evaluates exported admission policies outside a cluster, as the API server (ValidatingAdmissionPolicy)
// and Kyverno (ClusterPolicy with CEL validation) would on a CREATE: which policy matches the
// object, its conditions, its variables and its validations. The CEL runs in @bufbuild/cel with
// only the standard library: an expression that needs a Kubernetes or extension function fails.
import { celEnv, isCelError, isCelList, isCelMap, parse, plan, type CelInput, type CelValue } from '@bufbuild/cel';

export interface Verdict {
  /** The policy judged the object (it matches its kinds, the binding and every condition). */
  judged: boolean;
  /** Messages of the validations that failed (empty: admitted). */
  denials: string[];
}

/** The object as the API server hands it to CEL: integers are `int`, null fields are absent. */
export function admissionValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.filter((v) => v !== null && v !== undefined).map(admissionValue);
  if (value instanceof Map) return admissionValue(Object.fromEntries(value));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null && v !== undefined).map(([k, v]) => [k, admissionValue(v)]));
  }
  if (typeof value === 'number' && Number.isInteger(value)) return BigInt(value);
  return value;
}

type Doc = Record<string, any>;

/** A resource the cluster serves, as its discovery lists it (for a custom resource, as its CRD declares it). */
export interface ServedResource {
  group: string;
  kind: string;
  resource: string;
  namespaced: boolean;
}

/**
 * What the cluster of these tests serves: Kubernetes' kinds that the cases hold, and the CRDs
 * of Argo Rollouts, Knative Serving, KEDA and OpenShift (their `spec.names.plural`). Written
 * here from those projects, apart from the export's own table: a wrong plural in the export
 * leaves the kind unjudged, and the parity tests fail.
 */
export const SERVED: readonly ServedResource[] = [
  ...(
    [
      ['', 'Pod', 'pods'], ['', 'PodTemplate', 'podtemplates'], ['', 'ReplicationController', 'replicationcontrollers'], ['', 'Service', 'services'],
      ['', 'ConfigMap', 'configmaps'], ['', 'Secret', 'secrets'], ['', 'ServiceAccount', 'serviceaccounts'], ['apps', 'Deployment', 'deployments'],
      ['apps', 'StatefulSet', 'statefulsets'], ['apps', 'DaemonSet', 'daemonsets'], ['apps', 'ReplicaSet', 'replicasets'], ['batch', 'Job', 'jobs'],
      ['batch', 'CronJob', 'cronjobs'], ['networking.k8s.io', 'Ingress', 'ingresses'], ['networking.k8s.io', 'NetworkPolicy', 'networkpolicies'],
      ['rbac.authorization.k8s.io', 'Role', 'roles'], ['rbac.authorization.k8s.io', 'RoleBinding', 'rolebindings'],
      ['apps.openshift.io', 'DeploymentConfig', 'deploymentconfigs'], ['argoproj.io', 'Rollout', 'rollouts'], ['serving.knative.dev', 'Service', 'services'],
      ['serving.knative.dev', 'Configuration', 'configurations'], ['keda.sh', 'ScaledJob', 'scaledjobs'],
    ] as const
  ).map(([group, kind, resource]) => ({ group, kind, resource, namespaced: true })),
  ...(
    [
      ['', 'Namespace', 'namespaces'], ['rbac.authorization.k8s.io', 'ClusterRole', 'clusterroles'],
      ['rbac.authorization.k8s.io', 'ClusterRoleBinding', 'clusterrolebindings'], ['', 'PersistentVolume', 'persistentvolumes'],
    ] as const
  ).map(([group, kind, resource]) => ({ group, kind, resource, namespaced: false })),
];

export interface Cluster {
  /** Resources the cluster serves besides `SERVED` (a team's own CRDs). */
  served?: readonly ServedResource[];
  /** The namespace of a namespaced object that names none. */
  defaultNamespace?: string;
}

/** The resource the cluster serves an object as; none for a kind it does not serve (the API server refuses such an object before any admission). */
export function servedAs(object: Doc, cluster: Cluster = {}): ServedResource | undefined {
  const apiVersion = String(object.apiVersion ?? '');
  const group = apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
  return [...SERVED, ...(cluster.served ?? [])].find((r) => r.kind === object.kind && sameGroup(r.group, group));
}

/** A request: the object's group, version and kind as sent, and the resource the cluster serves it as. */
interface Request {
  group: string;
  version: string;
  kind: string;
  resource: string;
}

const env = celEnv();
const plans = new Map<string, ReturnType<typeof plan>>();

function evaluate(expression: string, bindings: Record<string, unknown>, what: string): CelValue {
  let planned = plans.get(expression);
  if (!planned) plans.set(expression, (planned = plan(env, parse(expression))));
  const result = planned(bindings as Record<string, CelInput>);
  if (isCelError(result)) throw new Error(`${what}: ${result.message}\n  in ${expression}`);
  return result;
}

function test(expression: string, bindings: Record<string, unknown>, what: string): boolean {
  const result = evaluate(expression, bindings, what);
  if (typeof result !== 'boolean') throw new Error(`${what}: not a bool but ${String(result)}\n  in ${expression}`);
  return result;
}

interface Expression {
  name?: string;
  expression: string;
  messageExpression?: string;
}

interface Normalized {
  /** Whether the policy matches the request; the version the object is converted to (matchPolicy Equivalent), if another. */
  matches(request: Request): { version: string } | undefined;
  excludes(request: Request): boolean;
  excludedNamespaces: readonly string[];
  conditions: Expression[];
  variables: Array<{ name: string; expression: string }>;
  validations: Expression[];
}


/**
 * A resource rule's verdict on a request, as the API server's (matchPolicy Equivalent, the
 * default): the same group and resource in another version is converted to the rule's version,
 * and the legacy `extensions` group reaches rules on its successors.
 */
function ruleMatches(rules: Doc[] | undefined, request: Request): { version: string } | undefined {
  for (const rule of rules ?? []) {
    if (!(rule.apiGroups as string[]).some((group) => sameGroup(group, request.group))) continue;
    if (!(rule.resources as string[]).includes(request.resource)) continue;
    const versions = rule.apiVersions as string[];
    return { version: versions.includes('*') || versions.includes(request.version) ? request.version : versions[0] };
  }
  return undefined;
}

function fromValidatingAdmissionPolicy(policy: Doc, binding: Doc): Normalized {
  const selector = binding.spec.matchResources?.namespaceSelector?.matchExpressions?.[0];
  return {
    matches: (request) => ruleMatches(policy.spec.matchConstraints.resourceRules, request),
    excludes: (request) => ruleMatches(binding.spec.matchResources?.excludeResourceRules, request) !== undefined,
    excludedNamespaces: selector?.operator === 'NotIn' ? selector.values : [],
    conditions: policy.spec.matchConditions ?? [],
    variables: policy.spec.variables ?? [],
    validations: policy.spec.validations,
  };
}

/** Kyverno's `kinds` selectors (`Kind`, `version/Kind`, `group/version/Kind`, `*` a wildcard; a lowercase last part a subresource), as its ParseKindSelector reads them. */
function kyvernoSelects(selectors: readonly string[], request: Request): boolean {
  const wild = (pattern: string, value: string) => pattern === '*' || pattern === value;
  return selectors.some((selector) => {
    const parts = selector.split('/');
    if (parts.length > 1 && parts[parts.length - 1].toLowerCase() === parts[parts.length - 1]) return false; // a subresource
    const [group, version, kind] = parts.length === 3 ? parts : parts.length === 2 ? ['*', ...parts] : ['*', '*', ...parts];
    return wild(group, request.group) && wild(version, request.version) && kind === request.kind;
  });
}

function fromKyverno(policy: Doc): Normalized {
  const [rule] = policy.spec.rules;
  const exclude: Doc[] = rule.exclude?.any ?? [];
  return {
    matches: (request) => (rule.match.any.some((m: Doc) => kyvernoSelects(m.resources.kinds, request)) ? { version: request.version } : undefined),
    excludes: (request) => exclude.some((e) => e.resources.kinds && kyvernoSelects(e.resources.kinds, request)),
    excludedNamespaces: exclude.flatMap((e) => e.resources.namespaces ?? []),
    conditions: rule.celPreconditions ?? [],
    variables: rule.validate.cel.variables ?? [],
    validations: rule.validate.cel.expressions,
  };
}

/** The policies among exported documents: each ValidatingAdmissionPolicy with its binding, each Kyverno ClusterPolicy. */
function policiesIn(documents: readonly Doc[]): Normalized[] {
  return documents.flatMap((doc) => {
    if (doc.kind === 'ClusterPolicy') return [fromKyverno(doc)];
    if (doc.kind !== 'ValidatingAdmissionPolicy') return [];
    const binding = documents.find((d) => d.kind === 'ValidatingAdmissionPolicyBinding' && d.spec.policyName === doc.metadata.name);
    if (!binding) throw new Error(`no binding for ${doc.metadata.name}`);
    return [fromValidatingAdmissionPolicy(doc, binding)];
  });
}

/**
 * The verdict of exported policies (ValidatingAdmissionPolicies and their bindings, or Kyverno
 * ClusterPolicies) on an object created in its namespace (the cluster's default when it names
 * none): judged when a policy matched it, with the denials of every policy.
 */
export function judge(documents: readonly Doc[], object: Doc, cluster: Cluster = {}): Verdict {
  const apiVersion = String(object.apiVersion ?? '');
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  const kind = String(object.kind);
  const served = servedAs(object, cluster);
  if (!served) return { judged: false, denials: [] };
  const request: Request = { group, version, kind, resource: served.resource };
  const verdicts = policiesIn(documents).map((policy) => judgeOne(policy, object, request, served.namespaced ? String(object.metadata?.namespace ?? cluster.defaultNamespace ?? 'default') : ''));
  return { judged: verdicts.some((v) => v.judged), denials: verdicts.flatMap((v) => v.denials) };
}

function judgeOne(normalized: Normalized, object: Doc, request: Request, namespace: string): Verdict {
  const match = normalized.matches(request);
  if (!match || normalized.excludes(request)) return { judged: false, denials: [] };
  const namespaceName = request.kind === 'Namespace' ? String(object.metadata?.name ?? '') : namespace;
  if (namespaceName && normalized.excludedNamespaces.includes(namespaceName)) return { judged: false, denials: [] };
  // Converted to the version the policy matches (a CRD without conversion changes only its apiVersion).
  const converted = match.version === request.version ? object : { ...object, apiVersion: `${request.group ? `${request.group}/` : ''}${match.version}` };
  const value = admissionValue(converted) as Doc;
  const bindings: Record<string, unknown> = {
    object: value,
    oldObject: null,
    request: { operation: 'CREATE', namespace, name: value.metadata?.name ?? '', kind: { group: request.group, version: match.version, kind: request.kind } },
  };
  for (const condition of normalized.conditions) {
    if (!test(condition.expression, bindings, `condition ${condition.name}`)) return { judged: false, denials: [] };
  }
  const variables: Record<string, unknown> = {};
  for (const variable of normalized.variables) variables[variable.name] = plain(evaluate(variable.expression, { ...bindings, variables }, `variable ${variable.name}`));
  const denials: string[] = [];
  for (const validation of normalized.validations) {
    if (test(validation.expression, { ...bindings, variables }, 'validation')) continue;
    const message = evaluate(validation.messageExpression!, { ...bindings, variables }, 'messageExpression');
    if (typeof message !== 'string' || message.length === 0) throw new Error(`messageExpression gave ${String(message)}`);
    denials.push(message);
  }
  return { judged: true, denials };
}

/**
 * Whether requests in `group` reach a policy on `policyGroup`: the same group, or the legacy
 * `extensions` group that once served Deployments, DaemonSets, ReplicaSets and Ingresses
 * (matchPolicy Equivalent, the default, converts them).
 */
export function sameGroup(policyGroup: string, group: string): boolean {
  return policyGroup === group || (group === 'extensions' && ['apps', 'networking.k8s.io'].includes(policyGroup));
}

/** A CEL result back into plain values, to bind it as the next expressions' `variables`. */
function plain(value: CelValue): unknown {
  if (isCelList(value)) return [...value].map((v) => plain(v as CelValue));
  if (isCelMap(value)) return Object.fromEntries([...value.entries()].map(([k, v]) => [String(k), plain(v as CelValue)]));
  return value;
}
