import type { Node } from 'yaml';
import type { Resource } from '../../model/resource';
import type { WorkspaceView } from '../../workspace/snapshot';
import { describeRequests, grantedRequests, isAdminEquivalent, joinWithAnd, offendingItem, withoutWildcards, type Permission, type AccessRequest, type Scope } from './permissions';
import { bindingScope, describeRole } from './describe';
import { isHarmlessDelegation } from './delegation';
import { bindingLabel, rbacGraph, subjectLabel, type BindingNode, type SubjectRef } from './graph';
import { readRules, type WrittenRule } from './policy-rule';
import { workloadsUsing } from './service-accounts';

/** What the RBAC rules look at. */
export const ROLE_KINDS: readonly string[] = ['Role', 'ClusterRole'];
export const BINDING_KINDS: readonly string[] = ['RoleBinding', 'ClusterRoleBinding'];
export const ROLE_AND_BINDING_KINDS: readonly string[] = [...new Set([...ROLE_KINDS, ...BINDING_KINDS])];

/** A rule written in a Role or ClusterRole of a document. */
export interface RoleRule {
  readonly object: Resource;
  readonly rule: WrittenRule;
  /** A Role's rules apply in its namespace; a ClusterRole's can apply cluster-wide. */
  readonly scope: Scope;
  /** `Role api-rw (rules[1])` for messages. */
  readonly where: string;
}

/**
 * The rules the API server would use, of the Roles and ClusterRoles in a document. An
 * aggregated ClusterRole's own rules are skipped: the aggregation controller overwrites them.
 */
export function roleRulesIn(resource: Resource): readonly RoleRule[] {
  // Every permission rule asks for them.
  return resource.derived('rbac/role-rules', '', () => {
    const out: RoleRule[] = [];
    if (resource.kind !== 'Role' && resource.kind !== 'ClusterRole') return out;
    if (resource.kind === 'ClusterRole' && resource.root.has('aggregationRule')) return out;
    const scope: Scope = resource.kind === 'Role' ? 'namespace' : 'cluster';
    for (const rule of readRules(resource.root)) out.push({ object: resource, rule, scope, where: `${resource.kind} ${resource.name} (rules[${rule.index}])` });
    return out;
  });
}

/** The bindings written in a document, resolved against the workspace. */
export function bindingsIn(resource: Resource, workspace: WorkspaceView): readonly BindingNode[] {
  return rbacGraph(workspace).bindingsIn(resource);
}

export interface PermissionHit {
  readonly node: Node;
  readonly granted: readonly AccessRequest[];
  /** The written rule that grants it; absent when a binding grants it through a role whose rules are not written here. */
  readonly roleRule?: RoleRule;
  /**
   * What the rule's message names (names and lists, never prose): `requests` ("get, list
   * secrets") and `where` ("Role api-rw (rules[1])") for a written rule; `requests`, `binding`,
   * `role` and `subjects` (describeSubjects) for a binding.
   */
  readonly data: Readonly<Record<string, string>>;
}

/**
 * What a written rule grants of a permission, in its scope: explicitly (its `*` items left out)
 * or with its wildcards. `bind`/`escalate` delegated on harmless named roles is left out.
 */
export function ruleGrants(roleRule: RoleRule, permission: Permission, workspace: WorkspaceView, wildcards: 'explicit' | 'with-wildcards'): AccessRequest[] {
  const rule = wildcards === 'explicit' ? withoutWildcards(roleRule.rule) : roleRule.rule;
  return grantedRequests(rule, permission, roleRule.scope).filter((request) => !isHarmlessDelegation(roleRule.object, roleRule.rule, roleRule.scope, request, workspace));
}

/**
 * Where a document grants a permission: at the offending item of each written rule that grants
 * it explicitly, and at the `roleRef` of each binding whose role grants it through rules not
 * written in the workspace (built-in roles, or aggregations of them), so every grant is reported
 * once. What only a `*` grants is rbac-wildcard's finding, and a binding of a role equivalent to
 * cluster-admin rbac-cluster-admin-binding's: one root cause, one finding.
 */
export function permissionHits(resource: Resource, workspace: WorkspaceView, permission: Permission): PermissionHit[] {
  const hits: PermissionHit[] = [];
  for (const roleRule of roleRulesIn(resource)) {
    const granted = ruleGrants(roleRule, permission, workspace, 'explicit');
    if (granted.length) hits.push({ node: offendingItem(roleRule.rule, permission, granted), granted, roleRule, data: { where: roleRule.where, requests: describeRequests(granted) } });
  }
  const graph = rbacGraph(workspace);
  for (const binding of bindingsIn(resource, workspace)) {
    const role = graph.roleOf(binding);
    if (!role || binding.subjects.length === 0 || !binding.roleRef.node) continue;
    const scope = bindingScope(binding);
    const rules = graph.rulesOf(role);
    if (isAdminEquivalent(rules.map((r) => r.rule))) continue;
    const granted = rules.filter((r) => !r.written).flatMap((r) => grantedRequests(r.rule, permission, scope));
    if (!granted.length) continue;
    hits.push({
      node: binding.roleRef.node,
      granted,
      data: { binding: bindingLabel(binding), role: describeRole(role, binding.roleRef), subjects: describeSubjects(binding, workspace), requests: describeRequests(granted) },
    });
  }
  return hits;
}

const MAX_SUBJECTS = 2;

/**
 * "ServiceAccount ns/api (used by Deployment/api) and Group devs", "User a, User b and 3 more
 * subjects": the ServiceAccounts say which workloads of the workspace run as them.
 */
export function describeSubjects(binding: BindingNode, workspace: WorkspaceView): string {
  const shown = binding.subjects.slice(0, MAX_SUBJECTS).map((s) => `${subjectLabel(s)}${usedBy(s, workspace)}`);
  const more = binding.subjects.length - shown.length;
  return more > 0 ? `${shown.join(', ')} and ${more} more subject${more > 1 ? 's' : ''}` : joinWithAnd(shown);
}

/** " (used by Deployment/api)" for a ServiceAccount workloads run as; '' otherwise. */
function usedBy(subject: SubjectRef, workspace: WorkspaceView): string {
  if (subject.kind !== 'ServiceAccount' || subject.namespace === undefined) return '';
  const users = workloadsUsing(workspace, subject.namespace, subject.name);
  if (!users.length) return '';
  return ` (used by ${users.slice(0, MAX_SUBJECTS).map((w) => w.label).join(', ')}${users.length > MAX_SUBJECTS ? ', …' : ''})`;
}
