import picomatch from 'picomatch';
import { IGNORE_ANNOTATION } from '../model/annotations';
import type { Resource } from '../model/resource';
import type { LineIndex } from '../parsing/line-index';
import type { EngineConfig, Exemption } from './config';
import type { Finding, Suppression } from './finding';
import { peerAnnotation } from './peer-annotations';
import type { Rule } from './rule';

export { IGNORE_ANNOTATION };
const IGNORE_COMMENT = /^\s*#\s*kzt-ignore\s+(.+?)(?:\s+--\s*(.*?))?\s*$/;

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
  if (annotated.has(id) || annotated.has('all')) return { by: 'annotation', reason: annotationReason(resource) };
  const comment = commentAbove(lines, finding.range.start.line);
  if (comment && (comment.rules.has(id) || comment.rules.has('all'))) return { by: 'comment', reason: comment.reason };
  if (config.peerAnnotations !== false) {
    const peer = peerAnnotation(resource, rule.meta);
    if (peer) return { by: 'peer-annotation', reason: `annotation ${peer}` };
  }
  return undefined;
}

function exempts(exemption: Exemption, resource: Resource, finding: Finding, config: EngineConfig, defaultNamespace: string): boolean {
  if (exemption.expires && config.today && config.today >= exemption.expires) return false;
  if (exemption.rules && !exemption.rules.includes(finding.ruleId)) return false;
  if (exemption.kind && exemption.kind !== resource.kind) return false;
  if (exemption.name && !picomatch.isMatch(resource.name, exemption.name)) return false;
  if (exemption.namespace && !picomatch.isMatch(resource.effectiveNamespace(defaultNamespace), exemption.namespace)) return false;
  if (exemption.container) {
    const container = resource.podSpec?.containers.find((c) => `${c.list}[${c.index}]` === finding.target);
    if (!container || !picomatch.isMatch(container.name, exemption.container)) return false;
  }
  return true;
}

/** The reason written as a trailing comment on the ignore annotation: `kube-zero-trust.io/ignore: "a" # reason`. */
function annotationReason(resource: Resource): string | undefined {
  return resource.metadata?.map('annotations')?.scalar(IGNORE_ANNOTATION)?.comment?.trim() || undefined;
}

/** The `# kzt-ignore rule-a,rule-b -- reason` comment on the line above `line`, if any. */
function commentAbove(lines: LineIndex, line: number): { rules: Set<string>; reason?: string } | undefined {
  if (line === 0) return undefined;
  const start = lines.offsetAt({ line: line - 1, character: 0 });
  const end = lines.offsetAt({ line, character: 0 });
  const match = IGNORE_COMMENT.exec(lines.text.slice(start, end).replace(/\r?\n$/, ''));
  return match ? { rules: parseRuleList(match[1]), reason: match[2] || undefined } : undefined;
}

function parseRuleList(value: string): Set<string> {
  return new Set(value.split(/[\s,]+/).filter(Boolean));
}
