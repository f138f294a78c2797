// Evaluates exported admission policies outside a cluster, as the API server (ValidatingAdmissionPolicy)
// and Kyverno (ClusterPolicy with CEL validation) would on a CREATE: which policy matches the
// object, its conditions, its variables and its validations. The CEL runs in @bufbuild/cel with
// only the standard library: an expression that needs a Kubernetes or extension function fails.
import { celEnv, isCelError, isCelList, isCelMap, parse, plan, type CelInput, type CelValue } from '@bufbuild/cel';
import { API_KINDS, apiResourceOf } from '../../../server/src/export-policy/api-resources';

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

const CLUSTER_SCOPED = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'PersistentVolume', 'StorageClass', 'CustomResourceDefinition']);

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
  kinds: readonly string[];
  excludedKinds: readonly string[];
  excludedNamespaces: readonly string[];
  conditions: Expression[];
  variables: Array<{ name: string; expression: string }>;
  validations: Expression[];
}

type Doc = Record<string, any>;

function fromValidatingAdmissionPolicy(policy: Doc, binding: Doc): Normalized {
  const resources = (rules: Doc[] | undefined) =>
    (rules ?? []).flatMap((rule: Doc) => (rule.resources as string[]).map((resource) => `${rule.apiGroups[0]}/${resource}`));
  const kindsOf = (rules: Doc[] | undefined) => {
    const names = new Set(resources(rules));
    return API_KINDS.filter((kind) => {
      const api = apiResourceOf(kind)!;
      return names.has(`${api.group}/${api.resource}`);
    });
  };
  const selector = binding.spec.matchResources?.namespaceSelector?.matchExpressions?.[0];
  return {
    kinds: kindsOf(policy.spec.matchConstraints.resourceRules),
    excludedKinds: kindsOf(binding.spec.matchResources?.excludeResourceRules),
    excludedNamespaces: selector?.operator === 'NotIn' ? selector.values : [],
    conditions: policy.spec.matchConditions ?? [],
    variables: policy.spec.variables ?? [],
    validations: policy.spec.validations,
  };
}

function fromKyverno(policy: Doc): Normalized {
  const [rule] = policy.spec.rules;
  const exclude: Doc[] = rule.exclude?.any ?? [];
  return {
    kinds: rule.match.any.flatMap((m: Doc) => m.resources.kinds).filter((k: string) => !k.includes('/')),
    excludedKinds: exclude.flatMap((e) => e.resources.kinds ?? []),
    excludedNamespaces: exclude.flatMap((e) => e.resources.namespaces ?? []),
    conditions: rule.celPreconditions ?? [],
    variables: rule.validate.cel.variables ?? [],
    validations: rule.validate.cel.expressions,
  };
}


/** The verdict of one policy (its documents: a VAP and its binding, or a Kyverno ClusterPolicy) on an object created in `namespace` (`default` when it names none). */
export function judge(documents: readonly Doc[], object: Doc, defaultNamespace = 'default'): Verdict {
  const policy = documents[0];
  const normalized = policy.kind === 'ClusterPolicy' ? fromKyverno(policy) : fromValidatingAdmissionPolicy(policy, documents[1]);
  const kind = String(object.kind);
  const api = apiResourceOf(kind);
  const group = String(object.apiVersion ?? '').includes('/') ? String(object.apiVersion).split('/')[0] : '';
  if (!api || !sameGroup(api.group, group) || !normalized.kinds.includes(kind) || normalized.excludedKinds.includes(kind)) return { judged: false, denials: [] };
  const namespace = CLUSTER_SCOPED.has(kind) ? '' : String(object.metadata?.namespace ?? defaultNamespace);
  const namespaceName = kind === 'Namespace' ? String(object.metadata?.name ?? '') : namespace;
  if (namespaceName && normalized.excludedNamespaces.includes(namespaceName)) return { judged: false, denials: [] };
  const value = admissionValue(object) as Doc;
  const bindings: Record<string, unknown> = {
    object: value,
    oldObject: null,
    request: { operation: 'CREATE', namespace, name: value.metadata?.name ?? '', kind: { group, version: String(object.apiVersion).split('/').pop(), kind } },
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
