/**
 * Everything a rule in `rules/` may import: the rule contract, the resource model and the
 * fix builders. Rules stay pure functions of a resource (and the workspace view).
 */
export { defineRule } from './engine/rule';
export type { FixSpec, Report, Rule, RuleCases, RuleContext, RuleMeta } from './engine/rule';
export type { Resource } from './model/resource';
export type { ContainerView, PodSpecView } from './model/pod-spec';
export { WORKLOAD_KINDS } from './model/pod-spec';
export type { MapView, SeqView } from './model/yaml-view';
export { containerAnchor, containerTarget, describeContainer, effectiveField, isWindowsPod } from './model/security-context';
export { appendToSeq, removePair, removeSeqItem, replaceNode, setPath } from './fixes/yaml-edits';
export type { OffsetEdit } from './fixes/offset-edit';
export type { WorkspaceView } from './workspace/workspace';
