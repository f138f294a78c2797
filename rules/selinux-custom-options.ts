import { celList, containerCheck, containerTarget, defineRule, describeContainer, WORKLOAD_KINDS, type RuleCases } from '../server/src/rule-api';
import { securityContextSites, SELINUX_TYPES } from '../server/src/model/pss';

export default defineRule({
  meta: {
    id: 'selinux-custom-options',
    title: 'Custom SELinux options',
    principle: 'least-privilege',
    severity: 'warning',
    pss: 'baseline',
    kinds: WORKLOAD_KINDS,
    messages: {
      customType: '{{who}} runs with SELinux type {{type}} instead of a container type. That lifts the confinement that keeps the container away from host files and other containers. Remove type (the runtime uses container_t).',
      customUserOrRole: '{{who}} sets a custom SELinux {{field}} {{value}}, which Pod Security admission forbids. It can give the container a less confined SELinux identity. Remove {{field}}.',
    },
    admission: {
      subject: 'pod',
      validations: () => {
        const custom = (sc: string) =>
          `has(${sc}.seLinuxOptions) && ((has(${sc}.seLinuxOptions.type) && !(string(${sc}.seLinuxOptions.type) in ${celList(SELINUX_TYPES)})) || ` +
          `(has(${sc}.seLinuxOptions.user) && string(${sc}.seLinuxOptions.user) != "") || (has(${sc}.seLinuxOptions.role) && string(${sc}.seLinuxOptions.role) != ""))`;
        const advice = 'sets custom SELinux options (a type other than a container type, or a user or role), which lift the confinement that keeps it away from host files. Remove them.';
        return [
          { expression: `!(${custom('variables.podSecurityContext')})`, messageExpression: `"The pod ${advice}"` },
          containerCheck(custom('e.sc'), `" ${advice}"`),
        ];
      },
    },
    docs: {
      what: 'The pod or a container sets `seLinuxOptions.type` to something other than a container type (`container_t`, `container_init_t`, `container_kvm_t`, `container_engine_t`), or sets `seLinuxOptions.user` or `seLinuxOptions.role`.',
      why: 'On SELinux nodes (RHEL, Fedora, OpenShift) the runtime labels every container `container_t`, which keeps it away from host files and other containers. A custom type such as `spc_t` ("super privileged container") or `unconfined_t`, or a custom user or role, lifts that confinement: a compromised process gets the host\'s view the label allows.',
      fix: 'Remove `type`, `user` and `role` from `seLinuxOptions` (a `level` such as `s0:c123,c456` is fine and isolates pods from each other). If the workload needs a custom policy, ship it as a container type derived from `container_t`.',
      peers: { trivy: ['KSV-0025'] },
      links: ['https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline', 'https://kubernetes.io/docs/tasks/configure-pod-container/security-context/#assign-selinux-labels-to-a-container'],
    },
  },
  check(resource, { report }) {
    const pod = resource.podSpec;
    if (!pod) return;
    for (const { context, container } of securityContextSites(pod)) {
      const options = context.map('seLinuxOptions');
      if (!options) continue;
      const who = container ? describeContainer(container) : 'The pod';
      const target = container ? containerTarget(container) : undefined;
      const type = options.scalar('type');
      const typeValue = type?.value === null || type?.value === undefined ? '' : String(type.value);
      if (type && !SELINUX_TYPES.has(typeValue)) {
        report({
          node: type,
          target,
          messageId: 'customType',
          data: { who, type: typeValue },
        });
      }
      for (const field of ['user', 'role'] as const) {
        const value = options.scalar(field);
        if (value?.value === null || value?.value === undefined || String(value.value) === '') continue;
        report({
          node: value,
          target,
          messageId: 'customUserOrRole',
          data: { who, field, value: String(value.value) },
        });
      }
    }
  },
});

export const cases: RuleCases = {
  valid: [
    {
      name: 'container types and an MCS level',
      yaml: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  securityContext:
    seLinuxOptions: {level: "s0:c123,c456"}
  initContainers:
    - {name: init, image: busybox:1.36, securityContext: {seLinuxOptions: {type: container_init_t}}}
  containers:
    - name: app
      image: nginx:1.27
      securityContext:
        seLinuxOptions:
          type: container_t
    - {name: vm, image: kubevirt/launcher:1.3, securityContext: {seLinuxOptions: {type: container_kvm_t}}}
    - {name: builder, image: buildah:1.37, securityContext: {seLinuxOptions: {type: container_engine_t}}}
`,
    },
    {
      name: 'empty strings are the same as unset',
      yaml: `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  template:
    spec:
      containers:
        - {name: app, image: nginx:1.27, securityContext: {seLinuxOptions: {type: "", user: "", role: ""}}}
`,
    },
  ],
  invalid: [
    {
      name: 'spc_t at pod level and a custom user in a container',
      yaml: `apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent}
spec:
  template:
    spec:
      securityContext:
        seLinuxOptions:
          type: spc_t # needs host access
      containers:
        - name: agent
          image: agent:2.1
          securityContext:
            seLinuxOptions: {user: system_u, role: system_r, level: s0}
`,
      findings: [
        { line: 8, column: 16, endLine: 8, endColumn: 21, message: 'The pod runs with SELinux type spc_t instead of a container type.', messageId: 'customType', fixes: [] },
        { line: 13, column: 35, endLine: 13, endColumn: 43, message: 'Container "agent" sets a custom SELinux user system_u, which Pod Security admission forbids.', messageId: 'customUserOrRole', fixes: [] },
        { line: 13, column: 51, endLine: 13, endColumn: 59, message: 'custom SELinux role system_r', messageId: 'customUserOrRole', fixes: [] },
      ],
    },
    {
      name: 'unconfined_t in an ephemeral container of the second document',
      yaml: `apiVersion: v1
kind: ServiceAccount
metadata: {name: debug}
---
apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - {name: app, image: nginx:1.27}
  ephemeralContainers:
    - {name: debug, image: busybox:1.36, securityContext: {seLinuxOptions: {type: unconfined_t}}}
`,
      findings: [{ line: 11, column: 82, endLine: 11, endColumn: 94, message: 'Ephemeral container "debug" runs with SELinux type unconfined_t', messageId: 'customType', fixes: [] }],
    },
  ],
};
