import { HELM_HINT } from '../workspace/helm-charts';
import type { ScanProblem } from '../workspace/file-scan';
import type { SkippedFile } from './report-input';

/** Files that could not be read (unreadable, too large, not UTF-8, a link out of the tree): warnings for `--fail-on`. */
export function unreadableFiles(problems: readonly ScanProblem[], display: (path: string) => string): SkippedFile[] {
  return problems.map((problem) => ({ file: display(problem.path), reason: problem.message, level: 'warning' }));
}

/** Helm charts whose templates were not checked: notes, with the hint how to audit them rendered. */
export function helmChartNotes(charts: readonly string[], display: (path: string) => string): SkippedFile[] {
  return charts.map((chart) => ({ file: display(chart), reason: HELM_HINT, level: 'note' }));
}
