import { describePolicy, describeReachability, describeNetworkPolicyRule } from '../analysis/network/describe';
import { networkIndex } from '../analysis/network/network-index';
import { isNetworkPolicy, type Direction } from '../analysis/network/network-policy';
import type { HoverProvider } from '../engine/hover';

/**
 * On a NetworkPolicy's kind, name or pod selector: the workloads it selects and what it allows.
 * On one of its rules: that rule in plain words. On a workload's name: who may reach it and
 * where it may connect, after every policy of the workspace.
 */
export const networkHover: HoverProvider = ({ resource, at, workspace }) => {
  const [first, second, third] = at.path;
  if (isNetworkPolicy(resource)) {
    const index = networkIndex(workspace);
    const policy = index.policyOf(resource);
    if (!policy) return undefined;
    if (first === 'spec' && (second === 'ingress' || second === 'egress') && typeof third === 'number') {
      const rule = policy.rules[second as Direction].find((r) => r.index === third);
      if (!rule) return undefined;
      const active = policy.types.has(rule.direction) ? '' : ` It is ignored: \`policyTypes\` does not include ${rule.direction === 'ingress' ? 'Ingress' : 'Egress'}.`;
      return `This ${rule.direction} rule allows connections ${describeNetworkPolicyRule(index, policy, rule, rule.direction === 'ingress' ? index.selectedBy(policy) : [])}.${active}`;
    }
    const onPolicy = first === 'kind' || (first === 'metadata' && second === 'name') || (first === 'spec' && second === 'podSelector');
    return onPolicy ? describePolicy(index, policy) : undefined;
  }
  if (first === 'metadata' && second === 'name' && at.path.length === 2) {
    const index = networkIndex(workspace);
    const workload = index.workloadOf(resource);
    return workload ? describeReachability(index, workload) : undefined;
  }
  return undefined;
};
