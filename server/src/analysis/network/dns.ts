import type { Resource } from '../../model/resource';
import type { MapView } from '../../model/yaml-view';
import { admitsEveryPeer, ciliumPortAdmits, type CiliumPeerRule } from './cilium-peer-rules';
import { ciliumRuleSelectsNamespace, ciliumRulesSelecting, NAMESPACE_LABELS_PREFIX, normalise, POD_NAMESPACE_LABEL, type CiliumPolicyModel } from './cilium-policy';
import { mayMatchLabels, selectsAll, type LabelKnowledge, type LabelSelector } from './label-selector';
import { activeRules, type NetworkPolicyModel, type Peer, type NetworkPolicyRule } from './network-policy';
import { NAMESPACE_NAME_LABEL, type NetworkIndex, type PodIdentity } from './network-index';
import { portAdmits, type ContainerPort } from './ports';
import type { Workload } from './workloads';

/** The cluster DNS pods as every distribution labels them (kube-dns and CoreDNS alike). */
export const KUBE_DNS: PodIdentity & { ports: readonly ContainerPort[] } = {
  namespace: 'kube-system',
  labels: { 'k8s-app': 'kube-dns' },
  ports: [
    { name: 'dns', port: 53, protocol: 'UDP' },
    { name: 'dns-tcp', port: 53, protocol: 'TCP' },
  ],
};

/**
 * What is known of the cluster DNS pods' labels: `k8s-app` is `kube-dns` (kubeadm, kops, the
 * managed clusters) or `coredns` (the CoreDNS Helm chart); their other labels vary, so a
 * selector on them may match.
 */
const KUBE_DNS_POD: LabelKnowledge = (key) => (key === 'k8s-app' ? ['kube-dns', 'coredns'] : undefined);

const DNS_PROTOCOLS = ['UDP', 'TCP'] as const;
export type DnsProtocol = (typeof DNS_PROTOCOLS)[number];

/**
 * The DNS protocols (port 53) the workload cannot use because policies (NetworkPolicies and
 * Cilium policies) isolate its egress and none of the rules that apply to it reaches kube-dns.
 * Empty when egress is not isolated.
 */
export function blockedDnsProtocols(index: NetworkIndex, workload: Workload): DnsProtocol[] {
  const isolators = index.isolation(workload).egress;
  if (isolators.length === 0) return [];
  const endpoint = index.endpointOf(workload);
  const policies = isolators.flatMap((i) => (i.kind === 'kubernetes' ? [i.policy] : []));
  // Cilium allows what any policy selecting the endpoint allows, isolating or not.
  const cilium = index.ciliumPolicies.flatMap((policy) => ciliumRulesSelecting(policy, endpoint).flatMap((rule) => rule.allows.egress.map((allow) => ({ policy, allow }))));
  return DNS_PROTOCOLS.filter(
    (protocol) =>
      !policies.some((p) => activeRules(p, 'egress').some((rule) => ruleAdmitsDns(index, p, rule, protocol))) &&
      !cilium.some(({ policy, allow }) => ciliumRuleAdmitsDns(policy, allow, protocol)),
  );
}

/**
 * The DNS protocols no policy of the namespace allows (any NetworkPolicy or Cilium policy of
 * it, whatever pods it selects, and any clusterwide Cilium policy): judged from the policies
 * alone, for a namespace whose workloads are not in the workspace.
 */
export function namespaceBlockedDnsProtocols(index: NetworkIndex, namespace: string): DnsProtocol[] {
  const cilium = index.ciliumPolicies.filter((p) => p.namespace === undefined || p.namespace === namespace);
  return DNS_PROTOCOLS.filter(
    (protocol) =>
      !index.policiesIn(namespace).some((p) => activeRules(p, 'egress').some((rule) => ruleAdmitsDns(index, p, rule, protocol))) &&
      !cilium.some((policy) => policy.rules.some((rule) => rule.allows.egress.some((allow) => ciliumRuleAdmitsDns(policy, allow, protocol)))),
  );
}

/** A namespace-wide policy that isolates egress, and the map that holds its egress rules. */
export interface EgressDefaultDeny {
  resource: Resource;
  /** `spec` of a NetworkPolicy; the rule (`spec` or an item of `specs`) of a Cilium policy. */
  spec: MapView;
}

/**
 * The namespace-wide policy (default deny) that isolates the egress of every pod of the
 * namespace: the first NetworkPolicy with `podSelector: {}` and policy type Egress, else the
 * first CiliumNetworkPolicy with `endpointSelector: {}` and egress rules. DNS findings belong
 * to it, once per namespace. A policy written for one workload that denies all its egress is a
 * deliberate choice (a database needs no DNS) and is not blamed.
 */
export function namespaceEgressDefaultDeny(index: NetworkIndex, namespace: string): EgressDefaultDeny | undefined {
  const kubernetes = index.policiesIn(namespace).find((p) => selectsAll(p.podSelector) && p.types.has('egress'));
  // Egress is only ever a policy type through `spec` (written or implied by its egress rules).
  if (kubernetes) return { resource: kubernetes.resource, spec: kubernetes.resource.root.map('spec')! };
  for (const policy of index.ciliumPolicies) {
    if (policy.namespace !== namespace) continue;
    const rule = policy.rules.find((r) => r.isolates.egress && ciliumRuleSelectsNamespace(policy, r, namespace));
    if (rule) return { resource: policy.resource, spec: rule.spec };
  }
  return undefined;
}

/** A DNS rule of a policy that selects pods by labels but no namespace, so it stays in the policy's `namespace`. */
export interface MisdirectedDnsRule {
  /** How its peer is written: a `podSelector` without `namespaceSelector`, or a Cilium `toEndpoints` selector without the pod namespace label. */
  selector: 'podSelector' | 'toEndpoints';
  namespace: string;
}

/**
 * Why the policy's own DNS rule (a rule that lists port 53) reaches no kube-dns, when the cause
 * is the usual one: its peer names pods by labels but no namespace, so it stays in the policy's
 * namespace.
 */
export function misdirectedDnsRule(index: NetworkIndex, policy: Resource): MisdirectedDnsRule | undefined {
  const kubernetes = index.policyOf(policy);
  if (kubernetes && kubernetes.namespace !== KUBE_DNS.namespace) {
    const dnsRules = activeRules(kubernetes, 'egress').filter((rule) => rule.ports !== 'all' && rule.ports.some((spec) => spec.port !== undefined && DNS_PROTOCOLS.some((p) => portAdmits(spec, 53, p, KUBE_DNS.ports))));
    if (dnsRules.some((rule) => rule.peers !== 'any' && rule.peers.some((peer) => peer.podSelector && !peer.namespaceSelector && !peer.ipBlock))) {
      return { selector: 'podSelector', namespace: kubernetes.namespace };
    }
  }
  const cilium = index.ciliumPolicyOf(policy);
  if (cilium?.namespace !== undefined && cilium.namespace !== KUBE_DNS.namespace) {
    const dnsRules = cilium.rules.flatMap((r) => r.allows.egress).filter((rule) => rule.ports !== 'all' && rule.ports.some((spec) => spec.port !== undefined && DNS_PROTOCOLS.some((p) => ciliumPortAdmits(spec, 53, p, KUBE_DNS.ports))));
    if (dnsRules.some((rule) => rule.endpoints.some((selector) => !namesNamespace(normalise(selector))))) {
      return { selector: 'toEndpoints', namespace: cilium.namespace };
    }
  }
  return undefined;
}

/**
 * A rule admits DNS when its ports admit 53 for the protocol (port 53, a range or the
 * `dns`/`dns-tcp` names covering it, or every port) and one of its peers can be kube-dns. An
 * ipBlock counts (NodeLocal DNSCache listens on a link-local address); a selector must be able
 * to match the kube-dns pods in kube-system: a `podSelector` without `namespaceSelector` only
 * matches pods of the policy's own namespace.
 */
function ruleAdmitsDns(index: NetworkIndex, policy: NetworkPolicyModel, rule: NetworkPolicyRule, protocol: DnsProtocol): boolean {
  const ports = rule.ports === 'all' || rule.ports.some((spec) => portAdmits(spec, 53, protocol, KUBE_DNS.ports));
  return ports && (rule.peers === 'any' || rule.peers.some((peer) => !!peer.ipBlock || peerMayBeKubeDns(index, policy, peer)));
}

function peerMayBeKubeDns(index: NetworkIndex, policy: NetworkPolicyModel, peer: Peer): boolean {
  if (!peer.podSelector && !peer.namespaceSelector) return false;
  const namespace = peer.namespaceSelector ? mayMatchLabels(peer.namespaceSelector, kubeSystemLabels(index)) : policy.namespace === KUBE_DNS.namespace;
  return namespace && (!peer.podSelector || mayMatchLabels(peer.podSelector, KUBE_DNS_POD));
}

/**
 * What is known of kube-system's labels: all of them when the workspace has its manifest, else
 * only `kubernetes.io/metadata.name` (an administrator may have added others).
 */
function kubeSystemLabels(index: NetworkIndex): LabelKnowledge {
  const labels = index.namespaceLabels(KUBE_DNS.namespace);
  const complete = index.namespaceManifestsOf(KUBE_DNS.namespace).length > 0;
  return (key) => (key in labels ? [labels[key]] : complete ? [] : undefined);
}

/** Cilium entities that contain the kube-dns pods or a node-local DNS cache. */
const DNS_ENTITIES = ['all', 'cluster', 'host', 'remote-node'];

/**
 * The same for a Cilium allow rule: its ports admit 53 (protocol ANY by default) and a peer can
 * be kube-dns: no L3 peer at all, a CIDR, an entity that holds it, the Service
 * kube-system/kube-dns, or an endpoint selector that can match its pods.
 */
function ciliumRuleAdmitsDns(policy: CiliumPolicyModel, rule: CiliumPeerRule, protocol: DnsProtocol): boolean {
  const ports = rule.ports === 'all' || rule.ports.some((spec) => ciliumPortAdmits(spec, 53, protocol, KUBE_DNS.ports));
  return (
    ports &&
    (admitsEveryPeer(rule) ||
      rule.cidrs.length > 0 ||
      rule.entities.some((e) => DNS_ENTITIES.includes(e.value)) ||
      rule.services.some((s) => s.name === 'kube-dns' && (s.namespace ?? policy.namespace) === KUBE_DNS.namespace) ||
      rule.endpoints.some((selector) => endpointSelectorMayBeKubeDns(policy, selector)))
  );
}

/**
 * A `toEndpoints` selector of a CiliumNetworkPolicy that names no namespace selects endpoints
 * of the policy's namespace only; one of a clusterwide policy, of every namespace.
 */
function endpointSelectorMayBeKubeDns(policy: CiliumPolicyModel, selector: LabelSelector): boolean {
  const normalised = normalise(selector);
  if (policy.namespace !== undefined && !namesNamespace(normalised) && policy.namespace !== KUBE_DNS.namespace) return false;
  return mayMatchLabels(normalised, (key) => {
    if (key === POD_NAMESPACE_LABEL || key === `${NAMESPACE_LABELS_PREFIX}${NAMESPACE_NAME_LABEL}`) return [KUBE_DNS.namespace];
    // Label keys have no colon: a key that still has one after `k8s:`/`any:` is another source (`reserved:host`), never a pod's.
    if (key.includes(':')) return [];
    return KUBE_DNS_POD(key);
  });
}

/** True if a (normalised) Cilium endpoint selector says which namespace: by name or by the namespace's labels. */
function namesNamespace(selector: LabelSelector): boolean {
  return selector.requirements.some((r) => r.key === POD_NAMESPACE_LABEL || r.key.startsWith(NAMESPACE_LABELS_PREFIX));
}
