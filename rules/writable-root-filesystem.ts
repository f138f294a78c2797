import { containerFieldRule, defineRule, WINDOWS_PODS, WORKLOAD_KINDS, type RuleCases } from '../server/src/rule-api';

const WHY = 'An attacker who gets code execution can drop tools and binaries into it, or change the application in place.';

const MESSAGES = {
  notTrue: `{{container}} sets readOnlyRootFilesystem: {{value}}, so its root file system is writable. ${WHY} Set it to true and mount an emptyDir where the app writes.`,
  unset: `{{container}} has a writable root file system (no readOnlyRootFilesystem: true). ${WHY} Set readOnlyRootFilesystem: true and mount an emptyDir where the app writes.`,
};

const READ_ONLY_ROOT = containerFieldRule(
  {
    field: ['readOnlyRootFilesystem'],
    expect: { mustBe: true },
    // The API server rejects readOnlyRootFilesystem on Windows pods, so there is nothing to fix there.
    exempt: [WINDOWS_PODS],
    messages: { wrongValue: 'notTrue', unset: 'unset' },
    fix: { title: 'Set `readOnlyRootFilesystem: true`', edit: 'set' },
  },
  MESSAGES,
);

export default defineRule({
  meta: {
    id: 'writable-root-filesystem',
    title: 'Writable root file system',
    principle: 'least-privilege',
    severity: 'warning',
    groups: ['restricted-security-context'],
    kinds: WORKLOAD_KINDS,
    messages: MESSAGES,
    admission: READ_ONLY_ROOT.admission,
    docs: {
      what: 'A container does not set `securityContext.readOnlyRootFilesystem: true`.',
      why: 'A writable root file system lets a compromised process persist: download tools, replace binaries or configuration, plant a web shell. A read-only root makes the running container match the image that was scanned and signed, and every writable path becomes an explicit, reviewable volume. It is not part of the Pod Security Standards, but every major benchmark asks for it.',
      fix: 'Set `securityContext.readOnlyRootFilesystem: true` on each container and mount an `emptyDir` at each path the application must write to (`/tmp`, caches, PID files). Windows pods are skipped: the field cannot be set there.',
      peers: { kubeLinter: ['no-read-only-root-fs'], polaris: ['notReadOnlyRootFilesystem'], checkov: ['CKV_K8S_22'], trivy: ['KSV-0014'], kubescape: ['C-0017'] },
      links: ['https://kubernetes.io/docs/tasks/configure-pod-container/security-context/'],
    },
  },
  check: READ_ONLY_ROOT.check,
});

export const cases: RuleCases = {
  valid: [
    {
      name: 'read-only root with an emptyDir for /tmp, in every kind of container',
      yaml: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  initContainers:
    - {name: init, image: busybox:1.36, securityContext: {readOnlyRootFilesystem: true}}
  containers:
    - name: app
      image: nginx:1.27
      securityContext:
        readOnlyRootFilesystem: true
      volumeMounts: [{name: tmp, mountPath: /tmp}]
  ephemeralContainers:
    - {name: debug, image: busybox:1.36, securityContext: {readOnlyRootFilesystem: true}}
  volumes: [{name: tmp, emptyDir: {}}]
`,
    },
    {
      name: 'Windows pods cannot set the field',
      yaml: `apiVersion: apps/v1
kind: Deployment
metadata: {name: iis}
spec:
  template:
    spec:
      os: {name: windows}
      containers:
        - {name: iis, image: mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2022}
`,
    },
  ],
  invalid: [
    {
      name: 'a quoted "true" is a string, not true (the message keeps its quotes); an empty value is unset',
      yaml: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: app
      image: nginx:1.27
      securityContext:
        readOnlyRootFilesystem: "true"
    - name: sidecar
      image: envoy:1.30
      securityContext:
        readOnlyRootFilesystem: # decided per release
`,
      findings: [
        {
          line: 8, column: 32, endLine: 8, endColumn: 38, message: 'Container "app" sets readOnlyRootFilesystem: "true", so its root file system is writable.', messageId: 'notTrue',
          fixes: [{ title: 'Set `readOnlyRootFilesystem: true`', output: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: app
      image: nginx:1.27
      securityContext:
        readOnlyRootFilesystem: true
    - name: sidecar
      image: envoy:1.30
      securityContext:
        readOnlyRootFilesystem: # decided per release
` }],
        },
        {
          line: 12, column: 32, endLine: 12, endColumn: 32, message: 'Container "sidecar" has a writable root file system', messageId: 'unset',
          fixes: [{ title: 'Set `readOnlyRootFilesystem: true`', output: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: app
      image: nginx:1.27
      securityContext:
        readOnlyRootFilesystem: "true"
    - name: sidecar
      image: envoy:1.30
      securityContext:
        readOnlyRootFilesystem: true # decided per release
` }],
        },
      ],
    },
    {
      name: 'explicit false is replaced; the comment stays',
      yaml: `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  template:
    spec:
      containers:
        - name: app
          image: nginx:1.27
          securityContext:
            # nginx writes its cache here
            readOnlyRootFilesystem: false
            runAsNonRoot: true
`,
      findings: [
        {
          line: 11, column: 36, endLine: 11, endColumn: 41, message: 'Container "app" sets readOnlyRootFilesystem: false, so its root file system is writable.', messageId: 'notTrue',
          fixes: [
            {
              title: 'Set `readOnlyRootFilesystem: true`',
              output: `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  template:
    spec:
      containers:
        - name: app
          image: nginx:1.27
          securityContext:
            # nginx writes its cache here
            readOnlyRootFilesystem: true
            runAsNonRoot: true
`,
            },
          ],
        },
      ],
    },
    {
      name: 'unset in an init container (flow securityContext) and an ephemeral container',
      yaml: `apiVersion: batch/v1
kind: Job
metadata: {name: migrate}
spec:
  template:
    spec:
      initContainers:
        - {name: wait, image: busybox:1.36, securityContext: {runAsNonRoot: true}}
      containers:
        - {name: run, image: migrate:4.17, securityContext: {readOnlyRootFilesystem: true}}
      ephemeralContainers:
        - name: debug
          image: busybox:1.36
`,
      findings: [
        {
          line: 7, column: 44, endLine: 7, endColumn: 59, message: 'Init container "wait" has a writable root file system', messageId: 'unset',
          fixes: [
            {
              title: 'Set `readOnlyRootFilesystem: true`',
              output: `apiVersion: batch/v1
kind: Job
metadata: {name: migrate}
spec:
  template:
    spec:
      initContainers:
        - {name: wait, image: busybox:1.36, securityContext: {runAsNonRoot: true, readOnlyRootFilesystem: true}}
      containers:
        - {name: run, image: migrate:4.17, securityContext: {readOnlyRootFilesystem: true}}
      ephemeralContainers:
        - name: debug
          image: busybox:1.36
`,
            },
          ],
        },
        {
          line: 11, column: 16, endLine: 11, endColumn: 21, message: 'Ephemeral container "debug"', messageId: 'unset',
          fixes: [
            {
              title: 'Set `readOnlyRootFilesystem: true`',
              output: `apiVersion: batch/v1
kind: Job
metadata: {name: migrate}
spec:
  template:
    spec:
      initContainers:
        - {name: wait, image: busybox:1.36, securityContext: {runAsNonRoot: true}}
      containers:
        - {name: run, image: migrate:4.17, securityContext: {readOnlyRootFilesystem: true}}
      ephemeralContainers:
        - name: debug
          image: busybox:1.36
          securityContext:
            readOnlyRootFilesystem: true
`,
            },
          ],
        },
      ],
    },
  ],
};
