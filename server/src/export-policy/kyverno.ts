import type { Severity } from '../engine/rule';
import { distinctResources, isKubernetesGroup, type MatchedResource } from './api-resources';
import { policyVariables, type PolicyParts } from './policy-parts';
import { policyMetadata } from './validating-admission-policy';

/** Kyverno's severity scale (`policies.kyverno.io/severity`, shown in policy reports). */
const KYVERNO_SEVERITY: Record<Severity, string> = { error: 'high', warning: 'medium', info: 'low' };

/** Label of the policies of a custom resource's API group (a label value: when the group fits in 63 characters), so `kubectl apply -l` can leave out the groups a cluster does not serve. */
export const API_GROUP_LABEL = 'kube-zero-trust.io/api-group';

/** How policy names call the custom-resource groups the model knows; another group by its first label. */
const GROUP_NAMES: Readonly<Record<string, string>> = {
  'apps.openshift.io': 'openshift',
  'argoproj.io': 'argo-rollouts',
  'serving.knative.dev': 'knative',
  'keda.sh': 'keda',
};

/** Kyverno keeps policy names within 63 characters (it derives label keys and webhook names from them). */
const MAX_NAME = 63;

/**
 * Kyverno's name of a resource's requests: the kind alone for Kubernetes' own kinds (unique
 * there), `group/version/Kind` for a custom resource, whose kind another group may use (a
 * Knative `Service`); and `Kind/subresource` for subresources that carry the object.
 */
function kindSelectors(api: MatchedResource): string[] {
  const kind = isKubernetesGroup(api.group) ? api.kind : `${api.group}/${api.version}/${api.kind}`;
  return [kind, ...(api.subresources ?? []).map((sub) => `${kind}/${sub}`)];
}

/**
 * The policies' resources by API group: Kubernetes' own kinds in the rule's policy, each custom
 * resource's group in one of its own. Kyverno refuses (or leaves not ready) a policy that names a
 * kind the cluster does not serve, so a cluster without Argo Rollouts must still take the Pod
 * policy, and can leave out the Rollout one.
 */
function byApiGroup(parts: PolicyParts): Array<{ group?: string; name: string; resources: MatchedResource[] }> {
  const kubernetes = parts.resources.filter((api) => isKubernetesGroup(api.group));
  const groups = [...new Set(parts.resources.filter((api) => !isKubernetesGroup(api.group)).map((api) => api.group))];
  const names = new Set([parts.name]);
  const custom = groups.map((group) => {
    let name = `${parts.name}-${GROUP_NAMES[group] ?? group.split('.')[0]}`.slice(0, MAX_NAME).replace(/[-.]+$/, '');
    for (let n = 2; names.has(name); n++) name = `${name.slice(0, MAX_NAME - String(n).length - 1)}-${n}`;
    names.add(name);
    return { group, name, resources: parts.resources.filter((api) => api.group === group) };
  });
  return [...(kubernetes.length ? [{ name: parts.name, resources: kubernetes }] : []), ...custom];
}

/**
 * The same check as Kyverno ClusterPolicies (kyverno.io/v1, CEL validation): one for the
 * Kubernetes kinds, named like the ValidatingAdmissionPolicy, and one per custom resource's API
 * group. Deny becomes `failureAction: Enforce`; otherwise Audit (policy reports), with
 * `emitWarning` for Warn.
 */
export function kyvernoClusterPolicy(parts: PolicyParts): Array<Record<string, unknown>> {
  const { scope } = parts;
  return byApiGroup(parts).map(({ group, name, resources: all }) => {
    const resources = distinctResources(all);
    const excludedKinds = resources.filter((api) => scope.excludedKinds.includes(api.kind)).flatMap((api) => kindSelectors(api));
    const exclude = [
      ...(excludedKinds.length ? [{ resources: { kinds: excludedKinds } }] : []),
      ...(scope.excludedNamespaces.length ? [{ resources: { namespaces: scope.excludedNamespaces } }] : []),
    ];
    const variables = policyVariables(parts, all);
    const metadata = policyMetadata(parts, {
      'policies.kyverno.io/title': parts.rule.meta.title,
      'policies.kyverno.io/severity': KYVERNO_SEVERITY[parts.severity],
      'policies.kyverno.io/subject': resources.map((api) => api.kind).join(', '),
      'policies.kyverno.io/description': parts.rule.meta.docs.what,
    });
    return {
      apiVersion: 'kyverno.io/v1',
      kind: 'ClusterPolicy',
      metadata: { ...metadata, name, ...(group && group.length <= 63 ? { labels: { ...(metadata.labels as Record<string, string>), [API_GROUP_LABEL]: group } } : {}) },
      spec: {
        background: true,
        ...(parts.actions.includes('Warn') && !parts.actions.includes('Deny') ? { emitWarning: true } : {}),
        rules: [
          {
            name: parts.rule.meta.id,
            match: { any: [{ resources: { kinds: resources.flatMap((api) => kindSelectors(api)), operations: ['CREATE', 'UPDATE'] } }] },
            ...(exclude.length ? { exclude: { any: exclude } } : {}),
            ...(scope.conditions.length ? { celPreconditions: scope.conditions } : {}),
            validate: {
              failureAction: parts.actions.includes('Deny') ? 'Enforce' : 'Audit',
              cel: {
                ...(variables.length ? { variables } : {}),
                expressions: parts.validations.map((v) => ({ expression: v.expression, messageExpression: v.messageExpression, message: parts.message })),
              },
            },
          },
        ],
      },
    };
  });
}
