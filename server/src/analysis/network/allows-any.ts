import type { Node } from 'yaml';
import { admitsAnyAddress } from './cidr';
import { selectsAll } from './label-selector';
import type { NetworkPolicyRule } from './network-policy';

/**
 * Why a rule admits every source (ingress) or destination (egress), as the id of the message
 * that says so (networkpolicy-allows-any's `meta.messages`): no peers at all, an empty peer
 * list, an ipBlock of every address (`anyAddressPrivateKept`: its `except` leaves the private
 * ranges in), or `namespaceSelector: {}` (every pod of the cluster).
 */
export type AnyPeerReason = 'noPeers' | 'emptyPeers' | 'anyAddress' | 'anyAddressPrivateKept' | 'everyNamespace';

/** A reason a rule admits anyone, and where that is written. */
export interface AnyPeer {
  node: Node;
  reason: AnyPeerReason;
  /** The ipBlock's CIDR, for the `anyAddress` reasons. */
  cidr?: string;
}

/**
 * The first reason a rule admits anyone: no peers (`{}`, a missing or empty `from`/`to`), an
 * ipBlock of the whole address space that does not carve out the private ranges, or a lone
 * `namespaceSelector: {}` (every pod of every namespace). `podSelector: {}` alone stays inside
 * the policy's namespace and is not "any".
 */
export function anyPeerOf(rule: NetworkPolicyRule): AnyPeer | undefined {
  if (rule.peers === 'any') return rule.peersKey ? { node: rule.peersKey, reason: 'emptyPeers' } : { node: rule.node, reason: 'noPeers' };
  for (const peer of rule.peers) {
    if (peer.ipBlock && !peer.podSelector && !peer.namespaceSelector && admitsAnyAddress(peer.ipBlock.cidr, peer.ipBlock.except)) {
      return { node: peer.ipBlock.node, reason: peer.ipBlock.except.length ? 'anyAddressPrivateKept' : 'anyAddress', cidr: peer.ipBlock.cidr };
    }
    if (!peer.ipBlock && selectsAll(peer.namespaceSelector) && (!peer.podSelector || selectsAll(peer.podSelector))) {
      return { node: peer.namespaceSelector!.node, reason: 'everyNamespace' };
    }
  }
  return undefined;
}

/** A rule that admits anyone on every port: it cancels the isolation of the pods it applies to. */
export function allowsEverything(rule: NetworkPolicyRule): boolean {
  return rule.ports === 'all' && anyPeerOf(rule) !== undefined;
}
