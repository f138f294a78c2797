import type { Scalar } from 'yaml';
import { scalarText } from '../../model/yaml-view';
import type { PodSpecView } from '../../model/pod-spec';
import type { Resource } from '../../model/resource';
import type { WorkspaceView } from '../../workspace/snapshot';

/** The ServiceAccount a workload's pods run as. */
export interface ServiceAccountUse {
  readonly name: string;
  readonly namespace: string;
  /** The value naming it (`serviceAccountName`, else the deprecated `serviceAccount`); undefined when omitted. */
  readonly node: Scalar | undefined;
}

/**
 * As the API server defaults it: `serviceAccountName`, else the deprecated `serviceAccount`,
 * else the namespace's `default` account. Undefined for resources without a pod spec.
 */
export function serviceAccountUse(resource: Resource, workspace: WorkspaceView): ServiceAccountUse | undefined {
  const pod = resource.podSpec;
  if (!pod) return undefined;
  const namespace = resource.effectiveNamespace(workspace.defaultNamespace);
  return resource.derived('rbac/service-account-use', namespace, () => {
    for (const field of ['serviceAccountName', 'serviceAccount']) {
      const node = pod.spec.scalar(field);
      const name = node && scalarText(node);
      if (node && name) return { name, namespace, node };
    }
    return { name: 'default', namespace, node: undefined };
  });
}

/** The workspace's definitions of a ServiceAccount (none, one, or copies in several files). */
export function serviceAccountsNamed(workspace: WorkspaceView, namespace: string, name: string): readonly Resource[] {
  const index = workspace.memo('rbac/service-accounts', () => {
    const map = new Map<string, Resource[]>();
    for (const obj of workspace.ofKind('ServiceAccount')) {
      const key = `${obj.effectiveNamespace(workspace.defaultNamespace)}/${obj.name}`;
      const list = map.get(key);
      if (list) list.push(obj);
      else map.set(key, [obj]);
    }
    return map;
  });
  return index.get(`${namespace}/${name}`) ?? [];
}

/** The workloads whose pods run as a ServiceAccount. */
export function workloadsUsing(workspace: WorkspaceView, namespace: string, name: string): readonly Resource[] {
  const index = workspace.memo('rbac/workloads-by-service-account', () => {
    const map = new Map<string, Resource[]>();
    for (const resource of workspace.resources()) {
      const use = serviceAccountUse(resource, workspace);
      if (!use) continue;
      const key = `${use.namespace}/${use.name}`;
      const list = map.get(key);
      if (list) list.push(resource);
      else map.set(key, [resource]);
    }
    return map;
  });
  return index.get(`${namespace}/${name}`) ?? [];
}

export interface TokenMount {
  readonly mounted: boolean;
  /** The pod spec's own `automountServiceAccountToken` boolean, which wins when set. */
  readonly podValue: Scalar | undefined;
}

/**
 * Whether the kubelet mounts the account's API token into the pods: the pod spec's boolean
 * wins; else `automountServiceAccountToken: false` on the ServiceAccount turns it off; else it
 * is mounted. With copies of the account in several files, any `false` counts.
 */
export function tokenMount(pod: PodSpecView, accounts: readonly Resource[]): TokenMount {
  const podValue = pod.spec.scalar('automountServiceAccountToken');
  if (typeof podValue?.value === 'boolean') return { mounted: podValue.value, podValue };
  return { mounted: !accounts.some((a) => a.root.bool('automountServiceAccountToken') === false), podValue: undefined };
}
