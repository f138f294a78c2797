import { isCollection, isNode, isSeq, type Node, type YAMLMap } from 'yaml';
import { FLOW_REASON_PREFIX } from '../edits/suppress';
import { IGNORE_ANNOTATION } from '../model/annotations';
import type { Resource } from '../model/resource';
import { containerTarget } from '../model/security-context';
import type { LineIndex } from '../parsing/line-index';
import type { EngineConfig, Exemption } from './config';
import type { Finding, Suppression } from './finding';
import { peerAnnotation } from './peer-annotations';
import type { Rule } from './rule';
import { wildcardMatch } from './wildcard';

export { IGNORE_ANNOTATION };

/**
 * Why a finding is silenced, or undefined. Config exemptions always apply (until they
 * expire); in-source suppressions (our annotation and comment, other tools' annotations)
 * do not apply to the config's `strict` rules.
 */
export function suppressionOf(resource: Resource, rule: Rule, finding: Finding, lines: LineIndex, config: EngineConfig, defaultNamespace: string): Suppression | undefined {
  const id = rule.meta.id;
  const exemption = config.exemptions?.find((e) => exempts(e, resource, finding, config, defaultNamespace));
  if (exemption) return { by: 'exemption', reason: exemption.reason };
  if (config.strict?.includes(id)) return undefined;
  const annotated = parseRuleList(resource.annotations[IGNORE_ANNOTATION] ?? '');
  if (annotated.has(id) || annotated.has('all')) return { by: 'annotation', reason: annotationReason(resource, lines) };
  for (const line of [finding.range.start.line, ...enclosingItemLines(resource, finding.start, lines)]) {
    const comment = commentAbove(lines, line);
    if (comment && (comment.rules.has(id) || comment.rules.has('all'))) return { by: 'comment', reason: comment.reason };
  }
  if (config.peerAnnotations !== false) {
    const peer = peerAnnotation(resource, rule.meta);
    // The value the author gave the other tool is the reason; without one, the annotation says where it comes from.
    if (peer) return { by: 'peer-annotation', reason: peer.reason ?? `annotation ${peer.key}` };
  }
  return undefined;
}

function exempts(exemption: Exemption, resource: Resource, finding: Finding, config: EngineConfig, defaultNamespace: string): boolean {
  if (exemption.expires && config.today && config.today >= exemption.expires) return false;
  if (exemption.rules && !exemption.rules.includes(finding.ruleId)) return false;
  if (exemption.kind && exemption.kind !== resource.kind) return false;
  if (exemption.name && !matchesName(resource.name, exemption.name)) return false;
  if (exemption.namespace && !matchesName(resource.effectiveNamespace(defaultNamespace), exemption.namespace)) return false;
  if (exemption.container) {
    const container = resource.podSpec?.containers.find((c) => containerTarget(c) === finding.target);
    if (!container || !matchesName(container.name, exemption.container)) return false;
  }
  return true;
}

/**
 * Kubernetes names are at most 253 characters (namespaces and container names 63): the API
 * server rejects longer ones, and no exemption applies to them (their findings stay).
 */
const MAX_NAME_LENGTH = 253;

/**
 * An exemption pattern (`*`, `?`) against a name, without a regex (a glob compiled to one
 * backtracks). `wildcardMatch` takes at most name × pattern steps: the name is held to
 * MAX_NAME_LENGTH here, the pattern to 256 characters by the config file's validation.
 */
function matchesName(name: string, pattern: string): boolean {
  return name.length <= MAX_NAME_LENGTH && wildcardMatch(name, pattern);
}

/**
 * The reason written as a trailing comment on the ignore annotation (`kube-zero-trust.io/ignore: "a" # reason`), or,
 * for metadata in a flow map, on the line above `metadata:` (`# kube-zero-trust.io/ignore -- reason`, edits/suppress.ts).
 */
function annotationReason(resource: Resource, lines: LineIndex): string | undefined {
  const trailing = resource.metadata?.map('annotations')?.scalar(IGNORE_ANNOTATION)?.comment?.trim();
  if (trailing) return trailing;
  const key = resource.root.keyNode('metadata');
  if (!key?.range) return undefined;
  const above = lineAbove(lines, lines.positionAt(resource.parsed.base + key.range[0]).line)?.trim();
  return above?.startsWith(FLOW_REASON_PREFIX) ? above.slice(FLOW_REASON_PREFIX.length).trim() || undefined : undefined;
}

/**
 * The lines where the sequence items holding the file offset begin, innermost first: a
 * `# kzt-ignore` above `- name: app` covers everything in that container.
 */
function enclosingItemLines(resource: Resource, offset: number, lines: LineIndex): number[] {
  const local = offset - resource.parsed.base;
  const starts: number[] = [];
  const contains = (node: unknown): node is Node => isNode(node) && node.range !== undefined && node.range !== null && node.range[0] <= local && local < node.range[2];
  let node: unknown = resource.parsed.doc.contents;
  while (isCollection(node)) {
    let next: unknown;
    if (isSeq(node)) {
      next = node.items.find(contains);
      if (next) starts.push((next as Node).range![0]);
    } else {
      next = (node as YAMLMap).items.map((pair) => pair.value).find(contains);
    }
    node = next;
  }
  return starts.reverse().map((start) => lines.positionAt(resource.parsed.base + start).line);
}

/** The `# kzt-ignore rule-a,rule-b -- reason` comment on the line above `line`, if any. */
function commentAbove(lines: LineIndex, line: number): IgnoreComment | undefined {
  const above = lineAbove(lines, line);
  return above === undefined ? undefined : parseIgnoreComment(above);
}

/** The text of the line above `line`, without its line end; undefined on the first line. */
function lineAbove(lines: LineIndex, line: number): string | undefined {
  if (line === 0) return undefined;
  return lines.text.slice(lines.offsetAt({ line: line - 1, character: 0 }), lines.offsetAt({ line, character: 0 })).replace(/\r?\n$/, '');
}

export interface IgnoreComment {
  rules: Set<string>;
  reason?: string;
}

/**
 * A line `# kzt-ignore rule-a,rule-b -- reason`: the rules, and the reason after the first
 * ` --`. Parsed by hand in linear time, to the rules and reason that the regex
 * `/^\s*#\s*kzt-ignore\s+(.+?)(?:\s+--\s*(.*?))?\s*$/` gave; the regex retried the blank run
 * before every character of the line (quadratic: 90 s for `# kzt-ignore a<200,000 blanks>b`).
 */
export function parseIgnoreComment(line: string): IgnoreComment | undefined {
  let at = skipBlanks(line, 0);
  if (line[at] !== '#') return undefined;
  at = skipBlanks(line, at + 1);
  if (!line.startsWith(IGNORE_DIRECTIVE, at)) return undefined;
  at += IGNORE_DIRECTIVE.length;
  const bodyStart = skipBlanks(line, at);
  if (bodyStart === at) return undefined;
  const body = line.slice(bodyStart).trimEnd();
  // `.` matches no line terminator: the rules and the reason cannot hold one (blank runs can).
  const firstBreak = body.search(LINE_TERMINATOR);
  const lastBreak = lastIndexOfLineTerminator(body);
  // The rules end at the first blank run followed by `--` whose reason is a single line.
  for (let dashes = body.indexOf('--', 1); dashes >= 0; dashes = body.indexOf('--', dashes + 1)) {
    if (!BLANK.test(body[dashes - 1])) continue;
    let rulesEnd = dashes - 1;
    while (BLANK.test(body[rulesEnd - 1])) rulesEnd--;
    if (firstBreak >= 0 && firstBreak < rulesEnd) return undefined;
    const reasonStart = skipBlanks(body, dashes + 2);
    if (lastBreak >= reasonStart) continue;
    return { rules: parseRuleList(body.slice(0, rulesEnd)), reason: body.slice(reasonStart) || undefined };
  }
  if (firstBreak >= 0) return undefined;
  return { rules: parseRuleList(body) };
}

const IGNORE_DIRECTIVE = 'kzt-ignore';
/** `\s`: what `trim` removes too. */
const BLANK = /\s/;
const LINE_TERMINATOR = /[\n\r\u2028\u2029]/;

function skipBlanks(text: string, from: number): number {
  let at = from;
  while (at < text.length && BLANK.test(text[at])) at++;
  return at;
}

function lastIndexOfLineTerminator(text: string): number {
  return Math.max(text.lastIndexOf('\n'), text.lastIndexOf('\r'), text.lastIndexOf('\u2028'), text.lastIndexOf('\u2029'));
}

function parseRuleList(value: string): Set<string> {
  return new Set(value.split(/[\s,]+/).filter(Boolean));
}
