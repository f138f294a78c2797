import type * as Sarif from 'sarif';
import type { Range } from 'vscode-languageserver-textdocument';
import type { Rule } from '../engine/rule';
import { SYNTAX_ERROR_ID } from '../engine/finding';
import { ruleDocsMarkdown, ruleDocsUrl } from '../engine/rule-docs';
import type { Finding } from '../engine/finding';
import type { ReportInput } from './report-input';

const LEVEL = { error: 'error', warning: 'warning', info: 'note' } as const;
const INFORMATION_URI = 'https://github.com/kube-zero-trust/kube-zero-trust';

/** SARIF 2.1.0 for code scanning: every rule described, regions with UTF-16 columns. */
export function formatSarif(report: ReportInput): string {
  const { version } = report;
  const rules: Sarif.ReportingDescriptor[] = report.rules.map(describe);
  rules.push({
    id: SYNTAX_ERROR_ID,
    name: 'YamlSyntaxError',
    shortDescription: { text: 'The file is not valid YAML.' },
    fullDescription: { text: 'A YAML syntax error stops this document from being checked; the other documents of the file are still checked.' },
    help: { text: 'Fix the YAML syntax at the reported position.' },
    helpUri: INFORMATION_URI,
    defaultConfiguration: { level: 'error' },
  });
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const physical = (uri: string, range: Range): Sarif.PhysicalLocation => ({
    artifactLocation: { uri: encodeURI(report.paths.get(uri) ?? uri), uriBaseId: '%SRCROOT%' },
    region: { startLine: range.start.line + 1, startColumn: range.start.character + 1, endLine: range.end.line + 1, endColumn: range.end.character + 1 },
  });
  const results: Sarif.Result[] = [...report.findings, ...report.suppressed].map((f) => ({
    ruleId: f.ruleId,
    ruleIndex: index.get(f.ruleId),
    level: LEVEL[f.severity],
    message: { text: f.message },
    locations: [{ physicalLocation: physical(f.uri, f.range) }],
    ...(f.related ? { relatedLocations: f.related.map((r, id) => ({ id, physicalLocation: physical(r.uri, r.range), message: { text: r.message } })) } : {}),
    ...(f.suppressed ? { suppressions: [suppression(f)] } : {}),
    ...(f.resource || f.overlays ? { properties: { ...(f.resource ? { resource: f.resource } : {}), ...(f.overlays ? { overlays: [...f.overlays] } : {}) } } : {}),
  }));
  const log: Sarif.Log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'kube-zero-trust', version, semanticVersion: version, informationUri: INFORMATION_URI, rules } },
        // Fails closed: every file not checked is a notification with its location.
        invocations: [
          {
            executionSuccessful: true,
            toolExecutionNotifications: report.skipped.map((skipped) => ({
              level: skipped.level,
              message: { text: `Not checked: ${skipped.reason}` },
              locations: [{ physicalLocation: { artifactLocation: { uri: encodeURI(skipped.file), uriBaseId: '%SRCROOT%' } } }],
            })),
          },
        ],
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

/** Annotations and comments live in the file (`inSource`); config exemptions outside it (`external`). */
function suppression(finding: Finding): Sarif.Suppression {
  const by = finding.suppressed!;
  return { kind: by.by === 'exemption' ? 'external' : 'inSource', justification: by.reason ?? `suppressed by ${by.by}` };
}

function describe(rule: Rule): Sarif.ReportingDescriptor {
  const { meta } = rule;
  return {
    id: meta.id,
    name: meta.id.replace(/(^|-)([a-z0-9])/g, (_, __, c: string) => c.toUpperCase()),
    shortDescription: { text: meta.title },
    fullDescription: { text: meta.docs.what },
    help: { text: `${meta.docs.why} ${meta.docs.fix}`, markdown: ruleDocsMarkdown(meta, 2) },
    helpUri: ruleDocsUrl(meta.id),
    defaultConfiguration: { level: LEVEL[meta.severity] },
    properties: { tags: ['security', meta.principle], precision: 'high', 'problem.severity': meta.severity },
  };
}
