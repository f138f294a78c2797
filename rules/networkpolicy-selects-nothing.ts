import { describeSelector, isNetworkPolicy, matchesLabels, networkIndex, selectsAll, NETWORK_READS } from '../server/src/analysis/network';
import { defineRule, type RuleCases } from '../server/src/rule-api';

export default defineRule({
  meta: {
    id: 'networkpolicy-selects-nothing',
    title: 'NetworkPolicy selects no workload',
    principle: 'micro-segmentation',
    severity: 'info',
    kinds: ['NetworkPolicy'],
    reads: NETWORK_READS,
    messages: {
      noWorkload: 'NetworkPolicy "{{name}}" selects no workload of namespace "{{namespace}}" in the workspace. Its selector ({{selector}}) matches no pod template: unless those pods are deployed from elsewhere, the policy protects nothing. Check the selector against the pod template labels.',
      hostNetworkOnly: 'NetworkPolicy "{{name}}" selects only host-network pods, so it may have no effect. It selects {{workloads}}: whether a policy applies to host-network pods depends on the CNI plugin (most ignore it).',
    },
    docs: {
      what: "A NetworkPolicy's `podSelector` matches no workload of its namespace in the workspace, or only host-network pods (on which it may have no effect: most CNI plugins ignore policies for them).",
      why: 'A policy that selects nothing protects nothing: usually a label was renamed in the workload but not in the policy, and the pods it was written for run unisolated. It is information only: the pods may be deployed from another repository or created by an operator. `podSelector: {}` (the whole namespace, e.g. a default deny) is never reported. Pods of Prometheus-operator resources (`spec.podMetadata.labels`) count as selected.',
      fix: "Compare the selector with the labels of the workload's pod template (`spec.template.metadata.labels`, not the Deployment's own labels) and correct one of them; delete the policy if the workload is gone.",
      peers: { kubeLinter: ['dangling-networkpolicy'], kubescape: ['C-0299'] },
      links: ['https://kubernetes.io/docs/concepts/services-networking/network-policies/#networkpolicy-resource'],
    },
  },
  check(resource, { workspace, report }) {
    if (!isNetworkPolicy(resource)) return;
    const index = networkIndex(workspace);
    const policy = index.policyOf(resource);
    if (!policy || !policy.podSelector.valid || selectsAll(policy.podSelector)) return;
    const selected = index.selectedBy(policy);
    if (selected.some((w) => !w.hostNetwork)) return;
    if (index.podTemplateSources.some((s) => s.namespace === policy.namespace && matchesLabels(policy.podSelector, s.labels))) return;
    const node = resource.root.map('spec')?.keyNode('podSelector') ?? policy.podSelector.node;
    report({
      node,
      ...(selected.length > 0
        ? { messageId: 'hostNetworkOnly', data: { name: resource.name, workloads: selected.map((w) => w.resource.label).join(', ') } }
        : { messageId: 'noWorkload', data: { name: resource.name, namespace: policy.namespace, selector: describeSelector(policy.podSelector) } }),
    });
  },
});

export const cases: RuleCases = {
  valid: [
    {
      name: 'an empty podSelector is a namespace-wide policy, even with no workload in the workspace',
      yaml: `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: default-deny}
spec:
  podSelector: {}
  policyTypes: [Ingress, Egress]
`,
    },
    {
      name: 'selector matches pod template labels (not the Deployment labels), in another file',
      yaml: `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: api, namespace: shop}
spec:
  podSelector:
    matchExpressions: [{key: app, operator: Exists}, {key: canary, operator: NotIn, values: ["true"]}]
`,
      workspace: {
        'file:///api.yaml': `apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: shop, labels: {team: x}}
spec:
  template:
    metadata: {labels: {app: api}}
    spec:
      containers: [{name: api, image: example/api:1}]
`,
      },
    },
    {
      name: 'pods of a Prometheus-operator resource',
      yaml: `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: prometheus-k8s, namespace: monitoring}
spec:
  podSelector:
    matchLabels: {app.kubernetes.io/name: prometheus}
`,
      workspace: {
        'file:///prometheus.yaml': `apiVersion: monitoring.coreos.com/v1
kind: Prometheus
metadata: {name: k8s, namespace: monitoring}
spec:
  podMetadata:
    labels: {app.kubernetes.io/name: prometheus}
`,
      },
    },
  ],
  invalid: [
    {
      name: 'selector uses the Deployment labels, which pods do not carry',
      yaml: `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: api, namespace: shop}
spec:
  podSelector:
    matchLabels: {team: x}
`,
      workspace: {
        'file:///api.yaml': `apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: shop, labels: {team: x}}
spec:
  template:
    metadata: {labels: {app: api}}
    spec:
      containers: [{name: api, image: example/api:1}]
`,
      },
      findings: [{ line: 4, column: 2, endLine: 4, endColumn: 13, message: 'NetworkPolicy "api" selects no workload of namespace "shop" in the workspace. Its selector (team=x) matches no pod template', messageId: 'noWorkload', fixes: [] }],
    },
    {
      name: 'only a host-network DaemonSet matches',
      yaml: `apiVersion: apps/v1
kind: DaemonSet
metadata: {name: node-exporter}
spec:
  template:
    metadata: {labels: {app: node-exporter}}
    spec:
      hostNetwork: true
      containers: [{name: e, image: prom/node-exporter}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: node-exporter}
spec:
  podSelector: {matchLabels: {app: node-exporter}}
`,
      findings: [{ line: 14, column: 2, endLine: 14, endColumn: 13, message: 'NetworkPolicy "node-exporter" selects only host-network pods, so it may have no effect. It selects DaemonSet/node-exporter: whether', messageId: 'hostNetworkOnly', fixes: [] }],
    },
  ],
};
