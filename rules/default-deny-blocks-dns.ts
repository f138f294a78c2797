import { blockedDnsProtocols, isCiliumPolicy, isNetworkPolicy, misdirectedDnsRule, namespaceBlockedDnsProtocols, namespaceEgressDefaultDeny, networkIndex, NETWORK_READS, type DnsProtocol } from '../server/src/analysis/network';
import { ciliumDnsEgressRule, dnsEgressRule } from '../server/src/fixes';
import { addBlockValue, appendBlockItem } from '../server/src/edits/block-edits';
import { defineRule, type MapView, type Resource, type RuleCases } from '../server/src/rule-api';

/**
 * Reported on the namespace-wide policy (default deny) that isolates egress, once per namespace:
 * naming the workloads that lose DNS when the workspace has them, else for every pod of the
 * namespace when no policy of it allows DNS. A policy of one workload that denies its egress is
 * a deliberate choice (a database resolves no names) and is not reported.
 */
const ALLOW = 'Allow DNS egress to kube-dns in kube-system.';
const RESOLUTION_FAILS = 'It isolates their egress and no policy lets them reach kube-dns on {{ports}}: name resolution will fail.';
const LARGE_ANSWERS_FAIL = 'It isolates their egress and no policy lets them reach kube-dns on TCP 53: DNS answers too large for UDP will fail.';
const SAME_NAMESPACE_PODS = 'Its port 53 rule has a podSelector without namespaceSelector: it matches pods of namespace "{{namespace}}", not kube-dns in kube-system.';
const SAME_NAMESPACE_ENDPOINTS = 'Its port 53 rule has a toEndpoints selector without io.kubernetes.pod.namespace: it matches endpoints of namespace "{{namespace}}", not kube-dns in kube-system.';

/** The message for what is lost (name resolution, or only answers too large for UDP) and why the policy's own DNS rule does not count. */
const MESSAGE_IDS = {
  none: { resolution: 'dnsBlocked', largeAnswers: 'tcpDnsBlocked' },
  podSelector: { resolution: 'dnsBlockedSameNamespacePods', largeAnswers: 'tcpDnsBlockedSameNamespacePods' },
  toEndpoints: { resolution: 'dnsBlockedSameNamespaceEndpoints', largeAnswers: 'tcpDnsBlockedSameNamespaceEndpoints' },
} as const;

export default defineRule({
  meta: {
    id: 'default-deny-blocks-dns',
    title: 'Egress denied without DNS',
    principle: 'micro-segmentation',
    severity: 'warning',
    kinds: ['NetworkPolicy', 'CiliumNetworkPolicy'],
    reads: NETWORK_READS,
    // {{kind}} and {{name}} of the policy; {{lost}}: DNS, or DNS over one protocol; {{who}}: the workloads, or every pod of the namespace.
    messages: {
      dnsBlocked: `{{kind}} "{{name}}" blocks {{lost}} for {{who}}. ${RESOLUTION_FAILS} ${ALLOW}`,
      tcpDnsBlocked: `{{kind}} "{{name}}" blocks DNS over TCP 53 for {{who}}. ${LARGE_ANSWERS_FAIL} ${ALLOW}`,
      dnsBlockedSameNamespacePods: `{{kind}} "{{name}}" blocks {{lost}} for {{who}}. ${RESOLUTION_FAILS} ${SAME_NAMESPACE_PODS} ${ALLOW}`,
      tcpDnsBlockedSameNamespacePods: `{{kind}} "{{name}}" blocks DNS over TCP 53 for {{who}}. ${LARGE_ANSWERS_FAIL} ${SAME_NAMESPACE_PODS} ${ALLOW}`,
      dnsBlockedSameNamespaceEndpoints: `{{kind}} "{{name}}" blocks {{lost}} for {{who}}. ${RESOLUTION_FAILS} ${SAME_NAMESPACE_ENDPOINTS} ${ALLOW}`,
      tcpDnsBlockedSameNamespaceEndpoints: `{{kind}} "{{name}}" blocks DNS over TCP 53 for {{who}}. ${LARGE_ANSWERS_FAIL} ${SAME_NAMESPACE_ENDPOINTS} ${ALLOW}`,
    },
    docs: {
      what: "A namespace-wide NetworkPolicy (`podSelector: {}`) or CiliumNetworkPolicy (`endpointSelector: {}`) isolates pods' egress, but no policy that applies to them allows DNS (UDP and TCP 53) to kube-dns.",
      why: 'Once egress is isolated, every connection needs a rule, name resolution included. Without one, lookups of Service names time out and the application fails in ways that look unrelated to the policy, which pushes teams to delete the default deny instead of completing it. TCP 53 matters too: answers too large for UDP are retried over TCP. A DNS rule counts only if its peer can be the kube-dns pods (`k8s-app: kube-dns` in kube-system): a `podSelector` without `namespaceSelector` matches only pods of the policy\'s own namespace, and a Cilium `toEndpoints` selector without `k8s:io.kubernetes.pod.namespace` only endpoints of the policy\'s namespace, so such a "DNS rule" allows nothing. A rule to an `ipBlock` or CIDR on port 53 counts (NodeLocal DNSCache listens on a link-local address), as do the Cilium entities `cluster`, `all`, `host` and `remote-node` and `toServices` naming kube-system/kube-dns. A policy written for one workload that denies all its egress is not reported: a database that resolves no names is right to have no DNS. The workloads of the namespace decide when the workspace has them (each may get DNS from a policy of its own); without them the policies alone do: the namespace loses DNS when none of its policies allows it. One finding per namespace, on its first namespace-wide egress policy. Cluster-wide allowances of other kinds (Calico GlobalNetworkPolicy, AdminNetworkPolicy) are not read: when one gives the namespace DNS, suppress the finding with that reason. No peer tool checks this.',
      fix: 'Allow egress to kube-dns: `to: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}, podSelector: {matchLabels: {k8s-app: kube-dns}}}]` on port 53 UDP and TCP; in a CiliumNetworkPolicy, `toEndpoints` with `k8s:io.kubernetes.pod.namespace: kube-system` and `k8s:k8s-app: kube-dns` on port 53. The quick fix adds that rule to this policy.',
      peers: {},
      links: ['https://kubernetes.io/docs/concepts/services-networking/dns-pod-service/', 'https://docs.cilium.io/en/stable/security/policy/kubernetes/#known-pitfalls'],
    },
  },
  check(resource, { workspace, report }) {
    const cilium = isCiliumPolicy(resource);
    if (!cilium && !isNetworkPolicy(resource)) return;
    const index = networkIndex(workspace);
    const namespace = (cilium ? index.ciliumPolicyOf(resource) : index.policyOf(resource))?.namespace;
    const defaultDeny = namespace === undefined ? undefined : namespaceEgressDefaultDeny(index, namespace);
    if (namespace === undefined || defaultDeny?.resource !== resource) return;
    const workloads = index.isolatableWorkloadsIn(namespace);
    const affected = workloads.map((workload) => ({ workload, blocked: blockedDnsProtocols(index, workload) })).filter((a) => a.blocked.length > 0);
    // Without workloads in the workspace, the policies alone tell: none of the namespace allows DNS.
    const protocols: DnsProtocol[] = workloads.length > 0 ? [...new Set(affected.flatMap((a) => a.blocked))].sort().reverse() : namespaceBlockedDnsProtocols(index, namespace);
    if (protocols.length === 0) return;
    const who =
      workloads.length === 0
        ? resource.namespace
          ? `every pod of namespace "${namespace}"`
          : 'every pod of its namespace'
        : affected.length <= 3
          ? affected.map((a) => a.workload.resource.label).join(', ')
          : `${affected.length} workloads`;
    const { spec } = defaultDeny;
    const misdirected = misdirectedDnsRule(index, resource);
    report({
      node: findingNode(resource, spec),
      messageId: MESSAGE_IDS[misdirected?.selector ?? 'none'][protocols.includes('UDP') ? 'resolution' : 'largeAnswers'],
      data: {
        kind: resource.kind,
        name: resource.name,
        lost: protocols.length === 2 ? 'DNS' : `DNS over ${protocols[0]} 53`,
        who,
        ports: protocols.map((p) => `${p} 53`).join(' and '),
        ...(misdirected ? { namespace: misdirected.namespace } : {}),
      },
      fixes: () => {
        const egress = spec.seq('egress');
        const rule = cilium ? ciliumDnsEgressRule() : dnsEgressRule();
        return [{
          title: 'Allow DNS egress to kube-dns in this policy',
          edits: egress ? [appendBlockItem(egress, rule)] : addBlockValue(spec, 'egress', { value: [rule.value], comments: rule.comments.map((c) => ({ ...c, path: [0, ...c.path] })) }),
        }];
      },
    });
  },
});

/** `Egress` in `policyTypes`, else the `egress` (or Cilium `egressDeny`) key: where egress isolation is written. */
function findingNode(resource: Resource, spec: MapView) {
  return spec.seq('policyTypes')?.scalars().find((s) => s.value === 'Egress')?.node ?? spec.keyNode('egress') ?? spec.keyNode('egressDeny') ?? resource.root.keyNode('spec')!;
}

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
      name: 'no workload in the workspace: DNS allowed by another policy of the namespace, to kube-system by a label the workspace cannot check (name: kube-system)',
      yaml: `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: default-deny, namespace: shop}
spec:
  podSelector: {}
  policyTypes: [Ingress, Egress]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: allow-dns, namespace: shop}
spec:
  podSelector: {matchLabels: {app: web}}
  egress:
    - to:
        - namespaceSelector: {matchLabels: {name: kube-system}}
      ports: [{port: 53, protocol: UDP}, {port: 53, protocol: TCP}]
`,
    },
    {
      name: 'Cilium: a namespace-wide policy with a DNS rule to kube-dns, and one allowing DNS clusterwide for a namespace-wide default deny',
      yaml: `apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: default-deny, namespace: shop}
spec:
  endpointSelector: {}
  egress:
    - toEndpoints:
        - matchLabels:
            k8s:io.kubernetes.pod.namespace: kube-system
            k8s:k8s-app: kube-dns
      toPorts:
        - ports: [{port: "53", protocol: ANY}]
          rules:
            dns: [{matchPattern: "*"}]
    - toFQDNs: [{matchName: api.example.com}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: default-deny, namespace: billing}
spec:
  podSelector: {}
  policyTypes: [Egress]
`,
      workspace: {
        'file:///dns.yaml': `apiVersion: cilium.io/v2
kind: CiliumClusterwideNetworkPolicy
metadata: {name: allow-dns}
spec:
  endpointSelector: {}
  egress:
    - toEntities: [cluster]
      toPorts: [{ports: [{port: "53"}]}]
`,
      },
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
          line: 9, column: 6, endLine: 9, endColumn: 12, message: 'NetworkPolicy "default-deny" blocks DNS for Deployment/web. It isolates their egress and no policy lets them reach kube-dns on UDP 53 and TCP 53',
          messageId: 'dnsBlocked',
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
          line: 7, column: 2, endLine: 7, endColumn: 8, message: 'NetworkPolicy "namespace-egress" blocks DNS over TCP 53 for Deployment/web. It isolates their egress and no policy lets them reach kube-dns on TCP 53: DNS answers too large for UDP will fail',
          messageId: 'tcpDnsBlocked',
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
    {
      name: 'no workload in the workspace, no namespace written: every pod of the namespace it is applied to',
      yaml: `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: default-deny}
spec:
  podSelector: {}
  policyTypes: [Ingress, Egress]
`,
      findings: [
        {
          line: 5, column: 25, endLine: 5, endColumn: 31, message: 'NetworkPolicy "default-deny" blocks DNS for every pod of its namespace. It isolates their egress and no policy lets them reach kube-dns on UDP 53 and TCP 53',
          messageId: 'dnsBlocked',
          fixes: [{ title: 'Allow DNS egress to kube-dns in this policy', output: `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: default-deny}
spec:
  podSelector: {}
  policyTypes: [Ingress, Egress]
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
` }],
        },
      ],
    },
    {
      name: 'a DNS rule whose podSelector has no namespaceSelector matches pods of the policy\'s namespace, not kube-dns',
      yaml: `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: default-deny, namespace: shop}
spec:
  podSelector: {}
  policyTypes: [Ingress, Egress]
  egress:
    - to:
        - podSelector: {matchLabels: {k8s-app: kube-dns}}   # only pods of shop
      ports:
        - {port: 53, protocol: UDP}
        - {port: 53, protocol: TCP}
`,
      findings: [
        {
          line: 5, column: 25, endLine: 5, endColumn: 31, message: 'NetworkPolicy "default-deny" blocks DNS for every pod of namespace "shop". It isolates their egress and no policy lets them reach kube-dns on UDP 53 and TCP 53: name resolution will fail. Its port 53 rule has a podSelector without namespaceSelector: it matches pods of namespace "shop", not kube-dns in kube-system.',
          messageId: 'dnsBlockedSameNamespacePods',
          fixes: [{ title: 'Allow DNS egress to kube-dns in this policy', output: `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: default-deny, namespace: shop}
spec:
  podSelector: {}
  policyTypes: [Ingress, Egress]
  egress:
    - to:
        - podSelector: {matchLabels: {k8s-app: kube-dns}}   # only pods of shop
      ports:
        - {port: 53, protocol: UDP}
        - {port: 53, protocol: TCP}
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
` }],
        },
      ],
    },
    {
      name: 'Cilium: endpointSelector {} with egress rules and a toEndpoints "DNS rule" without the kube-system namespace label',
      yaml: `apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata:
  name: lockdown
  namespace: shop
spec:
  endpointSelector: {}
  egress:
    - toEndpoints:
        - matchLabels: {k8s-app: kube-dns}
      toPorts:
        - ports: [{port: "53", protocol: UDP}]
    - toEntities: [world]
      toPorts:
        - ports: [{port: "443", protocol: TCP}]
`,
      findings: [
        {
          line: 7, column: 2, endLine: 7, endColumn: 8, message: 'CiliumNetworkPolicy "lockdown" blocks DNS for every pod of namespace "shop". It isolates their egress and no policy lets them reach kube-dns on UDP 53 and TCP 53: name resolution will fail. Its port 53 rule has a toEndpoints selector without io.kubernetes.pod.namespace: it matches endpoints of namespace "shop", not kube-dns in kube-system.',
          messageId: 'dnsBlockedSameNamespaceEndpoints',
          fixes: [{ title: 'Allow DNS egress to kube-dns in this policy', output: `apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata:
  name: lockdown
  namespace: shop
spec:
  endpointSelector: {}
  egress:
    - toEndpoints:
        - matchLabels: {k8s-app: kube-dns}
      toPorts:
        - ports: [{port: "53", protocol: UDP}]
    - toEntities: [world]
      toPorts:
        - ports: [{port: "443", protocol: TCP}]
    # DNS: name resolution through kube-dns (CoreDNS) in kube-system, port 53.
    - toEndpoints:
        - matchLabels:
            k8s:io.kubernetes.pod.namespace: kube-system
            k8s:k8s-app: kube-dns
      toPorts:
        - ports:
            - port: "53"
              protocol: ANY
` }],
        },
      ],
    },
    {
      name: 'one finding per namespace: on its first namespace-wide NetworkPolicy, not again on its Cilium default deny; workloads of the workspace are named',
      yaml: `apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: cilium-deny, namespace: shop}
spec:
  endpointSelector: {}
  egress:
    - toEntities: [world]
      toPorts: [{ports: [{port: "443"}]}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: default-deny, namespace: shop}
spec:
  podSelector: {}
  policyTypes: [Egress]
  egress:
    - to: [{ipBlock: {cidr: 0.0.0.0/0}}]
      ports: [{port: 53, protocol: UDP}]
`,
      workspace: { 'file:///web.yaml': WEB },
      findings: [
        {
          line: 14, column: 16, endLine: 14, endColumn: 22, message: 'NetworkPolicy "default-deny" blocks DNS over TCP 53 for Deployment/web.',
          messageId: 'tcpDnsBlocked',
          fixes: [{ title: 'Allow DNS egress to kube-dns in this policy', output: `apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: cilium-deny, namespace: shop}
spec:
  endpointSelector: {}
  egress:
    - toEntities: [world]
      toPorts: [{ports: [{port: "443"}]}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: default-deny, namespace: shop}
spec:
  podSelector: {}
  policyTypes: [Egress]
  egress:
    - to: [{ipBlock: {cidr: 0.0.0.0/0}}]
      ports: [{port: 53, protocol: UDP}]
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
` }],
        },
      ],
    },
    {
      name: 'only TCP blocked, by a DNS rule whose podSelector has no namespaceSelector',
      yaml: `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: default-deny, namespace: shop}
spec:
  podSelector: {}
  policyTypes: [Egress]
  egress:
    - to:
        - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}
          podSelector: {matchLabels: {k8s-app: kube-dns}}
      ports: [{port: 53, protocol: UDP}]
    - to:
        - podSelector: {matchLabels: {k8s-app: kube-dns}}   # only pods of shop
      ports: [{port: 53, protocol: TCP}]
`,
      findings: [
        {
          line: 5, column: 16, endLine: 5, endColumn: 22, message: 'NetworkPolicy "default-deny" blocks DNS over TCP 53 for every pod of namespace "shop". It isolates their egress and no policy lets them reach kube-dns on TCP 53: DNS answers too large for UDP will fail. Its port 53 rule has a podSelector without namespaceSelector: it matches pods of namespace "shop", not kube-dns in kube-system.',
          messageId: 'tcpDnsBlockedSameNamespacePods',
          fixes: [{ title: 'Allow DNS egress to kube-dns in this policy', output: `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: default-deny, namespace: shop}
spec:
  podSelector: {}
  policyTypes: [Egress]
  egress:
    - to:
        - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}
          podSelector: {matchLabels: {k8s-app: kube-dns}}
      ports: [{port: 53, protocol: UDP}]
    - to:
        - podSelector: {matchLabels: {k8s-app: kube-dns}}   # only pods of shop
      ports: [{port: 53, protocol: TCP}]
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
` }],
        },
      ],
    },
    {
      name: 'Cilium: only TCP blocked, by a toEndpoints DNS rule without the namespace label',
      yaml: `apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: lockdown, namespace: shop}
spec:
  endpointSelector: {}
  egress:
    - toEndpoints:
        - matchLabels: {k8s:io.kubernetes.pod.namespace: kube-system, k8s:k8s-app: kube-dns}
      toPorts: [{ports: [{port: "53", protocol: UDP}]}]
    - toEndpoints:
        - matchLabels: {k8s-app: kube-dns}
      toPorts: [{ports: [{port: "53", protocol: TCP}]}]
`,
      findings: [
        {
          line: 5, column: 2, endLine: 5, endColumn: 8, message: 'CiliumNetworkPolicy "lockdown" blocks DNS over TCP 53 for every pod of namespace "shop". It isolates their egress and no policy lets them reach kube-dns on TCP 53: DNS answers too large for UDP will fail. Its port 53 rule has a toEndpoints selector without io.kubernetes.pod.namespace: it matches endpoints of namespace "shop", not kube-dns in kube-system.',
          messageId: 'tcpDnsBlockedSameNamespaceEndpoints',
          fixes: [{ title: 'Allow DNS egress to kube-dns in this policy', output: `apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: lockdown, namespace: shop}
spec:
  endpointSelector: {}
  egress:
    - toEndpoints:
        - matchLabels: {k8s:io.kubernetes.pod.namespace: kube-system, k8s:k8s-app: kube-dns}
      toPorts: [{ports: [{port: "53", protocol: UDP}]}]
    - toEndpoints:
        - matchLabels: {k8s-app: kube-dns}
      toPorts: [{ports: [{port: "53", protocol: TCP}]}]
    # DNS: name resolution through kube-dns (CoreDNS) in kube-system, port 53.
    - toEndpoints:
        - matchLabels:
            k8s:io.kubernetes.pod.namespace: kube-system
            k8s:k8s-app: kube-dns
      toPorts:
        - ports:
            - port: "53"
              protocol: ANY
` }],
        },
      ],
    },
  ],
};
