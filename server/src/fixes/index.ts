/**
 * The fixes the analyses' findings offer, for the rules: NetworkPolicies generated from what
 * reaches a workload, ServiceAccount and RBAC edits, audit-policy rules. They are built on the
 * analyses and the generic edits of `edits/`, and only when a finding's fixes are read.
 */
export { insertAuditRule, type NewAuditRule } from './audit-policy';
export { ciliumDnsEgressRule, dnsEgressRule } from './network/generate-policy';
export { defaultDenyFix, defaultDenyNewFiles, isolateNamespaceFix, leastPrivilegeFix } from './network/policy-fixes';
export { appendServiceAccount, dedicatedServiceAccountFix, editsOn, removeSeqItems, replaceSeqItem } from './rbac';
