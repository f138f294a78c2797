import type { Finding } from '../engine/finding';
import type { Rule } from '../engine/rule';

/** Everything a report format needs: the audit's findings and how to name their files. */
export interface ReportInput {
  findings: readonly Finding[];
  /** Findings silenced by annotations, comments or exemptions, with their reasons. */
  suppressed: readonly Finding[];
  /** Display path of each file (relative to the working directory or workspace), by URI. */
  paths: ReadonlyMap<string, string>;
  rules: readonly Rule[];
  filesRead: number;
  version: string;
}

export type ReportFormat = 'text' | 'json' | 'sarif' | 'markdown';
export const REPORT_FORMATS: readonly ReportFormat[] = ['text', 'json', 'sarif', 'markdown'];
