import type { MapView } from '../../model/yaml-view';

/**
 * A `metav1.LabelSelector` as `LabelSelectorAsSelector` evaluates it: every `matchLabels`
 * pair and every `matchExpressions` requirement must hold; an empty selector matches
 * everything; an unknown operator makes the selector invalid, and an invalid selector
 * selects nothing (the aggregation controller gives up on it).
 */
export interface LabelSelector {
  readonly matchLabels: Readonly<Record<string, string>>;
  readonly matchExpressions: ReadonlyArray<{ key: string; operator: string; values: readonly string[] }>;
}

export function readLabelSelector(map: MapView): LabelSelector {
  return {
    matchLabels: map.map('matchLabels')?.record() ?? {},
    matchExpressions: (map.seq('matchExpressions')?.maps() ?? []).map((e) => ({
      key: e.string('key') ?? '',
      operator: e.string('operator') ?? '',
      values: e.seq('values')?.scalars().map((s) => s.value) ?? [],
    })),
  };
}

export function selectorMatches(selector: LabelSelector, labels: Readonly<Record<string, string>>): boolean {
  for (const [key, value] of Object.entries(selector.matchLabels)) if (labels[key] !== value) return false;
  return selector.matchExpressions.every(({ key, operator, values }) => {
    const has = Object.prototype.hasOwnProperty.call(labels, key);
    switch (operator) {
      // In/NotIn need values and Exists/DoesNotExist take none, else the selector is invalid.
      case 'In':
        return has && values.includes(labels[key]);
      case 'NotIn':
        return values.length > 0 && (!has || !values.includes(labels[key]));
      case 'Exists':
        return values.length === 0 && has;
      case 'DoesNotExist':
        return values.length === 0 && !has;
      default:
        return false;
    }
  });
}
