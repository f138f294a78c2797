/**
 * The common things a rule in `rules/` imports: the rule contract, the resource model, the
 * Pod Security Standards tables and the fix builders. Rule families with cross-resource
 * analyses also import their own barrel (`server/src/analysis/network`, `…/rbac`,
 * `…/credentials`). Rules stay pure functions of a resource and the workspace view.
 */
export { defineRule } from './engine/rule';
export type { AdmissionCheck, AdmissionValidation, FixSpec, ReportDescriptor, Rule, RuleCases, RuleContext, RuleMeta } from './engine/rule';
export { celList, celString, celTemplate, hasPath } from './export-policy/cel';
export { containerCheck, containerTemplateCheck, POD_CEL, privilegedCel } from './export-policy/pod-variables';
export { celCredentialShape, celNamedCredential } from './export-policy/credential-checks';
export { ROLE_OBJECT_KINDS, roleGrantsCheck, roleWildcardCheck } from './export-policy/rbac-checks';
export { isAuditPolicy, isConfigurationFile, isKubeconfig, type Resource } from './model/resource';
export type { ContainerView, PodSpecView } from './model/pod-spec';
export { WORKLOAD_KINDS } from './model/pod-spec';
export type { MapView, SeqView } from './model/yaml-view';
export { containerAnchor, containerTarget, describeContainer, effectiveField, isPrivileged, isWindowsPod, onlyPrivilegedContainers } from './model/security-context';
export { containerFieldRule, PRIVILEGED_CONTAINERS, USER_NAMESPACED_PODS_IN_BASELINE, WINDOWS_PODS, type ContainerField, type Exemption } from './rules-kit/container-field';
export { appendToSeq, removePair, removeSeqItem, replaceNode, setPath } from './edits/yaml-edits';
export { indentUnit } from './edits/source-text';
export type { OffsetEdit } from './edits/offset-edit';
export type { WorkspaceView } from './workspace/snapshot';
export * from './model/pss';
