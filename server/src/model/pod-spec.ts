import type { Node } from 'yaml';
import type { Resource } from './resource';
import { WITH_POD_TEMPLATE } from './pod-templates';
import type { MapView } from './yaml-view';

export type ContainerList = 'containers' | 'initContainers' | 'ephemeralContainers';

/** One container of a pod spec, from any of the three container lists. */
export interface ContainerView {
  readonly list: ContainerList;
  readonly index: number;
  readonly name: string;
  readonly map: MapView;
  readonly securityContext: MapView | undefined;
  /** Where to point when a container-level field is missing: the `name` value, else the item. */
  readonly anchor: Node;
}

/** The pod spec of a workload with the pod template's metadata (labels, annotations). */
export interface PodSpecView {
  readonly spec: MapView;
  /** `metadata` of the pod (Pod) or of its template; undefined if absent. */
  readonly podMetadata: MapView | undefined;
  readonly securityContext: MapView | undefined;
  readonly containers: readonly ContainerView[];
  /** The `spec:` key node of the pod spec: where to point for missing pod-level fields. */
  readonly anchor: Node;
}

/** A rule's `kinds` for workload rules: every kind with a pod template (`model/pod-templates.ts`). */
export const WORKLOAD_KINDS: readonly string[] = [WITH_POD_TEMPLATE];

export function podSpecOf(resource: Resource): PodSpecView | undefined {
  const holder = resource.podTemplate;
  if (!holder) return undefined;
  let template: MapView | undefined = resource.root;
  for (const key of holder.path) template = template?.map(key);
  const spec = template?.map('spec');
  if (!template || !spec) return undefined;
  return {
    spec,
    get containers() {
      return lazily(this, 'containers', () => containersOf(spec));
    },
    get podMetadata() {
      return lazily(this, 'podMetadata', () => template.map('metadata'));
    },
    get securityContext() {
      return lazily(this, 'securityContext', () => spec.map('securityContext'));
    },
    anchor: template.keyNode('spec') ?? spec.node,
  };
}

function containersOf(spec: MapView): ContainerView[] {
  const containers: ContainerView[] = [];
  for (const list of ['initContainers', 'containers', 'ephemeralContainers'] as const) {
    spec.seq(list)?.maps().forEach((map, index) => {
      containers.push({
        list,
        index,
        name: map.string('name') ?? `#${index}`,
        map,
        get securityContext() {
          return lazily(this, 'securityContext', () => map.map('securityContext'));
        },
        anchor: map.get('name') ?? map.node,
      });
    });
  }
  return containers;
}

/**
 * A field read when first used, then kept on the object: what a view reads is what its users
 * read (cross-resource analyses list other workloads' containers without their security).
 */
function lazily<T>(target: object, key: string, read: () => T): T {
  const value = read();
  Object.defineProperty(target, key, { value, enumerable: true });
  return value;
}
