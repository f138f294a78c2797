/**
 * Where a build tool puts an object, when that differs from what its file says: a Kustomize
 * overlay sets the namespace of everything it builds and adds labels and annotations. The
 * static model applies it to the object's identity (`Resource.placed`); names keep what the
 * file says, because kustomize renames an object and every reference to it inside the same
 * build alike (the two still match).
 */
export interface Placement {
  /** The build that places it, as messages name it (`overlays/dev`). */
  readonly unit: string;
  /** Set on every namespaced object of the build, replacing what the file says. */
  readonly namespace: string | undefined;
  /** Added to `metadata.labels`. */
  readonly labels: Readonly<Record<string, string>>;
  /** Added to the pod template's labels of workloads. */
  readonly templateLabels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  /**
   * Set when the namespace is not written anywhere but inferred (a file meant for
   * `kubectl apply -n`): a sentence saying which namespace was assumed and why.
   */
  readonly assumption?: string;
  /** Identifies the placement in caches: equal keys, equal placements. */
  readonly key: string;
}

/** Built-in kinds that live outside namespaces: a build's namespace does not apply to them. */
const CLUSTER_SCOPED_KINDS = new Set([
  'Namespace',
  'Node',
  'PersistentVolume',
  'ClusterRole',
  'ClusterRoleBinding',
  'CustomResourceDefinition',
  'StorageClass',
  'PriorityClass',
  'RuntimeClass',
  'IngressClass',
  'CSIDriver',
  'CSINode',
  'VolumeAttachment',
  'APIService',
  'MutatingWebhookConfiguration',
  'ValidatingWebhookConfiguration',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding',
  'MutatingAdmissionPolicy',
  'MutatingAdmissionPolicyBinding',
  'CertificateSigningRequest',
  'FlowSchema',
  'PriorityLevelConfiguration',
  'PodSecurityPolicy',
  'ComponentStatus',
  'CiliumClusterwideNetworkPolicy',
  'ClusterIssuer',
]);

/** Whether a build's namespace applies to objects of `kind` (kustomize treats unknown kinds as namespaced). */
export function isNamespacedKind(kind: string): boolean {
  return !CLUSTER_SCOPED_KINDS.has(kind);
}

export function placementKey(placement: Omit<Placement, 'key'>): string {
  return JSON.stringify([placement.unit, placement.namespace ?? null, placement.labels, placement.templateLabels, placement.annotations, placement.assumption ?? null]);
}
