import { containerFieldRule, defineRule, WORKLOAD_KINDS, type RuleCases } from '../server/src/rule-api';

/**
 * Everything `privileged: true` turns on: the rules for those single controls (capabilities,
 * privilege escalation, seccomp, AppArmor, /proc masking) skip a privileged container, so this
 * finding names them.
 */
const GRANTS = 'It gets every capability and the host\'s devices, runs without seccomp, AppArmor or /proc masking, and may escalate privileges.';

const MESSAGES = {
  privileged: `{{container}} is privileged, which amounts to root on the node. ${GRANTS} Remove privileged: true.`,
};

const NOT_PRIVILEGED = containerFieldRule(
  {
    field: ['privileged'],
    expect: { mustNotBe: true },
    messages: { wrongValue: 'privileged' },
    fix: { title: 'Remove `privileged: true`', edit: 'remove', changesBehaviour: { removes: ['privileged: true'] } },
  },
  MESSAGES,
);

export default defineRule({
  meta: {
    id: 'privileged-container',
    title: 'Privileged container',
    principle: 'least-privilege',
    severity: 'error',
    groups: ['restricted-security-context'],
    pss: 'baseline',
    kinds: WORKLOAD_KINDS,
    messages: MESSAGES,
    admission: NOT_PRIVILEGED.admission,
    docs: {
      what: 'A container sets `securityContext.privileged: true`.',
      why: 'A privileged container gets every Linux capability and the host\'s devices, runs with seccomp and AppArmor off and `/proc` unmasked, and may escalate privileges. One compromised process in it controls the node and every workload on it: the opposite of least privilege. This is one finding: capabilities-not-dropped, privilege-escalation-allowed, seccomp-not-enforced, apparmor-unconfined and proc-mount-unmasked do not report a privileged container again.',
      fix: 'Remove `privileged: true` (or set it to `false`). Grant only the specific capability the workload needs, if any, through `capabilities.add`.',
      peers: { kubeLinter: ['privileged-container'], polaris: ['runAsPrivileged'], checkov: ['CKV_K8S_16'], trivy: ['KSV-0017'], kubescape: ['C-0057'] },
      links: ['https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline'],
    },
  },
  check: NOT_PRIVILEGED.check,
});

export const cases: RuleCases = {
  valid: [
    {
      name: 'privileged false',
      yaml: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: app
      image: nginx:1.27
      securityContext:
        privileged: false
`,
    },
    {
      name: 'a quoted "true" is a string, which the API server rejects, not a privileged container',
      yaml: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - {name: app, image: nginx, securityContext: {privileged: "true"}}
`,
    },
    {
      name: 'a core Service shaped like a Knative Service is not a workload',
      yaml: `apiVersion: v1
kind: Service
metadata: {name: hello}
spec:
  selector: {app: hello}
  ports: [{port: 80}]
  template:
    spec:
      containers:
        - name: web
          image: nginx:1.27
          securityContext: {privileged: true}
`,
    },
  ],
  invalid: [
    {
      name: 'privileged in a Deployment container, fix removes the line and keeps the comment',
      yaml: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
        - name: app
          image: nginx:1.27
          securityContext:
            # needed for the legacy driver
            privileged: true
            runAsNonRoot: true
`,
      findings: [
        {
          line: 12, column: 24, endLine: 12, endColumn: 28, message: 'Container "app" is privileged, which amounts to root on the node. It gets every capability and the host\'s devices, runs without seccomp, AppArmor or /proc masking, and may escalate privileges. Remove privileged: true.', messageId: 'privileged',
          fixes: [
            {
              title: 'Remove `privileged: true`',
              changesBehaviour: { removes: ['privileged: true'] },
              output: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
        - name: app
          image: nginx:1.27
          securityContext:
            # needed for the legacy driver
            runAsNonRoot: true
`,
            },
          ],
        },
      ],
    },
    {
      name: 'init and ephemeral containers of a CronJob, flow style',
      yaml: `apiVersion: batch/v1
kind: CronJob
metadata: {name: backup}
spec:
  jobTemplate:
    spec:
      template:
        spec:
          initContainers:
            - {name: init, image: busybox, securityContext: {privileged: true}}
          containers:
            - name: main
              image: busybox
`,
      findings: [
        {
          line: 9, column: 73, endLine: 9, endColumn: 77, message: 'Init container "init"', messageId: 'privileged',
          fixes: [
            {
              title: 'Remove `privileged: true`',
              changesBehaviour: { removes: ['privileged: true'] },
              output: `apiVersion: batch/v1
kind: CronJob
metadata: {name: backup}
spec:
  jobTemplate:
    spec:
      template:
        spec:
          initContainers:
            - {name: init, image: busybox, securityContext: {}}
          containers:
            - name: main
              image: busybox
`,
            },
          ],
        },
      ],
    },
    {
      name: 'an OpenShift DeploymentConfig (apps.openshift.io) runs its pod template',
      yaml: `apiVersion: apps.openshift.io/v1
kind: DeploymentConfig
metadata: {name: frontend, namespace: shop}
spec:
  replicas: 2
  selector: {app: frontend}
  template:
    metadata:
      labels: {app: frontend}
    spec:
      containers:
        - name: web
          image: registry.example.com/frontend:1.4
          securityContext:
            privileged: true
`,
      findings: [
        {
          line: 14,
          column: 24,
          endLine: 14,
          endColumn: 28,
          message: 'Container "web" is privileged', messageId: 'privileged',
          fixes: [
            {
              title: 'Remove `privileged: true`',
              output: `apiVersion: apps.openshift.io/v1
kind: DeploymentConfig
metadata: {name: frontend, namespace: shop}
spec:
  replicas: 2
  selector: {app: frontend}
  template:
    metadata:
      labels: {app: frontend}
    spec:
      containers:
        - name: web
          image: registry.example.com/frontend:1.4
          securityContext:
`,
              changesBehaviour: { removes: ['privileged: true'] },
            },
          ],
        },
      ],
    },
  ],
};
