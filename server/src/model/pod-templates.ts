import type { ResourceHead } from './resource';

/**
 * Where the objects of a kind hold a pod template: the `podTemplates` entries of the
 * configuration, and the built-in kinds below.
 */
export interface PodTemplateKind {
  /** `group/version` (`v1` for the core group); `group/*` matches every version of the group. */
  readonly apiVersion: string;
  readonly kind: string;
  /** Dotted path from the object's root to its PodTemplateSpec (`metadata` and `spec`); `''` for a Pod itself. */
  readonly path: string;
  /**
   * The kind's plural API resource (the CRD's `spec.names.plural`), which admission policies
   * match (`kzt export-policy`); the engine does not need it.
   */
  readonly resource?: string;
}

/** What the model knows of a kind with a pod template. */
export interface PodTemplateHolder {
  /** Path from the object's root to the template (a map with `metadata` and `spec`); empty for a Pod. */
  readonly path: readonly string[];
  /** False for a PodTemplate, which only describes pods. */
  readonly runsPods: boolean;
  /** Path to the label map the controller selects its pods by (`spec.selector.matchLabels`), if it has one. */
  readonly selectorLabels?: readonly string[];
  /** Labels the controller adds to every pod besides the template's, from the object's name. */
  impliedLabels?(name: string): Record<string, string>;
}

const TEMPLATE = ['spec', 'template'];
const MATCH_LABELS = ['spec', 'selector', 'matchLabels'];

/** A built-in kind: the groups it is served in (`''`: core), its template and selector. */
interface BuiltIn extends PodTemplateHolder {
  readonly kind: string;
  readonly groups: readonly string[];
}

/**
 * Kinds users deploy that run pods from a template: Kubernetes' workloads, OpenShift's
 * DeploymentConfig, Argo Rollouts' Rollout, Knative's Service and Configuration, KEDA's
 * ScaledJob. Matched on the group too: a core `Service` is not a Knative `Service`.
 */
const BUILT_IN: readonly BuiltIn[] = [
  { kind: 'Deployment', groups: ['apps', 'extensions'], path: TEMPLATE, runsPods: true, selectorLabels: MATCH_LABELS },
  { kind: 'StatefulSet', groups: ['apps'], path: TEMPLATE, runsPods: true, selectorLabels: MATCH_LABELS },
  { kind: 'DaemonSet', groups: ['apps', 'extensions'], path: TEMPLATE, runsPods: true, selectorLabels: MATCH_LABELS },
  { kind: 'ReplicaSet', groups: ['apps', 'extensions'], path: TEMPLATE, runsPods: true, selectorLabels: MATCH_LABELS },
  // A ReplicationController's and a DeploymentConfig's selectors are plain label maps.
  { kind: 'ReplicationController', groups: [''], path: TEMPLATE, runsPods: true, selectorLabels: ['spec', 'selector'] },
  { kind: 'Job', groups: ['batch'], path: TEMPLATE, runsPods: true, selectorLabels: MATCH_LABELS },
  { kind: 'CronJob', groups: ['batch'], path: ['spec', 'jobTemplate', 'spec', 'template'], runsPods: true },
  { kind: 'PodTemplate', groups: [''], path: ['template'], runsPods: false },
  { kind: 'Pod', groups: [''], path: [], runsPods: true },
  { kind: 'DeploymentConfig', groups: ['apps.openshift.io'], path: TEMPLATE, runsPods: true, selectorLabels: ['spec', 'selector'] },
  // A Rollout with `spec.workloadRef` has no template: its pods are the referenced Deployment's template.
  { kind: 'Rollout', groups: ['argoproj.io'], path: TEMPLATE, runsPods: true, selectorLabels: MATCH_LABELS },
  // Knative labels a Service's pods with the Service and its Configuration (same name), a Configuration's with it.
  { kind: 'Service', groups: ['serving.knative.dev'], path: TEMPLATE, runsPods: true, impliedLabels: (name) => ({ 'serving.knative.dev/service': name, 'serving.knative.dev/configuration': name }) },
  { kind: 'Configuration', groups: ['serving.knative.dev'], path: TEMPLATE, runsPods: true, impliedLabels: (name) => ({ 'serving.knative.dev/configuration': name }) },
  { kind: 'ScaledJob', groups: ['keda.sh'], path: ['spec', 'jobTargetRef', 'template'], runsPods: true },
];

/** The built-in kinds with a pod template: each kind, the API groups it is served in, its template's path. */
export const BUILT_IN_POD_TEMPLATES: ReadonlyArray<Pick<BuiltIn, 'kind' | 'groups' | 'path'>> = BUILT_IN;

/**
 * In a rule's `kinds`: every kind whose objects have a pod template (built-in or configured),
 * so workload rules follow the configuration without naming kinds.
 */
export const WITH_POD_TEMPLATE = 'kinds with a pod template';
/** In a rule's `kinds`: every kind whose objects run pods (those with a pod template, but PodTemplate). */
export const RUNNING_PODS = 'kinds that run pods';

/** Whether a rule's `kinds` (see `WITH_POD_TEMPLATE`) take in this object. */
export function kindsInclude(kinds: readonly string[], kind: string, holder: PodTemplateHolder | undefined): boolean {
  if (kinds.includes(kind)) return true;
  return holder !== undefined && (kinds.includes(WITH_POD_TEMPLATE) || (holder.runsPods && kinds.includes(RUNNING_PODS)));
}

/** The group of an `apiVersion`: `apps` of `apps/v1`, `''` of `v1`. */
function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

function matches(pattern: string, apiVersion: string): boolean {
  return pattern.endsWith('/*') ? groupOf(apiVersion) === pattern.slice(0, -2) && apiVersion.includes('/') : pattern === apiVersion;
}

/**
 * The kinds with a pod template for one configuration: the built-in ones and the configured
 * ones (which win for the same apiVersion and kind). Immutable; `key` tells configurations apart
 * in caches.
 */
export class PodTemplates {
  static readonly BUILT_IN = new PodTemplates([]);

  /** The configuration's entries, as given. */
  readonly key: string;
  private readonly configured: ReadonlyArray<{ apiVersion: string; kind: string; holder: PodTemplateHolder }>;

  private constructor(configured: readonly PodTemplateKind[]) {
    this.key = configured.length ? JSON.stringify(configured.map(({ apiVersion, kind, path }) => [apiVersion, kind, path])) : '';
    this.configured = configured.map(({ apiVersion, kind, path }) => ({ apiVersion, kind, holder: { path: path ? path.split('.') : [], runsPods: true } }));
  }

  static of(configured: readonly PodTemplateKind[] | undefined): PodTemplates {
    return configured?.length ? new PodTemplates(configured) : PodTemplates.BUILT_IN;
  }

  /** Whether objects of this kind hold a pod template in some API group. */
  anyHolds(kind: string): boolean {
    return this.configured.some((entry) => entry.kind === kind) || BUILT_IN.some((entry) => entry.kind === kind);
  }

  /** Where objects of this apiVersion and kind hold their pod template; undefined for other kinds. */
  holderOf(head: Pick<ResourceHead, 'apiVersion' | 'kind'>): PodTemplateHolder | undefined {
    for (const entry of this.configured) if (entry.kind === head.kind && matches(entry.apiVersion, head.apiVersion)) return entry.holder;
    const group = groupOf(head.apiVersion);
    return BUILT_IN.find((entry) => entry.kind === head.kind && entry.groups.includes(group));
  }
}
