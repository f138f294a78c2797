import { celString, defineRule, indentUnit, replaceNode, setPath, type FixSpec, type MapView, type OffsetEdit, type Resource, type RuleCases } from '../server/src/rule-api';
import type { Scalar } from 'yaml';

const PREFIX = 'pod-security.kubernetes.io/';
const ENFORCE = `${PREFIX}enforce`;
const ENFORCE_VERSION = `${PREFIX}enforce-version`;
const NO_LABEL_WHY = 'The cluster default applies, privileged unless the cluster was configured otherwise.';
const ADMITTED = 'Pods that break every Pod Security Standard are admitted.';
const ADD = `Add ${ENFORCE}: restricted (or baseline).`;

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
    kinds: ['Namespace'],
    messages: {
      noEnforceLabel: `Namespace "{{namespace}}" does not enforce Pod Security: it has no enforce label. ${NO_LABEL_WHY} ${ADMITTED} ${ADD}`,
      enforcesPrivileged: `Namespace "{{namespace}}" enforces the privileged Pod Security level, which allows everything. ${ADMITTED} Set ${ENFORCE} to restricted (or baseline).`,
      reportsOnly: `Namespace "{{namespace}}" does not enforce Pod Security: {{modes}} only report violations. ${ADMITTED} ${ADD}`,
    },
    admission: {
      subject: 'object',
      validations: () => [
        {
          expression: `has(object.metadata.labels) && ${celString(ENFORCE)} in object.metadata.labels && string(object.metadata.labels[${celString(ENFORCE)}]) != "privileged"`,
          messageExpression: `"Namespace \\"" + (has(object.metadata.name) ? object.metadata.name : "") + "\\" does not enforce Pod Security: it has no ${ENFORCE} label, or enforces privileged. ${ADMITTED} ${ADD}"`,
        },
      ],
    },
    docs: {
      what: 'A Namespace manifest has no `pod-security.kubernetes.io/enforce` label, enforces `privileged`, or only sets `warn`/`audit`; reported once, on the Namespace manifest, not again on each workload placed in it.',
      why: 'Without an enforce label, Pod Security admission applies the cluster default, which is `privileged` unless the cluster was configured otherwise: nothing stops a privileged, host-namespace or root pod from being admitted. `warn` and `audit` only report. Zero trust enforces policy at admission rather than trusting every manifest author to get it right.',
      fix: 'Label the Namespace `pod-security.kubernetes.io/enforce: restricted` (with `enforce-version: latest` or a pinned `v1.x`); use `baseline` where a workload genuinely needs it, and keep `warn: restricted` to see what still falls short. Namespaces that must run privileged system components should be few, named, and documented.',
      peers: { kubescape: ['C-0192'] },
      links: ['https://kubernetes.io/docs/concepts/security/pod-security-admission/', 'https://kubernetes.io/docs/tasks/configure-pod-container/enforce-standards-namespace-labels/'],
    },
  },
  check(resource, { report }) {
    const posture = postureOf(resource);
    if (posture.enforced) return;
    report({
      node: posture.enforceNode ?? resource.metadata?.keyNode('labels') ?? resource.root.keyNode('metadata') ?? resource.root.node,
      messageId: messageIdOf(posture),
      data: { namespace: resource.name, modes: posture.reportingOnly.join(' and ') },
      fixes: (['restricted', 'baseline'] as const).flatMap((level) => enforceFix(resource, posture, level) ?? []),
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

/** What falls short: an enforced `privileged`, only reporting modes, or no label at all. */
function messageIdOf(posture: Posture): 'enforcesPrivileged' | 'reportsOnly' | 'noEnforceLabel' {
  if (posture.enforceNode) return 'enforcesPrivileged';
  return posture.reportingOnly.length ? 'reportsOnly' : 'noEnforceLabel';
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
    {
      name: 'workloads in a namespace the workspace defines without enforcement: reported once, on the Namespace manifest',
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
          line: 3, column: 2, endLine: 3, endColumn: 8, message: 'Namespace "monitoring" does not enforce Pod Security: warn only report violations. Pods that break every Pod Security Standard are admitted.', messageId: 'reportsOnly',
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
          line: 2, column: 0, endLine: 2, endColumn: 8, message: 'does not enforce Pod Security: it has no enforce label. The cluster default applies, privileged unless the cluster was configured otherwise.', messageId: 'noEnforceLabel',
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
          line: 2, column: 70, endLine: 2, endColumn: 80, message: 'enforces the privileged Pod Security level, which allows everything.', messageId: 'enforcesPrivileged',
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
  ],
};
