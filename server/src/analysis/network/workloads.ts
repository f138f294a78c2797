import { RUNNING_PODS } from '../../model/pod-templates';
import type { Resource } from '../../model/resource';
import type { ContainerPort } from './ports';

/** A rule's `kinds` for rules on workloads that run pods: every kind with a pod template but PodTemplate, which only describes pods. */
export const POD_KINDS: readonly string[] = [RUNNING_PODS];

/** A manifest that runs pods, as NetworkPolicies see them: namespace, pod labels, container ports. */
export interface Workload {
  resource: Resource;
  namespace: string;
  /** Labels of the pods (the pod template's labels). */
  labels: Readonly<Record<string, string>>;
  /** The workload's own selector labels (`spec.selector.matchLabels`), the stable part of its pod labels. */
  selectorLabels: Readonly<Record<string, string>>;
  /** NetworkPolicies do not isolate host-network pods (Kubernetes leaves it undefined; plugins ignore them). */
  hostNetwork: boolean;
  containerPorts: readonly ContainerPort[];
  serviceAccount: string;
}

/** Pods described by something other than a workload kind, e.g. a Prometheus-operator resource's `spec.podMetadata`. */
export interface PodTemplateSource {
  resource: Resource;
  namespace: string;
  labels: Readonly<Record<string, string>>;
}

export function workloadOf(resource: Resource, defaultNamespace: string): Workload | undefined {
  const holder = resource.podTemplate;
  const pod = holder?.runsPods ? resource.podSpec : undefined;
  if (!holder || !pod) return undefined;
  const labels = { ...resource.podLabels, ...holder.impliedLabels?.(resource.name) };
  let selector = holder.selectorLabels && resource.root;
  for (const key of holder.selectorLabels ?? []) selector = selector?.map(key);
  const selectorLabels = selector?.record() ?? {};
  const containerPorts: ContainerPort[] = [];
  for (const container of pod.containers) {
    if (container.list === 'ephemeralContainers') continue;
    for (const port of container.map.seq('ports')?.maps() ?? []) {
      const number = port.number('containerPort');
      if (number === undefined) continue;
      const name = port.string('name');
      containerPorts.push({ ...(name ? { name } : {}), port: number, protocol: port.string('protocol') ?? 'TCP' });
    }
  }
  return {
    resource,
    namespace: resource.effectiveNamespace(defaultNamespace),
    labels,
    selectorLabels,
    hostNetwork: pod.spec.bool('hostNetwork') === true,
    containerPorts,
    serviceAccount: pod.spec.string('serviceAccountName') ?? pod.spec.string('serviceAccount') ?? 'default',
  };
}

/** Custom resources whose operator creates pods labelled with `spec.podMetadata.labels` (Prometheus, Alertmanager, ThanosRuler). */
export function podTemplateSourceOf(resource: Resource, defaultNamespace: string): PodTemplateSource | undefined {
  if (!resource.apiVersion.includes('.') || resource.podTemplate) return undefined;
  const labels = resource.root.map('spec')?.map('podMetadata')?.map('labels')?.record();
  return labels ? { resource, namespace: resource.effectiveNamespace(defaultNamespace), labels } : undefined;
}
