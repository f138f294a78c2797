import { describeLabels, networkIndex, POD_KINDS, NETWORK_READS } from '../server/src/analysis/network';
import { leastPrivilegeFix } from '../server/src/fixes';
import { defineRule, type RuleCases } from '../server/src/rule-api';

const CONSEQUENCE = {
  ingress: 'any pod of the cluster can connect to it',
  egress: 'it can connect anywhere',
};

export default defineRule({
  meta: {
    id: 'workload-not-isolated',
    title: 'Workload not isolated by a NetworkPolicy',
    principle: 'micro-segmentation',
    severity: 'warning',
    kinds: POD_KINDS,
    messages: {
      notIsolated:
        '{{workload}} is not isolated for {{directions}}. No NetworkPolicy of namespace "{{namespace}}" selects {{labels}}{{forDirection}}, so {{consequence}}. Add a NetworkPolicy that allows only the connections it needs.',
    },
    reads: NETWORK_READS,
    docs: {
      what: "A namespace has NetworkPolicies (or Cilium policies), but none selects this workload's pods for ingress, or for egress; the message says which. In a namespace without any policy, namespace-without-default-deny reports the namespace once instead.",
      why: 'Pods that no policy selects in a direction are not isolated in it: any pod of the cluster can open connections to them, or they can connect anywhere. A compromised neighbour then reaches this workload directly, and a compromised workload reaches every service and the internet. Policies are matched exactly as Kubernetes does: the pod template labels against `podSelector` (`matchLabels` and `matchExpressions`), in the policy\'s namespace, with `policyTypes` defaulted (Ingress always, Egress only when the policy has egress rules). Host-network pods are skipped: NetworkPolicies do not apply to them.',
      fix: 'Add a NetworkPolicy that selects the pods for both directions and allows only the flows they need: the quick fix generates one from the workspace (ingress from the Ingress controller and the workloads that name its Services, egress to the Services it names and DNS). A namespace default deny also isolates it.',
      peers: { kubeLinter: ['non-isolated-pod'], polaris: ['missingNetworkPolicy'], kubescape: ['C-0260', 'C-0030'], checkov: ['CKV2_K8S_6'] },
      links: ['https://kubernetes.io/docs/concepts/services-networking/network-policies/#the-two-sorts-of-pod-isolation'],
    },
  },
  check(resource, { workspace, report }) {
    const index = networkIndex(workspace);
    const workload = index.workloadOf(resource);
    // A namespace without any policy leaves all its workloads open: namespace-without-default-deny reports it once.
    if (!workload || workload.hostNetwork || !index.hasPolicies(workload.namespace)) return;
    const missing = index.openDirections(workload);
    if (missing.length === 0) return;
    const labels = Object.keys(workload.labels).length ? `its pods (${describeLabels(workload.labels)})` : 'its pods (they have no labels)';
    report({
      node: resource.metadata?.get('name') ?? resource.root.keyNode('kind') ?? resource.root.node,
      messageId: 'notIsolated',
      data: {
        workload: resource.label,
        directions: missing.join(' or '),
        namespace: workload.namespace,
        labels,
        forDirection: missing.length === 1 ? ` for ${missing[0]}` : '',
        consequence: missing.map((d) => CONSEQUENCE[d]).join(' and '),
      },
      // Generating the policy reads the whole workspace: only when the fix is asked for.
      fixes: () => {
        const fix = leastPrivilegeFix(index, workload, missing);
        return fix ? [fix] : [];
      },
    });
  },
});

const SERVICES = `apiVersion: v1
kind: Service
metadata: {name: cart, namespace: shop}
spec:
  selector: {app: cart}
  ports:
    - {port: 7070, targetPort: grpc}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: frontend, namespace: shop}
spec:
  selector: {matchLabels: {app: frontend}}
  template:
    metadata: {labels: {app: frontend}}
    spec:
      containers:
        - name: frontend
          image: example/frontend:1.0
          env:
            - {name: CART_SERVICE_ADDR, value: "cart:7070"}
---
apiVersion: v1
kind: Service
metadata: {name: redis, namespace: shop}
spec:
  selector: {app: redis}
  ports:
    - {name: redis, port: 6379}
`;

/** A policy of namespace shop for another workload: segmentation has begun there. */
const REDIS_POLICY = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: redis, namespace: shop}
spec:
  podSelector: {matchLabels: {app: redis}}
  ingress: [{from: [{podSelector: {matchLabels: {app: cart}}}]}]
`;

export const cases: RuleCases = {
  valid: [
    {
      name: 'a namespace without any policy: namespace-without-default-deny reports it once, not each workload',
      yaml: `apiVersion: apps/v1
kind: Deployment
metadata: {name: cart, namespace: shop}
spec:
  template:
    metadata: {labels: {app: cart}}
    spec:
      containers: [{name: cart, image: example/cart:1.4}]
`,
    },
    {
      name: 'a policy in another file selects the pods; Egress is implied by its egress rules',
      yaml: `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  template:
    metadata:
      labels: {app: web, tier: frontend}
    spec:
      containers: [{name: web, image: nginx:1.27}]
`,
      workspace: {
        'file:///policy.yaml': `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web, namespace: shop}
spec:
  podSelector:
    matchExpressions:
      - {key: tier, operator: In, values: [frontend, edge]}
      - {key: debug, operator: DoesNotExist}
  egress:
    - to: [{podSelector: {matchLabels: {app: api}}}]
`,
      },
    },
    {
      name: 'host-network pods are not isolated by NetworkPolicies at all',
      yaml: `apiVersion: apps/v1
kind: DaemonSet
metadata: {name: node-exporter}
spec:
  template:
    metadata: {labels: {app: node-exporter}}
    spec:
      hostNetwork: true
      containers: [{name: exporter, image: prom/node-exporter}]
`,
    },
    {
      name: 'a clusterwide Cilium policy covers every namespace except kube-system',
      yaml: `apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop, labels: {app: web}}
spec:
  containers: [{name: web, image: nginx}]
`,
      workspace: {
        'file:///ccnp.yaml': `apiVersion: cilium.io/v2
kind: CiliumClusterwideNetworkPolicy
metadata: {name: default-deny}
spec:
  endpointSelector:
    matchExpressions:
      - {key: io.kubernetes.pod.namespace, operator: NotIn, values: [kube-system]}
  ingress: [{}]
  egress:
    - toEndpoints: [{matchLabels: {"k8s:io.kubernetes.pod.namespace": kube-system, k8s-app: kube-dns}}]
`,
      },
    },
    {
      name: 'a NetworkPolicy selects a Knative Service\'s pods by the labels Knative gives them',
      yaml: `apiVersion: serving.knative.dev/v1
kind: Service
metadata: {name: hello, namespace: apps}
spec:
  template:
    spec:
      containers:
        - image: ghcr.io/knative/helloworld-go:1.0
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: hello, namespace: apps}
spec:
  podSelector:
    matchLabels: {serving.knative.dev/service: hello}
  policyTypes: [Ingress, Egress]
  ingress:
    - from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: knative-serving}}}]
`,
    },
  ],
  invalid: [
    {
      name: 'a namespace with policies, none for this workload: the fix generates a least-privilege policy from the workspace',
      yaml: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: cart
  namespace: shop
spec:
  selector:
    matchLabels:
      app: cart
  template:
    metadata:
      labels:
        app: cart
        version: v2
    spec:
      containers:
        - name: cart
          image: example/cart:1.4
          ports:
            - name: grpc
              containerPort: 7070
          env:
            - name: REDIS_ADDR
              value: redis:6379
`,
      workspace: { 'file:///others.yaml': SERVICES, 'file:///redis-policy.yaml': REDIS_POLICY },
      findings: [
        {
          line: 3, column: 8, endLine: 3, endColumn: 12, message: 'Deployment/cart is not isolated for ingress or egress. No NetworkPolicy of namespace "shop" selects its pods (app=cart, version=v2), so', messageId: 'notIsolated',
          fixes: [
            {
              title: 'Generate a least-privilege NetworkPolicy for this workload',
              changesBehaviour: { creates: ['NetworkPolicy cart-least-privilege'] },
              output: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: cart
  namespace: shop
spec:
  selector:
    matchLabels:
      app: cart
  template:
    metadata:
      labels:
        app: cart
        version: v2
    spec:
      containers:
        - name: cart
          image: example/cart:1.4
          ports:
            - name: grpc
              containerPort: 7070
          env:
            - name: REDIS_ADDR
              value: redis:6379
---
# Least-privilege NetworkPolicy for Deployment/cart, generated by kube-zero-trust from the workspace: any ingress or egress connection not allowed below is denied. Review each rule.
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: cart-least-privilege
  namespace: shop
spec:
  podSelector:
    matchLabels:
      app: cart
  policyTypes:
    - Ingress
    - Egress
  ingress:
    # From Deployment/frontend: it names Service cart:7070 in env CART_SERVICE_ADDR of container "frontend" (others.yaml).
    - from:
        - podSelector:
            matchLabels:
              app: frontend
      ports:
        - port: 7070
          protocol: TCP
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
    # To Service redis: named in env REDIS_ADDR of container "cart" (manifest.yaml).
    - to:
        - podSelector:
            matchLabels:
              app: redis
      ports:
        - port: 6379
          protocol: TCP
`,
            },
          ],
        },
      ],
    },
    {
      name: 'an ingress-only policy (no policyTypes, no egress rules) leaves egress open; the fix adds egress only',
      yaml: `apiVersion: v1
kind: Pod
metadata: {name: web, labels: {app: web}}
spec:
  containers:
  - {name: web, image: nginx}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web}
spec:
  podSelector: {matchLabels: {app: web}}
  ingress:
  - from: [{podSelector: {matchLabels: {app: lb}}}]
`,
      findings: [
        {
          line: 2, column: 17, endLine: 2, endColumn: 20, message: 'Pod/web is not isolated for egress. No NetworkPolicy of namespace "default" selects its pods (app=web) for egress, so it can connect anywhere', messageId: 'notIsolated',
          fixes: [
            {
              title: 'Generate a least-privilege NetworkPolicy for this workload',
              changesBehaviour: { creates: ['NetworkPolicy web-least-privilege'] },
              output: `apiVersion: v1
kind: Pod
metadata: {name: web, labels: {app: web}}
spec:
  containers:
  - {name: web, image: nginx}
---
# Least-privilege NetworkPolicy for Pod/web, generated by kube-zero-trust from the workspace: any egress connection not allowed below is denied. Review each rule.
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: web-least-privilege
spec:
  podSelector:
    matchLabels:
      app: web
  policyTypes:
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
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web}
spec:
  podSelector: {matchLabels: {app: web}}
  ingress:
  - from: [{podSelector: {matchLabels: {app: lb}}}]
`,
            },
          ],
        },
      ],
    },
    {
      name: 'a CronJob whose labels miss the selector (NotIn matches absent keys, In does not), and a policy of another namespace',
      yaml: `apiVersion: batch/v1
kind: CronJob
metadata: {name: backup, namespace: ops}
spec:
  jobTemplate:
    spec:
      template:
        metadata: {labels: {app: backup}}
        spec:
          containers: [{name: backup, image: example/backup:2}]
`,
      workspace: {
        'file:///policies.yaml': `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: wrong-namespace, namespace: shop}
spec:
  podSelector: {}
  policyTypes: [Ingress, Egress]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: needs-tier, namespace: ops}
spec:
  podSelector:
    matchExpressions:
      - {key: env, operator: NotIn, values: [dev]}
      - {key: tier, operator: In, values: [batch]}
  policyTypes: [Ingress, Egress]
`,
      },
      findings: [
        {
          line: 2, column: 17, endLine: 2, endColumn: 23, message: 'CronJob/backup is not isolated for ingress or egress.', messageId: 'notIsolated',
          fixes: [
            {
              title: 'Generate a least-privilege NetworkPolicy for this workload',
              changesBehaviour: { creates: ['NetworkPolicy backup-least-privilege'] },
              output: `apiVersion: batch/v1
kind: CronJob
metadata: {name: backup, namespace: ops}
spec:
  jobTemplate:
    spec:
      template:
        metadata: {labels: {app: backup}}
        spec:
          containers: [{name: backup, image: example/backup:2}]
---
# Least-privilege NetworkPolicy for CronJob/backup, generated by kube-zero-trust from the workspace: any ingress or egress connection not allowed below is denied. Review each rule.
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: backup-least-privilege
  namespace: ops
spec:
  podSelector:
    matchLabels:
      app: backup
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
          ],
        },
      ],
    },
    {
      name: 'an Argo Rollout with workloadRef runs the Deployment\'s pod template: that Deployment (scaled to 0) is where its pods are reported (segmentation has begun in shop)',
      workspace: { 'file:///redis-policy.yaml': REDIS_POLICY },
      yaml: `apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata: {name: checkout, namespace: shop}
spec:
  workloadRef: {apiVersion: apps/v1, kind: Deployment, name: checkout}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: checkout, namespace: shop}
spec:
  replicas: 0
  selector:
    matchLabels: {app: checkout}
  template:
    metadata:
      labels: {app: checkout}
    spec:
      containers:
        - name: checkout
          image: shop/checkout:2.3
`,
      findings: [
        {
          line: 8,
          column: 17,
          endLine: 8,
          endColumn: 25,
          message: 'Deployment/checkout is not isolated for ingress or egress.', messageId: 'notIsolated',
          fixes: [
            {
              title: 'Generate a least-privilege NetworkPolicy for this workload',
              output: `apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata: {name: checkout, namespace: shop}
spec:
  workloadRef: {apiVersion: apps/v1, kind: Deployment, name: checkout}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: checkout, namespace: shop}
spec:
  replicas: 0
  selector:
    matchLabels: {app: checkout}
  template:
    metadata:
      labels: {app: checkout}
    spec:
      containers:
        - name: checkout
          image: shop/checkout:2.3
---
# Least-privilege NetworkPolicy for Deployment/checkout, generated by kube-zero-trust from the workspace: any ingress or egress connection not allowed below is denied. Review each rule.
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: checkout-least-privilege
  namespace: shop
spec:
  podSelector:
    matchLabels:
      app: checkout
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
              changesBehaviour: { creates: ['NetworkPolicy checkout-least-privilege'] },
            },
          ],
        },
      ],
    },
  ],
};
