import { celList, celTemplate, defineRule, WORKLOAD_KINDS, type RuleCases } from '../server/src/rule-api';
import { SAFE_SYSCTLS } from '../server/src/model/pss';

const MESSAGES = {
  slashSeparated: 'The pod sets sysctl {{sysctl}}, which Pod Security admission rejects. The kernel reads it as {{dotted}}, which is safe, but admission compares names exactly. Write {{dotted}}.',
  unsafe: 'The pod sets sysctl {{sysctl}}, which is not on the safe list. It is not isolated per pod, so it can change the node for every workload on it or weaken a kernel protection. Remove it and tune the node instead.',
};

export default defineRule({
  meta: {
    id: 'unsafe-sysctl',
    title: 'Unsafe sysctl',
    principle: 'least-privilege',
    severity: 'warning',
    pss: 'baseline',
    kinds: WORKLOAD_KINDS,
    messages: MESSAGES,
    admission: {
      subject: 'pod',
      validations: () => {
        const unsafe = `s, has(s.name) && !(string(s.name) in ${celList(SAFE_SYSCTLS.keys())})`;
        return [
          {
            expression: `!(has(variables.podSecurityContext.sysctls) && variables.podSecurityContext.sysctls.exists(${unsafe}))`,
            messageExpression: celTemplate(MESSAGES.unsafe, { sysctl: `string(variables.podSecurityContext.sysctls.filter(${unsafe})[0].name)` }),
          },
        ];
      },
    },
    docs: {
      what: `The pod sets a sysctl in \`securityContext.sysctls\` that is not on the Pod Security Standards safe list (${[...SAFE_SYSCTLS.keys()].map((name) => `\`${name}\``).join(', ')}).`,
      why: 'Only the sysctls on the safe list are namespaced per pod and isolated from other workloads. Any other one either changes the whole node (affecting every tenant on it) or weakens a kernel protection, so a single workload could degrade or attack its neighbours. Zero trust keeps each workload from changing the platform the others run on.',
      fix: 'Remove the sysctl. If the workload truly needs a node-level kernel setting, set it on the node (a node configuration or a tightly controlled privileged DaemonSet), not from the application pod. Pod Security admission compares names exactly: write sysctls with dots (`net.ipv4.tcp_syncookies`), not slashes. The last two safe sysctls are allowed from PSA policy version 1.37.',
      peers: { kubeLinter: ['unsafe-sysctls'], trivy: ['KSV-0026'], kubescape: ['C-0211'] },
      links: ['https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline', 'https://kubernetes.io/docs/tasks/administer-cluster/sysctl-cluster/'],
    },
  },
  check(resource, { report }) {
    for (const sysctl of resource.podSpec?.securityContext?.seq('sysctls')?.maps() ?? []) {
      const name = sysctl.scalar('name');
      if (name?.value === null || name?.value === undefined) continue;
      const value = String(name.value);
      if (SAFE_SYSCTLS.has(value)) continue;
      const dotted = value.replace(/\//g, '.');
      if (SAFE_SYSCTLS.has(dotted)) report({ node: name, messageId: 'slashSeparated', data: { sysctl: value, dotted } });
      else report({ node: name, messageId: 'unsafe', data: { sysctl: value } });
    }
  },
});

export const cases: RuleCases = {
  valid: [
    {
      name: 'safe sysctls from every PSA version, including 1.37',
      yaml: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  securityContext:
    sysctls:
      - {name: net.ipv4.ip_unprivileged_port_start, value: "80"}
      - {name: net.ipv4.ip_local_reserved_ports, value: "30000-30100"}
      - {name: net.ipv4.tcp_keepalive_time, value: "600"}
      - {name: net.ipv4.tcp_rmem, value: "4096 87380 16777216"}
      - {name: net.ipv4.tcp_notsent_lowat, value: "16384"}
  containers:
    - {name: app, image: nginx:1.27}
`,
    },
    {
      name: 'sysctls outside the pod securityContext (e.g. in a ConfigMap) are not checked',
      yaml: `apiVersion: v1
kind: ConfigMap
metadata: {name: tuning}
data:
  sysctls: |
    net.core.somaxconn=65535
`,
    },
  ],
  invalid: [
    {
      name: 'node-wide sysctls in a Deployment',
      yaml: `apiVersion: apps/v1
kind: Deployment
metadata: {name: redis}
spec:
  template:
    spec:
      securityContext:
        sysctls:
          - name: net.core.somaxconn # not namespaced before 5.x kernels
            value: "65535"
          - {name: kernel.shm_rmid_forced, value: "1"}
          - {name: vm.overcommit_memory, value: "1"}
      containers:
        - {name: redis, image: redis:7.4}
`,
      findings: [
        { line: 8, column: 18, endLine: 8, endColumn: 36, message: 'The pod sets sysctl net.core.somaxconn, which is not on the safe list.', messageId: 'unsafe', fixes: [] },
        { line: 11, column: 19, endLine: 11, endColumn: 39, message: 'sysctl vm.overcommit_memory,', messageId: 'unsafe', fixes: [] },
      ],
    },
    {
      name: 'slash-separated safe sysctl: the kernel accepts it, PSA does not (flow style, CRLF)',
      yaml: 'apiVersion: v1\r\nkind: Pod\r\nmetadata: {name: web}\r\nspec:\r\n  securityContext: {sysctls: [{name: net/ipv4/tcp_syncookies, value: "1"}]}\r\n  containers:\r\n    - {name: app, image: nginx:1.27}\r\n',
      findings: [{ line: 4, column: 37, endLine: 4, endColumn: 60, message: 'Write net.ipv4.tcp_syncookies.', messageId: 'slashSeparated', fixes: [] }],
    },
  ],
};
