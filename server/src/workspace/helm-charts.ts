import { existsSync } from 'node:fs';
import { join, sep } from 'node:path';

/**
 * The chart folder of a file inside a Helm chart's `templates/` (the folder holding
 * `Chart.yaml`), or undefined. Such templates are only YAML after `helm template`.
 */
export function helmChartOf(path: string): string | undefined {
  const parts = path.split(sep);
  const index = parts.lastIndexOf('templates');
  if (index <= 0) return undefined;
  const chart = parts.slice(0, index).join(sep) || sep;
  return existsSync(join(chart, 'Chart.yaml')) ? chart : undefined;
}

export const HELM_HINT = 'Helm chart templates are not checked: they become YAML only when rendered. Audit the rendered output with `helm template <release> <chart> | kzt audit -`.';

/** True if a file of a chart's `templates/` holds template syntax. */
export function isHelmTemplate(path: string, text: string): boolean {
  return text.includes('{{') && helmChartOf(path) !== undefined;
}
