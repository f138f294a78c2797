import { describeLabels, describeSelector, equalityLabels, selectsAll, type LabelSelector } from './label-selector';
import { NAMESPACE_NAME_LABEL, type NetworkIndex } from './network-index';
import { activeRules, DIRECTIONS, type Direction, type NetworkPolicyModel, type Peer, type NetworkPolicyRule } from './network-policy';
import { describePorts, type ContainerPort } from './ports';
import type { Workload } from './workloads';
import { escapeMarkdown as text, markdownCode } from '../../report/escape';

/**
 * Plain-words Markdown for hovers: what a policy selects and allows, and what a workload may reach.
 * Every name, namespace, label, selector, port and address comes from the workspace and is written
 * through `text` (escaped inline Markdown) or `code` (a code span): it renders as exactly that text.
 */

const TITLE: Record<Direction, string> = { ingress: 'Ingress', egress: 'Egress' };
const PREPOSITION: Record<Direction, string> = { ingress: 'from', egress: 'to' };

/** What a NetworkPolicy selects and, per direction, what it allows. */
export function describePolicy(index: NetworkIndex, policy: NetworkPolicyModel): string {
  const selected = index.selectedBy(policy);
  const selects = !policy.podSelector.valid
    ? 'nothing: its `podSelector` is invalid, so the API server rejects the policy'
    : selectsAll(policy.podSelector)
      ? `every pod of namespace ${text(policy.namespace)}${selected.length ? ` (${workloadList(selected)})` : ''}`
      : selected.length
        ? `${workloadList(selected)} (pods ${describeSelector(policy.podSelector, text)})`
        : `pods ${describeSelector(policy.podSelector, text)} of namespace ${text(policy.namespace)}: no workload of the workspace has them`;
  const lines = [`**NetworkPolicy ${code(policy.resource.name)}** selects ${selects}.`, ''];
  for (const direction of DIRECTIONS) {
    if (!policy.types.has(direction)) {
      const ignored = policy.rules[direction].length ? `; its ${direction} rules are ignored` : '';
      lines.push(`- **${TITLE[direction]}**: not affected (\`policyTypes\` does not include ${TITLE[direction]}${ignored}).`);
      continue;
    }
    const rules = activeRules(policy, direction);
    if (rules.length === 0) {
      lines.push(`- **${TITLE[direction]}**: denies every connection (no rules).`);
      continue;
    }
    lines.push(`- **${TITLE[direction]}**: denies every connection except:`);
    for (const rule of rules) lines.push(`  - ${describeNetworkPolicyRule(index, policy, rule, direction === 'ingress' ? selected : [])}`);
  }
  return lines.join('\n');
}

/** `from pods app=web (Deployment/web) on 8080/TCP` */
export function describeNetworkPolicyRule(index: NetworkIndex, policy: NetworkPolicyModel, rule: NetworkPolicyRule, selectedPods: readonly Workload[] = []): string {
  const peers = rule.peers === 'any' ? ['anyone (every pod and every address)'] : rule.peers.map((peer) => describePeer(index, policy, peer));
  const ports: ContainerPort[] = selectedPods.flatMap((w) => [...w.containerPorts]);
  return `${PREPOSITION[rule.direction]} ${peers.join('; or ')} on ${describePorts(rule.ports, ports, text)}`;
}

/** What a workload may receive and open, per direction, after every policy that selects it. */
export function describeReachability(index: NetworkIndex, workload: Workload): string {
  const isolation = index.isolation(workload);
  const lines = [`**Reachability of ${text(workload.resource.label)}** (namespace ${text(workload.namespace)}${Object.keys(workload.labels).length ? `, pods ${describeLabels(workload.labels, text)}` : ''})`, ''];
  if (workload.hostNetwork) {
    lines.push('Host-network pods: NetworkPolicies do not isolate them, so ingress and egress are unrestricted.');
    return lines.join('\n');
  }
  for (const direction of DIRECTIONS) {
    const isolators = isolation[direction];
    if (isolators.length === 0) {
      lines.push(`- **${TITLE[direction]}**: unrestricted, no NetworkPolicy selects these pods for ${direction}${direction === 'ingress' ? ': any pod of the cluster may connect' : ': they may connect anywhere'}.`);
      continue;
    }
    const names = isolators.map((i) => `${i.kind === 'cilium' ? text(i.policy.resource.kind) : 'NetworkPolicy'} ${code(i.policy.resource.name)}`);
    const grants = isolators.flatMap((i) =>
      i.kind === 'kubernetes' ? activeRules(i.policy, direction).map((rule) => `${describeNetworkPolicyRule(index, i.policy, rule, direction === 'ingress' ? [workload] : [])} (${code(i.policy.resource.name)})`) : [],
    );
    const cilium = isolators.some((i) => i.kind === 'cilium') ? ' Cilium allow rules are not analysed here.' : '';
    lines.push(`- **${TITLE[direction]}**: isolated by ${names.join(', ')}.${cilium}${grants.length ? ' Allowed:' : ' Nothing is allowed.'}`);
    for (const grant of grants) lines.push(`  - ${grant}`);
  }
  return lines.join('\n');
}

function describePeer(index: NetworkIndex, policy: NetworkPolicyModel, peer: Peer): string {
  if (peer.ipBlock) return `addresses ${text(peer.ipBlock.cidr)}${peer.ipBlock.except.length ? ` except ${peer.ipBlock.except.map(text).join(', ')}` : ''}`;
  if (!peer.podSelector && !peer.namespaceSelector) return 'nothing (a peer needs a selector or an ipBlock)';
  const pods = !peer.podSelector || selectsAll(peer.podSelector) ? 'every pod' : `pods ${describeSelector(peer.podSelector, text)}`;
  const namespaces = peer.namespaceSelector ? describeNamespaces(peer.namespaceSelector) : `namespace ${text(policy.namespace)}`;
  const matched = index.workloads.filter((w) => index.peerSelects(policy, peer, w));
  return `${pods} of ${namespaces}${matched.length ? ` (${workloadList(matched)})` : ''}`;
}

function describeNamespaces(selector: LabelSelector): string {
  if (selectsAll(selector)) return 'every namespace';
  const name = equalityLabels(selector)[NAMESPACE_NAME_LABEL];
  if (name !== undefined && selector.requirements.length === 1) return `namespace ${text(name)}`;
  return `namespaces ${describeSelector(selector, text)}`;
}

function workloadList(workloads: readonly Workload[]): string {
  const shown = workloads.slice(0, 5).map((w) => text(w.resource.label));
  return workloads.length > 5 ? `${shown.join(', ')} and ${workloads.length - 5} more` : shown.join(', ');
}

/** A name as a code span, outside a table. */
function code(name: string): string {
  return markdownCode(name, { table: false });
}
