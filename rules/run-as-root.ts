import { celTemplate, containerAnchor, containerTarget, containerTemplateCheck, defineRule, describeContainer, POD_CEL, setPath, WORKLOAD_KINDS, type RuleCases } from '../server/src/rule-api';

const WHY = 'Root in the container is root on the node as soon as anything else goes wrong.';

const MESSAGES = {
  podAllowsRoot: `The pod sets runAsNonRoot: false, so its containers may run as root. ${WHY} Set it to true.`,
  rootUser: `runAsUser: 0 runs as root. ${WHY} Use a non-zero UID such as 10001.`,
  containerAllowsRoot: `{{container}} sets runAsNonRoot: false and may run as root. ${WHY} Set it to true.`,
  nonRootNotRequired: `{{container}} does not require a non-root user (no runAsNonRoot: true on it or the pod). ${WHY} Set runAsNonRoot: true.`,
};

export default defineRule({
  meta: {
    id: 'run-as-root',
    title: 'Container may run as root',
    principle: 'least-privilege',
    severity: 'warning',
    groups: ['restricted-security-context'],
    pss: 'restricted',
    kinds: WORKLOAD_KINDS,
    messages: MESSAGES,
    admission: {
      subject: 'pod',
      validations: () => {
        const rootless = `!(${POD_CEL.usesUserNamespace})`;
        const podNonRoot = 'variables.podSecurityContext.runAsNonRoot';
        const podSetsNonRoot = `has(${podNonRoot}) && (${podNonRoot} == true || ${podNonRoot} == false)`;
        return [
          {
            expression: `!(${rootless} && has(${podNonRoot}) && ${podNonRoot} == false)`,
            messageExpression: celTemplate(MESSAGES.podAllowsRoot),
          },
          // Reported without the container as its target: an exemption naming a container does not cover it.
          {
            expression: `!(${rootless} && ((has(variables.podSecurityContext.runAsUser) && variables.podSecurityContext.runAsUser == 0) || variables.allContainers.exists(e, has(e.sc.runAsUser) && e.sc.runAsUser == 0)))`,
            messageExpression: celTemplate(MESSAGES.rootUser),
          },
          containerTemplateCheck(
            `${rootless} && !(has(e.sc.runAsNonRoot) && e.sc.runAsNonRoot == true) && !(!has(e.sc.runAsNonRoot) && ${podSetsNonRoot})`,
            MESSAGES.nonRootNotRequired,
          ),
        ];
      },
    },
    docs: {
      what: 'A container does not require a non-root user (`runAsNonRoot` is not `true` for it at container or pod level), or sets `runAsUser: 0`.',
      why: 'A process running as UID 0 inside a container is one kernel bug, one writable host mount or one added capability away from being root on the node. Requiring a non-root user makes the kubelet refuse to start an image that would run as root, so least privilege is enforced rather than hoped for.',
      fix: 'Set `securityContext.runAsNonRoot: true` on the pod (inherited by every container) or on each container, and run the image as a non-zero UID (`USER 10001` in the Dockerfile or `runAsUser: 10001`). Never set `runAsUser: 0`.',
      peers: { kubeLinter: ['run-as-non-root'], polaris: ['runAsRootAllowed'], checkov: ['CKV_K8S_23'], trivy: ['KSV-0012', 'KSV-0105'], kubescape: ['C-0013'] },
      links: ['https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted'],
    },
  },
  check(resource, { report }) {
    const pod = resource.podSpec;
    // With user namespaces (`hostUsers: false`) container root is not host root (PSS since 1.35).
    if (!pod || pod.spec.bool('hostUsers') === false) return;
    const podNonRoot = pod.securityContext?.scalar('runAsNonRoot');
    if (podNonRoot?.value === false && pod.securityContext) {
      report({
        node: podNonRoot,
        messageId: 'podAllowsRoot',
        fixes: [{ title: 'Set pod-level `runAsNonRoot: true`', edits: setPath(pod.securityContext, ['runAsNonRoot'], 'true') }],
      });
    }
    for (const context of [pod.securityContext, ...pod.containers.map((c) => c.securityContext)]) {
      const user = context?.scalar('runAsUser');
      if (user?.value === 0) report({ node: user, messageId: 'rootUser' });
    }
    for (const container of pod.containers) {
      const own = container.securityContext?.scalar('runAsNonRoot');
      if (own?.value === true) continue;
      if (own === undefined && (podNonRoot?.value === true || podNonRoot?.value === false)) continue;
      report({
        node: own ?? containerAnchor(container),
        target: containerTarget(container),
        messageId: own?.value === false ? 'containerAllowsRoot' : 'nonRootNotRequired',
        data: { container: describeContainer(container) },
        fixes: [{ title: 'Set `runAsNonRoot: true`', edits: setPath(container.map, ['securityContext', 'runAsNonRoot'], 'true') }],
      });
    }
  },
});

export const cases: RuleCases = {
  valid: [
    {
      name: 'pod-level runAsNonRoot is inherited by every container',
      yaml: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  securityContext:
    runAsNonRoot: true
  containers:
    - name: app
      image: nginx:1.27
    - name: sidecar
      image: envoy:1.30
`,
    },
    {
      name: 'user namespaces make container root unprivileged on the host',
      yaml: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  hostUsers: false
  containers:
    - {name: app, image: nginx}
`,
    },
    {
      name: 'an Argo Rollout with workloadRef has no pod template of its own: its pods are the referenced Deployment\'s, checked there',
      yaml: `apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata: {name: checkout, namespace: shop}
spec:
  workloadRef: {apiVersion: apps/v1, kind: Deployment, name: checkout, scaleDown: onsuccess}
  strategy:
    canary:
      steps: [{setWeight: 20}, {pause: {}}]
`,
    },
  ],
  invalid: [
    {
      name: 'no securityContext: the fix creates one with the document indentation',
      yaml: `apiVersion: apps/v1
kind: Deployment
metadata:
    name: web
spec:
    template:
        spec:
            containers:
            - name: app   # the web server
              image: nginx:1.27
              ports:
              - containerPort: 8080
`,
      findings: [
        {
          line: 8, column: 20, endLine: 8, endColumn: 23, message: 'Container "app" does not require a non-root user', messageId: 'nonRootNotRequired',
          fixes: [
            {
              title: 'Set `runAsNonRoot: true`',
              output: `apiVersion: apps/v1
kind: Deployment
metadata:
    name: web
spec:
    template:
        spec:
            containers:
            - name: app   # the web server
              image: nginx:1.27
              ports:
              - containerPort: 8080
              securityContext:
                  runAsNonRoot: true
`,
            },
          ],
        },
      ],
    },
    {
      name: 'container-level false overrides pod-level true',
      yaml: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  securityContext: {runAsNonRoot: true}
  containers:
    - name: app
      image: nginx
      securityContext:
        runAsNonRoot: false
`,
      findings: [
        {
          line: 9, column: 22, endLine: 9, endColumn: 27, message: 'sets runAsNonRoot: false and may run as root.', messageId: 'containerAllowsRoot',
          fixes: [
            {
              title: 'Set `runAsNonRoot: true`',
              output: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  securityContext: {runAsNonRoot: true}
  containers:
    - name: app
      image: nginx
      securityContext:
        runAsNonRoot: true
`,
            },
          ],
        },
      ],
    },
    {
      name: 'pod-level false and runAsUser 0, in the second document of a file',
      yaml: `apiVersion: v1
kind: ConfigMap
metadata: {name: settings}
---
apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  securityContext:
    runAsNonRoot: false
    runAsUser: 0
  containers:
    - {name: app, image: nginx}
`,
      findings: [
        {
          line: 9, column: 18, endLine: 9, endColumn: 23, message: 'The pod sets runAsNonRoot: false, so its containers may run as root.', messageId: 'podAllowsRoot',
          fixes: [
            {
              title: 'Set pod-level `runAsNonRoot: true`',
              output: `apiVersion: v1
kind: ConfigMap
metadata: {name: settings}
---
apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  securityContext:
    runAsNonRoot: true
    runAsUser: 0
  containers:
    - {name: app, image: nginx}
`,
            },
          ],
        },
        { line: 10, column: 15, endLine: 10, endColumn: 16, message: 'runAsUser: 0 runs as root.', messageId: 'rootUser', fixes: [] },
      ],
    },
    {
      name: 'securityContext with only a trailing comment and no value: the comment stays on its line',
      yaml: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: app
      image: nginx:1.27
      securityContext: # set by the platform team
    - name: sidecar
      image: envoy:1.30
      securityContext:
        runAsNonRoot: true
`,
      findings: [
        {
          line: 7, column: 6, endLine: 7, endColumn: 21, message: 'Container "app" does not require a non-root user', messageId: 'nonRootNotRequired',
          fixes: [
            {
              title: 'Set `runAsNonRoot: true`',
              output: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: app
      image: nginx:1.27
      securityContext: # set by the platform team
        runAsNonRoot: true
    - name: sidecar
      image: envoy:1.30
      securityContext:
        runAsNonRoot: true
`,
            },
          ],
        },
      ],
    },
    {
      name: 'runAsNonRoot with only a trailing comment: the value goes before the comment',
      yaml: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: app
      image: nginx:1.27
      securityContext:
        runAsNonRoot: # decided per release
`,
      findings: [
        {
          line: 8, column: 22, endLine: 8, endColumn: 22, message: 'does not require a non-root user', messageId: 'nonRootNotRequired',
          fixes: [
            {
              title: 'Set `runAsNonRoot: true`',
              output: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: app
      image: nginx:1.27
      securityContext:
        runAsNonRoot: true # decided per release
`,
            },
          ],
        },
      ],
    },
    {
      name: 'a DeploymentList: each item is checked on its own, the fix lands in its item at its indentation',
      yaml: `apiVersion: apps/v1
kind: DeploymentList
metadata: {resourceVersion: "4711"}
items:
  - apiVersion: apps/v1
    kind: Deployment
    metadata: {name: web, namespace: shop}
    spec:
      template:
        spec:
          securityContext: {runAsNonRoot: true}
          containers:
            - {name: app, image: nginx:1.27}
  - apiVersion: apps/v1
    kind: Deployment
    metadata: {name: api, namespace: shop}
    spec:
      template:
        spec:
          containers:
            - name: api
              image: api:1.0
`,
      findings: [
        {
          line: 20,
          column: 20,
          endLine: 20,
          endColumn: 23,
          message: 'Container "api" does not require a non-root user', messageId: 'nonRootNotRequired',
          fixes: [
            {
              title: 'Set `runAsNonRoot: true`',
              output: `apiVersion: apps/v1
kind: DeploymentList
metadata: {resourceVersion: "4711"}
items:
  - apiVersion: apps/v1
    kind: Deployment
    metadata: {name: web, namespace: shop}
    spec:
      template:
        spec:
          securityContext: {runAsNonRoot: true}
          containers:
            - {name: app, image: nginx:1.27}
  - apiVersion: apps/v1
    kind: Deployment
    metadata: {name: api, namespace: shop}
    spec:
      template:
        spec:
          containers:
            - name: api
              image: api:1.0
              securityContext:
                runAsNonRoot: true
`,
            },
          ],
        },
      ],
    },
    {
      name: 'a Knative Service (serving.knative.dev) runs its revision template',
      yaml: `apiVersion: serving.knative.dev/v1
kind: Service
metadata: {name: hello, namespace: apps}
spec:
  template:
    metadata:
      annotations: {autoscaling.knative.dev/min-scale: "1"}
    spec:
      containers:
        - image: ghcr.io/knative/helloworld-go:latest
          ports: [{containerPort: 8080}]
`,
      findings: [
        {
          line: 9,
          column: 10,
          endLine: 9,
          endColumn: 53,
          message: 'Container "#0" does not require a non-root user', messageId: 'nonRootNotRequired',
          fixes: [
            {
              title: 'Set `runAsNonRoot: true`',
              output: `apiVersion: serving.knative.dev/v1
kind: Service
metadata: {name: hello, namespace: apps}
spec:
  template:
    metadata:
      annotations: {autoscaling.knative.dev/min-scale: "1"}
    spec:
      containers:
        - image: ghcr.io/knative/helloworld-go:latest
          ports: [{containerPort: 8080}]
          securityContext:
            runAsNonRoot: true
`,
            },
          ],
        },
      ],
    },
  ],
};
