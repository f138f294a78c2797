import type { Resource } from '../../model/resource';
import { Workspace } from '../../workspace/workspace';
import type { WorkspaceView } from '../../workspace/snapshot';
import { BUILT_IN_CLUSTER_ROLES } from './built-in-roles';
import { rbacGraph, type RoleNode } from './graph';
import { DANGEROUS, grantedRequests, isAdminEquivalent, RBAC_GROUP, type AccessRequest, type Scope } from './permissions';
import { allowsResource, readRules, type PolicyRule } from './policy-rule';

/**
 * RBAC's delegation pattern (kubernetes.io/docs/reference/access-authn-authz/rbac, "Restrictions
 * on role binding creation or update"): `bind` limited by `resourceNames` to roles that grant
 * nothing dangerous lets a subject hand out only those roles, which is not an escalation.
 * `escalate` limited the same way is harmless too, unless the role can also update or patch
 * those roles: then it can write any permission into them. A named role that grants an
 * escalation, exec, workload creation, Secrets or everything (`cluster-admin`, `admin`,
 * `edit`), or that the workspace does not define, keeps the request an escalation.
 */
export function isHarmlessDelegation(object: Resource, rule: PolicyRule, scope: Scope, request: AccessRequest, workspace: WorkspaceView): boolean {
  if (request.group !== RBAC_GROUP || (request.verb !== 'bind' && request.verb !== 'escalate')) return false;
  const names = rule.resourceNames;
  if (names.length === 0) return false;
  const targets = names.flatMap((name) => namedRoles(object, request.resource, name, workspace) ?? [undefined]);
  if (!targets.every((role) => role !== undefined && !grantsDanger(role, scope, workspace))) return false;
  return request.verb === 'bind' || !canRewrite(object, request.resource, names);
}

/** The roles a `roles`/`clusterroles` name reaches; undefined when the workspace knows none. */
function namedRoles(object: Resource, resource: string, name: string, workspace: WorkspaceView): RoleNode[] | undefined {
  const graph = rbacGraph(workspace);
  if (resource === 'clusterroles') {
    const role = graph.roleNamed('ClusterRole', name, undefined);
    return role && !role.unknown ? [role] : undefined;
  }
  // A Role binds Roles of its own namespace; a ClusterRole's rule applies in any namespace it is bound in.
  const roles = object.kind === 'Role' ? [graph.roleNamed('Role', name, object.effectiveNamespace(workspace.defaultNamespace))].filter((r): r is RoleNode => !!r) : graph.rolesNamed(name);
  return roles.length ? roles : undefined;
}

function grantsDanger(role: RoleNode, scope: Scope, workspace: WorkspaceView): boolean {
  const rules = rbacGraph(workspace).rulesOf(role).map((r) => r.rule);
  return isAdminEquivalent(rules) || DANGEROUS.some((permission) => rules.some((rule) => grantedRequests(rule, permission, scope).length > 0));
}

/** Whether the object's rules let it update or patch one of the named roles. */
function canRewrite(object: Resource, resource: string, names: readonly string[]): boolean {
  return readRules(object.root).some((rule) => ['update', 'patch'].some((verb) => names.some((name) => allowsResource(rule, { verb, group: RBAC_GROUP, resource, name }))));
}

/**
 * The built-in ClusterRoles that grant nothing dangerous in a scope, as a cluster without other
 * roles resolves them (`view` among them): what a check that sees one object alone can rely on.
 */
export function harmlessBuiltInClusterRoles(scope: Scope): string[] {
  const workspace = new Workspace();
  const graph = rbacGraph(workspace);
  return BUILT_IN_CLUSTER_ROLES.map((r) => r.name).filter((name) => !grantsDanger(graph.roleNamed('ClusterRole', name, undefined)!, scope, workspace));
}
