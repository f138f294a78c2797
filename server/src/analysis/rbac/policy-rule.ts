import { isScalar, type Scalar } from 'yaml';
import { scalarText, type MapView, type SeqView } from '../../model/yaml-view';

/**
 * RBAC policy rules and the API server's matching of a request against them, as
 * k8s.io/kubernetes/pkg/apis/rbac/v1/evaluation_helpers.go and
 * pkg/registry/rbac/validation (`RuleAllows`) evaluate them: exact, case-sensitive
 * strings; `*` alone matches everything in verbs, apiGroups, resources and nonResourceURLs;
 * a resource written as `*` plus `/sub` matches that subresource of every resource; a trailing `*` in a non-resource URL
 * is a prefix match; `resourceNames` has no wildcard and, when set, only admits requests
 * that name one of its objects (so never `list`, `watch` or `create` of arbitrary objects).
 */
export interface PolicyRule {
  readonly apiGroups: readonly string[];
  readonly resources: readonly string[];
  readonly resourceNames: readonly string[];
  readonly verbs: readonly string[];
  readonly nonResourceURLs: readonly string[];
}

export const ALL = '*';

/** A request to a resource: what the authorizer sees for `kubectl get secrets` and the like. */
export interface ResourceRequest {
  verb: string;
  group: string;
  resource: string;
  subresource?: string;
  /** The object's name; requests for no particular object (list, watch, create) have none. */
  name?: string;
}

export interface NonResourceRequest {
  verb: string;
  path: string;
}

export function verbMatches(pattern: string, verb: string): boolean {
  return pattern === ALL || pattern === verb;
}

function apiGroupMatches(pattern: string, group: string): boolean {
  return pattern === ALL || pattern === group;
}

/** `*`, the exact `resource[/subresource]`, or `*` slash `subresource` for a subresource request. */
export function resourceMatches(pattern: string, resource: string, subresource?: string): boolean {
  if (pattern === ALL) return true;
  if (pattern === (subresource ? `${resource}/${subresource}` : resource)) return true;
  return !!subresource && pattern === `*/${subresource}`;
}

function nonResourceURLMatches(pattern: string, path: string): boolean {
  if (pattern === ALL || pattern === path) return true;
  return pattern.endsWith('*') && path.startsWith(pattern.replace(/\*+$/, ''));
}

function resourceNamesMatch(names: readonly string[], name: string | undefined): boolean {
  return names.length === 0 || (name !== undefined && names.includes(name));
}

export function allowsResource(rule: PolicyRule, request: ResourceRequest): boolean {
  return (
    rule.verbs.some((v) => verbMatches(v, request.verb)) &&
    rule.apiGroups.some((g) => apiGroupMatches(g, request.group)) &&
    rule.resources.some((r) => resourceMatches(r, request.resource, request.subresource)) &&
    resourceNamesMatch(rule.resourceNames, request.name)
  );
}

export function allowsNonResource(rule: PolicyRule, request: NonResourceRequest): boolean {
  return rule.verbs.some((v) => verbMatches(v, request.verb)) && rule.nonResourceURLs.some((u) => nonResourceURLMatches(u, request.path));
}

/** One string of a rule's list, with the YAML node to point findings at. */
export interface RuleItem {
  readonly value: string;
  readonly node: Scalar;
  readonly index: number;
}

export type RuleField = 'apiGroups' | 'resources' | 'resourceNames' | 'verbs' | 'nonResourceURLs';
const RULE_FIELDS: readonly RuleField[] = ['apiGroups', 'resources', 'resourceNames', 'verbs', 'nonResourceURLs'];

/** A rule as written in a Role or ClusterRole: its values for matching, its items for positions and fixes. */
export interface WrittenRule extends PolicyRule {
  /** Position in the role's `rules`. */
  readonly index: number;
  readonly map: MapView;
  items(field: RuleField): readonly RuleItem[];
  seq(field: RuleField): SeqView | undefined;
}

/** The rules of a Role or ClusterRole object, skipping items that are not mappings. */
export function readRules(role: MapView): WrittenRule[] {
  return (role.seq('rules')?.maps() ?? []).map((map, index) => writtenRule(map, index));
}

function writtenRule(map: MapView, index: number): WrittenRule {
  const items = new Map<RuleField, RuleItem[]>();
  for (const field of RULE_FIELDS) items.set(field, scalarItems(map.seq(field)));
  const values = (field: RuleField) => items.get(field)!.map((i) => i.value);
  return {
    index,
    map,
    apiGroups: values('apiGroups'),
    resources: values('resources'),
    resourceNames: values('resourceNames'),
    verbs: values('verbs'),
    nonResourceURLs: values('nonResourceURLs'),
    items: (field) => items.get(field)!,
    seq: (field) => map.seq(field),
  };
}

/** Scalar items with their index in the sequence (what removing or replacing one needs). */
function scalarItems(seq: SeqView | undefined): RuleItem[] {
  const out: RuleItem[] = [];
  seq?.node.items.forEach((item, index) => {
    const node = seq.ctx.deref(item);
    const text = isScalar(node) ? scalarText(node) : undefined;
    if (text !== undefined) out.push({ value: text, node: node as Scalar, index });
  });
  return out;
}

/** A compact rule literal for built-in roles and tests. */
export function rule(apiGroups: string[], resources: string[], verbs: string[], resourceNames: string[] = []): PolicyRule {
  return { apiGroups, resources, verbs, resourceNames, nonResourceURLs: [] };
}

export function urlRule(nonResourceURLs: string[], verbs: string[]): PolicyRule {
  return { apiGroups: [], resources: [], verbs, resourceNames: [], nonResourceURLs };
}
