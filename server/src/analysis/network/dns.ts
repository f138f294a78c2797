import { selectsAll } from './label-selector';
import { activeRules, type NetworkPolicyModel, type PolicyRule } from './network-policy';
import type { NetworkIndex, PodIdentity } from './network-index';
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

const DNS_PROTOCOLS = ['UDP', 'TCP'] as const;
export type DnsProtocol = (typeof DNS_PROTOCOLS)[number];

/**
 * The DNS protocols (port 53) the workload cannot use because NetworkPolicies isolate its
 * egress and none of their rules reaches kube-dns. Empty when egress is not isolated, or is
 * isolated by Cilium (whose allow rules are not analysed).
 */
export function blockedDnsProtocols(index: NetworkIndex, workload: Workload): DnsProtocol[] {
  const isolators = index.isolation(workload).egress;
  if (isolators.length === 0 || isolators.some((i) => i.kind === 'cilium')) return [];
  const policies = isolators.flatMap((i) => (i.kind === 'kubernetes' ? [i.policy] : []));
  return DNS_PROTOCOLS.filter((protocol) => !policies.some((p) => activeRules(p, 'egress').some((rule) => ruleAdmitsDns(index, p, rule, protocol))));
}

/**
 * The namespace-wide policy (default deny) that isolates the workload's egress, if any: DNS
 * findings belong to it. A policy written for one workload that denies all its egress is a
 * deliberate choice (a database needs no DNS) and is not blamed.
 */
export function defaultDenyIsolatingEgress(index: NetworkIndex, workload: Workload): NetworkPolicyModel | undefined {
  for (const isolator of index.isolation(workload).egress) if (isolator.kind === 'kubernetes' && selectsAll(isolator.policy.podSelector)) return isolator.policy;
  return undefined;
}

/**
 * A rule admits DNS when it lists port 53 (or a range or the `dns`/`dns-tcp` names covering it)
 * for the protocol, whatever the peers: that is an explicit DNS allowance, e.g. to NodeLocal
 * DNSCache by ipBlock. A rule for every port admits DNS only if its peers can be kube-dns.
 */
function ruleAdmitsDns(index: NetworkIndex, policy: NetworkPolicyModel, rule: PolicyRule, protocol: DnsProtocol): boolean {
  const ports = rule.ports === 'all' ? [undefined] : rule.ports.filter((p) => p.protocol === protocol);
  return ports.some((spec) => {
    if (spec && spec.port !== undefined) return portAdmits(spec, 53, protocol, KUBE_DNS.ports);
    return rule.peers === 'any' || rule.peers.some((peer) => !!peer.ipBlock || index.peerSelects(policy, peer, KUBE_DNS));
  });
}
