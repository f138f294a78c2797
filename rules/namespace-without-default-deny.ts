import { activeRules, allowsEverything, DIRECTIONS, networkIndex, POD_KINDS, selectsAll, NETWORK_READS } from '../server/src/analysis/network';
import { defaultDenyFix, defaultDenyNewFiles, isolateNamespaceFix } from '../server/src/fixes';
import { defineRule, type RuleCases } from '../server/src/rule-api';

const CONSEQUENCE = {
  ingress: 'any pod of the cluster can connect to pods no policy selects',
  egress: 'those pods can connect anywhere',
};
const WHERE_NO_MANIFEST = ' The workspace has no Namespace manifest for it.';

/**
 * Reported once per namespace: on its first Namespace manifest in the workspace, or, when the
 * workspace has none, on the first workload of the namespace (file order: URI, then document).
 */
export default defineRule({
  meta: {
    id: 'namespace-without-default-deny',
    title: 'Namespace without a default-deny NetworkPolicy',
    principle: 'micro-segmentation',
    severity: 'warning',
    kinds: ['Namespace', ...POD_KINDS],
    messages: {
      noDefaultDeny:
        'Namespace "{{namespace}}" has no default-deny NetworkPolicy for {{directions}}.{{where}} It runs {{runs}}: {{consequence}}. Add a policy with podSelector: {} and policy types {{types}}, then allow each needed flow.',
      reopened:
        'Namespace "{{namespace}}" has no default deny: NetworkPolicy {{policies}} admits anyone to all its pods.{{where}} It runs {{runs}}, and that rule admits every source on every port ({{directions}}): {{consequence}}. Remove that rule so the namespace denies by default.',
    },
    reads: NETWORK_READS,
    docs: {
      what: 'A namespace runs workloads but no NetworkPolicy selects all its pods (`podSelector: {}`) and denies both ingress and egress by default. Reported once per namespace, on its Namespace manifest (else on its first workload), with related information pointing at each workload it leaves open; in a namespace without any policy, this is the only network finding for its workloads (workload-not-isolated stays quiet there).',
      why: 'Without a default deny, every pod that no policy happens to select accepts connections from any pod of the cluster and may connect anywhere: one compromised workload can reach all the others. A namespace-wide default deny makes every allowed flow an explicit, reviewed rule, and covers workloads added later. Other tools only check that *some* policy exists in the namespace; this rule checks that every pod is isolated in both directions and that no namespace-wide rule re-opens it.',
      fix: 'Add a NetworkPolicy with `podSelector: {}`, `policyTypes: [Ingress, Egress]` and no rules, then allow each needed flow with a policy per workload. In a namespace without any policy, the first quick fix (and fix-all) does both: the default deny plus, for each open workload, a least-privilege policy generated from the workspace (see workload-not-isolated) that keeps the traffic the manifests show. The default deny alone (optionally with a DNS egress rule to kube-dns) is offered on request while a workload has no policy of its own, since it cuts every flow no policy allows. Every one of these fixes says which policies it creates and asks first.',
      peers: { kubescape: ['C-0054', 'C-0206'] },
      links: ['https://kubernetes.io/docs/concepts/services-networking/network-policies/#default-policies'],
    },
  },
  check(resource, { workspace, report }) {
    const index = networkIndex(workspace);
    let namespace: string;
    if (resource.kind === 'Namespace') {
      if (resource.apiVersion !== 'v1' || index.namespaceManifestsOf(resource.name)[0] !== resource) return;
      namespace = resource.name;
    } else {
      const workload = index.workloadOf(resource);
      if (!workload || index.namespaceManifestsOf(workload.namespace).length > 0) return;
      if (index.isolatableWorkloadsIn(workload.namespace)[0] !== workload) return;
      namespace = workload.namespace;
    }
    const workloads = index.isolatableWorkloadsIn(namespace);
    if (workloads.length === 0) return;
    const deny = index.defaultDeny(namespace);
    const missing = DIRECTIONS.filter((d) => !deny[d]);
    if (missing.length === 0) return;
    // A namespace-wide rule that admits anyone on every port defeats any added default deny.
    const reopening = index
      .policiesIn(namespace)
      .filter((p) => selectsAll(p.podSelector) && missing.some((d) => activeRules(p, d).some(allowsEverything)));
    const open = workloads.filter((w) => index.openDirections(w).some((d) => missing.includes(d)));
    const data = {
      namespace,
      where: resource.kind === 'Namespace' ? '' : WHERE_NO_MANIFEST,
      runs: workloads.length === 1 ? workloads[0].resource.label : `${workloads.length} workloads`,
      directions: missing.join(' and '),
    };
    // On a workload, at its namespace: its name is where workload-not-isolated points.
    const node =
      resource.kind === 'Namespace'
        ? (resource.metadata?.get('name') ?? resource.root.keyNode('kind') ?? resource.root.node)
        : (resource.metadata?.get('namespace') ?? resource.root.keyNode('metadata') ?? resource.root.node);
    const related = open.map((w) => ({ resource: w.resource, message: `${w.resource.label} is open for ${index.openDirections(w).filter((d) => missing.includes(d)).join(' and ')}.` }));
    if (reopening.length > 0) {
      report({
        node,
        related,
        messageId: 'reopened',
        data: { ...data, policies: reopening.map((p) => `"${p.resource.name}"`).join(', '), consequence: missing.map((d) => CONSEQUENCE[d]).join('; ') },
      });
      return;
    }
    const writeNamespace = resource.kind === 'Namespace' || resource.namespace !== undefined;
    // Where the namespace has no policy at all, this is its workloads' one finding (workload-not-isolated
    // stays quiet): its first fix isolates the namespace and keeps, for each workload, the traffic the
    // workspace shows.
    const segmenting = !index.hasPolicies(namespace);
    // A default deny alone cuts every flow no other policy admits: while a workload has no policy of its
    // own it is offered on request only (where the namespace has policies, workload-not-isolated's fixes
    // give each workload one first, and a later fix-all pass adds the default deny).
    const manual = workloads.some((w) => DIRECTIONS.some((d) => index.isolation(w)[d].length === 0));
    report({
      node,
      related,
      messageId: 'noDefaultDeny',
      data: { ...data, consequence: missing.map((d) => CONSEQUENCE[d]).join(', and '), types: missing.map((d) => (d === 'ingress' ? 'Ingress' : 'Egress')).join(' and ') },
      fixes: () => [
        ...(segmenting ? [isolateNamespaceFix(index, resource, namespace, open, writeNamespace)] : []),
        defaultDenyFix(index, resource, namespace, { writeNamespace, allowDns: false, manual }),
        defaultDenyFix(index, resource, namespace, { writeNamespace, allowDns: true, manual }),
        ...defaultDenyNewFiles(index, resource, namespace, workspace.memo('files-with-resources', () => new Set(workspace.resources().map((r) => r.uri)))),
      ],
    });
  },
});

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: nginx:1.27
`;

export const cases: RuleCases = {
  valid: [
    {
      name: 'separate default-deny policies for ingress and egress, in another file',
      yaml: `apiVersion: v1
kind: Namespace
metadata:
  name: shop
`,
      workspace: {
        'file:///web.yaml': DEPLOYMENT,
        'file:///deny.yaml': `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny-ingress, namespace: shop}
spec:
  podSelector: {}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny-egress, namespace: shop}
spec:
  podSelector: {}
  policyTypes: [Egress]
`,
      },
    },
    {
      name: 'a default deny that allows DNS and same-namespace traffic is still a default deny',
      yaml: `apiVersion: v1
kind: Namespace
metadata: {name: shop}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: default-deny, namespace: shop}
spec:
  podSelector: {}
  policyTypes: [Ingress, Egress]
  ingress:
    - from: [{podSelector: {}}]
  egress:
    - to:
        - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}
      ports: [{port: 53, protocol: UDP}, {port: 53, protocol: TCP}]
`,
      workspace: { 'file:///web.yaml': DEPLOYMENT },
    },
    {
      name: 'a namespace without workloads needs no policy yet',
      yaml: `apiVersion: v1
kind: Namespace
metadata: {name: empty}
`,
    },
    {
      name: 'a Cilium policy selecting every endpoint of the namespace in both directions',
      yaml: DEPLOYMENT,
      workspace: {
        'file:///cilium.yaml': `apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: deny-all, namespace: shop}
spec:
  endpointSelector: {}
  ingress: [{}]
  egress: [{}]
`,
      },
    },
    {
      name: 'only the first workload of a namespace without a Namespace manifest is reported',
      yaml: `apiVersion: v1
kind: Pod
metadata: {name: second, namespace: shop}
spec:
  containers: [{name: app, image: nginx}]
`,
      workspace: { 'file:///a-first.yaml': DEPLOYMENT },
    },
  ],
  invalid: [
    {
      name: 'Namespace manifest, workload in another file, no policy yet: the first fix isolates the namespace (default deny and the workload\'s least-privilege policy); the default deny alone waits to be asked for',
      yaml: `apiVersion: v1
kind: Namespace
metadata:
  name: shop   # the web shop
`,
      workspace: { 'file:///web.yaml': DEPLOYMENT },
      findings: [
        {
          line: 3, column: 8, endLine: 3, endColumn: 12, message: 'Namespace "shop" has no default-deny NetworkPolicy for ingress and egress. It runs Deployment/web: any pod of the cluster', messageId: 'noDefaultDeny',
          fixes: [
            {
              title: 'Isolate namespace shop: a default deny and a least-privilege NetworkPolicy for each workload',
              changesBehaviour: { creates: ['NetworkPolicy default-deny', 'NetworkPolicy web-least-privilege'] },
              output: `apiVersion: v1
kind: Namespace
metadata:
  name: shop   # the web shop
---
# Default deny for namespace shop: its pods accept and open only the connections another NetworkPolicy allows.
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny
  namespace: shop
spec:
  podSelector: {}
  policyTypes:
    - Ingress
    - Egress
---
# Least-privilege NetworkPolicy for Deployment/web, generated by kube-zero-trust from the workspace: any ingress or egress connection not allowed below is denied. Review each rule.
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: web-least-privilege
  namespace: shop
spec:
  podSelector:
    matchLabels:
      app: web
  policyTypes:
    - Ingress
    - Egress
  # No client of this workload was found in the workspace, so all ingress is denied.
  ingress: []
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
            {
              title: 'Add a default-deny NetworkPolicy for namespace shop',
              manual: true,
              changesBehaviour: { creates: ['NetworkPolicy default-deny'] },
              output: `apiVersion: v1
kind: Namespace
metadata:
  name: shop   # the web shop
---
# Default deny for namespace shop: its pods accept and open only the connections another NetworkPolicy allows.
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny
  namespace: shop
spec:
  podSelector: {}
  policyTypes:
    - Ingress
    - Egress
`,
            },
            {
              title: 'Add a default-deny NetworkPolicy for namespace shop that allows DNS',
              manual: true,
              changesBehaviour: { creates: ['NetworkPolicy default-deny-allow-dns'] },
              output: `apiVersion: v1
kind: Namespace
metadata:
  name: shop   # the web shop
---
# Default deny for namespace shop: its pods accept and open only the connections another NetworkPolicy allows.
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny-allow-dns
  namespace: shop
spec:
  podSelector: {}
  policyTypes:
    - Ingress
    - Egress
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
            {
              title: 'Add a default-deny NetworkPolicy for namespace shop in a new file',
              changesBehaviour: { creates: ['NetworkPolicy default-deny'] },
              output: `apiVersion: v1
kind: Namespace
metadata:
  name: shop   # the web shop
`,
              newFiles: {
                'file:///default-deny-shop.yaml': `# Default deny for namespace shop: its pods accept and open only the connections another NetworkPolicy allows.
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny
  namespace: shop
spec:
  podSelector: {}
  policyTypes:
    - Ingress
    - Egress
`,
              },
            },
            {
              title: 'Add a default-deny NetworkPolicy for namespace shop that allows DNS in a new file',
              changesBehaviour: { creates: ['NetworkPolicy default-deny-allow-dns'] },
              output: `apiVersion: v1
kind: Namespace
metadata:
  name: shop   # the web shop
`,
              newFiles: {
                'file:///default-deny-shop-allow-dns.yaml': `# Default deny for namespace shop: its pods accept and open only the connections another NetworkPolicy allows.
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny-allow-dns
  namespace: shop
spec:
  podSelector: {}
  policyTypes:
    - Ingress
    - Egress
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
            },
          ],
        },
      ],
    },
    {
      name: 'ingress-only default deny (policyTypes defaulted), reported on the first workload at its metadata (it names no namespace; its name is workload-not-isolated\'s place), CRLF kept',
      yaml: 'apiVersion: v1\r\nkind: Pod\r\nmetadata:\r\n  name: web\r\n  labels: {app: web}\r\nspec:\r\n  containers:\r\n  - name: app\r\n    image: nginx:1.27\r\n---\r\napiVersion: networking.k8s.io/v1\r\nkind: NetworkPolicy\r\nmetadata: {name: deny}\r\nspec:\r\n  podSelector: {}\r\n',
      findings: [
        {
          line: 2, column: 0, endLine: 2, endColumn: 8, message: 'Namespace "default" has no default-deny NetworkPolicy for egress. The workspace has no Namespace manifest for it. It runs Pod/web: those pods can connect anywhere.', messageId: 'noDefaultDeny',
          fixes: [
            {
              title: 'Add a default-deny NetworkPolicy for namespace default',
              manual: true,
              changesBehaviour: { creates: ['NetworkPolicy default-deny'] },
              output: 'apiVersion: v1\r\nkind: Pod\r\nmetadata:\r\n  name: web\r\n  labels: {app: web}\r\nspec:\r\n  containers:\r\n  - name: app\r\n    image: nginx:1.27\r\n---\r\n# Default deny for namespace default: its pods accept and open only the connections another NetworkPolicy allows.\r\napiVersion: networking.k8s.io/v1\r\nkind: NetworkPolicy\r\nmetadata:\r\n  name: default-deny\r\nspec:\r\n  podSelector: {}\r\n  policyTypes:\r\n  - Ingress\r\n  - Egress\r\n---\r\napiVersion: networking.k8s.io/v1\r\nkind: NetworkPolicy\r\nmetadata: {name: deny}\r\nspec:\r\n  podSelector: {}\r\n',
            },
            {
              title: 'Add a default-deny NetworkPolicy for namespace default that allows DNS',
              manual: true,
              changesBehaviour: { creates: ['NetworkPolicy default-deny-allow-dns'] },
              output: 'apiVersion: v1\r\nkind: Pod\r\nmetadata:\r\n  name: web\r\n  labels: {app: web}\r\nspec:\r\n  containers:\r\n  - name: app\r\n    image: nginx:1.27\r\n---\r\n# Default deny for namespace default: its pods accept and open only the connections another NetworkPolicy allows.\r\napiVersion: networking.k8s.io/v1\r\nkind: NetworkPolicy\r\nmetadata:\r\n  name: default-deny-allow-dns\r\nspec:\r\n  podSelector: {}\r\n  policyTypes:\r\n  - Ingress\r\n  - Egress\r\n  egress:\r\n  # DNS: name resolution through kube-dns (CoreDNS) in kube-system, UDP and TCP 53.\r\n  - to:\r\n    - namespaceSelector:\r\n        matchLabels:\r\n          kubernetes.io/metadata.name: kube-system\r\n      podSelector:\r\n        matchLabels:\r\n          k8s-app: kube-dns\r\n    ports:\r\n    - port: 53\r\n      protocol: UDP\r\n    - port: 53\r\n      protocol: TCP\r\n---\r\napiVersion: networking.k8s.io/v1\r\nkind: NetworkPolicy\r\nmetadata: {name: deny}\r\nspec:\r\n  podSelector: {}\r\n',
            },
            {
              title: 'Add a default-deny NetworkPolicy for namespace default in a new file',
              changesBehaviour: { creates: ['NetworkPolicy default-deny'] },
              output: 'apiVersion: v1\r\nkind: Pod\r\nmetadata:\r\n  name: web\r\n  labels: {app: web}\r\nspec:\r\n  containers:\r\n  - name: app\r\n    image: nginx:1.27\r\n---\r\napiVersion: networking.k8s.io/v1\r\nkind: NetworkPolicy\r\nmetadata: {name: deny}\r\nspec:\r\n  podSelector: {}\r\n',
              newFiles: {
                'file:///default-deny-default.yaml': '# Default deny for namespace default: its pods accept and open only the connections another NetworkPolicy allows.\r\napiVersion: networking.k8s.io/v1\r\nkind: NetworkPolicy\r\nmetadata:\r\n  name: default-deny\r\n  namespace: default\r\nspec:\r\n  podSelector: {}\r\n  policyTypes:\r\n  - Ingress\r\n  - Egress\r\n',
              },
            },
            {
              title: 'Add a default-deny NetworkPolicy for namespace default that allows DNS in a new file',
              changesBehaviour: { creates: ['NetworkPolicy default-deny-allow-dns'] },
              output: 'apiVersion: v1\r\nkind: Pod\r\nmetadata:\r\n  name: web\r\n  labels: {app: web}\r\nspec:\r\n  containers:\r\n  - name: app\r\n    image: nginx:1.27\r\n---\r\napiVersion: networking.k8s.io/v1\r\nkind: NetworkPolicy\r\nmetadata: {name: deny}\r\nspec:\r\n  podSelector: {}\r\n',
              newFiles: {
                'file:///default-deny-default-allow-dns.yaml': '# Default deny for namespace default: its pods accept and open only the connections another NetworkPolicy allows.\r\napiVersion: networking.k8s.io/v1\r\nkind: NetworkPolicy\r\nmetadata:\r\n  name: default-deny-allow-dns\r\n  namespace: default\r\nspec:\r\n  podSelector: {}\r\n  policyTypes:\r\n  - Ingress\r\n  - Egress\r\n  egress:\r\n  # DNS: name resolution through kube-dns (CoreDNS) in kube-system, UDP and TCP 53.\r\n  - to:\r\n    - namespaceSelector:\r\n        matchLabels:\r\n          kubernetes.io/metadata.name: kube-system\r\n      podSelector:\r\n        matchLabels:\r\n          k8s-app: kube-dns\r\n    ports:\r\n    - port: 53\r\n      protocol: UDP\r\n    - port: 53\r\n      protocol: TCP\r\n',
              },
            },
          ],
        },
      ],
    },
    {
      name: 'a namespace-wide policy that admits everything re-opens the namespace',
      yaml: `apiVersion: v1
kind: Namespace
metadata: {name: shop}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: allow-all, namespace: shop}
spec:
  podSelector: {}
  policyTypes: [Ingress, Egress]
  ingress: [{}]
`,
      workspace: { 'file:///web.yaml': DEPLOYMENT },
      findings: [{ line: 2, column: 17, endLine: 2, endColumn: 21, message: 'Namespace "shop" has no default deny: NetworkPolicy "allow-all" admits anyone to all its pods. It runs Deployment/web, and that rule admits every source on every port (ingress)', messageId: 'reopened', fixes: [] }],
    },
  ],
};
