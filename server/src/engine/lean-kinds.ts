import type { KeptPaths, LeanPolicy } from '../parsing/lean-parse';
import type { PodTemplates } from '../model/pod-templates';
import { isListKind } from '../model/resource';
import { pathsFor, PROJECTIONS } from '../workspace/projections';
import type { Rule } from './rule';

/**
 * What is read of an object of a kind no rule checks: its identity and metadata (a rule without
 * `kinds` reads nothing else of its own object, and suppressions and peers' annotations live
 * there; tested), and what cross-resource rules read of it (their projections).
 */
const ALWAYS: KeptPaths = [['apiVersion'], ['kind'], ['metadata']];

/** Kinds read outside the rules: the Kustomize graph reads kustomizations whole. */
const READ_ELSEWHERE = new Set(['Kustomization', 'Component']);

/**
 * Which paths of a document of each kind anything reads (`ParseOptions.lean`): for a kind that
 * no rule's `kinds` take in, that no configured or built-in pod template makes a workload and
 * that holds no other objects, only `ALWAYS` and the projections of that kind; undefined (the
 * whole document) for every other kind. A CustomResourceDefinition keeps its names, group,
 * scope and versions; its schema is never built.
 */
export function leanPolicy(rules: readonly Rule[], podTemplates: PodTemplates): LeanPolicy {
  const byKind = new Map<string, KeptPaths | undefined>();
  const checked = new Set(rules.flatMap((rule) => rule.meta.kinds ?? []));
  const projections = Object.values(PROJECTIONS);
  return (kind) => {
    if (byKind.has(kind)) return byKind.get(kind);
    const whole = checked.has(kind) || isListKind(kind) || READ_ELSEWHERE.has(kind) || podTemplates.anyHolds(kind);
    const kept = whole ? undefined : [...ALWAYS, ...pathsFor({ kind, podTemplate: undefined }, projections)];
    byKind.set(kind, kept);
    return kept;
  };
}
