import type { Node } from 'yaml';
import type { SeqView } from '../../model/yaml-view';

/** A port a container declares (`containerPort`, its `name` and protocol). */
export interface ContainerPort {
  name?: string;
  port: number;
  protocol: string;
}

/** One `NetworkPolicyPort`: protocol (default TCP), a number or a container port name, and `endPort` for ranges. */
export interface PortSpec {
  protocol: string;
  /** Undefined: every port of the protocol. A string is a named port, resolved against the destination pod's container ports. */
  port?: number | string;
  endPort?: number;
  node: Node;
}

/** `'all'` when `ports` is missing or empty: the rule matches every port and protocol. */
export type PortList = 'all' | PortSpec[];

export function parsePorts(seq: SeqView | undefined): PortList {
  const maps = seq?.maps() ?? [];
  if (maps.length === 0) return 'all';
  return maps.map((map) => {
    const value = map.value('port');
    const endPort = map.number('endPort');
    return {
      protocol: map.string('protocol') ?? 'TCP',
      port: typeof value === 'number' ? value : typeof value === 'string' ? value : undefined,
      ...(endPort !== undefined ? { endPort } : {}),
      node: map.node,
    };
  });
}

/** True if the spec admits `port`/`protocol` on a pod with these container ports. */
export function portAdmits(spec: PortSpec, port: number, protocol: string, containerPorts: readonly ContainerPort[]): boolean {
  if (spec.protocol !== protocol) return false;
  if (spec.port === undefined) return true;
  if (typeof spec.port === 'number') return spec.endPort !== undefined ? port >= spec.port && port <= spec.endPort : port === spec.port;
  return containerPorts.some((c) => c.name === spec.port && c.protocol === protocol && c.port === port);
}

/**
 * `8080/TCP`, `8000-8100/TCP`, `http/TCP (8080)`, `every TCP port`. Named ports are resolved when
 * the pod's ports are known. `text` writes the port name and protocol: as is for plain text
 * (messages), escaped for Markdown (hovers).
 */
export function describePort(spec: PortSpec, containerPorts: readonly ContainerPort[] = [], text: (value: string) => string = (value) => value): string {
  const protocol = text(spec.protocol);
  if (spec.port === undefined) return `every ${protocol} port`;
  if (typeof spec.port === 'number') return `${spec.port}${spec.endPort !== undefined ? `-${spec.endPort}` : ''}/${protocol}`;
  const resolved = containerPorts.find((c) => c.name === spec.port && c.protocol === spec.protocol);
  return `${text(spec.port)}/${protocol}${resolved ? ` (${resolved.port})` : ''}`;
}

export function describePorts(ports: PortList, containerPorts: readonly ContainerPort[] = [], text?: (value: string) => string): string {
  return ports === 'all' ? 'any port' : ports.map((p) => describePort(p, containerPorts, text)).join(', ');
}
