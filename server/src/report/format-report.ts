import { formatCompact } from './format-compact';
import { formatGitlab } from './format-gitlab';
import { formatJson } from './format-json';
import { formatMarkdown } from './format-markdown';
import { formatSarif } from './format-sarif';
import { formatText, type TextOptions } from './format-text';
import type { ReportFormat, ReportInput } from './report-input';

/** One entry point for every output format (CLI `--format`, the editor's Export Report command). */
export function formatReport(format: ReportFormat, report: ReportInput, defaultNamespace: string, options: TextOptions = {}): string {
  switch (format) {
    case 'json':
      return formatJson(report);
    case 'sarif':
      return formatSarif(report);
    case 'markdown':
      return formatMarkdown(report, defaultNamespace);
    case 'compact':
      return formatCompact(report);
    case 'gitlab':
      return formatGitlab(report);
    default:
      return formatText(report, options);
  }
}
