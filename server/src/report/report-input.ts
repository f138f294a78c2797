import type { Finding } from '../engine/finding';
import type { Rule } from '../engine/rule';
import type { ReachabilityMatrix } from '../protocol/protocol';

/**
 * A file (or a Helm chart, or standard input) the audit did not check, and why. An audit
 * fails closed: every report lists these, and `warning` ones count as warnings for
 * `--fail-on` (unreadable, too large, not UTF-8, a link out of the tree). Helm charts are
 * `note`s: their templates are not YAML until rendered, and the hint says how to audit them.
 */
export interface SkippedFile {
  file: string;
  reason: string;
  level: 'warning' | 'note';
}

/** Everything a report format needs: the audit's findings and how to name their files. */
export interface ReportInput {
  findings: readonly Finding[];
  /** Findings silenced by annotations, comments or exemptions, with their reasons. */
  suppressed: readonly Finding[];
  /** Display path of each file (relative to the working directory or workspace), by URI. */
  paths: ReadonlyMap<string, string>;
  rules: readonly Rule[];
  filesRead: number;
  /** What was not checked, in the order found. */
  skipped: readonly SkippedFile[];
  version: string;
  /** Which workloads may talk to which, when the audit computed it (the editor's audit): the Markdown report summarises it. */
  reachability?: ReachabilityMatrix;
}

export type ReportFormat = 'text' | 'compact' | 'json' | 'sarif' | 'markdown' | 'gitlab';
export const REPORT_FORMATS: readonly ReportFormat[] = ['text', 'compact', 'json', 'sarif', 'markdown', 'gitlab'];
