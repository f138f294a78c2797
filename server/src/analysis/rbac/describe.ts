import { DANGEROUS, describeRequests, grantedRequests, isAdminEquivalent, joinWithAnd, type AccessRequest, type Scope } from './permissions';
import { bindingLabel, roleLabel, type BindingNode, type Grant, type RbacGraph, type RoleNode, type SourcedRule } from './graph';
import type { PolicyRule } from './policy-rule';

/** Rules and where they apply: one role, or what a binding grants. */
export interface RuleSet {
  readonly rules: readonly SourcedRule[];
  readonly scope: Scope;
  readonly unknown?: boolean;
}

const MAX_PHRASES = 3;

/** A RoleBinding grants in its namespace only, a ClusterRoleBinding everywhere. */
export function bindingScope(binding: BindingNode): Scope {
  return binding.namespace === undefined ? 'cluster' : 'namespace';
}

export function grantRuleSet(grant: Grant): RuleSet {
  return { rules: grant.rules, scope: bindingScope(grant.binding), unknown: grant.role?.unknown };
}

/** What a binding grants, whoever its subjects are. */
export function bindingRuleSet(graph: RbacGraph, binding: BindingNode): RuleSet {
  const role = graph.roleOf(binding);
  return { rules: role ? graph.rulesOf(role) : [], scope: bindingScope(binding), unknown: role?.unknown };
}

/** True when the rules together amount to `cluster-admin` (`isAdminEquivalent`). */
export function hasFullAccess(sets: readonly RuleSet[]): boolean {
  return isAdminEquivalent(sets.flatMap((set) => set.rules.map((r) => r.rule)));
}

/** What rules allow, in words, for "…, which <summary>": "can get, list secrets and create pods". */
export function accessSummary(sets: readonly RuleSet[]): string {
  if (hasFullAccess(sets)) return 'can do anything, as cluster-admin';
  const phrases: string[] = [];
  for (const permission of DANGEROUS) {
    const granted: AccessRequest[] = [];
    for (const set of sets) for (const r of set.rules) granted.push(...grantedRequests(r.rule, permission, set.scope));
    if (granted.length) phrases.push(describeRequests(granted));
  }
  if (phrases.length > MAX_PHRASES) return `can ${phrases.slice(0, MAX_PHRASES).join('; ')} and more`;
  if (phrases.length) return `can ${joinWithAnd(phrases)}`;
  const rules = sets.flatMap((s) => s.rules);
  if (rules.length) return `can ${describeRule(rules[0].rule)}${rules.length > 1 ? ` and ${rules.length - 1} more rule${rules.length > 2 ? 's' : ''}` : ''}`;
  if (sets.some((s) => s.unknown)) return 'grants permissions not known here';
  return 'grants nothing';
}

const MAX_TARGETS = 4;

/** "get, list pods, services" or "get /metrics" (long lists cut with "…") */
function describeRule(rule: PolicyRule): string {
  const targets = rule.resources.length ? rule.resources : rule.nonResourceURLs;
  const shown = targets.slice(0, MAX_TARGETS).join(', ') + (targets.length > MAX_TARGETS ? ', …' : '');
  const names = rule.resourceNames.length ? ` named ${rule.resourceNames.join(', ')}` : '';
  return `${rule.verbs.join(', ')} ${shown}${names}`;
}

/**
 * `ClusterRole edit (built-in)`. `text` writes the kind and name: as is for plain text
 * (messages), escaped for Markdown (hovers).
 */
export function describeRole(role: RoleNode | undefined, fallback: { kind: string; name: string }, text: (value: string) => string = (value) => value): string {
  if (!role) return `${text(`${fallback.kind} ${fallback.name}`)} (defined nowhere)`;
  if (!role.builtIn) return text(roleLabel(role));
  return `${text(roleLabel(role))} (built-in${role.objects.length ? ', its rules restored by the API server' : ''})`;
}

/**
 * What bindings give an account, for "bound by {{bindings}}, which {{access}}": `bindings`
 * "RoleBinding api-rw to Role api-rw" (at most three, those naming the account first), `access`
 * what their roles allow together ("can list secrets", accessSummary).
 */
export function grantsData(grants: readonly Grant[]): { bindings: string; access: string } {
  // Bindings that name the account come before those that reach it through a group.
  const ordered = [...grants].sort((a, b) => Number(a.subject.kind === 'Group') - Number(b.subject.kind === 'Group'));
  const shown = ordered.slice(0, MAX_PHRASES).map((g) => {
    const via = g.subject.kind === 'Group' ? ` (through group ${g.subject.name})` : '';
    return `${bindingLabel(g.binding)} to ${describeRole(g.role, g.binding.roleRef)}${via}`;
  });
  const hidden = grants.length - shown.length;
  const bindings = hidden > 0 ? `${shown.join(', ')} and ${hidden} more binding${hidden > 1 ? 's' : ''}` : joinWithAnd(shown);
  return { bindings, access: accessSummary(grants.map(grantRuleSet)) };
}

/** Grants that give something: a role with rules, or one whose rules are unknown. */
export function effectiveGrants(grants: readonly Grant[]): Grant[] {
  return grants.filter((g) => g.rules.length > 0 || g.role?.unknown);
}
