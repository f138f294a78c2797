import type { Node } from 'yaml';
import { admitsAnyAddress } from './cidr';
import { selectsAll } from './label-selector';
import type { PolicyRule } from './network-policy';

/** Why a rule admits every source (ingress) or destination (egress), and where that is written. */
export interface AnyPeer {
  node: Node;
  /** Every pod of the cluster (`namespaceSelector: {}`), or anyone at all (addresses outside the cluster too). */
  scope: 'cluster-pods' | 'anyone';
  /** Completes "This rule admits any source because …" (plain text: it ends up in diagnostics). */
  because: string;
}

/**
 * The first reason a rule admits anyone: no peers (`{}`, a missing or empty `from`/`to`), an
 * ipBlock of the whole address space that does not carve out the private ranges, or a lone
 * `namespaceSelector: {}` (every pod of every namespace). `podSelector: {}` alone stays inside
 * the policy's namespace and is not "any".
 */
export function anyPeerOf(rule: PolicyRule): AnyPeer | undefined {
  const key = rule.direction === 'ingress' ? 'from' : 'to';
  if (rule.peers === 'any') {
    return rule.peersKey
      ? { node: rule.peersKey, scope: 'anyone', because: `its ${key} list is empty` }
      : { node: rule.node, scope: 'anyone', because: `it has no ${key}` };
  }
  for (const peer of rule.peers) {
    if (peer.ipBlock && !peer.podSelector && !peer.namespaceSelector && admitsAnyAddress(peer.ipBlock.cidr, peer.ipBlock.except)) {
      return { node: peer.ipBlock.node, scope: 'anyone', because: `ipBlock ${peer.ipBlock.cidr} covers every address${peer.ipBlock.except.length ? ' and its except keeps the private ranges in' : ''}` };
    }
    if (!peer.ipBlock && selectsAll(peer.namespaceSelector) && (!peer.podSelector || selectsAll(peer.podSelector))) {
      return { node: peer.namespaceSelector!.node, scope: 'cluster-pods', because: 'namespaceSelector: {} selects every namespace' };
    }
  }
  return undefined;
}

/** A rule that admits anyone on every port: it cancels the isolation of the pods it applies to. */
export function allowsEverything(rule: PolicyRule): boolean {
  return rule.ports === 'all' && anyPeerOf(rule) !== undefined;
}
