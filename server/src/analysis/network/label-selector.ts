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

/** `app=web, tier in (a, b), !debug` in the notation of `kubectl get -l`. */
export function describeSelector(selector: LabelSelector): string {
  if (!selector.valid) return 'an invalid selector';
  if (selector.requirements.length === 0) return 'everything';
  return selector.requirements
    .map((r) => {
      switch (r.operator) {
        case 'In':
          return r.values.length === 1 ? `${r.key}=${r.values[0]}` : `${r.key} in (${r.values.join(', ')})`;
        case 'NotIn':
          return `${r.key} notin (${r.values.join(', ')})`;
        case 'Exists':
          return r.key;
        case 'DoesNotExist':
          return `!${r.key}`;
      }
    })
    .join(', ');
}

/** `app=web, tier=db` for a plain label set. */
export function describeLabels(labels: Readonly<Record<string, string>>): string {
  return Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(', ');
}
