import type { ProjectionName } from '../../workspace/projections';

/** What the network rules and hovers use: NetworkPolicy semantics over the workspace (the policies generated from it are in `fixes/`). */
export { allowsEverything, anyPeerOf } from './allows-any';
export { admitsAnyAddress } from './cidr';
export { blockedDnsProtocols, misdirectedDnsRule, namespaceBlockedDnsProtocols, namespaceEgressDefaultDeny, type DnsProtocol, type MisdirectedDnsRule } from './dns';
export { isCiliumPolicy, parseCiliumPolicy } from './cilium-policy';
export { ciliumAnyPeers } from './cilium-allows-any';
export { describeCiliumPorts } from './cilium-peer-rules';
export { describeLabels, describeSelector, matchesLabels, selectsAll } from './label-selector';
export { networkIndex, type NetworkIndex } from './network-index';
export { activeRules, DIRECTIONS, isNetworkPolicy, parseNetworkPolicy, type Direction, type NetworkPolicyModel } from './network-policy';
export { describePorts } from './ports';
export { POD_KINDS, type Workload } from './workloads';
export { reachabilityGraph, type Reach, type ReachabilityGraph } from './reachability';

/** What the network analysis reads of the workspace's resources: rules built on it declare these. */
export const NETWORK_READS = ['identity', 'labels', 'podNetwork', 'podReferences', 'podIdentity', 'networkPolicies', 'services', 'ingresses', 'gatewayRoutes', 'monitors'] as const satisfies readonly ProjectionName[];
