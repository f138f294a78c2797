import type { Resource } from '../../model/resource';
import { matchesLabels, parseSelector, type LabelSelector } from './label-selector';
import type { ServiceInfo } from './services';
import type { Workload } from './workloads';

/**
 * A Prometheus Operator ServiceMonitor or PodMonitor: the metrics scraper (Prometheus, usually
 * in the monitor's namespace) connects to the pods it selects, on the ports it names. A
 * generated NetworkPolicy must keep admitting it.
 */
export interface MonitorInfo {
  resource: Resource;
  /** The monitor's own namespace, where the scraper is assumed to run. */
  namespace: string;
  /** `ServiceMonitor` selects Services (their labels), `PodMonitor` pods. */
  selects: 'services' | 'pods';
  selector: LabelSelector | undefined;
  /** Namespaces it looks in: `any`, or names (its own when `namespaceSelector` is absent). */
  namespaces: 'any' | readonly string[];
  /** Port names (a Service port's or a container port's) or numbers (`targetPort`) it scrapes; empty: every port. */
  ports: ReadonlyArray<string | number>;
}

const MONITOR_KINDS = ['ServiceMonitor', 'PodMonitor'];

export function monitorOf(resource: Resource, defaultNamespace: string): MonitorInfo | undefined {
  if (!MONITOR_KINDS.includes(resource.kind) || !resource.apiVersion.startsWith('monitoring.coreos.com/')) return undefined;
  const spec = resource.root.map('spec');
  const namespace = resource.effectiveNamespace(defaultNamespace);
  const within = spec?.map('namespaceSelector');
  const namespaces = within?.bool('any') === true ? 'any' : (within?.seq('matchNames')?.scalars().map((s) => s.value) ?? [namespace]);
  const endpoints = spec?.seq(resource.kind === 'ServiceMonitor' ? 'endpoints' : 'podMetricsEndpoints')?.maps() ?? [];
  const ports = endpoints.flatMap((e) => {
    const port = e.value('port') ?? e.value('targetPort');
    return typeof port === 'string' || typeof port === 'number' ? [port] : [];
  });
  return { resource, namespace, selects: resource.kind === 'ServiceMonitor' ? 'services' : 'pods', selector: parseSelector(spec?.map('selector')), namespaces, ports };
}

function looksIn(monitor: MonitorInfo, namespace: string): boolean {
  return monitor.namespaces === 'any' || monitor.namespaces.includes(namespace);
}

/** Whether a ServiceMonitor scrapes the pods behind this Service (an empty selector selects every Service). */
export function monitorSelectsService(monitor: MonitorInfo, service: ServiceInfo): boolean {
  return monitor.selects === 'services' && looksIn(monitor, service.namespace) && monitor.selector !== undefined && matchesLabels(monitor.selector, service.resource.labels);
}

/** Whether a PodMonitor scrapes this workload's pods. */
export function monitorSelectsPods(monitor: MonitorInfo, workload: Workload): boolean {
  return monitor.selects === 'pods' && looksIn(monitor, workload.namespace) && monitor.selector !== undefined && matchesLabels(monitor.selector, workload.labels);
}
