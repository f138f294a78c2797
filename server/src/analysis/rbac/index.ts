import type { ProjectionName } from '../../workspace/projections';

/**
 * RBAC and ServiceAccount analysis for the identity rules and hovers: rule matching as the
 * API server evaluates it, the workspace's roles and bindings resolved into the chain
 * workload → ServiceAccount → bindings → roles (aggregation and built-in roles included),
 * built once per snapshot, and the messages the rules share (their edits are in `fixes/`).
 */
export { DISCOVERY_ROLES } from './built-in-roles';
export {
  CSR_APPROVAL,
  DANGEROUS,
  describeRequests,
  ESCALATION_VERBS,
  ESCALATIONS,
  joinWithAnd,
  POD_EXEC,
  RBAC_WRITES,
  SECRETS_READ,
  STANDARD_VERBS,
  TOKEN_CREATION,
  WEBHOOK_CONFIGURATION,
  WORKLOAD_CREATION,
  type Permission,
  type AccessRequest,
} from './permissions';
export { accessSummary, bindingRuleSet, describeRole, effectiveGrants, grantsData, hasFullAccess } from './describe';
export { BINDING_KINDS, bindingsIn, describeSubjects, permissionHits, ROLE_AND_BINDING_KINDS, ROLE_KINDS, roleRulesIn, ruleGrants, type PermissionHit, type RoleRule } from './findings';
export { bindingLabel, rbacGraph, serviceAccountIdentity, subjectApplies, type SubjectRef } from './graph';
export type { RuleItem } from './policy-rule';
export { serviceAccountsNamed, serviceAccountUse, tokenMount } from './service-accounts';

/** What the RBAC analysis reads of the workspace's resources (List items included): rules built on it declare these. */
export const RBAC_READS = ['identity', 'labels', 'rbac', 'serviceAccounts', 'podIdentity', 'customResourceDefinitions'] as const satisfies readonly ProjectionName[];
