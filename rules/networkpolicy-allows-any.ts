import { activeRules, anyPeerOf, describePorts, DIRECTIONS, isNetworkPolicy, parseNetworkPolicy } from '../server/src/analysis/network';
import { defineRule, type RuleCases } from '../server/src/rule-api';

const ENDPOINT = { ingress: 'source', egress: 'destination' };

export default defineRule({
  meta: {
    id: 'networkpolicy-allows-any',
    title: 'NetworkPolicy rule admits anyone',
    principle: 'micro-segmentation',
    severity: 'warning',
    kinds: ['NetworkPolicy'],
    docs: {
      what: 'A NetworkPolicy rule admits any source or destination: an empty rule `{}`, a missing or empty `from`/`to`, an `ipBlock` of `0.0.0.0/0` or `::/0` whose `except` does not carve out the private ranges, or a lone `namespaceSelector: {}` (every pod of the cluster).',
      why: 'Such a rule turns the isolation the policy creates back into "anyone may connect" (or "may connect anywhere") for the ports it lists, so the policy looks like segmentation without providing it. `podSelector: {}` alone is not reported: it admits only the pods of the policy\'s own namespace. Rules of a direction the policy does not apply to (`policyTypes`) are ignored, as Kubernetes ignores them. No peer tool flags this for YAML manifests.',
      fix: 'Name the peers the pods really talk to: a `podSelector` with labels, a `namespaceSelector` on `kubernetes.io/metadata.name`, or a bounded `ipBlock` (for the internet, `0.0.0.0/0` with the private ranges in `except`).',
      peers: {},
      links: ['https://kubernetes.io/docs/concepts/services-networking/network-policies/#networkpolicy-resource'],
    },
  },
  check(resource, { workspace, report }) {
    if (!isNetworkPolicy(resource)) return;
    const policy = parseNetworkPolicy(resource, workspace.defaultNamespace);
    for (const direction of DIRECTIONS) {
      for (const rule of activeRules(policy, direction)) {
        const any = anyPeerOf(rule);
        if (!any) continue;
        report({
          node: any.node,
          message: `${direction === 'ingress' ? 'Ingress' : 'Egress'} rule ${rule.index + 1} admits any ${ENDPOINT[direction]} on ${describePorts(rule.ports)}: ${any.because}. Name the ${ENDPOINT[direction]}s the pods need instead.`,
        });
      }
    }
  },
});

export const cases: RuleCases = {
  valid: [
    {
      name: 'podSelector: {} alone stays in the namespace; namespaceSelector with podSelector labels is bounded',
      yaml: `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: same-namespace}
spec:
  podSelector: {}
  ingress:
    - from:
        - podSelector: {}
        - namespaceSelector: {}
          podSelector: {matchLabels: {app: prometheus}}
`,
    },
    {
      name: 'internet egress without the private ranges, and rules of a direction outside policyTypes',
      yaml: `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: internet-only}
spec:
  podSelector: {matchLabels: {app: crawler}}
  policyTypes: [Egress]
  ingress:
    - {}
  egress:
    - to:
        - ipBlock:
            cidr: 0.0.0.0/0
            except: [10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16]
      ports: [{port: 443}]
`,
    },
  ],
  invalid: [
    {
      name: 'an empty egress rule and an empty from list (kube-prometheus style)',
      yaml: `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: grafana
spec:
  egress:
  - {}
  ingress:
  - from: []
    ports:
    - port: 3000
      protocol: TCP
  podSelector:
    matchLabels:
      app: grafana
  policyTypes:
  - Egress
  - Ingress
`,
      findings: [
        { line: 6, column: 4, endLine: 6, endColumn: 6, message: 'Egress rule 1 admits any destination on any port: it has no `to`', fixes: [] },
        { line: 8, column: 4, endLine: 8, endColumn: 8, message: 'Ingress rule 1 admits any source on 3000/TCP: its `from` list is empty', fixes: [] },
      ],
    },
    {
      name: 'a lone namespaceSelector: {} and ::/0 with an except that keeps the private ranges, second document',
      yaml: `apiVersion: v1
kind: ConfigMap
metadata: {name: x}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: metrics}
spec:
  podSelector: {matchLabels: {app: api}}
  ingress:
    - from: [{namespaceSelector: {}}]
      ports: [{port: metrics}]
  egress:
    - to:
        - ipBlock: {cidr: "::/0", except: ["2001:db8::/32"]}
`,
      findings: [
        { line: 10, column: 33, endLine: 10, endColumn: 35, message: 'Ingress rule 1 admits any source on metrics/TCP: `namespaceSelector: {}` selects every pod of every namespace', fixes: [] },
        { line: 14, column: 26, endLine: 14, endColumn: 32, message: 'Egress rule 1 admits any destination on any port: `ipBlock` ::/0 covers every address', fixes: [] },
      ],
    },
  ],
};
