import { isCollection, type Node } from 'yaml';
import type { Resource } from '../model/resource';
import { shiftEdit } from '../edits/offset-edit';
import { lineEnd } from '../edits/source-text';
import { namePlace } from '../workspace/name-place';
import { extractedPlace } from '../workspace/resource-extract';
import type { LintContext } from '../workspace/units';
import type { WorkspaceFile, WorkspaceSnapshot } from '../workspace/snapshot';
import { effectiveSeverity, ruleOptionsOf, type EngineConfig } from './config';
import { mergeContexts, type ContextFindings } from './contexts';
import { SYNTAX_ERROR_ID, withFields, type Finding, type FindingFix, type RelatedLocation } from './finding';
import { appliesTo, isCrossResource, type FixSpec, type RelatedResource, type ReportDescriptor, type ResolvedReport, type Rule } from './rule';
import type { OptionsRun, RuleCache } from './rule-cache';
import { suppressionOf } from './suppressions';

/** A rule that threw: logged by the caller; its findings for that resource are dropped. */
export interface RuleFailure {
  ruleId: string;
  resource: string;
  error: string;
}

export interface FileResult {
  uri: string;
  findings: Finding[];
  /** Findings silenced by an annotation, comment or config exemption (listed by audits, not shown in Problems). */
  suppressed: Finding[];
  failures: RuleFailure[];
  /** Kubernetes objects in the file (an audit of files without any has nothing to check). */
  objects: number;
}

/** Runs every enabled rule on every resource of one file of a snapshot of the workspace. Pure. */
export function lintFile(snapshot: WorkspaceSnapshot, uri: string, rules: readonly Rule[], config: EngineConfig, cache: RuleCache): FileResult {
  const file = snapshot.getFile(uri);
  if (!file) return { uri, findings: [], suppressed: [], failures: [], objects: 0 };
  const failures: RuleFailure[] = [];
  const active = rules.flatMap((rule) => {
    const severity = effectiveSeverity(rule, config);
    return severity ? [{ rule, severity, options: optionsRun(rule, config) }] : [];
  });
  // A patch file has no context: a fragment of objects, not objects of its own.
  const perContext = snapshot.contextsOf(uri).map((context) => lintInContext(snapshot, file, context, active, config, cache, failures));
  const { findings, suppressed } = mergeContexts(perContext);
  findings.unshift(...syntaxFindings(file));
  findings.sort((a, b) => a.start - b.start || a.ruleId.localeCompare(b.ruleId));
  return { uri, findings, suppressed, failures, objects: file.resources.length };
}

type ActiveRule = { rule: Rule; severity: Finding['severity']; options: OptionsRun };

function optionsRun(rule: Rule, config: EngineConfig): OptionsRun {
  const options = ruleOptionsOf(rule, config);
  return { options, key: rule.meta.options ? JSON.stringify(options) : '' };
}

/** The findings of a file's resources as `context` places them, seen from its unit. */
function lintInContext(
  snapshot: WorkspaceSnapshot,
  file: WorkspaceFile,
  context: LintContext,
  active: readonly ActiveRule[],
  config: EngineConfig,
  cache: RuleCache,
  failures: RuleFailure[],
): ContextFindings {
  const findings: Finding[] = [];
  const suppressed: Finding[] = [];
  // The rules for each kind, chosen once per kind rather than once per resource and rule.
  const byKind = new Map<string, readonly ActiveRule[]>();
  for (const own of file.resources) {
    const resource = context.place(own);
    const kind = `${resource.apiVersion}\0${resource.kind}`;
    let applicable = byKind.get(kind);
    if (!applicable) byKind.set(kind, (applicable = active.filter(({ rule }) => appliesTo(rule.meta, resource))));
    for (const { rule, severity, options } of applicable) {
      // Results of unchanged documents are reused (see rule-cache.ts).
      const { reports, error } = cache.run(rule, resource, snapshot, context, config.profile, options, config.requireNamespace === true);
      if (error !== undefined) {
        failures.push({ ruleId: rule.meta.id, resource: resource.label, error });
        continue;
      }
      for (const report of reports) {
        const graded = report.severity && !config.rules[rule.meta.id] ? report.severity : severity;
        // What other resources say depends on the namespace: say when it was assumed.
        const assumption = isCrossResource(rule.meta) ? resource.placement?.assumption : undefined;
        const finding = toFinding(file, resource, rule, graded, assumption ? { ...report, message: `${report.message} ${assumption}` } : report, snapshot);
        const suppression = suppressionOf(resource, rule, finding, file.parsed.lines, config, snapshot.defaultNamespace);
        if (suppression) suppressed.push(withFields(finding, { suppressed: suppression }));
        else findings.push(finding);
      }
    }
  }
  return { label: context.label, findings, suppressed };
}

function syntaxFindings(file: WorkspaceFile): Finding[] {
  // Template placeholders are not YAML; their errors would only be noise.
  if (file.parsed.templated) return [];
  return file.parsed.syntaxErrors.map((error) => ({
    ruleId: SYNTAX_ERROR_ID,
    severity: 'error',
    // Only a file with other documents has any that are "still checked".
    message: `YAML syntax error: ${error.message}.${file.parsed.docs.length > 1 ? ' The other documents of this file are still checked.' : ''}`,
    uri: file.uri,
    start: error.start,
    end: error.end,
    range: { start: file.parsed.lines.positionAt(error.start), end: file.parsed.lines.positionAt(error.end) },
    docIndex: error.docIndex,
    fixes: [],
  }));
}

function toFinding(file: WorkspaceFile, resource: Resource, rule: Rule, severity: Finding['severity'], report: ResolvedReport, snapshot: WorkspaceSnapshot): Finding {
  const { base, source } = resource.parsed;
  const [nodeStart, nodeEnd] = nodeSpan(report.node, source);
  const start = base + nodeStart;
  const end = base + nodeEnd;
  const finding = {
    ruleId: rule.meta.id,
    severity,
    message: report.message,
    ...(report.messageId === undefined ? {} : { messageId: report.messageId }),
    uri: file.uri,
    start,
    end,
    range: { start: file.parsed.lines.positionAt(start), end: file.parsed.lines.positionAt(end) },
    docIndex: resource.docIndex,
    ...(resource.item === undefined ? {} : { item: resource.item }),
    resource: { kind: resource.kind, name: resource.name, ...(resource.namespace ? { namespace: resource.namespace } : {}) },
    target: report.target,
    ...(report.outsideAdmission ? { outsideAdmission: true as const } : {}),
    ...(report.related?.length ? { related: report.related.map((r) => relatedLocation(snapshot, r)) } : {}),
  };
  // Built on first read, in file offsets: diagnostics and audits never read them.
  let fixes: FindingFix[] | undefined;
  const build = () => (fixes ??= reportFixes(report).map((fix) => ({ ...fix, edits: fix.edits.map((e) => shiftEdit(e, base)) })));
  return Object.defineProperty(finding, 'fixes', { get: build, enumerable: false, configurable: true }) as Finding;
}

/**
 * Where a related resource is now, at its name: resolved at each lint, not kept with the cached
 * report, since an edit that moves it (a comment above it) leaves every signature, and so the
 * cache, as it was. A file known only by its resources (compact, or another thread's) gives the
 * place its extracts kept; the start of the file stands in when there is none.
 */
function relatedLocation(snapshot: WorkspaceSnapshot, { resource, message }: RelatedResource): RelatedLocation {
  const file = snapshot.getFile(resource.uri);
  // A compact or foreign file has no parsed documents: the resource it holds now kept its place.
  const held = file?.resources.find((r) => r.docIndex === resource.docIndex && r.item === resource.item);
  const place = file && (namePlace(file.parsed, resource.docIndex, resource.item) ?? extractedPlace(held ?? resource));
  const start = { line: 0, character: 0 };
  return { uri: resource.uri, range: place ?? { start, end: start }, message };
}

/** What rules built lazily, by report: a report reused from the rule cache builds its fixes once. */
const builtFixes = new WeakMap<ReportDescriptor, readonly FixSpec[]>();

/**
 * The fixes of a report, in its document's offsets: its list, or what its function builds
 * (once per report; a function that throws gives none, and the finding stays).
 */
export function reportFixes(report: ReportDescriptor): readonly FixSpec[] {
  const { fixes } = report;
  if (typeof fixes !== 'function') return fixes ?? [];
  let built = builtFixes.get(report);
  if (!built) {
    try {
      built = fixes();
    } catch {
      built = [];
    }
    builtFixes.set(report, built);
  }
  return built;
}

/** A finding's span stays on one line: a collection or multi-line scalar is cut at its first line end. */
export function nodeSpan(node: Node, source: string): [number, number] {
  const [start, end] = node.range ?? [0, 0];
  const firstLineEnd = lineEnd(source, start);
  if (isCollection(node)) return [start, Math.max(start + 1, Math.min(firstLineEnd, end))];
  return [start, Math.max(start, Math.min(end, firstLineEnd))];
}
