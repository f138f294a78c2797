import { FULL_ACCESS, type AccessRequest, type Permission } from '../analysis/rbac/permissions';
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

/** CEL: a `rules` entry `r` allows the request, as allowsResource does (a wildcard, `resource/sub`, a wildcard subresource pattern; named resources only when the request names none). */
function allows(request: AccessRequest): string {
  const path = request.subresource ? `${request.resource}/${request.subresource}` : request.resource;
  const resources = new Set(['*', path, ...(request.subresource ? [`*/${request.subresource}`] : [])]);
  const tests = [
    `(has(r.verbs) && r.verbs.exists(v, v in ${celList(new Set(['*', request.verb]))}))`,
    `(has(r.apiGroups) && r.apiGroups.exists(g, g in ${celList(new Set(['*', request.group]))}))`,
    `(has(r.resources) && r.resources.exists(x, x in ${celList(resources)}))`,
    ...(request.anyName ? [] : ['(!has(r.resourceNames) || size(r.resourceNames) == 0)']),
    // A Role cannot grant a cluster-scoped resource.
    ...(request.clusterScoped ? ['object.kind == "ClusterRole"'] : []),
  ];
  return `(${tests.join(' && ')})`;
}

function allowsAny(permission: Permission): string {
  return `(${permission.requests.map(allows).join(' || ')})`;
}

/**
 * Denies a written role with a rule that grants one of `permissions` (permissionHits): not a
 * rule that grants everything (`*` on `*`), which rbac-wildcard reports once instead.
 */
export function roleGrantsCheck(permissions: readonly Permission[], message: string): AdmissionValidation {
  const hit = `r, !${allowsAny(FULL_ACCESS)} && (${permissions.map(allowsAny).join(' || ')})`;
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
