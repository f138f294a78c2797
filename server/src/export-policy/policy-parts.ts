import { effectiveSeverity, ruleOptionsOf, type EngineConfig } from '../engine/config';
import type { AdmissionValidation, Rule, Severity } from '../engine/rule';
import { kubernetesResourceOf, type MatchedResource } from './api-resources';
import { podKinds, podVariables, type PodKind, type PolicyVariable } from './pod-variables';
import { policyScope, type PolicyScope } from './suppressions';

/** What a policy does with an object it denies (ValidatingAdmissionPolicyBinding `validationActions`). */
export type ValidationAction = 'Deny' | 'Warn' | 'Audit';
export const VALIDATION_ACTIONS: readonly ValidationAction[] = ['Deny', 'Warn', 'Audit'];

/** A rule's configured severity as enforcement: errors are refused, warnings shown to the client and audited, info only audited. */
export const ACTIONS_OF_SEVERITY: Record<Severity, readonly ValidationAction[]> = {
  error: ['Deny'],
  warning: ['Warn', 'Audit'],
  info: ['Audit'],
};

export const POLICY_NAME_PREFIX = 'kube-zero-trust-';

/** Everything a policy of one rule holds, whatever the format. */
export interface PolicyParts {
  rule: Rule;
  name: string;
  severity: Severity;
  actions: readonly ValidationAction[];
  /** What the policy judges: the resources it matches; for a `pod` check, each with the path to its pod template. */
  resources: readonly (MatchedResource | PodKind)[];
  /** Whether the check judges pods (`resources` are then PodKinds, and the policy needs the pod variables). */
  pod: boolean;
  /** The check's own variables (after the pod variables: see `policyVariables`). */
  variables: readonly PolicyVariable[];
  validations: AdmissionValidation[];
  /** A message for when a messageExpression cannot be evaluated. */
  message: string;
  scope: PolicyScope;
}

/** The rules that have an admission check and run under `config` (rules that are `off` or outside the profile are not exported). */
export function exportedRules(rules: readonly Rule[], config: EngineConfig): Rule[] {
  return rules.filter((rule) => rule.meta.admission && effectiveSeverity(rule, config));
}

/** The rules that run under `config` but cannot be exported: they need other resources, or have no admission check. */
export function rulesNotExported(rules: readonly Rule[], config: EngineConfig): Rule[] {
  return rules.filter((rule) => !rule.meta.admission && effectiveSeverity(rule, config));
}

/** The resources of an object check's kinds (Kubernetes' own: a rule's `kinds` name those). */
function objectResources(rule: Rule, kinds: readonly string[]): MatchedResource[] {
  if (kinds.length === 0) throw new Error(`rule ${rule.meta.id}: an object admission check needs the rule's kinds`);
  return kinds.map((kind) => {
    const api = kubernetesResourceOf(kind);
    if (!api) throw new Error(`no API resource known for kind ${kind}: add it to export-policy/api-resources.ts`);
    return { ...api, version: '*' };
  });
}

export function policyParts(rule: Rule, config: EngineConfig, actions?: readonly ValidationAction[]): PolicyParts {
  const check = rule.meta.admission!;
  const severity = effectiveSeverity(rule, config)!;
  const pod = check.subject === 'pod';
  const resources = pod
    ? podKinds(config.podTemplates).kinds.filter((k) => !check.kinds || check.kinds.includes(k.kind))
    : objectResources(rule, check.kinds ?? rule.meta.kinds ?? []);
  const scope = policyScope(rule.meta, config, resources.map((r) => r.kind));
  return {
    rule,
    name: POLICY_NAME_PREFIX + rule.meta.id,
    severity,
    actions: actions ?? ACTIONS_OF_SEVERITY[severity],
    resources,
    pod,
    variables: check.variables ?? [],
    validations: check.validations(config.profile, ruleOptionsOf(rule, config)),
    message: `${rule.meta.title} (kube-zero-trust rule ${rule.meta.id}).`,
    scope,
  };
}

/** The variables of a policy on `resources` (all of the parts', or the part of them a format puts in one policy). */
export function policyVariables(parts: PolicyParts, resources: PolicyParts['resources'] = parts.resources): PolicyVariable[] {
  return [...(parts.pod ? podVariables(resources as readonly PodKind[], parts.scope.exemptContainer) : []), ...parts.variables];
}
