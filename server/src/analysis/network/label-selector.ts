import type { Node } from 'yaml';
import type { MapView } from '../../model/yaml-view';

export type Operator = 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';

export interface Requirement {
  key: string;
  operator: Operator;
  values: string[];
}

/**
 * A `metav1.LabelSelector`: `matchLabels` and `matchExpressions`, ANDed. A selector the API
 * server would reject (unknown operator, `In` without values, `Exists` with values) is
 * `valid: false` and matches nothing: the object holding it is never applied.
 */
export interface LabelSelector {
  requirements: Requirement[];
  valid: boolean;
  /** The selector's map, for positions. */
  node: Node;
}

const OPERATORS: readonly string[] = ['In', 'NotIn', 'Exists', 'DoesNotExist'];

/** Reads a selector map; undefined when the map is absent (a null selector, which selects nothing). */
export function parseSelector(map: MapView | undefined): LabelSelector | undefined {
  if (!map) return undefined;
  const requirements: Requirement[] = [];
  let valid = true;
  for (const [key, value] of map.map('matchLabels')?.entries() ?? []) {
    // A null label value decodes to the empty string, which is a valid label value.
    requirements.push({ key, operator: 'In', values: [value ?? ''] });
  }
  for (const expression of map.seq('matchExpressions')?.maps() ?? []) {
    const key = expression.string('key');
    const operator = expression.string('operator');
    const values = expression.seq('values')?.scalars().map((s) => s.value) ?? [];
    if (!key || !operator || !OPERATORS.includes(operator)) {
      valid = false;
      continue;
    }
    const needsValues = operator === 'In' || operator === 'NotIn';
    if (needsValues !== values.length > 0) valid = false;
    requirements.push({ key, operator: operator as Operator, values });
  }
  return { requirements, valid, node: map.node };
}

/** The empty selector `{}`: every object (of the namespace, for a pod selector). */
export function selectsAll(selector: LabelSelector | undefined): boolean {
  return !!selector && selector.valid && selector.requirements.length === 0;
}

/** Label selector semantics of `k8s.io/apimachinery/pkg/labels`: `NotIn` also matches when the key is absent. */
export function matchesLabels(selector: LabelSelector | undefined, labels: Readonly<Record<string, string>>): boolean {
  if (!selector || !selector.valid) return false;
  return selector.requirements.every((r) => requirementMatches(r, labels));
}

function requirementMatches(requirement: Requirement, labels: Readonly<Record<string, string>>): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, requirement.key);
  switch (requirement.operator) {
    case 'In':
      return has && requirement.values.includes(labels[requirement.key]);
    case 'NotIn':
      return !has || !requirement.values.includes(labels[requirement.key]);
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
  }
}

/** The labels a selector requires by equality (`matchLabels` and single-value `In`). */
export function equalityLabels(selector: LabelSelector): Record<string, string> {
  const out: Record<string, string> = {};
  for (const r of selector.requirements) if (r.operator === 'In' && r.values.length === 1) out[r.key] = r.values[0];
  return out;
}

/**
 * `app=web, tier in (a, b), !debug` in the notation of `kubectl get -l`. `text` writes each
 * key and value: as is for plain text (messages), escaped for Markdown (hovers).
 */
export function describeSelector(selector: LabelSelector, text: (value: string) => string = (value) => value): string {
  if (!selector.valid) return 'an invalid selector';
  if (selector.requirements.length === 0) return 'everything';
  return selector.requirements
    .map((r) => {
      const key = text(r.key);
      switch (r.operator) {
        case 'In':
          return r.values.length === 1 ? `${key}=${text(r.values[0])}` : `${key} in (${r.values.map(text).join(', ')})`;
        case 'NotIn':
          return `${key} notin (${r.values.map(text).join(', ')})`;
        case 'Exists':
          return key;
        case 'DoesNotExist':
          return `!${key}`;
      }
    })
    .join(', ');
}

/** `app=web, tier=db` for a plain label set; `text` as for `describeSelector`. */
export function describeLabels(labels: Readonly<Record<string, string>>, text: (value: string) => string = (value) => value): string {
  return Object.entries(labels).map(([k, v]) => `${text(k)}=${text(v)}`).join(', ');
}

/**
 * What is known of a label of an object only partly known (a cluster component the workspace
 * does not hold): the values it may have (`[]`: it is absent), or undefined when nothing is
 * known (any value, or absent).
 */
export type LabelKnowledge = (key: string) => readonly string[] | undefined;

/**
 * True if the selector can match an object of which only `knowledge` is known: a requirement on
 * an unknown label can be met; one on a known label must hold for one of its possible values.
 */
export function mayMatchLabels(selector: LabelSelector | undefined, knowledge: LabelKnowledge): boolean {
  if (!selector || !selector.valid) return false;
  return selector.requirements.every((r) => {
    const values = knowledge(r.key);
    if (values === undefined) return true;
    if (values.length === 0) return r.operator === 'NotIn' || r.operator === 'DoesNotExist';
    return values.some((value) => requirementMatches(r, { [r.key]: value }));
  });
}
