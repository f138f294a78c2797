import { containerFieldRule, defineRule, PRIVILEGED_CONTAINERS, USER_NAMESPACED_PODS_IN_BASELINE, WORKLOAD_KINDS, type RuleCases } from '../server/src/rule-api';

const MESSAGES = {
  unmasked: '{{container}} sets procMount: {{value}}, which unmasks /proc. The kernel interfaces the runtime normally hides there become visible and writable to a compromised process. Set procMount: Default.',
};

const DEFAULT_PROC_MOUNT = containerFieldRule(
  {
    field: ['procMount'],
    expect: { mustBe: 'Default', unsetIsFine: true },
    // A privileged container sees /proc unmasked anyway: privileged-container reports it.
    exempt: [PRIVILEGED_CONTAINERS, USER_NAMESPACED_PODS_IN_BASELINE],
    messages: { wrongValue: 'unmasked' },
    fix: { title: 'Set `procMount: Default`', edit: 'set' },
  },
  MESSAGES,
);

export default defineRule({
  meta: {
    id: 'proc-mount-unmasked',
    title: 'Unmasked /proc mount',
    principle: 'least-privilege',
    severity: 'warning',
    pss: 'baseline',
    kinds: WORKLOAD_KINDS,
    messages: MESSAGES,
    admission: DEFAULT_PROC_MOUNT.admission,
    docs: {
      what: 'A container sets `securityContext.procMount` to anything but `Default` (i.e. `Unmasked`). A privileged container is left to privileged-container, which reports it once.',
      why: 'The runtime masks and makes read-only the parts of `/proc` that expose or control the host kernel (`/proc/kcore`, `/proc/sysrq-trigger`, `/proc/sys`…). `Unmasked` removes those guards, handing a compromised process kernel memory, node-wide settings and information useful for an escape.',
      fix: 'Remove `procMount` or set it to `Default`. Nested container runtimes that need an unmasked `/proc` should run in a user namespace (`hostUsers: false`), which the baseline profile accepts since Kubernetes 1.35; the restricted profile never does.',
      peers: { kubeLinter: ['unsafe-proc-mount'], polaris: ['procMount'], trivy: ['KSV-0027'], kubescape: ['C-0211'] },
      links: ['https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline'],
    },
  },
  check: DEFAULT_PROC_MOUNT.check,
});

export const cases: RuleCases = {
  valid: [
    {
      name: 'a privileged container sees /proc unmasked anyway: privileged-container reports it once',
      yaml: `apiVersion: v1
kind: Pod
metadata: {name: builder}
spec:
  containers:
    - {name: buildkit, image: moby/buildkit:v0.15.0, securityContext: {privileged: true, procMount: Unmasked}}
`,
    },
    {
      name: 'Default and unset',
      yaml: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - {name: app, image: nginx:1.27, securityContext: {procMount: Default}}
    - {name: sidecar, image: envoy:1.30}
`,
    },
    {
      name: 'baseline profile: a user-namespaced pod may unmask /proc (PSA 1.35)',
      profile: 'baseline',
      yaml: `apiVersion: apps/v1
kind: Deployment
metadata: {name: builder}
spec:
  template:
    spec:
      hostUsers: false
      containers:
        - name: buildkit
          image: moby/buildkit:v0.16.0-rootless
          securityContext:
            procMount: Unmasked
`,
    },
  ],
  invalid: [
    {
      name: 'Unmasked in an init container: the fix sets Default',
      yaml: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  initContainers:
    - name: setup
      image: busybox:1.36
      securityContext:
        procMount: Unmasked # for sysctl tweaks
  containers:
    - {name: app, image: nginx:1.27}
`,
      findings: [
        {
          line: 8, column: 19, endLine: 8, endColumn: 27, message: 'Init container "setup" sets procMount: Unmasked, which unmasks /proc.', messageId: 'unmasked',
          fixes: [
            {
              title: 'Set `procMount: Default`',
              output: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  initContainers:
    - name: setup
      image: busybox:1.36
      securityContext:
        procMount: Default # for sysctl tweaks
  containers:
    - {name: app, image: nginx:1.27}
`,
            },
          ],
        },
      ],
    },
    {
      name: 'restricted profile: user namespaces do not relax it (ephemeral container, flow style)',
      yaml: `apiVersion: v1
kind: Pod
metadata: {name: builder}
spec:
  hostUsers: false
  containers:
    - {name: app, image: nginx:1.27}
  ephemeralContainers:
    - {name: debug, image: busybox:1.36, securityContext: {procMount: Unmasked}}
`,
      findings: [
        {
          line: 8, column: 70, endLine: 8, endColumn: 78, message: 'Ephemeral container "debug" sets procMount: Unmasked', messageId: 'unmasked',
          fixes: [
            {
              title: 'Set `procMount: Default`',
              output: `apiVersion: v1
kind: Pod
metadata: {name: builder}
spec:
  hostUsers: false
  containers:
    - {name: app, image: nginx:1.27}
  ephemeralContainers:
    - {name: debug, image: busybox:1.36, securityContext: {procMount: Default}}
`,
            },
          ],
        },
      ],
    },
  ],
};
