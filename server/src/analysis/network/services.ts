import type { Node } from 'yaml';
import type { Resource } from '../../model/resource';
import type { MapView } from '../../model/yaml-view';
import type { Workload } from './workloads';

export interface ServicePort {
  name?: string;
  port: number;
  /** Defaults to `port`; a string names a container port of the selected pods. */
  targetPort: number | string;
  protocol: string;
  node: Node;
}

export interface ServiceInfo {
  resource: Resource;
  name: string;
  namespace: string;
  type: string;
  /** Equality selector of the pods behind the Service; undefined when the Service selects none (ExternalName, manual endpoints). */
  selector?: Readonly<Record<string, string>>;
  ports: readonly ServicePort[];
}

/**
 * Where an Ingress or a Gateway API route (HTTPRoute, GRPCRoute, TLSRoute, TCPRoute, UDPRoute)
 * sends traffic: a Service (of its own namespace for an Ingress), by port number or name.
 */
export interface IngressRoute {
  /** The Ingress or route object. */
  ingress: Resource;
  namespace: string;
  service: string;
  port?: number | string;
  host?: string;
  /** `ingressClassName`, else the legacy `kubernetes.io/ingress.class` annotation. */
  className?: string;
}

export function serviceOf(resource: Resource, defaultNamespace: string): ServiceInfo | undefined {
  if (resource.kind !== 'Service' || resource.apiVersion !== 'v1') return undefined;
  const spec = resource.root.map('spec');
  const selector = spec?.map('selector')?.record();
  const ports: ServicePort[] = [];
  for (const map of spec?.seq('ports')?.maps() ?? []) {
    const port = map.number('port');
    if (port === undefined) continue;
    const target = map.value('targetPort');
    const name = map.string('name');
    ports.push({
      ...(name ? { name } : {}),
      port,
      targetPort: typeof target === 'number' || (typeof target === 'string' && target !== '') ? target : port,
      protocol: map.string('protocol') ?? 'TCP',
      node: map.node,
    });
  }
  return {
    resource,
    name: resource.name,
    namespace: resource.effectiveNamespace(defaultNamespace),
    type: spec?.string('type') ?? 'ClusterIP',
    ...(selector && Object.keys(selector).length > 0 ? { selector } : {}),
    ports,
  };
}

export function serviceSelects(service: ServiceInfo, workload: Workload): boolean {
  if (!service.selector || service.namespace !== workload.namespace) return false;
  return Object.entries(service.selector).every(([key, value]) => workload.labels[key] === value);
}

/** The container port a Service port sends to on this workload: a named `targetPort` resolved to its number when the workload declares it. */
export function targetOn(port: ServicePort, workload: Workload | undefined): number | string {
  if (typeof port.targetPort === 'number') return port.targetPort;
  return workload?.containerPorts.find((c) => c.name === port.targetPort && c.protocol === port.protocol)?.port ?? port.targetPort;
}

/** Gateway API route kinds whose `rules[].backendRefs` send traffic from the gateway's pods to Services. */
export const GATEWAY_ROUTE_KINDS: readonly string[] = ['HTTPRoute', 'GRPCRoute', 'TLSRoute', 'TCPRoute', 'UDPRoute'];

/** Every backend of an Ingress (`networking.k8s.io/v1` and the older `v1beta1` field names) or a Gateway API route. */
export function ingressRoutesOf(resource: Resource, defaultNamespace: string): IngressRoute[] {
  if (GATEWAY_ROUTE_KINDS.includes(resource.kind) && resource.apiVersion.startsWith('gateway.networking.k8s.io/')) return gatewayRoutesOf(resource, defaultNamespace);
  if (resource.kind !== 'Ingress') return [];
  const spec = resource.root.map('spec');
  const namespace = resource.effectiveNamespace(defaultNamespace);
  const className = spec?.string('ingressClassName') ?? resource.annotations['kubernetes.io/ingress.class'];
  const routes: IngressRoute[] = [];
  const add = (backend: MapView | undefined, host?: string) => {
    const service = backend?.map('service');
    const name = service?.string('name') ?? backend?.string('serviceName');
    if (!name) return;
    const port = service?.map('port')?.number('number') ?? service?.map('port')?.string('name') ?? backend?.value('servicePort');
    routes.push({
      ingress: resource,
      namespace,
      service: name,
      ...(typeof port === 'number' || typeof port === 'string' ? { port } : {}),
      ...(host ? { host } : {}),
      ...(className ? { className } : {}),
    });
  };
  add(spec?.map('defaultBackend') ?? spec?.map('backend'));
  for (const rule of spec?.seq('rules')?.maps() ?? []) {
    for (const path of rule.map('http')?.seq('paths')?.maps() ?? []) add(path.map('backend'), rule.string('host'));
  }
  return routes;
}

/** The Service ports a route reaches: the one it names, or all when it names none. */
export function routedPorts(service: ServiceInfo, port: number | string | undefined): readonly ServicePort[] {
  if (port === undefined) return service.ports;
  return service.ports.filter((p) => (typeof port === 'number' ? p.port === port : p.name === port));
}

/** `rules[].backendRefs[]` of a Gateway API route that name a Service (the default kind), in its namespace unless one is given. */
function gatewayRoutesOf(resource: Resource, defaultNamespace: string): IngressRoute[] {
  const spec = resource.root.map('spec');
  const own = resource.effectiveNamespace(defaultNamespace);
  const host = spec?.seq('hostnames')?.scalars()[0]?.value;
  const routes: IngressRoute[] = [];
  for (const rule of spec?.seq('rules')?.maps() ?? []) {
    for (const ref of rule.seq('backendRefs')?.maps() ?? []) {
      const name = ref.string('name');
      if (!name || (ref.string('kind') ?? 'Service') !== 'Service' || (ref.string('group') ?? '') !== '') continue;
      const port = ref.number('port');
      routes.push({ ingress: resource, namespace: ref.string('namespace') ?? own, service: name, ...(port !== undefined ? { port } : {}), ...(host ? { host } : {}) });
    }
  }
  return routes;
}
