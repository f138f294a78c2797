import { containerCheck, containerTarget, defineRule, describeContainer, hasPath, removePair, replaceNode, WORKLOAD_KINDS, type MapView, type RuleCases } from '../server/src/rule-api';

/** Where a handler with a `host` can sit on a container: probes, and lifecycle hooks under `lifecycle`. */
const HANDLER_PATHS: ReadonlyArray<readonly string[]> = ['livenessProbe', 'readinessProbe', 'startupProbe', 'lifecycle.postStart', 'lifecycle.preStop'].flatMap(
  (owner) => ['httpGet', 'tcpSocket'].map((kind) => [...owner.split('.'), kind]),
);

function handlers(container: MapView): Array<{ label: string; handler: MapView }> {
  const out: Array<{ label: string; handler: MapView }> = [];
  for (const path of HANDLER_PATHS) {
    let handler: MapView | undefined = container;
    for (const key of path) handler = handler?.map(key);
    if (handler) out.push({ label: path.join('.'), handler });
  }
  return out;
}

export default defineRule({
  meta: {
    id: 'probe-host-set',
    title: 'Probe or lifecycle hook targets another host',
    principle: 'micro-segmentation',
    severity: 'warning',
    pss: 'baseline',
    kinds: WORKLOAD_KINDS,
    messages: {
      hostSet: "{{container}}'s {{handler}} targets host {{host}}. The kubelet connects to it from the node's network, outside NetworkPolicy, so the pod spec can aim node requests anywhere. Remove host (the pod's IP is used); set a Host header in httpHeaders if needed.",
    },
    admission: {
      subject: 'pod',
      validations: () => [
        containerCheck(
          HANDLER_PATHS.map((path) => `(${hasPath('e.container', [...path, 'host'])} && string(e.container.${path.join('.')}.host) != "")`).join(' || '),
          '"\'s probe or lifecycle hook targets another host. The kubelet connects to it from the node\'s network, outside NetworkPolicy, so the pod spec can aim node requests anywhere. Remove host (the pod\'s IP is used)."',
        ),
      ],
    },
    docs: {
      what: 'A container\'s liveness, readiness or startup probe, or its `postStart`/`preStop` hook, sets `httpGet.host` or `tcpSocket.host`.',
      why: 'Probes and HTTP hooks are made by the kubelet from the node\'s network. A `host` field lets a pod spec aim those requests at any address the node can reach (node-local services, the cloud metadata endpoint, other tenants\' pods), bypassing NetworkPolicy: a server-side request forgery through the kubelet. Pod Security Standards forbid it in the baseline profile since Kubernetes 1.34; no peer linter checks it yet.',
      fix: 'Remove `host`: the kubelet then connects to the pod\'s own IP, which is what a probe should check. To send a virtual-host name, set an HTTP `Host` header in `httpGet.httpHeaders` instead.',
      peers: {},
      links: ['https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline', 'https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/'],
    },
  },
  check(resource, { report }) {
    for (const container of resource.podSpec?.containers ?? []) {
      for (const { label, handler } of handlers(container.map)) {
        const host = handler.scalar('host');
        if (host?.value === null || host?.value === undefined || String(host.value) === '') continue;
        report({
          node: host,
          target: containerTarget(container),
          messageId: 'hostSet',
          data: { container: describeContainer(container), handler: label, host: String(host.value) },
          fixes: [{ title: 'Remove `host`', edits: [removePair(handler, 'host') ?? replaceNode(host, resource.parsed.source, '""')] }],
        });
      }
    }
  },
});

export const cases: RuleCases = {
  valid: [
    {
      name: 'probes on the pod IP, a Host header, and an empty host',
      yaml: `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  template:
    spec:
      containers:
        - name: app
          image: nginx:1.27
          livenessProbe:
            httpGet:
              path: /healthz
              port: 8080
              httpHeaders: [{name: Host, value: www.example.com}]
          readinessProbe: {tcpSocket: {port: 8080, host: ""}}
          lifecycle:
            preStop: {exec: {command: [nginx, -s, quit]}}
`,
    },
    {
      name: 'a Service named host is not a probe',
      yaml: `apiVersion: v1
kind: Service
metadata: {name: host}
spec:
  ports: [{port: 80}]
`,
    },
  ],
  invalid: [
    {
      name: 'liveness probe to the metadata endpoint: the fix removes host, comment kept',
      yaml: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: app
      image: nginx:1.27
      livenessProbe:
        httpGet:
          # health is checked on the node
          host: 169.254.169.254
          path: /latest/meta-data/
          port: 80
`,
      findings: [
        {
          line: 10, column: 16, endLine: 10, endColumn: 31, message: 'Container "app"\'s livenessProbe.httpGet targets host 169.254.169.254.', messageId: 'hostSet',
          fixes: [
            {
              title: 'Remove `host`',
              output: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: app
      image: nginx:1.27
      livenessProbe:
        httpGet:
          # health is checked on the node
          path: /latest/meta-data/
          port: 80
`,
            },
          ],
        },
      ],
    },
    {
      name: 'tcpSocket startup probe of an init container and a preStop hook (flow style)',
      yaml: `apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  template:
    spec:
      initContainers:
        - {name: wait, image: busybox:1.36, restartPolicy: Always, startupProbe: {tcpSocket: {host: db-0.internal, port: 5432}}}
      containers:
        - name: db
          image: postgres:16
          lifecycle:
            preStop: {httpGet: {host: 10.0.0.1, path: /drain, port: 80}}
`,
      findings: [
        {
          line: 7, column: 100, endLine: 7, endColumn: 113, message: 'Init container "wait"\'s startupProbe.tcpSocket targets host db-0.internal.', messageId: 'hostSet',
          fixes: [
            {
              title: 'Remove `host`',
              output: `apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  template:
    spec:
      initContainers:
        - {name: wait, image: busybox:1.36, restartPolicy: Always, startupProbe: {tcpSocket: {port: 5432}}}
      containers:
        - name: db
          image: postgres:16
          lifecycle:
            preStop: {httpGet: {host: 10.0.0.1, path: /drain, port: 80}}
`,
            },
          ],
        },
        {
          line: 12, column: 38, endLine: 12, endColumn: 46, message: 'lifecycle.preStop.httpGet targets host 10.0.0.1.', messageId: 'hostSet',
          fixes: [
            {
              title: 'Remove `host`',
              output: `apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  template:
    spec:
      initContainers:
        - {name: wait, image: busybox:1.36, restartPolicy: Always, startupProbe: {tcpSocket: {host: db-0.internal, port: 5432}}}
      containers:
        - name: db
          image: postgres:16
          lifecycle:
            preStop: {httpGet: {path: /drain, port: 80}}
`,
            },
          ],
        },
      ],
    },
  ],
};
