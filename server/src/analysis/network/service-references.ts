import type { ServiceInfo } from './services';
import type { Workload } from './workloads';

/** A workload that names a Service in its configuration, so it presumably connects to it. */
export interface ServiceReference {
  from: Workload;
  service: ServiceInfo;
  /** The port written after the name (`cart:7070`), if any. */
  port?: number;
  /** Where the name appears, for comments and hovers: `env CART_ADDR of container "web"`. */
  where: string;
}

// A DNS name (lowercase, as Service names are) optionally followed by `:port`, standing alone:
// not glued to other name characters, so `cart` is not found in `cartservice` or `cart_size`,
// nor a file path segment (`/usr/bin/cart`), while a URL authority (`http://cart`) is.
const HOST = /(?:(?<![\w./-])|(?<=\/\/))([a-z0-9](?:[-a-z0-9]*[a-z0-9])?(?:\.[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)*)(?::(\d{1,5}))?(?![\w-])/g;

/**
 * References by name to Services of the workspace in env values, args and commands: `cart`,
 * `cart:7070`, `http://cart.shop:7070/`, `cart.shop.svc.cluster.local`.
 */
export function findServiceReferences(workloads: readonly Workload[], services: ReadonlyMap<string, ServiceInfo>): ServiceReference[] {
  const references: ServiceReference[] = [];
  for (const workload of workloads) {
    const seen = new Set<string>();
    for (const { text, where } of configStrings(workload)) {
      for (const match of text.matchAll(HOST)) {
        const service = lookup(match[1], workload.namespace, services);
        if (!service) continue;
        const port = match[2] !== undefined ? Number(match[2]) : undefined;
        const key = `${service.namespace}/${service.name}:${port ?? ''}`;
        if (seen.has(key)) continue;
        seen.add(key);
        references.push({ from: workload, service, ...(port !== undefined ? { port } : {}), where });
      }
    }
  }
  return references;
}

export function serviceKey(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

function lookup(host: string, namespace: string, services: ReadonlyMap<string, ServiceInfo>): ServiceInfo | undefined {
  const labels = host.split('.');
  // `name`, `name.namespace`, `name.namespace.svc[.cluster-domain]`; anything longer is an outside host.
  if (labels.length > 2 && labels[2] !== 'svc') return undefined;
  return services.get(serviceKey(labels[1] ?? namespace, labels[0]));
}

function* configStrings(workload: Workload): Iterable<{ text: string; where: string }> {
  for (const container of workload.resource.podSpec?.containers ?? []) {
    if (container.list === 'ephemeralContainers') continue;
    const of = `of container "${container.name}"`;
    for (const env of container.map.seq('env')?.maps() ?? []) {
      const value = env.string('value');
      if (value) yield { text: value, where: `env ${env.string('name') ?? '?'} ${of}` };
    }
    for (const field of ['command', 'args'] as const) {
      for (const { value } of container.map.seq(field)?.scalars() ?? []) yield { text: value, where: `${field} ${of}` };
    }
  }
}
