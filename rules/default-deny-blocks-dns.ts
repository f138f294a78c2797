import { addBlockValue, appendBlockItem, blockedDnsProtocols, defaultDenyIsolatingEgress, dnsEgressRule, isNetworkPolicy, networkIndex, NETWORK_READS } from '../server/src/analysis/network';
import { defineRule, type RuleCases } from '../server/src/rule-api';

/**
 * Reported on the namespace-wide policy (default deny) that isolates egress, once per policy,
 * naming the workloads that lose DNS. A policy of one workload that denies its egress is a
 * deliberate choice (a database resolves no names) and is not reported.
 */
export default defineRule({
  meta: {
    id: 'default-deny-blocks-dns',
    title: 'Egress denied without DNS',
    principle: 'micro-segmentation',
    severity: 'warning',
    kinds: ['NetworkPolicy'],
    reads: NETWORK_READS,
    docs: {
      what: "A namespace-wide NetworkPolicy (`podSelector: {}`) isolates pods' egress but no policy that selects them allows DNS (UDP and TCP 53) to kube-dns.",
      why: 'Once egress is isolated, every connection needs a rule, name resolution included. Without one, lookups of Service names time out and the application fails in ways that look unrelated to the policy, which pushes teams to delete the default deny instead of completing it. TCP 53 matters too: answers too large for UDP are retried over TCP. A policy written for one workload that denies all its egress is not reported: a database that resolves no names is right to have no DNS. A rule that lists port 53 to any peer (for example NodeLocal DNSCache by ipBlock) counts as a DNS allowance. No peer tool checks this.',
      fix: 'Allow egress to kube-dns: `to: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}, podSelector: {matchLabels: {k8s-app: kube-dns}}}]` on port 53 UDP and TCP. The quick fix adds that rule to this policy.',
      peers: {},
      links: ['https://kubernetes.io/docs/concepts/services-networking/dns-pod-service/'],
    },
  },
  check(resource, { workspace, report }) {
    if (!isNetworkPolicy(resource)) return;
    const index = networkIndex(workspace);
    const policy = index.policyOf(resource);
    if (!policy || !policy.types.has('egress')) return;
    const affected = index
      .selectedBy(policy)
      .filter((w) => !w.hostNetwork && defaultDenyIsolatingEgress(index, w) === policy)
      .map((workload) => ({ workload, blocked: blockedDnsProtocols(index, workload) }))
      .filter((a) => a.blocked.length > 0);
    if (affected.length === 0) return;
    // Egress is only ever a policy type through `spec` (written or implied by its egress rules).
    const spec = resource.root.map('spec');
    if (!spec) return;
    const protocols = [...new Set(affected.flatMap((a) => a.blocked))].sort().reverse();
    const node = spec.seq('policyTypes')?.scalars().find((s) => s.value === 'Egress')?.node ?? spec.keyNode('egress') ?? resource.root.keyNode('spec')!;
    const names = affected.length <= 3 ? affected.map((a) => a.workload.resource.label).join(', ') : `${affected.length} workloads`;
    const effect = protocols.includes('UDP') ? 'name resolution will fail' : 'DNS answers too large for UDP will fail';
    report({
      node,
      message: `NetworkPolicy "${resource.name}" isolates the egress of ${names}, but no policy lets them reach kube-dns on ${protocols.map((p) => `${p} 53`).join(' and ')}: ${effect}. Allow DNS egress to kube-dns.`,
      fixes: () => {
        const egress = spec.seq('egress');
        const rule = dnsEgressRule();
        return [{
          title: 'Allow DNS egress to kube-dns in this policy',
          edits: egress ? [appendBlockItem(egress, rule)] : addBlockValue(spec, 'egress', { value: [rule.value], comments: rule.comments.map((c) => ({ ...c, path: [0, ...c.path] })) }),
        }];
      },
    });
  },
});

const WEB = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: nginx:1.27}]
`;

export const cases: RuleCases = {
  valid: [
    {
      name: 'DNS allowed by a separate policy to kube-dns (named ports), the default deny in another file',
      yaml: `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: default-deny, namespace: shop}
spec:
  podSelector: {}
  policyTypes: [Ingress, Egress]
`,
      workspace: {
        'file:///web.yaml': WEB,
        'file:///dns.yaml': `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: allow-dns, namespace: shop}
spec:
  podSelector: {}
  policyTypes: [Egress]
  egress:
    - to:
        - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}
          podSelector: {matchLabels: {k8s-app: kube-dns}}
      ports: [{port: dns, protocol: UDP}, {port: dns-tcp, protocol: TCP}]
`,
      },
    },
    {
      name: 'default deny, with DNS to NodeLocal DNSCache by ipBlock on port 53 in the workload policy',
      yaml: `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web, namespace: shop}
spec:
  podSelector: {matchLabels: {app: web}}
  egress:
    - to: [{ipBlock: {cidr: 169.254.20.10/32}}]
      ports: [{port: 53, protocol: UDP}, {port: 53, protocol: TCP}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: default-deny, namespace: shop}
spec:
  podSelector: {}
  policyTypes: [Ingress, Egress]
`,
      workspace: { 'file:///web.yaml': WEB },
    },
    {
      name: 'a policy of one workload that denies all its egress is deliberate (a database resolves no names)',
      yaml: `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web-no-egress, namespace: shop}
spec:
  podSelector: {matchLabels: {app: web}}
  policyTypes: [Ingress, Egress]
  ingress: [{from: [{podSelector: {matchLabels: {app: api}}}]}]
`,
      workspace: { 'file:///web.yaml': WEB },
    },
    {
      name: 'a default deny with no workload in the workspace is not reported',
      yaml: `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: default-deny}
spec:
  podSelector: {}
  policyTypes: [Ingress, Egress]
`,
    },
  ],
  invalid: [
    {
      name: 'default deny without DNS: the fix adds the egress rule',
      yaml: `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny
  namespace: shop
spec:
  podSelector: {}
  policyTypes:
    - Ingress
    - Egress   # deny all outgoing
`,
      workspace: { 'file:///web.yaml': WEB },
      findings: [
        {
          line: 9, column: 6, endLine: 9, endColumn: 12, message: 'NetworkPolicy "default-deny" isolates the egress of Deployment/web, but no policy lets them reach kube-dns on UDP 53 and TCP 53',
          fixes: [
            {
              title: 'Allow DNS egress to kube-dns in this policy',
              output: `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny
  namespace: shop
spec:
  podSelector: {}
  policyTypes:
    - Ingress
    - Egress   # deny all outgoing
  egress:
    # DNS: name resolution through kube-dns (CoreDNS) in kube-system, UDP and TCP 53.
    - to:
        - namespaceSelector:
            matchLabels:
              kubernetes.io/metadata.name: kube-system
          podSelector:
            matchLabels:
              k8s-app: kube-dns
      ports:
        - port: 53
          protocol: UDP
        - port: 53
          protocol: TCP
`,
            },
          ],
        },
      ],
    },
    {
      name: 'only UDP allowed; egress rules present without policyTypes, kubectl sequence style',
      yaml: `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: namespace-egress
  namespace: shop
spec:
  podSelector: {}
  egress:
  - to:
    - namespaceSelector: {}
    ports:
    - port: 53
      protocol: UDP
`,
      workspace: { 'file:///web.yaml': WEB },
      findings: [
        {
          line: 7, column: 2, endLine: 7, endColumn: 8, message: 'on TCP 53: DNS answers too large for UDP will fail',
          fixes: [
            {
              title: 'Allow DNS egress to kube-dns in this policy',
              output: `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: namespace-egress
  namespace: shop
spec:
  podSelector: {}
  egress:
  - to:
    - namespaceSelector: {}
    ports:
    - port: 53
      protocol: UDP
  # DNS: name resolution through kube-dns (CoreDNS) in kube-system, UDP and TCP 53.
  - to:
    - namespaceSelector:
        matchLabels:
          kubernetes.io/metadata.name: kube-system
      podSelector:
        matchLabels:
          k8s-app: kube-dns
    ports:
    - port: 53
      protocol: UDP
    - port: 53
      protocol: TCP
`,
            },
          ],
        },
      ],
    },
  ],
};
