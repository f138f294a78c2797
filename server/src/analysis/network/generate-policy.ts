import { admitsAnyAddress } from './cidr';
import { KUBE_DNS } from './dns';
import { NAMESPACE_NAME_LABEL, type NetworkIndex } from './network-index';
import { DIRECTIONS, type Direction } from './network-policy';
import { routedPorts, targetOn, type ServiceInfo, type ServicePort } from './services';
import type { Workload } from './workloads';
import type { YamlComment, YamlDraft } from './yaml-render';

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

/** A policy name not yet used in the namespace: `base`, else `base-2`, `base-3`… */
export function unusedPolicyName(index: NetworkIndex, namespace: string, base: string): string {
  const taken = new Set(index.policiesIn(namespace).map((p) => p.resource.name));
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

/** One generated rule: a peer, the ports it may use, and why (who it is, and each piece of evidence). */
interface Grant {
  who: string;
  peer: Record<string, unknown>;
  ports: Map<string, { port: number | string; protocol: string }>;
  evidence: string[];
}

/**
 * A least-privilege policy for one workload, from what the workspace shows: ingress only on the
 * ports its Services target, from the ingress controller (when an Ingress routes to one of its
 * Services) and from workloads that name its Services; egress only to the Services it names,
 * plus DNS. Every rule has a comment saying why. Only the given directions are written, so a
 * direction another policy already restricts is not widened. Undefined when the pods have no
 * labels to select.
 */
export function leastPrivilegePolicy(index: NetworkIndex, workload: Workload, name: string, directions: readonly Direction[] = DIRECTIONS): YamlDraft | undefined {
  const labels = identifyingLabels(workload);
  if (Object.keys(labels).length === 0) return undefined;
  const ingress = new Map<string, Grant>();
  const egress = new Map<string, Grant>();
  const notes: string[] = [];

  for (const service of index.servicesSelecting(workload)) {
    for (const route of index.routesTo(service)) {
      const namespace = CONTROLLER_NAMESPACES[route.className ?? 'nginx'] ?? CONTROLLER_NAMESPACES.nginx;
      const evidence = `Ingress ${route.ingress.name} routes ${route.host ?? 'every host'} to Service ${service.name} (namespace ${namespace} assumed for class ${route.className ?? '(default)'}; change it if your controller runs elsewhere)`;
      grant(ingress, `namespace:${namespace}`, 'From the ingress controller', { namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: namespace } } }, routedPorts(service, route.port), workload, evidence);
    }
    for (const reference of index.referencesTo(service)) {
      const peer = peerFor(reference.from, workload.namespace);
      const names = `names Service ${service.name}${reference.port ? `:${reference.port}` : ''} in ${reference.where}`;
      if (!peer) notes.push(`${reference.from.resource.label} ${names}, but its pods have no labels to select them by.`);
      else grant(ingress, `workload:${reference.from.resource.label}@${reference.from.namespace}`, `From ${reference.from.resource.label}`, peer, referencedPorts(service, reference.port, workload), workload, `it ${names}`);
    }
    if (service.type === 'LoadBalancer' || service.type === 'NodePort') {
      const ranges = service.resource.root.map('spec')?.seq('loadBalancerSourceRanges')?.scalars().map((s) => s.value) ?? [];
      if (service.type === 'LoadBalancer' && ranges.length > 0 && !ranges.some((r) => admitsAnyAddress(r, []))) {
        for (const range of ranges) grant(ingress, `range:${range}`, `From clients of the LoadBalancer Service ${service.name}`, { ipBlock: { cidr: range } }, service.ports, workload, 'its loadBalancerSourceRanges');
      } else {
        notes.push(`Service ${service.name} is of type ${service.type}: clients outside the cluster reach it. Add their address ranges as an ipBlock rule; none is generated because it would admit any address.`);
      }
    }
  }

  for (const reference of index.referencesFrom(workload)) {
    const service = reference.service;
    if (!service.selector) continue;
    const backend = index.workloadsBehind(service)[0];
    const peer: Record<string, unknown> = { podSelector: { matchLabels: { ...service.selector } } };
    if (service.namespace !== workload.namespace) peer.namespaceSelector = { matchLabels: { [NAMESPACE_NAME_LABEL]: service.namespace } };
    const who = `To Service ${service.name}${service.namespace !== workload.namespace ? ` in namespace ${service.namespace}` : ''}`;
    grant(egress, `service:${service.namespace}/${service.name}`, who, peer, referencedPorts(service, reference.port, backend), backend, `named in ${reference.where}`);
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

function grant(grants: Map<string, Grant>, key: string, who: string, peer: Record<string, unknown>, ports: readonly ServicePort[], target: Workload | undefined, evidence: string): void {
  const entry: Grant = grants.get(key) ?? { who, peer, ports: new Map(), evidence: [] };
  for (const port of ports) {
    const number = targetOn(port, target);
    entry.ports.set(`${number}/${port.protocol}`, { port: number, protocol: port.protocol });
  }
  if (!entry.evidence.includes(evidence)) entry.evidence.push(evidence);
  grants.set(key, entry);
}

function rules(grants: Map<string, Grant>, peersKey: 'from' | 'to'): YamlDraft[] {
  return [...grants.values()]
    .filter((g) => g.ports.size > 0)
    .map((g) => ({
      value: { [peersKey]: [g.peer], ports: [...g.ports.values()] },
      comments: [{ path: [], text: `${g.who}: ${g.evidence.join('; ')}.` }],
    }));
}
