import { harmlessBuiltInClusterRoles } from '../analysis/rbac/delegation';
import { RBAC_GROUP, type AccessRequest, type Permission } from '../analysis/rbac/permissions';
import type { AdmissionValidation } from '../engine/rule';
import { celList, celString } from './cel';

/**
 * The RBAC rules' findings on written roles as admission checks. A Role or ClusterRole is judged
 * by its own `rules` alone (as analysis/rbac reads a written rule, policy-rule.ts); what bindings
 * grant through roles written elsewhere needs those roles and stays in the editor.
 */

/** The kinds whose rules these checks judge. */
export const ROLE_OBJECT_KINDS: readonly string[] = ['Role', 'ClusterRole'];

/** An aggregated ClusterRole's rules are the controller's union of others: roleRulesIn skips it. */
const WRITTEN_ROLE = '(object.kind == "Role" || (object.kind == "ClusterRole" && !has(object.aggregationRule)))';
const RULES = '(has(object.rules) ? object.rules : [])';
const NAME = '(has(object.metadata.name) ? object.metadata.name : "")';

/**
 * CEL: a `rules` entry `r` allows the request explicitly, as the rules read a written rule
 * (permissions.ts `withoutWildcards`): the verb, the group and the resource (`resource/sub` or a
 * `*` subresource pattern) named, not matched by a `*`, which rbac-wildcard reports instead;
 * named resources only when the request names none.
 */
function allows(request: AccessRequest): string {
  const path = request.subresource ? `${request.resource}/${request.subresource}` : request.resource;
  const resources = new Set([path, ...(request.subresource ? [`*/${request.subresource}`] : [])]);
  const tests = [
    `(has(r.verbs) && r.verbs.exists(v, v == ${celString(request.verb)}))`,
    `(has(r.apiGroups) && r.apiGroups.exists(g, g == ${celString(request.group)}))`,
    `(has(r.resources) && r.resources.exists(x, x in ${celList(resources)}))`,
    ...(request.anyName ? [] : ['(!has(r.resourceNames) || size(r.resourceNames) == 0)']),
    ...(isDelegation(request) ? [`!${harmlessDelegation(request)}`] : []),
    // A Role cannot grant a cluster-scoped resource.
    ...(request.clusterScoped ? ['object.kind == "ClusterRole"'] : []),
  ];
  return `(${tests.join(' && ')})`;
}

function isDelegation(request: AccessRequest): boolean {
  return request.group === RBAC_GROUP && (request.verb === 'bind' || request.verb === 'escalate');
}

/**
 * CEL: `bind`/`escalate` limited to named roles that grant nothing dangerous (delegation.ts). One
 * object alone shows no other role, so only the harmless built-in ClusterRoles count as such
 * (`view`…); `escalate` also needs the role unable to update or patch them.
 */
function harmlessDelegation(request: AccessRequest): string {
  const harmless = (scope: 'cluster' | 'namespace') => (request.resource === 'clusterroles' ? celList(harmlessBuiltInClusterRoles(scope)) : '[]');
  const named = `(has(r.resourceNames) && size(r.resourceNames) > 0 && r.resourceNames.all(n, n in (object.kind == "ClusterRole" ? ${harmless('cluster')} : ${harmless('namespace')})))`;
  if (request.verb === 'bind') return named;
  const rewrites =
    `${RULES}.exists(w, (has(w.verbs) && w.verbs.exists(v, v in ["update", "patch", "*"])) && (has(w.apiGroups) && w.apiGroups.exists(g, g in [${celString(RBAC_GROUP)}, "*"])) && ` +
    `(has(w.resources) && w.resources.exists(x, x in [${celString(request.resource)}, "*"])) && (!has(w.resourceNames) || size(w.resourceNames) == 0 || w.resourceNames.exists(n, n in r.resourceNames)))`;
  return `(${named} && !${rewrites})`;
}

function allowsAny(permission: Permission): string {
  return `(${permission.requests.map(allows).join(' || ')})`;
}

/** Denies a written role with a rule that grants one of `permissions` explicitly (permissionHits). */
export function roleGrantsCheck(permissions: readonly Permission[], message: string): AdmissionValidation {
  const hit = `r, ${permissions.map(allowsAny).join(' || ')}`;
  return {
    expression: `!(${WRITTEN_ROLE} && ${RULES}.exists(${hit}))`,
    messageExpression: `object.kind + " " + ${NAME} + ${celString(` ${message}`)}`,
  };
}

/** Denies a written role with `*` in a rule's verbs, resources or API groups (rbac-wildcard). */
export function roleWildcardCheck(message: string): AdmissionValidation {
  const wildcard = (field: string) => `(has(r.${field}) && r.${field}.exists(x, x == "*"))`;
  return {
    expression: `!(${WRITTEN_ROLE} && ${RULES}.exists(r, ${wildcard('verbs')} || ${wildcard('resources')} || ${wildcard('apiGroups')}))`,
    messageExpression: `object.kind + " " + ${NAME} + ${celString(` ${message}`)}`,
  };
}
