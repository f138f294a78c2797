import type { EngineConfig, Exemption } from '../engine/config';
import { peerAnnotationTests } from '../engine/peer-annotations';
import type { RuleMeta } from '../engine/rule';
import { IGNORE_ANNOTATION } from '../model/annotations';
import { celList, celString, wildcardRegex } from './cel';

/**
 * The engine's suppressions (engine/suppressions.ts) as admission conditions, so a policy
 * admits what the editor does not report: config exemptions that have not expired, and, unless
 * the rule is `strict`, the in-source annotations (ours and, when `peerAnnotations` is on, other
 * tools'). `# kzt-ignore` comments do not reach the API server (kubectl drops comments): they
 * cannot be exported.
 */

export interface MatchCondition {
  name: string;
  /** CEL: the policy judges the object only when true. */
  expression: string;
}

/** How a rule's policy is narrowed to what the configuration does not exempt. */
export interface PolicyScope {
  /** Conditions of the policy (VAP `matchConditions`, Kyverno `celPreconditions`). */
  conditions: MatchCondition[];
  /** Kinds of the policy exempted whole (an exemption with only `kind`, in every API group, as in the engine): VAP `excludeResourceRules`, Kyverno `exclude`. */
  excludedKinds: string[];
  /** Namespaces exempted whole (an exemption with only an exact `namespace`): a namespace selector, Kyverno `exclude`. */
  excludedNamespaces: string[];
  /** CEL of a container entry `e` (pod-variables.ts): an exemption naming a container exempts its container-level findings. */
  exemptContainer?: string;
  /** The earliest expiry of the exemptions exported: from that day on, the policies must be exported again. */
  expires?: string;
}

/** The exemptions of `config` that apply to rule `id` today. */
export function activeExemptions(config: EngineConfig, id: string): Exemption[] {
  return (config.exemptions ?? []).filter(
    (e) => !(e.expires && config.today && config.today >= e.expires) && (!e.rules || e.rules.includes(id)),
  );
}

const NAME = '(has(object.metadata) && has(object.metadata.name) ? object.metadata.name : "")';

/** CEL: the object is what the exemption names (kind, name and namespace globs), its container aside. */
export function exemptionMatchesObject(exemption: Exemption): string {
  const tests = [
    ...(exemption.kind ? [`object.kind == ${celString(exemption.kind)}`] : []),
    ...(exemption.name ? [`${NAME}.matches(${celString(wildcardRegex(exemption.name))})`] : []),
    ...(exemption.namespace ? [`request.namespace.matches(${celString(wildcardRegex(exemption.namespace))})`] : []),
  ];
  return tests.join(' && ') || 'true';
}

const EXACT_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** `kinds`: the kinds the policy matches (an exemption of another kind changes nothing in it). */
export function policyScope(meta: RuleMeta, config: EngineConfig, kinds: readonly string[]): PolicyScope {
  const scope: PolicyScope = { conditions: [], excludedKinds: [], excludedNamespaces: [] };
  const containerTests: string[] = [];
  activeExemptions(config, meta.id).forEach((exemption, index) => {
    if (exemption.expires && (!scope.expires || exemption.expires < scope.expires)) scope.expires = exemption.expires;
    if (exemption.container) {
      containerTests.push(`(${exemptionMatchesObject(exemption)} && e.name.matches(${celString(wildcardRegex(exemption.container))}))`);
      return;
    }
    const only = Object.keys(exemption).filter((key) => key !== 'reason' && key !== 'rules' && key !== 'expires');
    if (only.length === 1 && exemption.kind) {
      if (kinds.includes(exemption.kind) && !scope.excludedKinds.includes(exemption.kind)) scope.excludedKinds.push(exemption.kind);
    } else if (only.length === 1 && exemption.namespace && EXACT_NAME.test(exemption.namespace)) scope.excludedNamespaces.push(exemption.namespace);
    else scope.conditions.push({ name: `exemption-${index + 1}`, expression: `!(${exemptionMatchesObject(exemption)})` });
  });
  if (containerTests.length) scope.exemptContainer = containerTests.join(' || ');
  if (!config.strict?.includes(meta.id)) scope.conditions.push({ name: 'not-suppressed-by-annotation', expression: `!(${annotationSuppresses(meta, config)})` });
  return scope;
}

const ANNOTATIONS = 'object.metadata.annotations';

/** CEL: the object's annotations silence the rule (engine/suppressions.ts, engine/peer-annotations.ts). */
function annotationSuppresses(meta: RuleMeta, config: EngineConfig): string {
  const value = (key: string) => `${ANNOTATIONS}[${celString(key)}]`;
  const has = (key: string) => `${celString(key)} in ${ANNOTATIONS}`;
  // `kube-zero-trust.io/ignore: "rule-a, rule-b"` (or `all`): ids separated by commas and blanks.
  const tests = [`(${has(IGNORE_ANNOTATION)} && ${value(IGNORE_ANNOTATION)}.matches(${celString(`(^|[\\s,])(${meta.id}|all)([\\s,]|$)`)}))`];
  if (config.peerAnnotations !== false) {
    const peer = peerAnnotationTests(meta);
    if (peer.present.length) tests.push(`${ANNOTATIONS}.exists(k, k in ${celList(peer.present)})`);
    for (const key of peer.isTrue) tests.push(`(${has(key)} && ${value(key)} == "true")`);
    if (peer.checkov.length) {
      const ids = `(${peer.checkov.map((id) => id.replace(/[^A-Za-z0-9_]/g, '')).join('|')})`;
      tests.push(`${ANNOTATIONS}.exists(k, k.matches("^(checkov\\\\.io|bridgecrew\\\\.io)/skip[0-9]+$") && ${ANNOTATIONS}[k].matches(${celString(`^\\s*${ids}\\s*(=|$)`)}))`);
    }
    if (peer.kubeScore.length) {
      tests.push(`(${has('kube-score/ignore')} && ${value('kube-score/ignore')}.matches(${celString(`(^|,)\\s*(${peer.kubeScore.join('|')})\\s*(,|$)`)}))`);
    }
  }
  return `has(object.metadata) && has(${ANNOTATIONS}) && (${tests.join(' || ')})`;
}
