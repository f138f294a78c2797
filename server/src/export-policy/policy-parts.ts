import { effectiveSeverity, ruleOptionsOf, type EngineConfig } from '../engine/config';
import type { AdmissionValidation, Rule, Severity } from '../engine/rule';
import { podKinds, podVariables, type PolicyVariable } from './pod-variables';
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
  kinds: readonly string[];
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

export function policyParts(rule: Rule, config: EngineConfig, actions?: readonly ValidationAction[]): PolicyParts {
  const check = rule.meta.admission!;
  const severity = effectiveSeverity(rule, config)!;
  const pod = check.subject === 'pod';
  const kinds = check.kinds ?? (pod ? podKinds().map((k) => k.kind) : (rule.meta.kinds ?? []));
  if (kinds.length === 0) throw new Error(`rule ${rule.meta.id}: an object admission check needs the rule's kinds`);
  const scope = policyScope(rule.meta, config);
  return {
    rule,
    name: POLICY_NAME_PREFIX + rule.meta.id,
    severity,
    actions: actions ?? ACTIONS_OF_SEVERITY[severity],
    kinds,
    variables: [...(pod ? podVariables(scope.exemptContainer) : []), ...(check.variables ?? [])],
    validations: check.validations(config.profile, ruleOptionsOf(rule, config)),
    message: `${rule.meta.title} (kube-zero-trust rule ${rule.meta.id}).`,
    scope,
  };
}
