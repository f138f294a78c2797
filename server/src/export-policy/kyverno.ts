import type { Severity } from '../engine/rule';
import { apiResourceOf } from './api-resources';
import type { PolicyParts } from './policy-parts';
import { policyMetadata } from './validating-admission-policy';

/** Kyverno's severity scale (`policies.kyverno.io/severity`, shown in policy reports). */
const KYVERNO_SEVERITY: Record<Severity, string> = { error: 'high', warning: 'medium', info: 'low' };

/** Kyverno's name of a kind's requests: `Kind`, and `Kind/subresource` for subresources that carry the object. */
function kyvernoKinds(kinds: readonly string[]): string[] {
  return kinds.flatMap((kind) => [kind, ...(apiResourceOf(kind)?.subresources ?? []).map((sub) => `${kind}/${sub}`)]);
}

/**
 * The same check as a Kyverno ClusterPolicy (kyverno.io/v1, CEL validation). Deny becomes
 * `failureAction: Enforce`; otherwise Audit (policy reports), with `emitWarning` for Warn.
 */
export function kyvernoClusterPolicy(parts: PolicyParts): Array<Record<string, unknown>> {
  const { scope } = parts;
  const exclude = [
    ...(scope.excludedKinds.length ? [{ resources: { kinds: scope.excludedKinds } }] : []),
    ...(scope.excludedNamespaces.length ? [{ resources: { namespaces: scope.excludedNamespaces } }] : []),
  ];
  const policy = {
    apiVersion: 'kyverno.io/v1',
    kind: 'ClusterPolicy',
    metadata: policyMetadata(parts, {
      'policies.kyverno.io/title': parts.rule.meta.title,
      'policies.kyverno.io/severity': KYVERNO_SEVERITY[parts.severity],
      'policies.kyverno.io/subject': parts.kinds.join(', '),
      'policies.kyverno.io/description': parts.rule.meta.docs.what,
    }),
    spec: {
      background: true,
      ...(parts.actions.includes('Warn') && !parts.actions.includes('Deny') ? { emitWarning: true } : {}),
      rules: [
        {
          name: parts.rule.meta.id,
          match: { any: [{ resources: { kinds: kyvernoKinds(parts.kinds), operations: ['CREATE', 'UPDATE'] } }] },
          ...(exclude.length ? { exclude: { any: exclude } } : {}),
          ...(scope.conditions.length ? { celPreconditions: scope.conditions } : {}),
          validate: {
            failureAction: parts.actions.includes('Deny') ? 'Enforce' : 'Audit',
            cel: {
              ...(parts.variables.length ? { variables: parts.variables } : {}),
              expressions: parts.validations.map((v) => ({ expression: v.expression, messageExpression: v.messageExpression, message: parts.message })),
            },
          },
        },
      ],
    },
  };
  return [policy];
}
