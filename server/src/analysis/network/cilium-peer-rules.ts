import type { Node, Scalar } from 'yaml';
import { scalarText, type MapView, type SeqView } from '../../model/yaml-view';
import { parseSelector, type LabelSelector } from './label-selector';
import type { Direction } from './network-policy';

/**
 * One allow rule of a Cilium policy (an item of `ingress` or `egress`): its L3 peers and its
 * ports. A rule without any L3 field admits every peer on its ports (an L4-only rule).
 */
export interface CiliumPeerRule {
  direction: Direction;
  /** Position in its `ingress` / `egress` list. */
  index: number;
  /** The rule item. */
  node: Node;
  /** `fromEndpoints` / `toEndpoints`. */
  endpoints: LabelSelector[];
  /** `fromEntities` / `toEntities`, each value with its node. */
  entities: Array<{ value: string; node: Scalar }>;
  /** `fromCIDR` / `toCIDR` (no `except`) and `fromCIDRSet` / `toCIDRSet`; `field` names which. */
  cidrs: Array<{ cidr: string; except: string[]; node: Node; field: string }>;
  /** `toServices` naming a Kubernetes Service (`k8sService`). */
  services: Array<{ name: string; namespace?: string }>;
  /** An L3 field this model does not resolve to pods or addresses (FQDNs, groups, nodes, service selectors, CIDR groups). */
  otherPeers: boolean;
  /** `'all'` when `toPorts` lists no port: every port and protocol. */
  ports: 'all' | CiliumPort[];
}

/** A `PortProtocol`: `port` may be a number, a name or `0`/absent (every port); protocol `ANY` unless written. */
export interface CiliumPort {
  port?: number | string;
  endPort?: number;
  protocol: string;
}

const PEER_FIELDS: Record<Direction, { endpoints: string; entities: string; cidr: string; cidrSet: string; services?: string; other: readonly string[] }> = {
  ingress: { endpoints: 'fromEndpoints', entities: 'fromEntities', cidr: 'fromCIDR', cidrSet: 'fromCIDRSet', other: ['fromRequires', 'fromGroups', 'fromNodes'] },
  egress: { endpoints: 'toEndpoints', entities: 'toEntities', cidr: 'toCIDR', cidrSet: 'toCIDRSet', services: 'toServices', other: ['toRequires', 'toFQDNs', 'toGroups', 'toNodes'] },
};

export function parseCiliumPeerRules(seq: SeqView | undefined, direction: Direction): CiliumPeerRule[] {
  const fields = PEER_FIELDS[direction];
  return (seq?.maps() ?? []).map((map, index) => {
    const services = (fields.services ? map.seq(fields.services)?.maps() : undefined) ?? [];
    const named = services.flatMap((s) => {
      const service = s.map('k8sService');
      const name = service?.string('serviceName');
      return name ? [{ name, ...(service?.string('namespace') ? { namespace: service.string('namespace') } : {}) }] : [];
    });
    const cidrSets = map.seq(fields.cidrSet)?.maps() ?? [];
    return {
      direction,
      index,
      node: map.node,
      endpoints: (map.seq(fields.endpoints)?.maps() ?? []).map(parseSelector).filter((s): s is LabelSelector => !!s),
      entities: map.seq(fields.entities)?.scalars() ?? [],
      cidrs: [
        ...(map.seq(fields.cidr)?.scalars() ?? []).map((s) => ({ cidr: s.value, except: [], node: s.node as Node, field: fields.cidr })),
        ...cidrSets.flatMap((set) => {
          const cidr = set.scalar('cidr');
          return cidr ? [{ cidr: scalarText(cidr) ?? '', except: set.seq('except')?.scalars().map((e) => e.value) ?? [], node: cidr as Node, field: fields.cidrSet }] : [];
        }),
      ],
      services: named,
      // A CIDR set naming a CiliumCIDRGroup, or a service given by selector, is a peer this model does not resolve.
      otherPeers: fields.other.some((key) => map.has(key)) || named.length < services.length || cidrSets.some((set) => !set.has('cidr')),
      ports: parsePorts(map.seq('toPorts')),
    };
  });
}

function parsePorts(toPorts: SeqView | undefined): 'all' | CiliumPort[] {
  const ports = (toPorts?.maps() ?? []).flatMap((rule) => rule.seq('ports')?.maps() ?? []).map(parsePort);
  return ports.length === 0 || ports.some((p) => p.port === undefined && p.protocol === 'ANY') ? 'all' : ports;
}

function parsePort(map: MapView): CiliumPort {
  const value = map.value('port');
  const number = typeof value === 'number' ? value : typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : undefined;
  const endPort = map.number('endPort');
  const port = number !== undefined ? (number === 0 ? undefined : number) : typeof value === 'string' && value !== '' ? value : undefined;
  return { ...(port !== undefined ? { port } : {}), ...(endPort !== undefined ? { endPort } : {}), protocol: (map.string('protocol') ?? 'ANY').toUpperCase() };
}

/** True if the Cilium port admits `port`/`protocol` (named ports resolved against the destination's ports). */
export function ciliumPortAdmits(spec: CiliumPort, port: number, protocol: string, named: ReadonlyArray<{ name?: string; port: number; protocol: string }>): boolean {
  if (spec.protocol !== 'ANY' && spec.protocol !== protocol) return false;
  if (spec.port === undefined) return true;
  if (typeof spec.port === 'number') return spec.endPort !== undefined ? port >= spec.port && port <= spec.endPort : port === spec.port;
  return named.some((c) => c.name === spec.port && c.protocol === protocol && c.port === port);
}

/** True if the rule names no L3 peer: it admits every source or destination on its ports. */
export function admitsEveryPeer(rule: CiliumPeerRule): boolean {
  return rule.endpoints.length === 0 && rule.entities.length === 0 && rule.cidrs.length === 0 && rule.services.length === 0 && !rule.otherPeers;
}

/** `443/TCP`, `8000-8100/TCP`, `53/ANY`, `dns/UDP`, `every UDP port`, `any port`: as the rule's ports read. */
export function describeCiliumPorts(ports: 'all' | readonly CiliumPort[]): string {
  if (ports === 'all') return 'any port';
  return ports
    .map((p) => (p.port === undefined ? (p.protocol === 'ANY' ? 'every port' : `every ${p.protocol} port`) : `${p.port}${p.endPort !== undefined ? `-${p.endPort}` : ''}/${p.protocol}`))
    .join(', ');
}
