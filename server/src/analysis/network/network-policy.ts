import { isScalar, type Node } from 'yaml';
import type { Resource } from '../../model/resource';
import { scalarText, type MapView } from '../../model/yaml-view';
import { parseSelector, type LabelSelector } from './label-selector';
import { parsePorts, type PortList } from './ports';

export type Direction = 'ingress' | 'egress';
export const DIRECTIONS: readonly Direction[] = ['ingress', 'egress'];

export interface IpBlock {
  cidr: string;
  except: string[];
  /** The `cidr` value. */
  node: Node;
}

/** A `NetworkPolicyPeer`. With neither selector nor ipBlock it is invalid and admits nothing. */
export interface Peer {
  node: Node;
  podSelector?: LabelSelector;
  namespaceSelector?: LabelSelector;
  ipBlock?: IpBlock;
}

/**
 * An item of a NetworkPolicy's `ingress` or `egress` (the API's NetworkPolicyIngressRule and
 * NetworkPolicyEgressRule). Not to be confused with an RBAC `PolicyRule` (analysis/rbac) or a
 * lint `Rule` (engine/rule.ts).
 */
export interface NetworkPolicyRule {
  direction: Direction;
  index: number;
  /** The rule item (a map, or the null item `-` that decodes to an empty rule). */
  node: Node;
  /** The `from` / `to` key, when written. */
  peersKey?: Node;
  /** `'any'` when `from`/`to` is missing or empty: every source or destination. */
  peers: 'any' | Peer[];
  ports: PortList;
}

/** A Kubernetes NetworkPolicy with the defaults the API server applies. */
export interface NetworkPolicyModel {
  resource: Resource;
  namespace: string;
  /** A missing or null `podSelector` decodes to the empty selector: every pod of the namespace. */
  podSelector: LabelSelector;
  /** Effective `policyTypes`: as written, else Ingress plus Egress when `egress` has rules. */
  types: ReadonlySet<Direction>;
  typesWritten: boolean;
  /** Rules as written, including those of a direction the policy does not apply to. */
  rules: Readonly<Record<Direction, readonly NetworkPolicyRule[]>>;
}

const RULE_PEERS_KEY: Record<Direction, string> = { ingress: 'from', egress: 'to' };

/** `networking.k8s.io` (and the old `extensions`) NetworkPolicy; Calico's kind of the same name has other semantics. */
export function isNetworkPolicy(resource: Resource): boolean {
  return resource.kind === 'NetworkPolicy' && /^(networking\.k8s\.io|extensions)\//.test(resource.apiVersion);
}

export function parseNetworkPolicy(resource: Resource, defaultNamespace: string): NetworkPolicyModel {
  const spec = resource.root.map('spec');
  const podSelector = parseSelector(spec?.map('podSelector')) ?? { requirements: [], valid: true, node: spec?.node ?? resource.root.node };
  const rules = {
    ingress: parseNetworkPolicyRules(spec, 'ingress'),
    egress: parseNetworkPolicyRules(spec, 'egress'),
  };
  const written = spec?.seq('policyTypes')?.scalars().map((s) => s.value) ?? [];
  const types = new Set<Direction>();
  if (written.length > 0) {
    if (written.includes('Ingress')) types.add('ingress');
    if (written.includes('Egress')) types.add('egress');
  } else {
    // pkg/apis/networking/v1/defaults.go: Ingress always, Egress only when `egress` has rules.
    types.add('ingress');
    if (rules.egress.length > 0) types.add('egress');
  }
  return { resource, namespace: resource.effectiveNamespace(defaultNamespace), podSelector, types, typesWritten: written.length > 0, rules };
}

/** The rules that take effect: none for a direction outside the policy types. */
export function activeRules(policy: NetworkPolicyModel, direction: Direction): readonly NetworkPolicyRule[] {
  return policy.types.has(direction) ? policy.rules[direction] : [];
}

function parseNetworkPolicyRules(spec: MapView | undefined, direction: Direction): NetworkPolicyRule[] {
  const seq = spec?.seq(direction);
  if (!seq) return [];
  const rules: NetworkPolicyRule[] = [];
  seq.node.items.forEach((item, index) => {
    const map = seq.ctx.map(item);
    const node = seq.ctx.deref(item);
    // A null item (`- `) decodes to the zero-value rule, which admits everything.
    if (!map && !(isScalar(node) && node.value === null)) return;
    const key = RULE_PEERS_KEY[direction];
    const peers = map?.seq(key);
    rules.push({
      direction,
      index,
      node: node ?? seq.node,
      peersKey: map?.keyNode(key),
      peers: !peers || peers.length === 0 ? 'any' : peers.maps().map(parsePeer),
      ports: parsePorts(map?.seq('ports')),
    });
  });
  return rules;
}

function parsePeer(map: MapView): Peer {
  const ipBlock = map.map('ipBlock');
  const cidr = ipBlock?.scalar('cidr');
  return {
    node: map.node,
    podSelector: parseSelector(map.map('podSelector')),
    namespaceSelector: parseSelector(map.map('namespaceSelector')),
    ...(ipBlock && cidr ? { ipBlock: { cidr: scalarText(cidr) ?? '', except: ipBlock.seq('except')?.scalars().map((s) => s.value) ?? [], node: cidr } } : {}),
  };
}
