import type { Resource } from '../../model/resource';
import type { MapView } from '../../model/yaml-view';
import { parseCiliumPeerRules, type CiliumPeerRule } from './cilium-peer-rules';
import { matchesLabels, parseSelector, selectsAll, type LabelSelector } from './label-selector';
import { DIRECTIONS, type Direction } from './network-policy';

/**
 * Coverage by Cilium policies (`CiliumNetworkPolicy`, `CiliumClusterwideNetworkPolicy`): which
 * endpoints a rule selects, in which direction it puts them into default deny, and its allow
 * rules' peers and ports (`cilium-peer-rules.ts`; L7 rules are not analysed).
 */
export interface CiliumRule {
  /** The rule: `spec`, or an item of `specs`. */
  spec: MapView;
  endpointSelector: LabelSelector;
  /** Cilium's default mode: a non-empty `ingress`/`ingressDeny` (`egress`/`egressDeny`) section enables default deny unless `enableDefaultDeny` turns it off. */
  isolates: Readonly<Record<Direction, boolean>>;
  /** The allow rules (`ingress`, `egress`; deny rules allow nothing). */
  allows: Readonly<Record<Direction, readonly CiliumPeerRule[]>>;
}

export interface CiliumPolicyModel {
  resource: Resource;
  clusterwide: boolean;
  /** Namespace of a `CiliumNetworkPolicy` (it selects endpoints of its namespace only). */
  namespace?: string;
  rules: readonly CiliumRule[];
}

/** What Cilium knows about a pod when matching an endpoint selector. */
export interface EndpointIdentity {
  namespace: string;
  labels: Readonly<Record<string, string>>;
  namespaceLabels: Readonly<Record<string, string>>;
  serviceAccount: string;
}

const KINDS = ['CiliumNetworkPolicy', 'CiliumClusterwideNetworkPolicy'];

export function isCiliumPolicy(resource: Resource): boolean {
  return KINDS.includes(resource.kind) && resource.apiVersion.startsWith('cilium.io/');
}

export function parseCiliumPolicy(resource: Resource, defaultNamespace: string): CiliumPolicyModel {
  const clusterwide = resource.kind === 'CiliumClusterwideNetworkPolicy';
  const specs = [resource.root.map('spec'), ...(resource.root.seq('specs')?.maps() ?? [])].filter((s): s is MapView => !!s);
  const rules: CiliumRule[] = [];
  for (const spec of specs) {
    // A rule with `nodeSelector` instead of `endpointSelector` is a host policy: it selects nodes, not pods.
    const endpointSelector = parseSelector(spec.map('endpointSelector'));
    if (!endpointSelector) continue;
    const defaultDeny = spec.map('enableDefaultDeny');
    const isolates = Object.fromEntries(
      DIRECTIONS.map((d) => [d, ((spec.seq(d)?.length ?? 0) > 0 || (spec.seq(`${d}Deny`)?.length ?? 0) > 0) && defaultDeny?.bool(d) !== false]),
    ) as Record<Direction, boolean>;
    const allows = Object.fromEntries(DIRECTIONS.map((d) => [d, parseCiliumPeerRules(spec.seq(d), d)])) as Record<Direction, CiliumPeerRule[]>;
    rules.push({ spec, endpointSelector, isolates, allows });
  }
  return { resource, clusterwide, ...(clusterwide ? {} : { namespace: resource.effectiveNamespace(defaultNamespace) }), rules };
}

/** True if a rule of the policy selects the endpoint and isolates it in `direction`. */
export function ciliumIsolates(policy: CiliumPolicyModel, endpoint: EndpointIdentity, direction: Direction): boolean {
  if (policy.namespace !== undefined && policy.namespace !== endpoint.namespace) return false;
  return policy.rules.some((rule) => rule.isolates[direction] && matchesLabels(normalise(rule.endpointSelector), endpointLabels(endpoint)));
}

/** True if a rule of the policy selects every endpoint of `namespace` and isolates it in `direction`. */
export function ciliumIsolatesNamespace(policy: CiliumPolicyModel, namespace: string, namespaceLabels: Readonly<Record<string, string>>, direction: Direction): boolean {
  if (policy.namespace !== undefined && policy.namespace !== namespace) return false;
  return policy.rules.some((rule) => {
    if (!rule.isolates[direction]) return false;
    const selector = normalise(rule.endpointSelector);
    if (selectsAll(selector)) return true;
    // A clusterwide selector that only constrains namespace labels selects every pod of a matching namespace.
    const namespaceOnly = selector.requirements.every((r) => NAMESPACE_KEYS.test(r.key));
    return policy.clusterwide && namespaceOnly && matchesLabels(selector, endpointLabels({ namespace, labels: {}, namespaceLabels, serviceAccount: '' }));
  });
}

/** The labels Cilium gives every pod endpoint for its namespace, and the prefix of its namespace's labels. */
export const POD_NAMESPACE_LABEL = 'io.kubernetes.pod.namespace';
export const NAMESPACE_LABELS_PREFIX = 'io.cilium.k8s.namespace.labels.';

const NAMESPACE_KEYS = /^io\.(kubernetes\.pod\.namespace|cilium\.k8s\.namespace\.labels\.)/;

/** True if the rule's endpoint selector can select pods of `namespace` whatever their labels (`endpointSelector: {}`). */
export function ciliumRuleSelectsNamespace(policy: CiliumPolicyModel, rule: CiliumRule, namespace: string): boolean {
  return (policy.namespace === undefined || policy.namespace === namespace) && selectsAll(normalise(rule.endpointSelector));
}

/** The rules of the policy whose endpoint selector selects the endpoint. */
export function ciliumRulesSelecting(policy: CiliumPolicyModel, endpoint: EndpointIdentity): CiliumRule[] {
  if (policy.namespace !== undefined && policy.namespace !== endpoint.namespace) return [];
  return policy.rules.filter((rule) => matchesLabels(normalise(rule.endpointSelector), endpointLabels(endpoint)));
}

/** Cilium's labels of a pod endpoint, without the `k8s:` source prefix. */
function endpointLabels(endpoint: EndpointIdentity): Record<string, string> {
  const labels: Record<string, string> = { ...endpoint.labels, [POD_NAMESPACE_LABEL]: endpoint.namespace, 'io.cilium.k8s.policy.serviceaccount': endpoint.serviceAccount };
  for (const [key, value] of Object.entries(endpoint.namespaceLabels)) labels[`${NAMESPACE_LABELS_PREFIX}${key}`] = value;
  return labels;
}

/** Selector keys may carry a source: `k8s:` and `any:` match pod labels; other sources (`reserved:`, `cidr:`) never match a pod. */
export function normalise(selector: LabelSelector): LabelSelector {
  return { ...selector, requirements: selector.requirements.map((r) => ({ ...r, key: r.key.replace(/^(k8s|any):/, '') })) };
}
