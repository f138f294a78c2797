import { resourceRules } from './api-resources';
import { policyVariables, type PolicyParts } from './policy-parts';

/** Labels and annotations every exported policy carries: what made it, from which rule, at which severity. */
export function policyMetadata(parts: PolicyParts, extra: Record<string, string> = {}): Record<string, unknown> {
  return {
    name: parts.name,
    labels: { 'app.kubernetes.io/managed-by': 'kube-zero-trust' },
    annotations: {
      ...extra,
      'kube-zero-trust.io/rule': parts.rule.meta.id,
      'kube-zero-trust.io/severity': parts.severity,
      ...(parts.scope.expires ? { 'kube-zero-trust.io/exemptions-expire': parts.scope.expires } : {}),
    },
  };
}

/** A ValidatingAdmissionPolicy (admissionregistration.k8s.io/v1) and its binding for one rule. */
export function validatingAdmissionPolicy(parts: PolicyParts): Array<Record<string, unknown>> {
  const { scope } = parts;
  const variables = policyVariables(parts);
  const excluded = parts.resources.filter((api) => scope.excludedKinds.includes(api.kind));
  const policy = {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingAdmissionPolicy',
    metadata: policyMetadata(parts),
    spec: {
      // Fail closed: an object the policy cannot judge is treated as a denial (which only the Deny action refuses).
      failurePolicy: 'Fail',
      matchConstraints: { resourceRules: resourceRules(parts.resources) },
      ...(scope.conditions.length ? { matchConditions: scope.conditions } : {}),
      ...(variables.length ? { variables } : {}),
      validations: parts.validations.map((v) => ({ expression: v.expression, messageExpression: v.messageExpression, message: parts.message })),
    },
  };
  const matchResources = {
    ...(scope.excludedNamespaces.length
      ? { namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: scope.excludedNamespaces }] } }
      : {}),
    ...(excluded.length
      ? { excludeResourceRules: resourceRules(excluded).map((rule) => ({ ...rule, operations: ['*'] })) }
      : {}),
  };
  const binding = {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingAdmissionPolicyBinding',
    metadata: { name: parts.name, labels: { 'app.kubernetes.io/managed-by': 'kube-zero-trust' }, annotations: { 'kube-zero-trust.io/rule': parts.rule.meta.id } },
    spec: {
      policyName: parts.name,
      validationActions: [...parts.actions],
      ...(Object.keys(matchResources).length ? { matchResources } : {}),
    },
  };
  return [policy, binding];
}
