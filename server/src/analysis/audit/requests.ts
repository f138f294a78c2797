import type { AuditPolicyModel, AuditRule } from './policy';

/**
 * Which rule of an audit policy decides the level of which requests, computed exactly rather
 * than rule by rule: a later rule only sees the requests no earlier rule matched, and an
 * earlier rule limited to some users, namespaces, names or verbs lets the others through.
 *
 * A request is a point in five dimensions (user, group, verb, namespace, name) for one
 * resource; every rule, restricted to that resource, matches a box: a product of sets, one
 * per dimension. Each dimension only needs the values some rule names plus one value no rule
 * names (`OTHER`), and a user's groups only need one group at a time (a rule matches a user if
 * it names any of the user's groups, so fewer groups escape more rules). The requests left to
 * a rule are the starting region minus the boxes of the rules before it: a union of boxes,
 * split exactly by box subtraction.
 */

/** A set of requests on one resource, and what they are called in messages. */
export interface RequestClass {
  label: string;
  /** API group: `""` for the core group. */
  group: string;
  resource: string;
  /** `exec` for `pods/exec`; `""` for the resource itself. */
  subresource: string;
  verbs: readonly string[];
  clusterScoped?: boolean;
}

/** Stands for every value that no rule of the policy names. */
export const OTHER = '\u0000other';

/** user, group, verb, namespace, name. */
export type Box = readonly [ReadonlySet<string>, ReadonlySet<string>, ReadonlySet<string>, ReadonlySet<string>, ReadonlySet<string>];

export interface RuleMatch {
  rule: AuditRule;
  /** The requests of the class for which this rule is the first that matches. */
  boxes: Box[];
}

export interface Evaluation {
  matches: RuleMatch[];
  /** Requests no rule matches: not logged. */
  unmatched: Box[];
}

/** More pieces than this (an adversarial policy): the analysis gives up rather than slow the editor down. */
const MAX_BOXES = 4000;

/** Verbs that act on the collection (`name` is empty, or set by a `metadata.name` field selector). */
const COLLECTION_VERBS = new Set(['list', 'watch']);
/** Verbs whose request carries no name: the object is in the body, or every object is meant. */
const UNNAMED_VERBS = new Set(['create', 'deletecollection']);
/** Requests that stay open: they also pass the `ResponseStarted` stage. */
const LONG_RUNNING_SUBRESOURCES = new Set(['exec', 'attach', 'portforward', 'proxy']);

export function isLongRunning(verb: string, requests: RequestClass): boolean {
  return verb === 'watch' || LONG_RUNNING_SUBRESOURCES.has(requests.subresource);
}

interface Universe {
  users: string[];
  groups: string[];
  namespaces: string[];
  names: string[];
}

function universeOf(policy: AuditPolicyModel): Universe {
  const collect = (pick: (rule: AuditRule) => string[], extra: string[] = []) => [...new Set([OTHER, ...extra, ...policy.rules.flatMap(pick)])];
  return {
    users: collect((r) => r.users),
    groups: collect((r) => r.userGroups),
    namespaces: collect((r) => r.namespaces, ['']),
    names: collect((r) => r.resources.flatMap((gr) => gr.resourceNames), ['']),
  };
}

/** The requests a class stands for, with what the API server puts in each attribute. */
function startingRegion(requests: RequestClass, universe: Universe): Box[] {
  const named = universe.names.filter((n) => n !== '');
  const namespaced = universe.namespaces.filter((n) => n !== '');
  const boxes: Box[] = [];
  const add = (verbs: string[], namespaces: string[], names: string[]) => {
    if (verbs.length) boxes.push([new Set(universe.users), new Set(universe.groups), new Set(verbs), new Set(namespaces), new Set(names)]);
  };
  const scope = (all: string[]) => (requests.clusterScoped ? [''] : all);
  if (requests.subresource) {
    // `POST …/pods/web/exec`: always one object, in its namespace.
    add([...requests.verbs], scope(namespaced), named);
    return boxes;
  }
  // A list or watch across all namespaces has the namespace "".
  add(requests.verbs.filter((v) => COLLECTION_VERBS.has(v)), scope(universe.namespaces), universe.names);
  add(requests.verbs.filter((v) => UNNAMED_VERBS.has(v)), scope(namespaced), ['']);
  add(requests.verbs.filter((v) => !COLLECTION_VERBS.has(v) && !UNNAMED_VERBS.has(v)), scope(namespaced), named);
  return boxes;
}

/** The requests of the class the rule matches, or undefined when it matches none (checker.go `ruleMatches`). */
function ruleBox(rule: AuditRule, requests: RequestClass, universe: Universe): Box | undefined {
  const any = (values: string[]) => new Set(values);
  const users = rule.users.length ? any(rule.users) : any(universe.users);
  const groups = rule.userGroups.length ? any(rule.userGroups) : any(universe.groups);
  const verbs = rule.verbs.length ? any(rule.verbs) : any([...requests.verbs]);
  let namespaces = any(universe.namespaces);
  let names = any(universe.names);
  if (rule.namespaces.length || rule.resources.length) {
    if (rule.namespaces.length) namespaces = any(rule.namespaces);
    if (rule.resources.length) {
      const matched = namesMatched(rule, requests);
      if (!matched) return undefined;
      if (matched !== 'all') names = any(matched);
    }
  } else if (rule.nonResourceURLs.length) {
    // Only non-resource requests (`/healthz`, `/metrics`…).
    return undefined;
  }
  return [users, groups, verbs, namespaces, names];
}

/** The names of the class's objects the rule's `resources` match: 'all', some names, or undefined for none. */
function namesMatched(rule: AuditRule, requests: RequestClass): 'all' | string[] | undefined {
  const names: string[] = [];
  let matched = false;
  for (const gr of rule.resources) {
    if (gr.group !== requests.group && gr.group !== '*') continue;
    if (gr.resources.length === 0) return 'all';
    for (const resource of gr.resources) {
      if (!resourceMatches(resource, requests)) continue;
      if (gr.resourceNames.length === 0) return 'all';
      matched = true;
      names.push(...gr.resourceNames);
    }
  }
  return matched ? names : undefined;
}

/** `secrets`, `pods/exec`, `*`, `*∕exec` and `pods/*` (which also matches `pods` itself) as checker.go reads them. */
export function resourceMatches(pattern: string, requests: Pick<RequestClass, 'resource' | 'subresource'>): boolean {
  const combined = requests.subresource ? `${requests.resource}/${requests.subresource}` : requests.resource;
  if (pattern === combined || pattern === '*') return true;
  if (requests.subresource && pattern.startsWith('*/') && pattern.slice(2) === requests.subresource) return true;
  return pattern.endsWith('/*') && pattern.slice(0, -2) === requests.resource;
}

/** For every rule, the requests of the class it is the first to match; undefined if the policy is too intricate to analyse. */
export function evaluate(policy: AuditPolicyModel, requests: RequestClass): Evaluation | undefined {
  const universe = universeOf(policy);
  let region = startingRegion(requests, universe);
  const matches: RuleMatch[] = [];
  for (const rule of policy.rules) {
    if (region.length === 0) break;
    // A rule without a valid level makes the API server refuse the policy; it decides nothing here.
    if (!rule.level) continue;
    const box = ruleBox(rule, requests, universe);
    if (!box) continue;
    // (A box is an array itself: flatMap would spread it.)
    const matched = region.flatMap((r) => {
      const common = intersect(r, box);
      return common ? [common] : [];
    });
    if (matched.length === 0) continue;
    matches.push({ rule, boxes: matched });
    region = region.flatMap((r) => subtract(r, box));
    if (region.length > MAX_BOXES) return undefined;
  }
  return { matches, unmatched: region };
}

function intersectSets(a: ReadonlySet<string>, b: ReadonlySet<string>): Set<string> {
  const out = new Set<string>();
  for (const value of a) if (b.has(value)) out.add(value);
  return out;
}

export function intersect(a: Box, b: Box): Box | undefined {
  const out = a.map((set, i) => intersectSets(set, b[i])) as unknown as Box;
  return out.every((set) => set.size > 0) ? out : undefined;
}

/** `a` minus `b` as disjoint boxes (at most one per dimension). */
export function subtract(a: Box, b: Box): Box[] {
  if (!intersect(a, b)) return [a];
  const pieces: Box[] = [];
  const current: ReadonlySet<string>[] = [...a];
  for (let d = 0; d < current.length; d++) {
    const outside = new Set([...current[d]].filter((v) => !b[d].has(v)));
    if (outside.size) {
      const piece = [...current];
      piece[d] = outside;
      pieces.push(piece as unknown as Box);
    }
    current[d] = intersectSets(current[d], b[d]);
  }
  return pieces;
}

/** The same boxes limited to some verbs (empty boxes dropped). */
export function withVerbs(boxes: readonly Box[], verbs: (verb: string) => boolean): Box[] {
  return boxes.flatMap((box) => {
    const kept = new Set([...box[2]].filter(verbs));
    return kept.size ? [[box[0], box[1], kept, box[3], box[4]] as Box] : [];
  });
}

export function verbsOf(boxes: readonly Box[]): string[] {
  return [...new Set(boxes.flatMap((box) => [...box[2]]))];
}

/**
 * Who the requests are, when not everyone: "by user alice", "by members of group ci",
 * "in namespace kube-system", "named db". Empty when some box holds requests of anyone,
 * anywhere (OTHER in every dimension that varies).
 */
export function describeScope(boxes: readonly Box[], requests: RequestClass): string {
  if (boxes.length === 0) return '';
  const general = boxes.find((box) => box[0].has(OTHER) && box[1].has(OTHER) && (requests.clusterScoped || box[3].has(OTHER)) && (box[4].has(OTHER) || box[4].has('')));
  if (general) return '';
  // The box that is least specific: most dimensions open to anyone.
  const open = (box: Box) => [box[0].has(OTHER), box[1].has(OTHER), box[3].has(OTHER), box[4].has(OTHER)].filter(Boolean).length;
  const box = [...boxes].sort((x, y) => open(y) - open(x))[0];
  const parts: string[] = [];
  const first = (set: ReadonlySet<string>) => [...set].find((v) => v !== OTHER) ?? '';
  if (!box[0].has(OTHER)) parts.push(`by user ${first(box[0])}`);
  if (!box[1].has(OTHER)) parts.push(`by members of group ${first(box[1])}`);
  if (!requests.clusterScoped && !box[3].has(OTHER)) parts.push(box[3].has('') ? 'across all namespaces' : `in namespace ${first(box[3])}`);
  if (!box[4].has(OTHER) && !box[4].has('')) parts.push(`named ${first(box[4])}`);
  return parts.join(', ');
}
