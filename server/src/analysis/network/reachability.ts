import type { Direction } from './network-policy';
import { activeRules } from './network-policy';
import type { NetworkIndex } from './network-index';
import type { Workload } from './workloads';

/** May pods of `from` open a connection to pods of `to` (on at least one port)? `unknown`: a Cilium policy decides. */
export type Reach = 'allowed' | 'denied' | 'unknown';

export interface ReachabilityGraph {
  workloads: Array<{ label: string; namespace: string }>;
  /** `reach[i][j]`: from workload i to workload j. */
  reach: Reach[][];
}

/**
 * Which workloads may talk to which, as the API server's NetworkPolicy semantics allow: a
 * connection needs the source's egress and the destination's ingress to admit it (each is
 * open when no policy isolates that direction). Ports are not distinguished.
 */
export function reachabilityGraph(index: NetworkIndex, limit = 60): ReachabilityGraph {
  const workloads = index.workloads.slice(0, limit);
  return {
    workloads: workloads.map((w) => ({ label: w.resource.label, namespace: w.namespace })),
    reach: workloads.map((from) => workloads.map((to) => combine(admits(index, from, to, 'egress'), admits(index, to, from, 'ingress')))),
  };
}

/** Does `subject`'s policy in `direction` admit `peer` (the destination for egress, the source for ingress)? */
function admits(index: NetworkIndex, subject: Workload, peer: Workload, direction: Direction): Reach {
  if (subject.hostNetwork) return 'allowed';
  const isolators = index.isolation(subject)[direction];
  if (isolators.length === 0) return 'allowed';
  const identity = { namespace: peer.namespace, labels: peer.labels };
  const byKubernetes = isolators.some(
    (i) => i.kind === 'kubernetes' && activeRules(i.policy, direction).some((rule) => rule.peers === 'any' || rule.peers.some((p) => index.peerSelects(i.policy, p, identity))),
  );
  if (byKubernetes) return 'allowed';
  return isolators.some((i) => i.kind === 'cilium') ? 'unknown' : 'denied';
}

function combine(a: Reach, b: Reach): Reach {
  if (a === 'denied' || b === 'denied') return 'denied';
  return a === 'unknown' || b === 'unknown' ? 'unknown' : 'allowed';
}
