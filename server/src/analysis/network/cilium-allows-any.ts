import type { Node } from 'yaml';
import { admitsAnyAddress } from './cidr';
import type { CiliumPeerRule } from './cilium-peer-rules';

/** A peer of a Cilium allow rule that admits anyone, or every address outside the cluster, and where it is written. */
export interface CiliumAnyPeer {
  node: Node;
  /** `anyone`: every source or destination (entity `all`, a CIDR of every address); `outside`: every address outside the cluster (entity `world`). */
  scope: 'anyone' | 'outside';
  /** What the rule says, in the manifest's words: `toEntities world`, `fromCIDR 0.0.0.0/0`. */
  written: string;
  /** A CIDR of every address whose `except` leaves the private ranges in. */
  privateKept?: true;
}

/**
 * The peers of a Cilium allow rule that open it to everyone: the entities `all` and `world`
 * (`world` is every address outside the cluster: the internet for most clusters), and CIDRs of
 * the whole address space (`0.0.0.0/0`, `::/0`) whose `except` leaves the private ranges in.
 * Cilium's CIDR rules select addresses outside the cluster only, so such a CIDR is `world` too.
 */
export function ciliumAnyPeers(rule: CiliumPeerRule): CiliumAnyPeer[] {
  const field = (name: string) => `${rule.direction === 'ingress' ? 'from' : 'to'}${name}`;
  const entities = rule.entities.flatMap((e): CiliumAnyPeer[] =>
    e.value === 'all'
      ? [{ node: e.node, scope: 'anyone', written: `${field('Entities')} all` }]
      : e.value === 'world'
        ? [{ node: e.node, scope: 'outside', written: `${field('Entities')} world` }]
        : [],
  );
  const cidrs = rule.cidrs.flatMap((c): CiliumAnyPeer[] =>
    admitsAnyAddress(c.cidr, c.except)
      ? [{ node: c.node, scope: 'outside', written: `${c.field} ${c.cidr}`, ...(c.except.length ? { privateKept: true as const } : {}) }]
      : [],
  );
  return [...entities, ...cidrs];
}
