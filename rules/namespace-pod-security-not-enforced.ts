import { celString, defineRule, indentUnit, replaceNode, setPath, WORKLOAD_KINDS, type FixSpec, type MapView, type OffsetEdit, type Resource, type RuleCases, type WorkspaceView } from '../server/src/rule-api';
import type { Scalar } from 'yaml';

const PREFIX = 'pod-security.kubernetes.io/';
const ENFORCE = `${PREFIX}enforce`;
const ENFORCE_VERSION = `${PREFIX}enforce-version`;

/** How a Namespace manifest configures Pod Security admission's enforce mode. */
interface Posture {
  enforced: boolean;
  /** The `enforce` label's value node, when there is one. */
  enforceNode: Scalar | undefined;
  /** Modes that are set but only report (`warn`, `audit`). */
  reportingOnly: string[];
}

export default defineRule({
  meta: {
    id: 'namespace-pod-security-not-enforced',
    title: 'Namespace does not enforce Pod Security',
    principle: 'automated-enforcement',
    severity: 'warning',
    kinds: ['Namespace', ...WORKLOAD_KINDS],
    reads: ['identity', 'labels'],
    admission: {
      // A workload's half needs its Namespace manifest, another object: the cluster judges the Namespace itself.
      subject: 'object',
      kinds: ['Namespace'],
      validations: () => [
        {
          expression: `has(object.metadata.labels) && ${celString(ENFORCE)} in object.metadata.labels && string(object.metadata.labels[${celString(ENFORCE)}]) != "privileged"`,
          messageExpression: `"Namespace \\"" + (has(object.metadata.name) ? object.metadata.name : "") + "\\" does not enforce a Pod Security Standard (no \`${ENFORCE}\` label, or \`privileged\`): pods that break every standard are admitted. Add \`${ENFORCE}: restricted\` (or \`baseline\`)."`,
        },
      ],
    },
    docs: {
      what: 'A Namespace manifest has no `pod-security.kubernetes.io/enforce` label, enforces `privileged`, or only sets `warn`/`audit`; workloads placed in such a namespace of the workspace are reported too.',
      why: 'Without an enforce label, Pod Security admission applies the cluster default, which is `privileged` unless the cluster was configured otherwise: nothing stops a privileged, host-namespace or root pod from being admitted. `warn` and `audit` only report. Zero trust enforces policy at admission rather than trusting every manifest author to get it right.',
      fix: 'Label the Namespace `pod-security.kubernetes.io/enforce: restricted` (with `enforce-version: latest` or a pinned `v1.x`); use `baseline` where a workload genuinely needs it, and keep `warn: restricted` to see what still falls short. Namespaces that must run privileged system components should be few, named, and documented.',
      peers: { kubescape: ['C-0192'] },
      links: ['https://kubernetes.io/docs/concepts/security/pod-security-admission/', 'https://kubernetes.io/docs/tasks/configure-pod-container/enforce-standards-namespace-labels/'],
    },
  },
  check(resource, { report, workspace }) {
    if (resource.kind === 'Namespace') {
      const posture = postureOf(resource);
      if (posture.enforced) return;
      report({
        node: posture.enforceNode ?? resource.metadata?.keyNode('labels') ?? resource.root.keyNode('metadata') ?? resource.root.node,
        message: `Namespace "${resource.name}" ${describe(posture)}: pods that break every Pod Security Standard are admitted. Add \`${ENFORCE}: restricted\` (or \`baseline\`).`,
        fixes: (['restricted', 'baseline'] as const).flatMap((level) => enforceFix(resource, posture, level) ?? []),
      });
      return;
    }
    const namespace = resource.effectiveNamespace(workspace.defaultNamespace);
    const posture = namespacePostures(workspace).get(namespace);
    if (!posture || posture.enforced) return;
    const namespaceNode = resource.metadata?.get('namespace');
    report({
      node: namespaceNode ?? resource.root.keyNode('metadata') ?? resource.root.node,
      message: `${resource.label} runs in namespace "${namespace}", whose Namespace manifest ${describe(posture)}: nothing at admission stops this pod from running privileged or as root. Label the Namespace \`${ENFORCE}: restricted\`.`,
    });
  },
});

function postureOf(namespace: Resource): Posture {
  const labels = namespace.metadata?.map('labels');
  const enforceNode = labels?.scalar(ENFORCE);
  const level = labels?.string(ENFORCE);
  // Any value but `privileged` enforces something: PSA reads an invalid level as `restricted`.
  return {
    enforced: level !== undefined && level !== 'privileged',
    enforceNode,
    reportingOnly: ['warn', 'audit'].filter((mode) => labels?.has(`${PREFIX}${mode}`)),
  };
}

function describe(posture: Posture): string {
  if (posture.enforceNode) return 'enforces the `privileged` level, which allows everything';
  const only = posture.reportingOnly.map((mode) => `\`${mode}\``).join(' and ');
  return only ? `only sets ${only}, which report violations but admit the pod` : `has no \`${ENFORCE}\` label, so the cluster default applies (\`privileged\` unless configured)`;
}

/** Enforcement per namespace name. A name defined more than once is enforced if any definition enforces. */
function namespacePostures(workspace: WorkspaceView): Map<string, Posture> {
  return workspace.memo('namespace-pod-security-postures', () => {
    const postures = new Map<string, Posture>();
    for (const namespace of workspace.ofKind('Namespace')) {
      const posture = postureOf(namespace);
      if (!postures.get(namespace.name)?.enforced) postures.set(namespace.name, posture);
    }
    return postures;
  });
}

/** Sets `enforce: <level>` and, when absent, `enforce-version: latest`, keeping the labels' own style. */
function enforceFix(namespace: Resource, posture: Posture, level: 'restricted' | 'baseline'): FixSpec | undefined {
  const metadata = namespace.metadata;
  if (!metadata) return undefined;
  const source = namespace.parsed.source;
  const labels = metadata.map('labels');
  const title = `Enforce the ${level} Pod Security Standard`;
  if (posture.enforceNode) {
    const edits: OffsetEdit[] = [replaceNode(posture.enforceNode, source, level)];
    if (labels && !labels.has(ENFORCE_VERSION)) edits.push(...setPath(labels, [ENFORCE_VERSION], 'latest'));
    return { title, edits };
  }
  if (metadata.has('labels') && !labels) return undefined;
  // Both labels go in one insertion: the second rides on the first one's value.
  const target = labels ?? metadata;
  const flow = target.node.flow || target.node.items.length === 0;
  // A new `labels:` block is written by setPath with the document's indentation unit; the second label follows it.
  const indent = labels ? firstKeyColumn(labels) : firstKeyColumn(metadata) + indentUnit(metadata.ctx.source);
  const second = labels?.has(ENFORCE_VERSION) ? '' : flow ? `, ${ENFORCE_VERSION}: latest` : `${newline(source)}${' '.repeat(indent)}${ENFORCE_VERSION}: latest`;
  return { title, edits: setPath(target, labels ? [ENFORCE] : ['labels', ENFORCE], `${level}${second}`) };
}

function firstKeyColumn(map: MapView): number {
  const first = map.node.items[0]?.key as { range?: [number, number, number] } | undefined;
  const offset = first?.range?.[0] ?? 0;
  const source = map.ctx.source;
  return offset - (source.lastIndexOf('\n', offset - 1) + 1);
}

function newline(source: string): string {
  return source.includes('\r\n') ? '\r\n' : '\n';
}

export const cases: RuleCases = {
  valid: [
    {
      name: 'restricted or baseline enforcement; an invalid level is read as restricted',
      yaml: `apiVersion: v1
kind: Namespace
metadata:
  name: shop
  labels:
    pod-security.kubernetes.io/enforce: restricted
---
apiVersion: v1
kind: Namespace
metadata:
  name: tools
  labels: {pod-security.kubernetes.io/enforce: baseline, pod-security.kubernetes.io/warn: restricted}
---
apiVersion: v1
kind: Namespace
metadata:
  name: typo
  labels: {pod-security.kubernetes.io/enforce: Restricted}
`,
    },
    {
      name: 'a workload in an enforcing namespace, and in a namespace the workspace does not define',
      yaml: `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  template:
    spec:
      containers: [{name: app, image: nginx:1.27}]
---
apiVersion: v1
kind: Pod
metadata: {name: probe, namespace: elsewhere}
spec:
  containers: [{name: app, image: busybox:1.36}]
`,
      workspace: {
        'file:///namespaces.yaml': `apiVersion: v1
kind: Namespace
metadata:
  name: shop
  labels: {pod-security.kubernetes.io/enforce: restricted}
`,
      },
    },
  ],
  invalid: [
    {
      name: 'warn-only namespace (kube-prometheus): the fix adds enforce and its version under the existing labels',
      yaml: `apiVersion: v1
kind: Namespace
metadata:
  labels:
    pod-security.kubernetes.io/warn: privileged
    pod-security.kubernetes.io/warn-version: latest
  name: monitoring
`,
      findings: [
        {
          line: 3, column: 2, endLine: 3, endColumn: 8, message: 'Namespace "monitoring" only sets `warn`, which report violations but admit the pod',
          fixes: [
            {
              title: 'Enforce the restricted Pod Security Standard',
              output: `apiVersion: v1
kind: Namespace
metadata:
  labels:
    pod-security.kubernetes.io/warn: privileged
    pod-security.kubernetes.io/warn-version: latest
    pod-security.kubernetes.io/enforce: restricted
    pod-security.kubernetes.io/enforce-version: latest
  name: monitoring
`,
            },
            {
              title: 'Enforce the baseline Pod Security Standard',
              output: `apiVersion: v1
kind: Namespace
metadata:
  labels:
    pod-security.kubernetes.io/warn: privileged
    pod-security.kubernetes.io/warn-version: latest
    pod-security.kubernetes.io/enforce: baseline
    pod-security.kubernetes.io/enforce-version: latest
  name: monitoring
`,
            },
          ],
        },
      ],
    },
    {
      name: 'no labels at all (four-space indentation): the fix creates them',
      yaml: `apiVersion: v1
kind: Namespace
metadata:
    name: payments   # PCI scope
`,
      findings: [
        {
          line: 2, column: 0, endLine: 2, endColumn: 8, message: 'has no `pod-security.kubernetes.io/enforce` label',
          fixes: [
            {
              title: 'Enforce the restricted Pod Security Standard',
              output: `apiVersion: v1
kind: Namespace
metadata:
    name: payments   # PCI scope
    labels:
        pod-security.kubernetes.io/enforce: restricted
        pod-security.kubernetes.io/enforce-version: latest
`,
            },
            {
              title: 'Enforce the baseline Pod Security Standard',
              output: `apiVersion: v1
kind: Namespace
metadata:
    name: payments   # PCI scope
    labels:
        pod-security.kubernetes.io/enforce: baseline
        pod-security.kubernetes.io/enforce-version: latest
`,
            },
          ],
        },
      ],
    },
    {
      name: 'enforce privileged in flow style: the fix replaces the level',
      yaml: `apiVersion: v1
kind: Namespace
metadata: {name: legacy, labels: {pod-security.kubernetes.io/enforce: privileged}}
`,
      findings: [
        {
          line: 2, column: 70, endLine: 2, endColumn: 80, message: 'enforces the `privileged` level',
          fixes: [
            {
              title: 'Enforce the restricted Pod Security Standard',
              output: `apiVersion: v1
kind: Namespace
metadata: {name: legacy, labels: {pod-security.kubernetes.io/enforce: restricted, pod-security.kubernetes.io/enforce-version: latest}}
`,
            },
            {
              title: 'Enforce the baseline Pod Security Standard',
              output: `apiVersion: v1
kind: Namespace
metadata: {name: legacy, labels: {pod-security.kubernetes.io/enforce: baseline, pod-security.kubernetes.io/enforce-version: latest}}
`,
            },
          ],
        },
      ],
    },
    {
      name: 'workloads in a namespace the workspace defines without enforcement, explicit and by default',
      yaml: `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: node-exporter
  namespace: monitoring
spec:
  template:
    spec:
      containers: [{name: exporter, image: quay.io/prometheus/node-exporter:v1.8.2}]
---
apiVersion: batch/v1
kind: Job
metadata: {name: seed}
spec:
  template:
    spec:
      containers: [{name: seed, image: busybox:1.36}]
`,
      workspace: {
        'file:///namespaces.yaml': `apiVersion: v1
kind: Namespace
metadata:
  name: monitoring
  labels: {pod-security.kubernetes.io/warn: privileged}
---
apiVersion: v1
kind: Namespace
metadata: {name: default}
`,
      },
      findings: [
        { line: 4, column: 13, endLine: 4, endColumn: 23, message: 'DaemonSet/node-exporter runs in namespace "monitoring", whose Namespace manifest only sets `warn`', fixes: [] },
        { line: 12, column: 0, endLine: 12, endColumn: 8, message: 'Job/seed runs in namespace "default"', fixes: [] },
      ],
    },
  ],
};
