import type { Resource } from '../../model/resource';
import type { WorkspaceView } from '../../workspace/snapshot';
import { allowsEverything } from './allows-any';
import { ciliumIsolates, ciliumIsolatesNamespace, isCiliumPolicy, parseCiliumPolicy, type CiliumPolicyModel, type EndpointIdentity } from './cilium-policy';
import { matchesLabels, selectsAll } from './label-selector';
import { activeRules, DIRECTIONS, isNetworkPolicy, parseNetworkPolicy, type Direction, type NetworkPolicyModel, type Peer } from './network-policy';
import { findServiceReferences, serviceKey, type ServiceReference } from './service-references';
import { monitorOf, monitorSelectsPods, monitorSelectsService, type MonitorInfo } from './monitors';
import { ingressRoutesOf, serviceOf, serviceSelects, type IngressRoute, type ServiceInfo } from './services';
import { podTemplateSourceOf, workloadOf, type PodTemplateSource, type Workload } from './workloads';

/** What one document contributes to the index: read once per document version. */
interface NetworkFacts {
  readonly workload: Workload | undefined;
  readonly podTemplateSource: PodTemplateSource | undefined;
  readonly policy: NetworkPolicyModel | undefined;
  readonly ciliumPolicy: CiliumPolicyModel | undefined;
  readonly service: ServiceInfo | undefined;
  readonly routes: readonly IngressRoute[];
  readonly monitor: MonitorInfo | undefined;
}

function networkFacts(resource: Resource, defaultNamespace: string): NetworkFacts {
  return resource.derived('network/facts', defaultNamespace, () => ({
    workload: workloadOf(resource, defaultNamespace),
    podTemplateSource: podTemplateSourceOf(resource, defaultNamespace),
    policy: isNetworkPolicy(resource) ? parseNetworkPolicy(resource, defaultNamespace) : undefined,
    ciliumPolicy: isCiliumPolicy(resource) ? parseCiliumPolicy(resource, defaultNamespace) : undefined,
    service: serviceOf(resource, defaultNamespace),
    routes: ingressRoutesOf(resource, defaultNamespace),
    monitor: monitorOf(resource, defaultNamespace),
  }));
}

/** The label every namespace carries (Kubernetes 1.21+), so `namespaceSelector` can name one. */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/** What isolates a workload in one direction. */
export type Isolator = { kind: 'kubernetes'; policy: NetworkPolicyModel } | { kind: 'cilium'; policy: CiliumPolicyModel };

/** Pods as a peer selector sees them. */
export interface PodIdentity {
  namespace: string;
  labels: Readonly<Record<string, string>>;
}

export type Isolation = Readonly<Record<Direction, readonly Isolator[]>>;

/**
 * Everything the network rules and hovers ask about the workspace, built once per workspace
 * state (see `networkIndex`). Lists are in file order (URI, then document), so "the first
 * workload of a namespace" is the same in the editor, the CLI and the tests.
 */
export class NetworkIndex {
  readonly workloads: readonly Workload[];
  readonly podTemplateSources: readonly PodTemplateSource[];
  readonly policies: readonly NetworkPolicyModel[];
  readonly ciliumPolicies: readonly CiliumPolicyModel[];
  readonly services: readonly ServiceInfo[];
  private readonly namespaceManifests = new Map<string, Resource[]>();
  private readonly workloadByResource = new Map<Resource, Workload>();
  private readonly policyByResource = new Map<Resource, NetworkPolicyModel>();
  private readonly ciliumPolicyByResource = new Map<Resource, CiliumPolicyModel>();
  private readonly servicesByKey = new Map<string, ServiceInfo>();
  private readonly workloadsByNamespace = new Map<string, Workload[]>();
  private readonly policiesByNamespace = new Map<string, NetworkPolicyModel[]>();
  private readonly isolatableCache = new Map<string, Workload[]>();
  private readonly isolationCache = new Map<Workload, Isolation>();
  private readonly servicesByNamespace = new Map<string, ServiceInfo[]>();
  private readonly routesByService = new Map<string, IngressRoute[]>();
  private readonly monitors: MonitorInfo[] = [];
  private referencesCache: { from: Map<Workload, ServiceReference[]>; to: Map<ServiceInfo, ServiceReference[]> } | undefined;

  constructor(readonly defaultNamespace: string, resources: readonly Resource[], readonly ingressControllerNamespaces?: readonly string[]) {
    const workloads: Workload[] = [];
    const podTemplateSources: PodTemplateSource[] = [];
    const policies: NetworkPolicyModel[] = [];
    const ciliumPolicies: CiliumPolicyModel[] = [];
    const services: ServiceInfo[] = [];
    const routes: IngressRoute[] = [];
    // The workspace lists resources in URI order, then document order.
    for (const resource of resources) {
      if (resource.kind === 'Namespace' && resource.apiVersion === 'v1' && resource.name) push(this.namespaceManifests, resource.name, resource);
      const facts = networkFacts(resource, defaultNamespace);
      if (facts.workload) {
        workloads.push(facts.workload);
        this.workloadByResource.set(resource, facts.workload);
      }
      if (facts.podTemplateSource) podTemplateSources.push(facts.podTemplateSource);
      if (facts.policy) {
        policies.push(facts.policy);
        this.policyByResource.set(resource, facts.policy);
      }
      if (facts.ciliumPolicy) {
        ciliumPolicies.push(facts.ciliumPolicy);
        this.ciliumPolicyByResource.set(resource, facts.ciliumPolicy);
      }
      if (facts.service) {
        services.push(facts.service);
        const key = serviceKey(facts.service.namespace, facts.service.name);
        if (!this.servicesByKey.has(key)) this.servicesByKey.set(key, facts.service);
      }
      for (const route of facts.routes) routes.push(route);
      if (facts.monitor) this.monitors.push(facts.monitor);
    }
    for (const workload of workloads) push(this.workloadsByNamespace, workload.namespace, workload);
    for (const policy of policies) push(this.policiesByNamespace, policy.namespace, policy);
    for (const service of services) push(this.servicesByNamespace, service.namespace, service);
    for (const route of routes) push(this.routesByService, serviceKey(route.namespace, route.service), route);
    this.workloads = workloads;
    this.podTemplateSources = podTemplateSources;
    this.policies = policies;
    this.ciliumPolicies = ciliumPolicies;
    this.services = services;
  }

  workloadOf(resource: Resource): Workload | undefined {
    return this.workloadByResource.get(resource);
  }

  policyOf(resource: Resource): NetworkPolicyModel | undefined {
    return this.policyByResource.get(resource);
  }

  ciliumPolicyOf(resource: Resource): CiliumPolicyModel | undefined {
    return this.ciliumPolicyByResource.get(resource);
  }

  /** The workload's pods as Cilium's endpoint selectors see them. */
  endpointOf(workload: Workload): EndpointIdentity {
    return { namespace: workload.namespace, labels: workload.labels, namespaceLabels: this.namespaceLabels(workload.namespace), serviceAccount: workload.serviceAccount };
  }

  /** The Namespace manifests of the workspace for `name`, in file order. */
  namespaceManifestsOf(name: string): readonly Resource[] {
    return this.namespaceManifests.get(name) ?? [];
  }

  /** Labels `namespaceSelector` sees: the manifest's labels (when the workspace has it) plus `kubernetes.io/metadata.name`. */
  namespaceLabels(name: string): Record<string, string> {
    return { ...(this.namespaceManifests.get(name)?.[0]?.labels ?? {}), [NAMESPACE_NAME_LABEL]: name };
  }

  /** Workloads of a namespace whose pods NetworkPolicies can isolate (not host-network). */
  isolatableWorkloadsIn(namespace: string): readonly Workload[] {
    let list = this.isolatableCache.get(namespace);
    if (!list) {
      list = (this.workloadsByNamespace.get(namespace) ?? []).filter((w) => !w.hostNetwork);
      this.isolatableCache.set(namespace, list);
    }
    return list;
  }

  policiesIn(namespace: string): readonly NetworkPolicyModel[] {
    return this.policiesByNamespace.get(namespace) ?? [];
  }

  /**
   * Whether segmentation has begun in the namespace: a NetworkPolicy of it, or a Cilium policy
   * that isolates some of its pods. Until then its workloads are open by the namespace's doing,
   * one finding for the namespace (namespace-without-default-deny), not one per workload.
   */
  hasPolicies(namespace: string): boolean {
    if (this.policiesIn(namespace).length > 0) return true;
    return this.isolatableWorkloadsIn(namespace).some((w) => DIRECTIONS.some((d) => this.isolation(w)[d].length > 0));
  }

  /** The directions in which nothing isolates the workload's pods. */
  openDirections(workload: Workload): Direction[] {
    const isolation = this.isolation(workload);
    return DIRECTIONS.filter((d) => isolation[d].length === 0);
  }

  selects(policy: NetworkPolicyModel, workload: Workload): boolean {
    return policy.namespace === workload.namespace && matchesLabels(policy.podSelector, workload.labels);
  }

  selectedBy(policy: NetworkPolicyModel): Workload[] {
    return (this.workloadsByNamespace.get(policy.namespace) ?? []).filter((w) => this.selects(policy, w));
  }

  /** The policies that isolate the workload's pods, per direction (none: that direction is unrestricted). */
  isolation(workload: Workload): Isolation {
    let isolation = this.isolationCache.get(workload);
    if (!isolation) {
      const identity = this.endpointOf(workload);
      const forDirection = (direction: Direction): Isolator[] => [
        ...this.policiesIn(workload.namespace)
          .filter((p) => p.types.has(direction) && this.selects(p, workload))
          .map((policy): Isolator => ({ kind: 'kubernetes', policy })),
        ...this.ciliumPolicies.filter((p) => ciliumIsolates(p, identity, direction)).map((policy): Isolator => ({ kind: 'cilium', policy })),
      ];
      isolation = { ingress: forDirection('ingress'), egress: forDirection('egress') };
      this.isolationCache.set(workload, isolation);
    }
    return isolation;
  }

  /**
   * Per direction: whether every pod of the namespace is isolated by a policy that selects all
   * of them (`podSelector: {}`, or a Cilium selector of the whole namespace), with no such
   * namespace-wide rule admitting anyone on every port.
   */
  defaultDeny(namespace: string): Record<Direction, boolean> {
    const wide = this.policiesIn(namespace).filter((p) => selectsAll(p.podSelector));
    const labels = this.namespaceLabels(namespace);
    const result = {} as Record<Direction, boolean>;
    for (const direction of DIRECTIONS) {
      const isolating = wide.filter((p) => p.types.has(direction));
      const cilium = this.ciliumPolicies.some((p) => ciliumIsolatesNamespace(p, namespace, labels, direction));
      const reopened = isolating.some((p) => activeRules(p, direction).some(allowsEverything));
      result[direction] = (isolating.length > 0 || cilium) && !reopened;
    }
    return result;
  }

  /** True if the peer admits these pods (ipBlocks name addresses, not pods, and are not matched). */
  peerSelects(policy: NetworkPolicyModel, peer: Peer, pods: PodIdentity): boolean {
    if (peer.ipBlock || (!peer.podSelector && !peer.namespaceSelector)) return false;
    const namespaceMatches = peer.namespaceSelector
      ? matchesLabels(peer.namespaceSelector, this.namespaceLabels(pods.namespace))
      : pods.namespace === policy.namespace;
    return namespaceMatches && (!peer.podSelector || matchesLabels(peer.podSelector, pods.labels));
  }

  servicesSelecting(workload: Workload): ServiceInfo[] {
    return (this.servicesByNamespace.get(workload.namespace) ?? []).filter((s) => serviceSelects(s, workload));
  }

  workloadsBehind(service: ServiceInfo): Workload[] {
    return (this.workloadsByNamespace.get(service.namespace) ?? []).filter((w) => serviceSelects(service, w));
  }

  /** The ServiceMonitors that scrape the pods behind the Service. */
  serviceMonitorsOf(service: ServiceInfo): MonitorInfo[] {
    return this.monitors.filter((m) => monitorSelectsService(m, service));
  }

  /** The PodMonitors that scrape the workload's pods. */
  podMonitorsOf(workload: Workload): MonitorInfo[] {
    return this.monitors.filter((m) => monitorSelectsPods(m, workload));
  }

  /** The Ingress and Gateway API route backends that send traffic to the Service. */
  routesTo(service: ServiceInfo): readonly IngressRoute[] {
    return this.routesByService.get(serviceKey(service.namespace, service.name)) ?? [];
  }

  /** Where the workload names Services of the workspace (env values, args, command). */
  referencesFrom(workload: Workload): readonly ServiceReference[] {
    return this.referenceMaps().from.get(workload) ?? [];
  }

  /** Which workloads name the Service. */
  referencesTo(service: ServiceInfo): readonly ServiceReference[] {
    return this.referenceMaps().to.get(service) ?? [];
  }

  private referenceMaps(): { from: Map<Workload, ServiceReference[]>; to: Map<ServiceInfo, ServiceReference[]> } {
    if (!this.referencesCache) {
      const from = new Map<Workload, ServiceReference[]>();
      const to = new Map<ServiceInfo, ServiceReference[]>();
      for (const reference of findServiceReferences(this.workloads, this.servicesByKey)) {
        push(from, reference.from, reference);
        push(to, reference.service, reference);
      }
      this.referencesCache = { from, to };
    }
    return this.referencesCache;
  }
}

function push<K, T>(map: Map<K, T[]>, key: K, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** The index of the current workspace state, shared by every rule and hover until a file changes. */
export function networkIndex(workspace: WorkspaceView): NetworkIndex {
  return workspace.memo('network/index', () => new NetworkIndex(workspace.defaultNamespace, workspace.resources(), workspace.ingressControllerNamespaces));
}
