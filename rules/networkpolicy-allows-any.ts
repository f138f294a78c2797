import { activeRules, anyPeerOf, ciliumAnyPeers, describeCiliumPorts, describePorts, DIRECTIONS, isCiliumPolicy, isNetworkPolicy, parseCiliumPolicy, parseNetworkPolicy, type Direction } from '../server/src/analysis/network';
import { defineRule, type Resource, type RuleCases, type RuleContext } from '../server/src/rule-api';

const DIRECTION = { ingress: 'Ingress', egress: 'Egress' };
const ENDPOINT = { ingress: 'source', egress: 'destination' };
const PEERS_KEY = { ingress: 'from', egress: 'to' };

const HOLLOW = 'The policy looks like segmentation without providing it.';
const NAME_THEM = 'Name the {{endpoint}}s the pods need instead.';

export default defineRule({
  meta: {
    id: 'networkpolicy-allows-any',
    title: 'NetworkPolicy rule admits anyone',
    principle: 'micro-segmentation',
    severity: 'warning',
    kinds: ['NetworkPolicy', 'CiliumNetworkPolicy', 'CiliumClusterwideNetworkPolicy'],
    notExported: 'the policy alone decides it, but its `ipBlock` and CIDR test is address arithmetic: whether an `except` keeps the private ranges in (overlaps `10.0.0.0/8`, `fc00::/7`…) needs parsed IPv4 and IPv6 addresses, which standard CEL cannot do (the exported policies use no Kubernetes library such as `cidr()`, so that they run on every Kubernetes version and in Kyverno). A partial check of the rest (empty rules, a lone `namespaceSelector: {}`, Cilium\'s `world` and `all`) is not written yet.',
    // {{direction}} Ingress or Egress, {{rule}} its 1-based number, {{endpoint}} source or destination, {{ports}} the ports it allows.
    messages: {
      noPeers: `{{direction}} rule {{rule}} admits any {{endpoint}} on {{ports}}: it has no {{key}}. ${HOLLOW} ${NAME_THEM}`,
      emptyPeers: `{{direction}} rule {{rule}} admits any {{endpoint}} on {{ports}}: its {{key}} list is empty. ${HOLLOW} ${NAME_THEM}`,
      anyAddress: `{{direction}} rule {{rule}} admits any {{endpoint}} on {{ports}}: ipBlock {{cidr}} covers every address. ${HOLLOW} ${NAME_THEM}`,
      anyAddressPrivateKept: `{{direction}} rule {{rule}} admits any {{endpoint}} on {{ports}}: ipBlock {{cidr}} covers every address. Its except keeps the private ranges in. ${HOLLOW} ${NAME_THEM}`,
      everyNamespace: `{{direction}} rule {{rule}} admits every pod of the cluster on {{ports}} (namespaceSelector: {}). An empty namespaceSelector selects every namespace. ${HOLLOW} ${NAME_THEM}`,
      ciliumAnyone: `{{direction}} rule {{rule}} admits any {{endpoint}} on {{ports}} ({{peer}}). ${HOLLOW} ${NAME_THEM}`,
      ciliumOutside: `{{direction}} rule {{rule}} admits every address outside the cluster on {{ports}} ({{peer}}). ${HOLLOW} ${NAME_THEM}`,
      ciliumOutsidePrivateKept: `{{direction}} rule {{rule}} admits every address outside the cluster on {{ports}} ({{peer}}). Its except leaves the private ranges in. ${HOLLOW} ${NAME_THEM}`,
    },
    docs: {
      what: 'A NetworkPolicy rule admits any source or destination: an empty rule `{}`, a missing or empty `from`/`to`, an `ipBlock` of `0.0.0.0/0` or `::/0` whose `except` does not carve out the private ranges, or a lone `namespaceSelector: {}` (every pod of the cluster); a Cilium allow rule names the entity `world` or `all`, or a `fromCIDR`/`toCIDR`/`fromCIDRSet`/`toCIDRSet` of `0.0.0.0/0` or `::/0` without that `except`.',
      why: 'Such a rule turns the isolation the policy creates back into "anyone may connect" (or "may connect anywhere") for the ports it lists, so the policy looks like segmentation without providing it. `podSelector: {}` alone is not reported: it admits only the pods of the policy\'s own namespace. Rules of a direction the policy does not apply to (`policyTypes`) are ignored, as Kubernetes ignores them. In Cilium policies, `world` is every address outside the cluster (the internet, for most clusters) and `all` every peer at all; Cilium\'s CIDR rules select addresses outside the cluster only, so a CIDR of every address is `world`. Deny rules (`ingressDeny`, `egressDeny`) admit nothing and are not reported. No peer tool flags this for YAML manifests.',
      fix: 'Name the peers the pods really talk to: a `podSelector` with labels, a `namespaceSelector` on `kubernetes.io/metadata.name`, or a bounded `ipBlock` (for the internet, `0.0.0.0/0` with the private ranges in `except`). In Cilium, `toEndpoints` with labels, `toFQDNs` for the external names the pods call, or bounded CIDRs instead of `world`, `all` and `0.0.0.0/0`.',
      peers: {},
      links: ['https://kubernetes.io/docs/concepts/services-networking/network-policies/#networkpolicy-resource'],
    },
  },
  check(resource, { workspace, report }) {
    if (isCiliumPolicy(resource)) return checkCilium(resource, workspace.defaultNamespace, report);
    if (!isNetworkPolicy(resource)) return;
    const policy = parseNetworkPolicy(resource, workspace.defaultNamespace);
    for (const direction of DIRECTIONS) {
      for (const rule of activeRules(policy, direction)) {
        const any = anyPeerOf(rule);
        if (!any) continue;
        report({
          node: any.node,
          messageId: any.reason,
          data: { ...describeRule(direction, rule.index, describePorts(rule.ports)), key: PEERS_KEY[direction], ...(any.cidr ? { cidr: any.cidr } : {}) },
        });
      }
    }
  },
});

/** What every message says of the rule: its direction, number, endpoint and ports. */
function describeRule(direction: Direction, index: number, ports: string) {
  return { direction: DIRECTION[direction], rule: index + 1, endpoint: ENDPOINT[direction], ports };
}

/**
 * Cilium allow rules (deny rules admit nothing): the entities `all` and `world`, and CIDRs of
 * every address, each where it is written.
 */
function checkCilium(resource: Resource, defaultNamespace: string, report: RuleContext['report']): void {
  for (const rule of parseCiliumPolicy(resource, defaultNamespace).rules) {
    for (const direction of DIRECTIONS) {
      for (const allow of rule.allows[direction]) {
        for (const any of ciliumAnyPeers(allow)) {
          report({
            node: any.node,
            messageId: any.scope === 'anyone' ? 'ciliumAnyone' : any.privateKept ? 'ciliumOutsidePrivateKept' : 'ciliumOutside',
            data: { ...describeRule(direction, allow.index, describeCiliumPorts(allow.ports)), peer: any.written },
          });
        }
      }
    }
  }
}

export const cases: RuleCases = {
  valid: [
    {
      name: 'Cilium: the cluster entity, the API server, internet egress without the private ranges, a bounded CIDR, and deny rules',
      yaml: `apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: api, namespace: shop}
spec:
  endpointSelector: {matchLabels: {app: api}}
  ingress:
    - fromEntities: [cluster]
      toPorts: [{ports: [{port: "8080", protocol: TCP}]}]
  egress:
    - toEntities: [kube-apiserver]
    - toCIDRSet:
        - cidr: 0.0.0.0/0
          except: [10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16]
      toPorts: [{ports: [{port: "443", protocol: TCP}]}]
    - toCIDR: [10.20.0.0/16]
  egressDeny:
    - toEntities: [world]
`,
    },
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
      name: 'Cilium: world and all entities, and CIDRs of every address, in a namespaced and a clusterwide policy (specs list)',
      yaml: `apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: frontend, namespace: shop}
spec:
  endpointSelector: {matchLabels: {app: frontend}}
  ingress:
    - fromEntities: [world]
      toPorts:
        - ports: [{port: "443", protocol: TCP}]
  egress:
    - toEntities:
        - all
    - toCIDR: ["0.0.0.0/0"]
      toPorts: [{ports: [{port: "53"}]}]
---
apiVersion: cilium.io/v2
kind: CiliumClusterwideNetworkPolicy
metadata: {name: egress-v6}
specs:
  - endpointSelector: {}
    egress:
      - toCIDRSet: [{cidr: "::/0", except: ["2001:db8::/32"]}]
        toPorts: [{ports: [{port: "443", endPort: 8443, protocol: TCP}]}]
`,
      findings: [
        { line: 6, column: 21, endLine: 6, endColumn: 26, message: 'Ingress rule 1 admits every address outside the cluster on 443/TCP (fromEntities world). The policy looks like segmentation without providing it. Name the sources the pods need instead.', messageId: 'ciliumOutside', fixes: [] },
        { line: 11, column: 10, endLine: 11, endColumn: 13, message: 'Egress rule 1 admits any destination on any port (toEntities all).', messageId: 'ciliumAnyone', fixes: [] },
        { line: 12, column: 15, endLine: 12, endColumn: 26, message: 'Egress rule 2 admits every address outside the cluster on 53/ANY (toCIDR 0.0.0.0/0).', messageId: 'ciliumOutside', fixes: [] },
        { line: 21, column: 27, endLine: 21, endColumn: 33, message: 'Egress rule 1 admits every address outside the cluster on 443-8443/TCP (toCIDRSet ::/0). Its except leaves the private ranges in. The policy', messageId: 'ciliumOutsidePrivateKept', fixes: [] },
      ],
    },
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
        { line: 6, column: 4, endLine: 6, endColumn: 6, message: 'Egress rule 1 admits any destination on any port: it has no to.', messageId: 'noPeers', fixes: [] },
        { line: 8, column: 4, endLine: 8, endColumn: 8, message: 'Ingress rule 1 admits any source on 3000/TCP: its from list is empty.', messageId: 'emptyPeers', fixes: [] },
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
        { line: 10, column: 33, endLine: 10, endColumn: 35, message: 'Ingress rule 1 admits every pod of the cluster on metrics/TCP (namespaceSelector: {}). An empty namespaceSelector selects every namespace. The policy looks like segmentation without providing it. Name the sources the pods need instead.', messageId: 'everyNamespace', fixes: [] },
        { line: 14, column: 26, endLine: 14, endColumn: 32, message: 'Egress rule 1 admits any destination on any port: ipBlock ::/0 covers every address. Its except keeps the private ranges in.', messageId: 'anyAddressPrivateKept', fixes: [] },
      ],
    },
    {
      name: 'an ipBlock of every address without except, beside a bounded one',
      yaml: `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: webhook, namespace: shop}
spec:
  podSelector: {matchLabels: {app: webhook}}
  policyTypes: [Ingress]
  ingress:
    - from:
        - ipBlock: {cidr: 10.0.0.0/8}
        - ipBlock: {cidr: 0.0.0.0/0}
      ports: [{port: 8443, protocol: TCP}]
`,
      findings: [
        { line: 9, column: 26, endLine: 9, endColumn: 35, message: 'Ingress rule 1 admits any source on 8443/TCP: ipBlock 0.0.0.0/0 covers every address. The policy looks like segmentation without providing it. Name the sources the pods need instead.', messageId: 'anyAddress', fixes: [] },
      ],
    },
  ],
};
