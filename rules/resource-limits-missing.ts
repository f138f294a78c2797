import { containerTarget, defineRule, describeContainer, WORKLOAD_KINDS, type MapView, type Resource, type RuleCases, type WorkspaceView } from '../server/src/rule-api';

const RESOURCES = [['memory', 'memory'], ['cpu', 'CPU']] as const;
type Limited = (typeof RESOURCES)[number][0];

type Options = { limits: readonly Limited[] };

function hasValue(map: MapView | undefined, key: string): boolean {
  const value = map?.value(key);
  return value !== undefined && value !== null && value !== '';
}

/**
 * Limits a container gets without writing them: a LimitRange of its namespace with a
 * container `default` (or a `max`, which the API server copies into `default`).
 */
function limitRangeDefaults(resource: Resource, workspace: WorkspaceView): ReadonlySet<Limited> {
  return workspace.memo('resource-limits-missing/defaults', () => defaultsByNamespace(workspace)).get(resource.effectiveNamespace(workspace.defaultNamespace)) ?? NONE;
}

const NONE: ReadonlySet<Limited> = new Set();

/** Every namespace's LimitRange defaults, read once per workspace state (not once per workload). */
function defaultsByNamespace(workspace: WorkspaceView): Map<string, Set<Limited>> {
  const byNamespace = new Map<string, Set<Limited>>();
  for (const range of workspace.ofKind('LimitRange')) {
    const namespace = range.effectiveNamespace(workspace.defaultNamespace);
    for (const item of range.root.map('spec')?.seq('limits')?.maps() ?? []) {
      if (item.string('type') !== 'Container') continue;
      for (const [key] of RESOURCES) {
        if (!hasValue(item.map('default'), key) && !hasValue(item.map('max'), key)) continue;
        let defaults = byNamespace.get(namespace);
        if (!defaults) byNamespace.set(namespace, (defaults = new Set()));
        defaults.add(key);
      }
    }
  }
  return byNamespace;
}

export default defineRule<Options>({
  meta: {
    id: 'resource-limits-missing',
    title: 'Resource limits missing',
    principle: 'least-privilege',
    severity: 'warning',
    kinds: WORKLOAD_KINDS,
    reads: ['identity', 'limitRanges'],
    messages: {
      limitMissing: "{{container}} has no {{resource}} limit. It can use up its node's {{resource}} and starve every other workload there: set resources.limits.{{key}}.",
      limitsMissing:
        "{{container}} has no memory limit and no CPU limit. It can use up its node's memory and CPU and starve every other workload there: set resources.limits.memory and resources.limits.cpu.",
    },
    options: {
      schema: {
        type: 'object',
        properties: {
          limits: {
            description: 'The limits every container must have. Teams that leave CPU unlimited on purpose (a CPU limit throttles a container even when the node is idle) keep only `memory`: memory cannot be taken back without killing a process.',
            type: 'array',
            items: { enum: ['memory', 'cpu'] },
            uniqueItems: true,
          },
        },
        additionalProperties: false,
      },
      defaults: { limits: ['memory', 'cpu'] },
    },
    docs: {
      what: 'A container (or init container) has no memory limit or no CPU limit, from its own `resources.limits`, the pod-level `resources.limits`, or a LimitRange default in its namespace.',
      why: 'Without limits one container can take all the memory or CPU of its node: a bug, a load spike or a compromised process (crypto-mining is the classic) starves every other workload there. Bounding what each workload may consume keeps one failure from becoming everyone\'s outage.',
      fix: 'Set `resources.limits.memory` and `resources.limits.cpu` on each container (or at pod level, or through a LimitRange default for the namespace), sized from observed usage; set requests too so the scheduler can place the pod. Ephemeral containers cannot have resources and are not checked.',
      peers: { kubeLinter: ['unset-cpu-requirements', 'unset-memory-requirements'], polaris: ['cpuLimitsMissing', 'memoryLimitsMissing'], checkov: ['CKV_K8S_11', 'CKV_K8S_13'], trivy: ['KSV-0011', 'KSV-0018'], kubescape: ['C-0270', 'C-0271'] },
      links: ['https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/', 'https://kubernetes.io/docs/concepts/policy/limit-range/'],
    },
  },
  check(resource, { report, workspace, options }) {
    const pod = resource.podSpec;
    if (!pod) return;
    const podLimits = pod.spec.map('resources')?.map('limits');
    let defaults: ReadonlySet<Limited> | undefined;
    for (const container of pod.containers) {
      // The API server forbids resources on ephemeral containers: they use the pod's.
      if (container.list === 'ephemeralContainers') continue;
      const resources = container.map.map('resources');
      const limits = resources?.map('limits');
      const missing = RESOURCES.filter(([key]) => options.limits.includes(key) && !hasValue(limits, key) && !hasValue(podLimits, key));
      if (missing.length === 0) continue;
      defaults ??= limitRangeDefaults(resource, workspace);
      const unbounded = missing.filter(([key]) => !defaults!.has(key));
      if (unbounded.length === 0) continue;
      report({
        // No resources at all: the container itself, by its name (its securityContext is other rules' place).
        node: resources?.keyNode('limits') ?? container.map.keyNode('resources') ?? container.anchor,
        target: containerTarget(container),
        ...(unbounded.length === 1
          ? { messageId: 'limitMissing', data: { container: describeContainer(container), resource: unbounded[0][1], key: unbounded[0][0] } }
          : { messageId: 'limitsMissing', data: { container: describeContainer(container) } }),
      });
    }
  },
});

export const cases: RuleCases = {
  valid: [
    {
      name: 'container limits, pod-level limits, and an ephemeral container (which cannot have resources)',
      yaml: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  resources:
    limits: {cpu: "2"}
  initContainers:
    - {name: init, image: busybox:1.36, resources: {limits: {memory: 64Mi, cpu: 100m}}}
  containers:
    - name: app
      image: nginx:1.27
      resources:
        limits:
          memory: 256Mi
  ephemeralContainers:
    - {name: debug, image: busybox:1.36}
`,
    },
    {
      name: 'a LimitRange in the same namespace supplies defaults (max counts as default)',
      yaml: `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  template:
    spec:
      containers:
        - {name: app, image: nginx:1.27}
`,
      workspace: {
        'file:///limits.yaml': `apiVersion: v1
kind: LimitRange
metadata: {name: defaults, namespace: shop}
spec:
  limits:
    - type: Container
      default: {memory: 512Mi}
      max: {cpu: "1"}
`,
      },
    },
    {
      name: 'option limits: [memory]: a container without a CPU limit passes',
      options: { limits: ['memory'] },
      yaml: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - {name: app, image: nginx:1.27, resources: {limits: {memory: 256Mi}}}
`,
    },
  ],
  invalid: [
    {
      name: 'no resources at all (at the container\'s name, not its securityContext), and only requests',
      yaml: `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  template:
    spec:
      containers:
        - name: app
          image: nginx:1.27
          securityContext: {runAsNonRoot: true}
        - name: sidecar
          image: envoy:1.30
          resources:
            requests: {cpu: 50m, memory: 64Mi}
`,
      findings: [
        { line: 7, column: 16, endLine: 7, endColumn: 19, message: 'Container "app" has no memory limit and no CPU limit', messageId: 'limitsMissing', fixes: [] },
        { line: 12, column: 10, endLine: 12, endColumn: 19, message: 'set resources.limits.memory and resources.limits.cpu.', messageId: 'limitsMissing', fixes: [] },
      ],
    },
    {
      name: 'CPU limit only in an init container; a LimitRange of another namespace does not count',
      yaml: `apiVersion: batch/v1
kind: Job
metadata: {name: migrate, namespace: shop}
spec:
  template:
    spec:
      initContainers:
        - {name: wait, image: busybox:1.36, resources: {limits: {cpu: 100m}}}
      containers:
        - {name: run, image: migrate:4.17, resources: {limits: {cpu: 500m, memory: 128Mi}}}
`,
      workspace: {
        'file:///limits.yaml': `apiVersion: v1
kind: LimitRange
metadata: {name: defaults, namespace: other}
spec:
  limits: [{type: Container, default: {memory: 512Mi}}]
`,
      },
      findings: [{ line: 7, column: 56, endLine: 7, endColumn: 62, message: 'Init container "wait" has no memory limit. It can use up its node\'s memory', messageId: 'limitMissing', fixes: [] }],
    },
    {
      name: 'option limits: [memory]: only the memory limit is asked for',
      options: { limits: ['memory'] },
      yaml: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - {name: app, image: nginx:1.27, resources: {limits: {cpu: 500m}}}
`,
      findings: [{ line: 5, column: 49, endLine: 5, endColumn: 55, message: 'Container "app" has no memory limit.', messageId: 'limitMissing', fixes: [] }],
    },
  ],
};
