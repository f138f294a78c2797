import { containerFieldRule, defineRule, PRIVILEGED_CONTAINERS, WINDOWS_PODS, WORKLOAD_KINDS, type ContainerView, type RuleCases } from '../server/src/rule-api';

const WHY = 'A setuid binary or file capability in the image could then give a process more privileges than its parent.';

/**
 * The API server rejects `allowPrivilegeEscalation: false` next to an added `CAP_SYS_ADMIN` (its
 * validation matches that exact spelling), so the fix waits until it is gone. It rejects it next to
 * `privileged: true` too: privileged containers are privileged-container's, never fixed here.
 */
function addsCapSysAdmin(container: ContainerView): boolean {
  return (container.securityContext?.map('capabilities')?.seq('add')?.scalars() ?? []).some((item) => item.value === 'CAP_SYS_ADMIN');
}

const MESSAGES = {
  escalationAllowed: `{{container}} may escalate privileges: no allowPrivilegeEscalation: false. ${WHY} Set allowPrivilegeEscalation: false.`,
  escalationSet: `{{container}} sets allowPrivilegeEscalation: {{value}}, so it may escalate privileges. ${WHY} Set it to false.`,
  blockedByCapSysAdmin: `{{container}} may escalate privileges: no allowPrivilegeEscalation: false. ${WHY} The API server rejects that setting next to an added CAP_SYS_ADMIN: remove CAP_SYS_ADMIN first, then set it.`,
};

const NO_ESCALATION = containerFieldRule(
  {
    field: ['allowPrivilegeEscalation'],
    expect: { mustBe: false },
    // PSA exempts Windows pods (1.25+): the field does not exist there. A privileged container is privileged-container's.
    exempt: [WINDOWS_PODS, PRIVILEGED_CONTAINERS],
    messages: { wrongValue: 'escalationSet', unset: 'escalationAllowed' },
    fix: { title: 'Set `allowPrivilegeEscalation: false`', edit: 'set', changesBehaviour: { removes: ['privilege escalation'] } },
    fixBlocked: {
      container: addsCapSysAdmin,
      cel: 'has(e.sc.capabilities) && has(e.sc.capabilities.add) && e.sc.capabilities.add.exists(c, c == "CAP_SYS_ADMIN")',
      messageId: 'blockedByCapSysAdmin',
    },
  },
  MESSAGES,
);

export default defineRule({
  meta: {
    id: 'privilege-escalation-allowed',
    title: 'Privilege escalation allowed',
    principle: 'least-privilege',
    severity: 'warning',
    groups: ['restricted-security-context'],
    pss: 'restricted',
    kinds: WORKLOAD_KINDS,
    messages: MESSAGES,
    admission: NO_ESCALATION.admission,
    docs: {
      what: 'A container does not set `securityContext.allowPrivilegeEscalation: false`. A privileged container is left to privileged-container, which reports it once.',
      why: 'Unless `allowPrivilegeEscalation` is `false`, the kubelet leaves the kernel\'s `no_new_privs` flag off, so a setuid binary (`sudo`, `su`, `ping` in older images) or a file capability lets a compromised process gain privileges its parent never had. Least privilege means the privileges a container starts with are the most it can ever hold.',
      fix: 'Set `securityContext.allowPrivilegeEscalation: false` on every container, init container and ephemeral container. The field has no pod-level equivalent. It cannot be combined with `privileged: true` or an added `CAP_SYS_ADMIN`: remove those first. Windows pods (`spec.os.name: windows`) are exempt.',
      peers: { kubeLinter: ['privilege-escalation-container'], polaris: ['privilegeEscalationAllowed'], checkov: ['CKV_K8S_20'], trivy: ['KSV-0001'], kubescape: ['C-0016'] },
      links: ['https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted', 'https://kubernetes.io/docs/tasks/configure-pod-container/security-context/'],
    },
  },
  check: NO_ESCALATION.check,
});

export const cases: RuleCases = {
  valid: [
    {
      name: 'every container, init container and ephemeral container sets false',
      yaml: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  initContainers:
    - {name: init, image: busybox:1.36, securityContext: {allowPrivilegeEscalation: false}}
  containers:
    - name: app
      image: nginx:1.27
      securityContext:
        allowPrivilegeEscalation: false
  ephemeralContainers:
    - {name: debug, image: busybox:1.36, securityContext: {allowPrivilegeEscalation: false}}
`,
    },
    {
      name: 'Windows pods are exempt (PSA 1.25+)',
      yaml: `apiVersion: apps/v1
kind: Deployment
metadata: {name: win}
spec:
  template:
    spec:
      os: {name: windows}
      containers:
        - name: app
          image: mcr.microsoft.com/windows/servercore:ltsc2022
`,
    },
  ],
  invalid: [
    {
      name: 'missing field: the fix creates securityContext after the last key, keeping the comment',
      yaml: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
        - name: app
          # pinned by digest upstream
          image: nginx:1.27
`,
      findings: [
        {
          line: 8, column: 16, endLine: 8, endColumn: 19, message: 'Container "app" may escalate privileges: no allowPrivilegeEscalation: false.', messageId: 'escalationAllowed',
          fixes: [
            {
              title: 'Set `allowPrivilegeEscalation: false`',
              changesBehaviour: { removes: ['privilege escalation'] },
              output: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
        - name: app
          # pinned by digest upstream
          image: nginx:1.27
          securityContext:
            allowPrivilegeEscalation: false
`,
            },
          ],
        },
      ],
    },
    {
      name: 'explicit true in flow style, CRLF line breaks, second document',
      yaml: 'apiVersion: v1\r\nkind: ConfigMap\r\nmetadata: {name: c}\r\n---\r\napiVersion: v1\r\nkind: Pod\r\nmetadata: {name: web}\r\nspec:\r\n  containers:\r\n    - {name: app, image: nginx, securityContext: {allowPrivilegeEscalation: true, readOnlyRootFilesystem: true}}\r\n',
      findings: [
        {
          line: 9, column: 76, endLine: 9, endColumn: 80, message: 'sets allowPrivilegeEscalation: true, so it may escalate privileges.', messageId: 'escalationSet',
          fixes: [
            {
              title: 'Set `allowPrivilegeEscalation: false`',
              changesBehaviour: { removes: ['privilege escalation'] },
              output: 'apiVersion: v1\r\nkind: ConfigMap\r\nmetadata: {name: c}\r\n---\r\napiVersion: v1\r\nkind: Pod\r\nmetadata: {name: web}\r\nspec:\r\n  containers:\r\n    - {name: app, image: nginx, securityContext: {allowPrivilegeEscalation: false, readOnlyRootFilesystem: true}}\r\n',
            },
          ],
        },
      ],
    },
    {
      name: 'init and ephemeral containers of a CronJob; a privileged one is privileged-container\'s alone (the API server rejects `allowPrivilegeEscalation: false` beside `privileged: true`)',
      yaml: `apiVersion: batch/v1
kind: CronJob
metadata: {name: backup}
spec:
  jobTemplate:
    spec:
      template:
        spec:
          initContainers:
            - name: init
              image: busybox:1.36
              securityContext: {privileged: true}
          containers:
            - name: main
              image: busybox:1.36
              securityContext: {allowPrivilegeEscalation: false}
          ephemeralContainers:
            - name: debug
              image: busybox:1.36
`,
      findings: [
        {
          line: 17, column: 20, endLine: 17, endColumn: 25, message: 'Ephemeral container "debug" may escalate privileges', messageId: 'escalationAllowed',
          fixes: [
            {
              title: 'Set `allowPrivilegeEscalation: false`',
              changesBehaviour: { removes: ['privilege escalation'] },
              output: `apiVersion: batch/v1
kind: CronJob
metadata: {name: backup}
spec:
  jobTemplate:
    spec:
      template:
        spec:
          initContainers:
            - name: init
              image: busybox:1.36
              securityContext: {privileged: true}
          containers:
            - name: main
              image: busybox:1.36
              securityContext: {allowPrivilegeEscalation: false}
          ephemeralContainers:
            - name: debug
              image: busybox:1.36
              securityContext:
                allowPrivilegeEscalation: false
`,
            },
          ],
        },
      ],
    },
    {
      name: 'an added CAP_SYS_ADMIN: no fix, since the API server rejects allowPrivilegeEscalation: false beside it',
      yaml: `apiVersion: v1
kind: Pod
metadata: {name: fuse}
spec:
  containers:
    - name: mounter
      image: fuse:1.0
      securityContext:
        capabilities: {add: [CAP_SYS_ADMIN]}
`,
      findings: [
        {
          line: 7, column: 6, endLine: 7, endColumn: 21,
          message: 'remove CAP_SYS_ADMIN first, then set it.', messageId: 'blockedByCapSysAdmin',
          fixes: [],
        },
      ],
    },
    {
      name: 'an Argo Rollout runs its pod template',
      yaml: `apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata: {name: checkout, namespace: shop}
spec:
  selector:
    matchLabels: {app: checkout}
  template:
    metadata:
      labels: {app: checkout}
    spec:
      containers:
        - name: checkout
          image: shop/checkout:2.3
          securityContext:
            allowPrivilegeEscalation: true
  strategy:
    canary:
      steps: [{setWeight: 20}, {pause: {}}]
`,
      findings: [
        {
          line: 14,
          column: 38,
          endLine: 14,
          endColumn: 42,
          message: 'Container "checkout" sets allowPrivilegeEscalation: true', messageId: 'escalationSet',
          fixes: [
            {
              title: 'Set `allowPrivilegeEscalation: false`',
              output: `apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata: {name: checkout, namespace: shop}
spec:
  selector:
    matchLabels: {app: checkout}
  template:
    metadata:
      labels: {app: checkout}
    spec:
      containers:
        - name: checkout
          image: shop/checkout:2.3
          securityContext:
            allowPrivilegeEscalation: false
  strategy:
    canary:
      steps: [{setWeight: 20}, {pause: {}}]
`,
              changesBehaviour: { removes: ['privilege escalation'] },
            },
          ],
        },
      ],
    },
  ],
};
