import { admitsAnyAddress } from '../../analysis/network/cidr';
import { POD_NAMESPACE_LABEL } from '../../analysis/network/cilium-policy';
import { KUBE_DNS } from '../../analysis/network/dns';
import { NAMESPACE_NAME_LABEL, type NetworkIndex } from '../../analysis/network/network-index';
import { DIRECTIONS, type Direction } from '../../analysis/network/network-policy';
import type { Resource } from '../../model/resource';
import { routedPorts, targetOn, type IngressRoute, type ServiceInfo, type ServicePort } from '../../analysis/network/services';
import type { Workload } from '../../analysis/network/workloads';
import type { YamlComment, YamlDraft } from '../../edits/yaml-render';

/**
 * Pure generators of NetworkPolicies as drafts (data plus comments). Fixes render them into
 * a new document of the current file; a new file beside it can use the same text.
 */

/** One egress rule to the cluster DNS (kube-dns / CoreDNS), UDP and TCP 53. */
export function dnsEgressRule(): YamlDraft {
  return {
    value: {
      to: [{ namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: KUBE_DNS.namespace } }, podSelector: { matchLabels: { ...KUBE_DNS.labels } } }],
      ports: KUBE_DNS.ports.map((p) => ({ port: p.port, protocol: p.protocol })),
    },
    comments: [{ path: [], text: 'DNS: name resolution through kube-dns (CoreDNS) in kube-system, UDP and TCP 53.' }],
  };
}

/** The same for a Cilium policy's `egress`: to the kube-dns endpoints, port 53 over UDP and TCP (protocol ANY). */
export function ciliumDnsEgressRule(): YamlDraft {
  return {
    value: {
      toEndpoints: [{ matchLabels: { [`k8s:${POD_NAMESPACE_LABEL}`]: KUBE_DNS.namespace, ...Object.fromEntries(Object.entries(KUBE_DNS.labels).map(([k, v]) => [`k8s:${k}`, v])) } }],
      toPorts: [{ ports: [{ port: '53', protocol: 'ANY' }] }],
    },
    comments: [{ path: [], text: 'DNS: name resolution through kube-dns (CoreDNS) in kube-system, port 53.' }],
  };
}

/** `podSelector: {}`, both policy types and no rules (or only DNS egress): every pod of the namespace is isolated. */
export function defaultDenyPolicy(options: { name: string; namespace: string; writeNamespace: boolean; allowDns: boolean }): YamlDraft {
  const dns = dnsEgressRule();
  const comments: YamlComment[] = [
    {
      path: ['apiVersion'],
      text: `Default deny for namespace ${options.namespace}: its pods accept and open only the connections another NetworkPolicy allows.`,
    },
  ];
  if (options.allowDns) comments.push(...dns.comments.map((c) => ({ ...c, path: ['spec', 'egress', 0, ...c.path] })));
  return {
    value: {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: options.name, ...(options.writeNamespace ? { namespace: options.namespace } : {}) },
      spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'], ...(options.allowDns ? { egress: [dns.value] } : {}) },
    },
    comments,
  };
}

/** A policy name not yet used in the namespace (nor in `alsoTaken`): `base`, else `base-2`, `base-3`… */
export function unusedPolicyName(index: NetworkIndex, namespace: string, base: string, alsoTaken: ReadonlySet<string> = new Set()): string {
  const taken = new Set([...index.policiesIn(namespace).map((p) => p.resource.name), ...alsoTaken]);
  let name = base;
  for (let i = 2; taken.has(name); i++) name = `${base}-${i}`;
  return name;
}

/** The labels that identify a workload's pods: its selector's labels when its pods carry them, else all pod labels. */
function identifyingLabels(workload: Workload): Readonly<Record<string, string>> {
  const selector = Object.entries(workload.selectorLabels);
  return selector.length > 0 && selector.every(([k, v]) => workload.labels[k] === v) ? workload.selectorLabels : workload.labels;
}

/** Ingress controllers' usual namespaces by IngressClass name; traffic from an Ingress comes from the controller's pods. */
const CONTROLLER_NAMESPACES: Record<string, string> = {
  nginx: 'ingress-nginx',
  traefik: 'traefik',
  haproxy: 'haproxy-controller',
  contour: 'projectcontour',
  kong: 'kong',
  istio: 'istio-system',
};

/**
 * Where ingress controllers and Gateway API gateways usually run, when the config file does not
 * say (`ingressControllerNamespaces`) and an Ingress names no class we know.
 */
export const DEFAULT_INGRESS_CONTROLLER_NAMESPACES: readonly string[] = [...Object.values(CONTROLLER_NAMESPACES), 'envoy-gateway-system', 'nginx-gateway'];

/** One generated rule: a peer (none: any source), the ports it may use, and why (who it is, and each piece of evidence). */
interface Grant {
  who: string;
  peer?: Record<string, unknown>;
  ports: Map<string, { port: number | string; protocol: string }>;
  evidence: string[];
}

/**
 * A least-privilege policy for one workload that keeps the traffic the workspace shows: ingress
 * only on the ports its Services target, from anywhere (or the load balancer's source ranges)
 * when a Service publishes it outside the cluster (LoadBalancer, NodePort, externalIPs), from
 * the ingress controllers' namespaces when an Ingress or a Gateway API route sends traffic to
 * one of its Services, from the metrics scraper when a ServiceMonitor or PodMonitor selects it,
 * and from workloads that name its Services; egress only to the Services it names, plus DNS.
 * Every rule has a comment saying why and which manifest shows it. Only the given directions
 * are written, so a direction another policy already restricts is not widened. Undefined when
 * the pods have no labels to select.
 */
export function leastPrivilegePolicy(index: NetworkIndex, workload: Workload, name: string, directions: readonly Direction[] = DIRECTIONS): YamlDraft | undefined {
  const labels = identifyingLabels(workload);
  if (Object.keys(labels).length === 0) return undefined;
  const ingress = new Map<string, Grant>();
  const egress = new Map<string, Grant>();
  const notes: string[] = [];

  for (const service of index.servicesSelecting(workload)) {
    const serviceName = `Service ${service.name} (${manifestOf(service.resource)})`;
    for (const route of index.routesTo(service)) {
      const { namespaces, why } = controllerNamespaces(index, route);
      const evidence = `${route.ingress.kind} ${route.ingress.name} (${manifestOf(route.ingress)}) routes ${route.host ?? 'every host'} to Service ${service.name}; ${why}`;
      grant(ingress, `namespace:${namespaces.join(',')}`, 'From the ingress controller', { namespaceSelector: namespacesSelector(namespaces) }, routedPorts(service, route.port), workload, evidence);
    }
    for (const reference of index.referencesTo(service)) {
      const peer = peerFor(reference.from, workload.namespace);
      const names = `names Service ${service.name}${reference.port ? `:${reference.port}` : ''} in ${reference.where} (${manifestOf(reference.from.resource)})`;
      if (!peer) notes.push(`${reference.from.resource.label} ${names}, but its pods have no labels to select them by.`);
      else grant(ingress, `workload:${reference.from.resource.label}@${reference.from.namespace}`, `From ${reference.from.resource.label}`, peer, referencedPorts(service, reference.port, workload), workload, `it ${names}`);
    }
    for (const monitor of index.serviceMonitorsOf(service)) {
      const ports = monitor.ports.length ? service.ports.filter((p) => monitor.ports.some((m) => m === p.name || m === p.targetPort)) : service.ports;
      grant(ingress, `scraper:${monitor.namespace}`, 'From the metrics scraper', { namespaceSelector: namespacesSelector([monitor.namespace]) }, ports, workload, `ServiceMonitor ${monitor.resource.name} (${manifestOf(monitor.resource)}) scrapes Service ${service.name}; its scraper is assumed in namespace ${monitor.namespace}`);
    }
    const externalIPs = (service.resource.root.map('spec')?.seq('externalIPs')?.length ?? 0) > 0;
    if (service.type !== 'LoadBalancer' && service.type !== 'NodePort' && !externalIPs) continue;
    const ranges = service.resource.root.map('spec')?.seq('loadBalancerSourceRanges')?.scalars().map((s) => s.value) ?? [];
    if (service.type === 'LoadBalancer' && !externalIPs && ranges.length > 0 && !ranges.some((r) => admitsAnyAddress(r, []))) {
      for (const range of ranges) grant(ingress, `range:${range}`, `From clients of the LoadBalancer ${serviceName}`, { ipBlock: { cidr: range } }, service.ports, workload, 'its loadBalancerSourceRanges');
    } else {
      const how = externalIPs ? 'sets externalIPs' : `is of type ${service.type}`;
      grant(ingress, 'anywhere', 'From anywhere', undefined, service.ports, workload, `${serviceName} ${how}: clients outside the cluster reach these ports (narrow them with loadBalancerSourceRanges, or put the Service behind an Ingress)`);
    }
  }
  for (const monitor of index.podMonitorsOf(workload)) {
    const ports = workload.containerPorts.filter((p) => monitor.ports.length === 0 || monitor.ports.some((m) => m === p.name || m === p.port));
    grantPorts(ingress, `scraper:${monitor.namespace}`, 'From the metrics scraper', { namespaceSelector: namespacesSelector([monitor.namespace]) }, ports, `PodMonitor ${monitor.resource.name} (${manifestOf(monitor.resource)}) scrapes these pods; its scraper is assumed in namespace ${monitor.namespace}`);
  }

  for (const reference of index.referencesFrom(workload)) {
    const service = reference.service;
    if (!service.selector) continue;
    const backend = index.workloadsBehind(service)[0];
    const peer: Record<string, unknown> = { podSelector: { matchLabels: { ...service.selector } } };
    if (service.namespace !== workload.namespace) peer.namespaceSelector = { matchLabels: { [NAMESPACE_NAME_LABEL]: service.namespace } };
    const who = `To Service ${service.name}${service.namespace !== workload.namespace ? ` in namespace ${service.namespace}` : ''}`;
    grant(egress, `service:${service.namespace}/${service.name}`, who, peer, referencedPorts(service, reference.port, backend), backend, `named in ${reference.where} (${manifestOf(workload.resource)})`);
  }

  const writeIngress = directions.includes('ingress');
  const writeEgress = directions.includes('egress');
  const ingressRules = writeIngress ? rules(ingress, 'from') : [];
  const egressRules = writeEgress ? [dnsEgressRule(), ...rules(egress, 'to')] : [];
  const comments: YamlComment[] = [
    {
      path: ['apiVersion'],
      text: `Least-privilege NetworkPolicy for ${workload.resource.label}, generated by kube-zero-trust from the workspace: any ${directions.join(' or ')} connection not allowed below is denied. Review each rule.${(writeIngress ? notes : []).map((n) => `\n${n}`).join('')}`,
    },
    ...ingressRules.flatMap((r, i) => r.comments.map((c) => ({ ...c, path: ['spec', 'ingress', i, ...c.path] }))),
    ...egressRules.flatMap((r, i) => r.comments.map((c) => ({ ...c, path: ['spec', 'egress', i, ...c.path] }))),
  ];
  if (writeIngress && ingressRules.length === 0) comments.push({ path: ['spec', 'ingress'], text: 'No client of this workload was found in the workspace, so all ingress is denied.' });
  return {
    value: {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name, ...(workload.resource.namespace !== undefined ? { namespace: workload.namespace } : {}) },
      spec: {
        podSelector: { matchLabels: { ...labels } },
        policyTypes: directions.map((d) => (d === 'ingress' ? 'Ingress' : 'Egress')),
        ...(writeIngress ? { ingress: ingressRules.map((r) => r.value) } : {}),
        ...(writeEgress ? { egress: egressRules.map((r) => r.value) } : {}),
      },
    },
    comments,
  };
}

/**
 * The namespaces traffic of an Ingress or route comes from: the config file's, else the usual one
 * of the Ingress's class, else every usual one; and the reason, for the rule's comment.
 */
function controllerNamespaces(index: NetworkIndex, route: IngressRoute): { namespaces: readonly string[]; why: string } {
  if (index.ingressControllerNamespaces?.length) return { namespaces: index.ingressControllerNamespaces, why: 'controllers in the namespaces of ingressControllerNamespaces (.kube-zero-trust.yaml)' };
  const known = route.ingress.kind === 'Ingress' && route.className !== undefined ? CONTROLLER_NAMESPACES[route.className] : undefined;
  if (known) return { namespaces: [known], why: `namespace ${known} assumed for class ${route.className}; set ingressControllerNamespaces in .kube-zero-trust.yaml if your controller runs elsewhere` };
  return { namespaces: DEFAULT_INGRESS_CONTROLLER_NAMESPACES, why: 'the usual controller and gateway namespaces assumed; set ingressControllerNamespaces in .kube-zero-trust.yaml to name yours' };
}

/** A `namespaceSelector` for namespaces by name (the label every namespace carries). */
function namespacesSelector(namespaces: readonly string[]): Record<string, unknown> {
  return namespaces.length === 1
    ? { matchLabels: { [NAMESPACE_NAME_LABEL]: namespaces[0] } }
    : { matchExpressions: [{ key: NAMESPACE_NAME_LABEL, operator: 'In', values: [...namespaces] }] };
}

/** The manifest file an object comes from, for the comments of generated rules. */
function manifestOf(resource: Resource): string {
  const file = resource.uri.slice(resource.uri.lastIndexOf('/') + 1);
  try {
    return decodeURIComponent(file);
  } catch {
    return file;
  }
}

/** Selects the calling workload's pods from a policy of `namespace`. */
function peerFor(from: Workload, namespace: string): Record<string, unknown> | undefined {
  const labels = identifyingLabels(from);
  if (Object.keys(labels).length === 0) return undefined;
  const peer: Record<string, unknown> = { podSelector: { matchLabels: { ...labels } } };
  if (from.namespace !== namespace) peer.namespaceSelector = { matchLabels: { [NAMESPACE_NAME_LABEL]: from.namespace } };
  return peer;
}

/** The Service ports a `name:port` reference uses: the port it names (or targets), else all of them. */
function referencedPorts(service: ServiceInfo, port: number | undefined, backend: Workload | undefined): readonly ServicePort[] {
  if (port === undefined) return service.ports;
  const named = routedPorts(service, port);
  if (named.length > 0) return named;
  const targeted = service.ports.filter((p) => targetOn(p, backend) === port);
  return targeted.length > 0 ? targeted : service.ports;
}

function grant(grants: Map<string, Grant>, key: string, who: string, peer: Record<string, unknown> | undefined, ports: readonly ServicePort[], target: Workload | undefined, evidence: string): void {
  grantPorts(grants, key, who, peer, ports.map((port) => ({ port: targetOn(port, target), protocol: port.protocol })), evidence);
}

/** Adds container ports (numbers, or names the pods resolve) to the grant of `key`. */
function grantPorts(grants: Map<string, Grant>, key: string, who: string, peer: Record<string, unknown> | undefined, ports: ReadonlyArray<{ port: number | string; protocol: string }>, evidence: string): void {
  const entry: Grant = grants.get(key) ?? { who, ...(peer ? { peer } : {}), ports: new Map(), evidence: [] };
  for (const { port, protocol } of ports) entry.ports.set(`${port}/${protocol}`, { port, protocol });
  if (!entry.evidence.includes(evidence)) entry.evidence.push(evidence);
  grants.set(key, entry);
}

function rules(grants: Map<string, Grant>, peersKey: 'from' | 'to'): YamlDraft[] {
  return [...grants.values()]
    .filter((g) => g.ports.size > 0)
    .map((g) => ({
      // No peer: any source (a rule without `from` admits every address).
      value: { ...(g.peer ? { [peersKey]: [g.peer] } : {}), ports: [...g.ports.values()] },
      comments: [{ path: [], text: `${g.who}: ${g.evidence.join('; ')}.` }],
    }));
}
