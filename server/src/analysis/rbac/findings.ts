import type { Node } from 'yaml';
import type { Resource } from '../../model/resource';
import type { WorkspaceView } from '../../workspace/workspace';
import { FULL_ACCESS, grantedRequests, offendingItem, type Permission, type AccessRequest, type Scope } from './permissions';
import { bindingScope, describeRole } from './describe';
import { bindingLabel, rbacGraph, subjectLabel, type BindingNode, type RoleNode } from './graph';
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
  /** How a message starts: `Role api-rw (rules[1]) can`, or `RoleBinding x binds ClusterRole edit (built-in) to …, which can`. */
  readonly lead: string;
  readonly roleRule?: RoleRule;
}

/**
 * Where a document grants a permission: at the offending item of each written rule, and at
 * the `roleRef` of each binding whose role grants it through rules not written in the
 * workspace (built-in roles, or aggregations of them), so every grant is reported once.
 * `*` on `*` grants every permission; rbac-wildcard and rbac-cluster-admin-binding report
 * it once instead of every permission rule stacking a finding on the same `*`.
 */
export function permissionHits(resource: Resource, workspace: WorkspaceView, permission: Permission): PermissionHit[] {
  const hits: PermissionHit[] = [];
  for (const roleRule of roleRulesIn(resource)) {
    if (grantedRequests(roleRule.rule, FULL_ACCESS, roleRule.scope).length) continue;
    const granted = grantedRequests(roleRule.rule, permission, roleRule.scope);
    if (granted.length) hits.push({ node: offendingItem(roleRule.rule, permission, granted), granted, lead: `${roleRule.where} can`, roleRule });
  }
  const graph = rbacGraph(workspace);
  for (const binding of bindingsIn(resource, workspace)) {
    const role = graph.roleOf(binding);
    if (!role || binding.subjects.length === 0 || !binding.roleRef.node) continue;
    const scope = bindingScope(binding);
    const rules = graph.rulesOf(role);
    if (rules.some((r) => grantedRequests(r.rule, FULL_ACCESS, scope).length)) continue;
    const granted = rules.filter((r) => !r.written).flatMap((r) => grantedRequests(r.rule, permission, scope));
    if (granted.length) hits.push({ node: binding.roleRef.node, granted, lead: `${bindingWhere(binding, role, workspace)}, which can` });
  }
  return hits;
}

/** `RoleBinding x binds ClusterRole edit (built-in) to ServiceAccount ns/api (used by Deployment/api)` */
function bindingWhere(binding: BindingNode, role: RoleNode | undefined, workspace: WorkspaceView): string {
  return `${bindingLabel(binding)} binds ${describeRole(role, binding.roleRef)} to ${describeSubjects(binding, workspace)}`;
}

const MAX_SUBJECTS = 2;

/** "ServiceAccount ns/api (used by Deployment/api) and Group devs" */
export function describeSubjects(binding: BindingNode, workspace: WorkspaceView): string {
  const shown = binding.subjects.slice(0, MAX_SUBJECTS).map((s) => {
    if (s.kind !== 'ServiceAccount' || s.namespace === undefined) return subjectLabel(s);
    const users = workloadsUsing(workspace, s.namespace, s.name);
    return users.length ? `${subjectLabel(s)} (used by ${users.slice(0, MAX_SUBJECTS).map((w) => w.label).join(', ')}${users.length > MAX_SUBJECTS ? ', …' : ''})` : subjectLabel(s);
  });
  const more = binding.subjects.length - shown.length;
  return shown.join(', ') + (more > 0 ? ` and ${more} more subject${more > 1 ? 's' : ''}` : '');
}
