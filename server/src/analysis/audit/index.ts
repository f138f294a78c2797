/**
 * API server audit policies for the monitoring rules: the policy read as kube-apiserver reads
 * it, which rule decides the level of which requests (rule order, users, groups, verbs,
 * namespaces, resources and names, stages), and the edit that adds a rule in place.
 */
export { AUDIT_LEVELS, AUDIT_STAGES, omitsEveryStage, readAuditPolicy, recordsCompletedRequest, ruleLabel, type AuditLevel, type AuditPolicyModel, type AuditRule, type GroupResources } from './policy';
export { describeScope, evaluate, isLongRunning, OTHER, resourceMatches, verbsOf, withVerbs, type Box, type Evaluation, type RequestClass, type RuleMatch } from './requests';
