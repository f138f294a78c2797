import type { Resource } from '../../model/resource';
import { entriesOf, groupByKeys, regroup, withFile } from '../../model/file-order';
import type { FileChange, WorkspaceView } from '../../workspace/snapshot';
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

/** What the index holds, each list in file order (URI, then document). */
interface Contents {
  /** Namespace manifests (`v1`, named). */
  readonly namespaces: readonly Resource[];
  readonly workloads: readonly Workload[];
  readonly podTemplateSources: readonly PodTemplateSource[];
  readonly policies: readonly NetworkPolicyModel[];
  readonly ciliumPolicies: readonly CiliumPolicyModel[];
  readonly services: readonly ServiceInfo[];
  readonly routes: readonly IngressRoute[];
  readonly monitors: readonly MonitorInfo[];
}

/** Contents grouped by what lookups ask for, each group in file order. */
interface Groups {
  readonly namespaceManifests: ReadonlyMap<string, readonly Resource[]>;
  readonly workloadsByNamespace: ReadonlyMap<string, readonly Workload[]>;
  readonly policiesByNamespace: ReadonlyMap<string, readonly NetworkPolicyModel[]>;
  readonly servicesByNamespace: ReadonlyMap<string, readonly ServiceInfo[]>;
  readonly routesByService: ReadonlyMap<string, readonly IngressRoute[]>;
}

/** How each kind of entry is grouped. */
const namespaceName = (resource: Resource): string[] => [resource.name];
const byNamespace = (entry: { readonly namespace: string }): string[] => [entry.namespace];
const routeService = (route: IngressRoute): string[] => [serviceKey(route.namespace, route.service)];

/** The URI of each kind of entry's resource. */
const resourceUri = (resource: Resource): string => resource.uri;
const entryUri = (entry: { readonly resource: Resource }): string => entry.resource.uri;
const routeUri = (route: IngressRoute): string => route.ingress.uri;

/** The contents of some resources (of one file, or all of them in file order). */
function contentsOf(resources: readonly Resource[], defaultNamespace: string): Contents {
  const contents = { namespaces: [] as Resource[], workloads: [] as Workload[], podTemplateSources: [] as PodTemplateSource[], policies: [] as NetworkPolicyModel[], ciliumPolicies: [] as CiliumPolicyModel[], services: [] as ServiceInfo[], routes: [] as IngressRoute[], monitors: [] as MonitorInfo[] };
  for (const resource of resources) {
    if (resource.kind === 'Namespace' && resource.apiVersion === 'v1' && resource.name) contents.namespaces.push(resource);
    const facts = networkFacts(resource, defaultNamespace);
    if (facts.workload) contents.workloads.push(facts.workload);
    if (facts.podTemplateSource) contents.podTemplateSources.push(facts.podTemplateSource);
    if (facts.policy) contents.policies.push(facts.policy);
    if (facts.ciliumPolicy) contents.ciliumPolicies.push(facts.ciliumPolicy);
    if (facts.service) contents.services.push(facts.service);
    for (const route of facts.routes) contents.routes.push(route);
    if (facts.monitor) contents.monitors.push(facts.monitor);
  }
  return contents;
}

/**
 * Everything the network rules and hovers ask about the workspace, built once per workspace
 * state (see `networkIndex`) or patched from the previous state's for the files an edit changed
 * (`patched`). Lists are in file order (URI, then document), so "the first workload of a
 * namespace" is the same in the editor, the CLI and the tests. What is keyed by resource is
 * found by URI in those lists: nothing here holds the objects of a file an edit replaced.
 */
export class NetworkIndex {
  private readonly isolatableCache = new Map<string, Workload[]>();
  private readonly isolationCache = new Map<Workload, Isolation>();
  private referencesCache: { from: Map<Workload, ServiceReference[]>; to: Map<ServiceInfo, ServiceReference[]> } | undefined;

  /** The index of resources listed in file order. */
  static of(defaultNamespace: string, resources: readonly Resource[], ingressControllerNamespaces?: readonly string[]): NetworkIndex {
    const contents = contentsOf(resources, defaultNamespace);
    const groups: Groups = {
      namespaceManifests: groupByKeys(contents.namespaces, namespaceName),
      workloadsByNamespace: groupByKeys(contents.workloads, byNamespace),
      policiesByNamespace: groupByKeys(contents.policies, byNamespace),
      servicesByNamespace: groupByKeys(contents.services, byNamespace),
      routesByService: groupByKeys(contents.routes, routeService),
    };
    return new NetworkIndex(defaultNamespace, contents, groups, ingressControllerNamespaces);
  }

  private constructor(
    readonly defaultNamespace: string,
    private readonly contents: Contents,
    private readonly groups: Groups,
    readonly ingressControllerNamespaces?: readonly string[],
  ) {}

  /** The index with each changed file's entries in place of its former ones: equal to one built from the new resources. */
  patched(changes: readonly FileChange[]): NetworkIndex {
    let { namespaces, workloads, podTemplateSources, policies, ciliumPolicies, services, routes, monitors } = this.contents;
    let { namespaceManifests, workloadsByNamespace, policiesByNamespace, servicesByNamespace, routesByService } = this.groups;
    for (const { uri, after } of changes) {
      const now = contentsOf(after, this.defaultNamespace);
      namespaceManifests = regroup(namespaceManifests, uri, entriesOf(namespaces, uri, resourceUri), now.namespaces, namespaceName, resourceUri);
      workloadsByNamespace = regroup(workloadsByNamespace, uri, entriesOf(workloads, uri, entryUri), now.workloads, byNamespace, entryUri);
      policiesByNamespace = regroup(policiesByNamespace, uri, entriesOf(policies, uri, entryUri), now.policies, byNamespace, entryUri);
      servicesByNamespace = regroup(servicesByNamespace, uri, entriesOf(services, uri, entryUri), now.services, byNamespace, entryUri);
      routesByService = regroup(routesByService, uri, entriesOf(routes, uri, routeUri), now.routes, routeService, routeUri);
      namespaces = withFile(namespaces, uri, now.namespaces, resourceUri);
      workloads = withFile(workloads, uri, now.workloads, entryUri);
      podTemplateSources = withFile(podTemplateSources, uri, now.podTemplateSources, entryUri);
      policies = withFile(policies, uri, now.policies, entryUri);
      ciliumPolicies = withFile(ciliumPolicies, uri, now.ciliumPolicies, entryUri);
      services = withFile(services, uri, now.services, entryUri);
      routes = withFile(routes, uri, now.routes, routeUri);
      monitors = withFile(monitors, uri, now.monitors, entryUri);
    }
    const contents: Contents = { namespaces, workloads, podTemplateSources, policies, ciliumPolicies, services, routes, monitors };
    return new NetworkIndex(this.defaultNamespace, contents, { namespaceManifests, workloadsByNamespace, policiesByNamespace, servicesByNamespace, routesByService }, this.ingressControllerNamespaces);
  }

  get workloads(): readonly Workload[] {
    return this.contents.workloads;
  }

  get podTemplateSources(): readonly PodTemplateSource[] {
    return this.contents.podTemplateSources;
  }

  get policies(): readonly NetworkPolicyModel[] {
    return this.contents.policies;
  }

  get ciliumPolicies(): readonly CiliumPolicyModel[] {
    return this.contents.ciliumPolicies;
  }

  get services(): readonly ServiceInfo[] {
    return this.contents.services;
  }

  workloadOf(resource: Resource): Workload | undefined {
    return entriesOf(this.contents.workloads, resource.uri, entryUri).find((w) => w.resource === resource);
  }

  policyOf(resource: Resource): NetworkPolicyModel | undefined {
    return entriesOf(this.contents.policies, resource.uri, entryUri).find((p) => p.resource === resource);
  }

  ciliumPolicyOf(resource: Resource): CiliumPolicyModel | undefined {
    return entriesOf(this.contents.ciliumPolicies, resource.uri, entryUri).find((p) => p.resource === resource);
  }

  /** The workload's pods as Cilium's endpoint selectors see them. */
  endpointOf(workload: Workload): EndpointIdentity {
    return { namespace: workload.namespace, labels: workload.labels, namespaceLabels: this.namespaceLabels(workload.namespace), serviceAccount: workload.serviceAccount };
  }

  /** The Namespace manifests of the workspace for `name`, in file order. */
  namespaceManifestsOf(name: string): readonly Resource[] {
    return this.groups.namespaceManifests.get(name) ?? [];
  }

  /** Labels `namespaceSelector` sees: the manifest's labels (when the workspace has it) plus `kubernetes.io/metadata.name`. */
  namespaceLabels(name: string): Record<string, string> {
    return { ...(this.groups.namespaceManifests.get(name)?.[0]?.labels ?? {}), [NAMESPACE_NAME_LABEL]: name };
  }

  /** Workloads of a namespace whose pods NetworkPolicies can isolate (not host-network). */
  isolatableWorkloadsIn(namespace: string): readonly Workload[] {
    let list = this.isolatableCache.get(namespace);
    if (!list) {
      list = (this.groups.workloadsByNamespace.get(namespace) ?? []).filter((w) => !w.hostNetwork);
      this.isolatableCache.set(namespace, list);
    }
    return list;
  }

  policiesIn(namespace: string): readonly NetworkPolicyModel[] {
    return this.groups.policiesByNamespace.get(namespace) ?? [];
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
    return (this.groups.workloadsByNamespace.get(policy.namespace) ?? []).filter((w) => this.selects(policy, w));
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
    return (this.groups.servicesByNamespace.get(workload.namespace) ?? []).filter((s) => serviceSelects(s, workload));
  }

  workloadsBehind(service: ServiceInfo): Workload[] {
    return (this.groups.workloadsByNamespace.get(service.namespace) ?? []).filter((w) => serviceSelects(service, w));
  }

  /** The ServiceMonitors that scrape the pods behind the Service. */
  serviceMonitorsOf(service: ServiceInfo): MonitorInfo[] {
    return this.contents.monitors.filter((m) => monitorSelectsService(m, service));
  }

  /** The PodMonitors that scrape the workload's pods. */
  podMonitorsOf(workload: Workload): MonitorInfo[] {
    return this.contents.monitors.filter((m) => monitorSelectsPods(m, workload));
  }

  /** The Ingress and Gateway API route backends that send traffic to the Service. */
  routesTo(service: ServiceInfo): readonly IngressRoute[] {
    return this.groups.routesByService.get(serviceKey(service.namespace, service.name)) ?? [];
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
      // The first Service of each name, in file order.
      const servicesByKey = new Map<string, ServiceInfo>();
      for (const service of this.services) {
        const key = serviceKey(service.namespace, service.name);
        if (!servicesByKey.has(key)) servicesByKey.set(key, service);
      }
      const references = findServiceReferences(this.workloads, servicesByKey);
      this.referencesCache = { from: groupBy(references, (r) => r.from), to: groupBy(references, (r) => r.service) };
    }
    return this.referencesCache;
  }
}

function groupBy<K, T>(entries: readonly T[], keyOf: (entry: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const entry of entries) {
    const list = groups.get(keyOf(entry));
    if (list) list.push(entry);
    else groups.set(keyOf(entry), [entry]);
  }
  return groups;
}

/**
 * The index of the current workspace state, shared by every rule and hover until a file
 * changes; after an edit, the previous state's patched for the files that changed.
 */
export function networkIndex(workspace: WorkspaceView): NetworkIndex {
  return workspace.memo('network/index', () => NetworkIndex.of(workspace.defaultNamespace, workspace.resources(), workspace.ingressControllerNamespaces), (previous, changes) => previous.patched(changes));
}
