import { containerTarget, containerTemplateCheck, defineRule, describeContainer, POD_CEL, removePair, WORKLOAD_KINDS, type RuleCases } from '../server/src/rule-api';

const MESSAGES = {
  hostPort: "{{container}} binds host port {{port}} on the node's IP address. The port is outside the pod network that NetworkPolicy segments. Remove hostPort and expose the port through a Service.",
};

/** CEL: a container port `p` that binds a host port. */
const BINDS = 'has(p.hostPort) && (type(p.hostPort) == int || type(p.hostPort) == double) && p.hostPort != 0';

export default defineRule({
  meta: {
    id: 'host-port',
    title: 'Host port bound',
    principle: 'micro-segmentation',
    severity: 'warning',
    pss: 'baseline',
    kinds: WORKLOAD_KINDS,
    messages: MESSAGES,
    admission: {
      subject: 'pod',
      validations: () => [
        containerTemplateCheck(`!(${POD_CEL.hostNetwork}) && has(e.container.ports) && e.container.ports.exists(p, ${BINDS})`, MESSAGES.hostPort, {
          port: `string(e.container.ports.filter(p, ${BINDS})[0].hostPort)`,
        }),
      ],
    },
    docs: {
      what: 'A container port sets `hostPort` (any value other than `0`). A `hostNetwork` pod is left to host-namespace: every port it opens is on the node.',
      why: 'A `hostPort` opens the port on the node\'s own IP address, next to the kubelet and other host services. Traffic to it arrives from outside the pod network, NetworkPolicy may not see it (CNI plugins differ), and it pins the pod to nodes where the port is free. Zero trust exposes workloads only through Services and Ingresses that policy controls.',
      fix: 'Remove `hostPort` and expose the port through a Service (ClusterIP, or NodePort/LoadBalancer behind an Ingress or Gateway when it must be reachable from outside). Node agents that must listen on the node belong in a tightly controlled namespace with a suppression that says why.',
      peers: { polaris: ['hostPortSet'], checkov: ['CKV_K8S_26'], trivy: ['KSV-0024'], kubescape: ['C-0044'] },
      links: ['https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline', 'https://kubernetes.io/docs/concepts/configuration/overview/#services'],
    },
  },
  check(resource, { report }) {
    const pod = resource.podSpec;
    if (!pod) return;
    // With hostNetwork every port is a host port (the API server sets hostPort to containerPort):
    // host-namespace reports that pod once.
    if (pod.spec.bool('hostNetwork') === true) return;
    for (const container of pod.containers) {
      for (const port of container.map.seq('ports')?.maps() ?? []) {
        const hostPort = port.scalar('hostPort');
        if (typeof hostPort?.value !== 'number' || hostPort.value === 0) continue;
        const removal = removePair(port, 'hostPort');
        report({
          node: hostPort,
          target: containerTarget(container),
          messageId: 'hostPort',
          data: { container: describeContainer(container), port: hostPort.value },
          fixes: removal ? [{ title: 'Remove `hostPort`', edits: [removal], changesBehaviour: { removes: [`hostPort: ${hostPort.value}`] } }] : [],
        });
      }
    }
  },
});

export const cases: RuleCases = {
  valid: [
    {
      name: 'a hostNetwork pod: host-namespace reports it, not each of its ports again',
      yaml: `apiVersion: v1
kind: Pod
metadata: {name: agent}
spec:
  hostNetwork: true
  containers:
    - name: agent
      image: agent:1.0
      ports: [{containerPort: 9100, hostPort: 9100}]
`,
    },
    {
      name: 'containerPort only, and hostPort 0 (the default)',
      yaml: `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  template:
    spec:
      containers:
        - name: app
          image: nginx:1.27
          ports:
            - containerPort: 8080
            - {containerPort: 8443, hostPort: 0}
`,
    },
    {
      name: 'a Service port is not a host port',
      yaml: `apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  type: NodePort
  ports:
    - {port: 80, targetPort: 8080, nodePort: 30080}
`,
    },
  ],
  invalid: [
    {
      name: 'hostPort in a block port list: the fix removes the line, comments stay',
      yaml: `apiVersion: apps/v1
kind: DaemonSet
metadata: {name: ingress}
spec:
  template:
    spec:
      containers:
        - name: controller
          image: registry.k8s.io/ingress-nginx/controller:v1.11.2
          ports:
            - name: http
              containerPort: 80
              # exposed on every node
              hostPort: 80
              protocol: TCP
`,
      findings: [
        {
          line: 13, column: 24, endLine: 13, endColumn: 26, message: 'Container "controller" binds host port 80 on the node\'s IP address.', messageId: 'hostPort',
          fixes: [
            {
              title: 'Remove `hostPort`',
              changesBehaviour: { removes: ['hostPort: 80'] },
              output: `apiVersion: apps/v1
kind: DaemonSet
metadata: {name: ingress}
spec:
  template:
    spec:
      containers:
        - name: controller
          image: registry.k8s.io/ingress-nginx/controller:v1.11.2
          ports:
            - name: http
              containerPort: 80
              # exposed on every node
              protocol: TCP
`,
            },
          ],
        },
      ],
    },
    {
      name: 'flow-style ports of an init container',
      yaml: `apiVersion: v1
kind: Pod
metadata: {name: dbg}
spec:
  initContainers:
    - {name: probe, image: busybox:1.36, ports: [{containerPort: 9000, hostPort: 9000}]}
  containers:
    - {name: app, image: nginx:1.27}
`,
      findings: [
        {
          line: 5, column: 81, endLine: 5, endColumn: 85, message: 'Init container "probe" binds host port 9000', messageId: 'hostPort',
          fixes: [
            {
              title: 'Remove `hostPort`',
              changesBehaviour: { removes: ['hostPort: 9000'] },
              output: `apiVersion: v1
kind: Pod
metadata: {name: dbg}
spec:
  initContainers:
    - {name: probe, image: busybox:1.36, ports: [{containerPort: 9000}]}
  containers:
    - {name: app, image: nginx:1.27}
`,
            },
          ],
        },
      ],
    },
  ],
};
