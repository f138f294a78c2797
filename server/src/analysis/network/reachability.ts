import type { Direction } from './network-policy';
import { activeRules } from './network-policy';
import type { NetworkIndex } from './network-index';
import { describePorts } from './ports';
import type { Workload } from './workloads';

/** May pods of `from` open a connection to pods of `to` (on at least one port)? `unknown`: a Cilium policy decides. */
export type Reach = 'allowed' | 'denied' | 'unknown';

export interface ReachabilityGraph {
  /**
   * The workloads, in file order. `file` tells apart workloads of the same name; `openIngress` /
   * `openEgress`: any source may connect to it / it may connect anywhere (no policy isolates that
   * direction, or a rule admits every peer).
   */
  workloads: Array<{ label: string; namespace: string; file: string; openIngress: boolean; openEgress: boolean }>;
  /** `reach[i][j]`: from workload i to workload j. */
  reach: Reach[][];
  /** For each pair that may connect (`i>j`): on which ports, and what decides it on each side. */
  why: Record<string, { ports: string; decidedBy: string[] }>;
}

/** One side of a connection: whether it admits the peer, on which ports, and what decides. */
interface Side {
  reach: Reach;
  ports: string;
  decidedBy: string[];
}

/**
 * Which workloads may talk to which, as the API server's NetworkPolicy semantics allow: a
 * connection needs the source's egress and the destination's ingress to admit it (each is
 * open when no policy isolates that direction). Allowed pairs say on which ports (as the
 * destination's ingress, else the source's egress, restricts them) and which policies decide.
 */
export function reachabilityGraph(index: NetworkIndex, limit = 120): ReachabilityGraph {
  const workloads = index.workloads.slice(0, limit);
  const why: ReachabilityGraph['why'] = {};
  const reach = workloads.map((from, i) =>
    workloads.map((to, j) => {
      const egress = admits(index, from, to, 'egress');
      const ingress = admits(index, to, from, 'ingress');
      const result = combine(egress.reach, ingress.reach);
      if (result !== 'denied') {
        why[`${i}>${j}`] = { ports: ingress.ports !== 'any port' ? ingress.ports : egress.ports, decidedBy: [...egress.decidedBy, ...ingress.decidedBy] };
      }
      return result;
    }),
  );
  return {
    workloads: workloads.map((w) => ({
      label: w.resource.label,
      namespace: w.namespace,
      file: w.resource.uri,
      openIngress: isOpen(index, w, 'ingress'),
      openEgress: isOpen(index, w, 'egress'),
    })),
    reach,
    why,
  };
}

/** Whether every source (ingress) or destination (egress) is admitted on some port. */
function isOpen(index: NetworkIndex, workload: Workload, direction: Direction): boolean {
  if (workload.hostNetwork) return true;
  const isolators = index.isolation(workload)[direction];
  return isolators.length === 0 || isolators.some((i) => i.kind === 'kubernetes' && activeRules(i.policy, direction).some((rule) => rule.peers === 'any'));
}

/** Does `subject`'s policy in `direction` admit `peer` (the destination for egress, the source for ingress)? */
function admits(index: NetworkIndex, subject: Workload, peer: Workload, direction: Direction): Side {
  const label = `${subject.resource.label} (${direction})`;
  if (subject.hostNetwork) return { reach: 'allowed', ports: 'any port', decidedBy: [`${label}: host network, no NetworkPolicy applies`] };
  const isolators = index.isolation(subject)[direction];
  if (isolators.length === 0) return { reach: 'allowed', ports: 'any port', decidedBy: [`${label}: no NetworkPolicy isolates it`] };
  const identity = { namespace: peer.namespace, labels: peer.labels };
  const ports: string[] = [];
  const decidedBy: string[] = [];
  for (const isolator of isolators) {
    if (isolator.kind !== 'kubernetes') continue;
    const admitting = activeRules(isolator.policy, direction).filter((rule) => rule.peers === 'any' || rule.peers.some((p) => index.peerSelects(isolator.policy, p, identity)));
    if (admitting.length === 0) continue;
    decidedBy.push(`${label}: NetworkPolicy ${isolator.policy.namespace}/${isolator.policy.resource.name}`);
    const containerPorts = direction === 'ingress' ? subject.containerPorts : peer.containerPorts;
    for (const rule of admitting) ports.push(describePorts(rule.ports, containerPorts));
  }
  if (decidedBy.length) return { reach: 'allowed', ports: ports.includes('any port') ? 'any port' : [...new Set(ports)].join(', '), decidedBy };
  const cilium = isolators.filter((i) => i.kind === 'cilium');
  if (cilium.length) return { reach: 'unknown', ports: 'any port', decidedBy: cilium.map((i) => `${label}: ${i.policy.resource.kind} ${i.policy.resource.name} (not evaluated)`) };
  return { reach: 'denied', ports: '', decidedBy: [] };
}

function combine(a: Reach, b: Reach): Reach {
  if (a === 'denied' || b === 'denied') return 'denied';
  return a === 'unknown' || b === 'unknown' ? 'unknown' : 'allowed';
}
