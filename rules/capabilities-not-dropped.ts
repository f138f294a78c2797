import { appendToSeq, containerAnchor, containerTarget, containerTemplateCheck, defineRule, describeContainer, isPrivileged, isWindowsPod, POD_CEL, privilegedCel, replaceNode, setPath, WORKLOAD_KINDS, type ContainerView, type OffsetEdit, type RuleCases } from '../server/src/rule-api';
import { canonicalCapability, DROP_ALL } from '../server/src/model/pss';

const WHY = 'It keeps the runtime\'s default capabilities (CHOWN, DAC_OVERRIDE, FOWNER, SETUID, NET_RAW…), each one a step towards the node for a compromised process.';

const MESSAGES = {
  notDropped: `{{container}} does not drop ALL capabilities. ${WHY} Add ALL to capabilities.drop.`,
  dropsSome: `{{container}} does not drop ALL capabilities, only {{dropped}}. ${WHY} Add ALL to capabilities.drop.`,
  nearMiss: '{{container}} drops {{entry}} instead of ALL, which Pod Security admission rejects. The runtime reads it as ALL, but admission requires the exact entry ALL. Write ALL.',
};

/** Adds `ALL` to `capabilities.drop`: spells a near miss (`all`) right, else appends, else creates the list. */
function dropAllEdits(container: ContainerView): OffsetEdit[] {
  const drop = container.securityContext?.map('capabilities')?.seq('drop');
  if (!drop) return setPath(container.map, ['securityContext', 'capabilities', 'drop'], `["${DROP_ALL}"]`);
  const nearMiss = drop.scalars().find((item) => canonicalCapability(item.value) === DROP_ALL);
  if (nearMiss) return [replaceNode(nearMiss.node, drop.ctx.source, DROP_ALL)];
  return [appendToSeq(drop, DROP_ALL)];
}

export default defineRule({
  meta: {
    id: 'capabilities-not-dropped',
    title: 'Capabilities not dropped',
    principle: 'least-privilege',
    severity: 'warning',
    groups: ['restricted-security-context'],
    pss: 'restricted',
    kinds: WORKLOAD_KINDS,
    messages: MESSAGES,
    admission: {
      subject: 'pod',
      validations: () => [
        containerTemplateCheck(
          `!(${POD_CEL.isWindows}) && !${privilegedCel('e')} && !(has(e.sc.capabilities) && has(e.sc.capabilities.drop) && e.sc.capabilities.drop.exists(d, d == "ALL"))`,
          MESSAGES.notDropped,
        ),
      ],
    },
    docs: {
      what: 'A container\'s `securityContext.capabilities.drop` does not contain `ALL`. A privileged container is left to privileged-container, which reports it once.',
      why: 'Container runtimes grant a default set of Linux capabilities (about fourteen, including `NET_RAW`, `SETUID`, `DAC_OVERRIDE` and `CHOWN`) that most applications never use. Each one widens what an attacker who gets code execution can do: spoof packets, change file ownership, switch users. Dropping `ALL` and adding back only what is needed is least privilege at the kernel level.',
      fix: 'Add `ALL` to `securityContext.capabilities.drop` on every container and add back only what the workload needs (the restricted profile allows only `NET_BIND_SERVICE`). PSA requires the exact entry `ALL`: `all` or `CAP_ALL` work at runtime but are rejected. Windows pods (`spec.os.name: windows`) are exempt.',
      peers: { kubeLinter: ['drop-net-raw-capability'], polaris: ['insecureCapabilities'], checkov: ['CKV_K8S_37', 'CKV_K8S_28'], trivy: ['KSV-0003', 'KSV-0004', 'KSV-0106'], kubescape: ['C-0211'] },
      links: ['https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted', 'https://man7.org/linux/man-pages/man7/capabilities.7.html'],
    },
  },
  check(resource, { report }) {
    const pod = resource.podSpec;
    // PSA exempts Windows pods from the restricted capabilities check (1.25+): Linux capabilities do not apply.
    if (!pod || isWindowsPod(pod)) return;
    for (const container of pod.containers) {
      // A privileged container has every capability whatever it drops: privileged-container reports it.
      if (isPrivileged(container)) continue;
      const capabilities = container.securityContext?.map('capabilities');
      const drop = capabilities?.seq('drop');
      const entries = drop?.scalars() ?? [];
      if (entries.some((item) => item.value === DROP_ALL)) continue;
      const nearMiss = entries.find((item) => canonicalCapability(item.value) === DROP_ALL);
      const dropped = entries.map((item) => item.value).join(', ');
      const name = describeContainer(container);
      report({
        node: nearMiss?.node ?? capabilities?.keyNode('drop') ?? container.securityContext?.keyNode('capabilities') ?? containerAnchor(container),
        target: containerTarget(container),
        ...(nearMiss
          ? { messageId: 'nearMiss', data: { container: name, entry: nearMiss.value } }
          : dropped
            ? { messageId: 'dropsSome', data: { container: name, dropped } }
            : { messageId: 'notDropped', data: { container: name } }),
        fixes: [{ title: 'Drop all capabilities', edits: dropAllEdits(container), changesBehaviour: { removes: ['default capabilities'] } }],
      });
    }
  },
});

export const cases: RuleCases = {
  valid: [
    {
      name: 'a privileged container has every capability whatever it drops: privileged-container reports it once',
      yaml: `apiVersion: v1
kind: Pod
metadata: {name: driver}
spec:
  containers:
    - {name: gpu, image: driver:1.0, securityContext: {privileged: true}}
`,
    },
    {
      name: 'drop ALL and add back only NET_BIND_SERVICE, in init and ephemeral containers too',
      yaml: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  initContainers:
    - {name: init, image: busybox:1.36, securityContext: {capabilities: {drop: [ALL]}}}
  containers:
    - name: app
      image: nginx:1.27
      securityContext:
        capabilities:
          drop: ["ALL"]
          add: [NET_BIND_SERVICE]
  ephemeralContainers:
    - {name: debug, image: busybox:1.36, securityContext: {capabilities: {drop: [NET_RAW, ALL]}}}
`,
    },
    {
      name: 'Windows pods are exempt (PSA 1.25+)',
      yaml: `apiVersion: v1
kind: Pod
metadata: {name: win}
spec:
  os:
    name: windows
  containers:
    - name: app
      image: mcr.microsoft.com/windows/nanoserver:ltsc2022
`,
    },
  ],
  invalid: [
    {
      name: 'no securityContext at all: the fix creates the whole path',
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
`,
      findings: [
        {
          line: 8, column: 16, endLine: 8, endColumn: 19, message: 'Container "app" does not drop ALL capabilities. It keeps', messageId: 'notDropped',
          fixes: [
            {
              title: 'Drop all capabilities',
              changesBehaviour: { removes: ['default capabilities'] },
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
            capabilities:
              drop: ["ALL"]
`,
            },
          ],
        },
      ],
    },
    {
      name: 'drops only NET_RAW in a block list: ALL is appended, the comment stays',
      yaml: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: app
      image: nginx:1.27
      securityContext:
        capabilities:
          drop:
            - NET_RAW # kube-linter asked for this
`,
      findings: [
        {
          line: 9, column: 10, endLine: 9, endColumn: 14, message: 'does not drop ALL capabilities, only NET_RAW.', messageId: 'dropsSome',
          fixes: [
            {
              title: 'Drop all capabilities',
              changesBehaviour: { removes: ['default capabilities'] },
              output: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: app
      image: nginx:1.27
      securityContext:
        capabilities:
          drop:
            - NET_RAW # kube-linter asked for this
            - ALL
`,
            },
          ],
        },
      ],
    },
    {
      name: 'lower-case all works at runtime but PSA rejects it: the fix spells it ALL (init container, flow style)',
      yaml: `apiVersion: batch/v1
kind: Job
metadata: {name: migrate}
spec:
  template:
    spec:
      initContainers:
        - {name: wait, image: busybox:1.36, securityContext: {capabilities: {drop: [all]}}}
      containers:
        - {name: run, image: migrate:4.17, securityContext: {capabilities: {drop: [ALL]}}}
`,
      findings: [
        {
          line: 7, column: 84, endLine: 7, endColumn: 87, message: 'Init container "wait" drops all instead of ALL, which Pod Security admission rejects.', messageId: 'nearMiss',
          fixes: [
            {
              title: 'Drop all capabilities',
              changesBehaviour: { removes: ['default capabilities'] },
              output: `apiVersion: batch/v1
kind: Job
metadata: {name: migrate}
spec:
  template:
    spec:
      initContainers:
        - {name: wait, image: busybox:1.36, securityContext: {capabilities: {drop: [ALL]}}}
      containers:
        - {name: run, image: migrate:4.17, securityContext: {capabilities: {drop: [ALL]}}}
`,
            },
          ],
        },
      ],
    },
    {
      name: 'ephemeral container with capabilities but no drop list',
      yaml: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - {name: app, image: nginx:1.27, securityContext: {capabilities: {drop: [ALL]}}}
  ephemeralContainers:
    - name: debug
      image: busybox:1.36
      securityContext:
        capabilities: {add: [SYS_PTRACE]}
`,
      findings: [
        {
          line: 10, column: 8, endLine: 10, endColumn: 20, message: 'Ephemeral container "debug" does not drop ALL capabilities.', messageId: 'notDropped',
          fixes: [
            {
              title: 'Drop all capabilities',
              changesBehaviour: { removes: ['default capabilities'] },
              output: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - {name: app, image: nginx:1.27, securityContext: {capabilities: {drop: [ALL]}}}
  ephemeralContainers:
    - name: debug
      image: busybox:1.36
      securityContext:
        capabilities: {add: [SYS_PTRACE], drop: ["ALL"]}
`,
            },
          ],
        },
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
        capabilities: {drop: [ALL]}
`,
      findings: [
        {
          line: 7, column: 6, endLine: 7, endColumn: 21, message: 'Container "app" does not drop ALL capabilities', messageId: 'notDropped',
          fixes: [
            {
              title: 'Drop all capabilities',
              changesBehaviour: { removes: ['default capabilities'] },
              output: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: app
      image: nginx:1.27
      securityContext: # set by the platform team
        capabilities:
          drop: ["ALL"]
    - name: sidecar
      image: envoy:1.30
      securityContext:
        capabilities: {drop: [ALL]}
`,
            },
          ],
        },
      ],
    },
    {
      name: 'capabilities with only a trailing comment and no value: the drop list goes under it',
      yaml: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: app
      image: nginx:1.27
      securityContext:
        runAsNonRoot: true
        capabilities: # to review with the app team
`,
      findings: [
        {
          line: 9, column: 8, endLine: 9, endColumn: 20, message: 'does not drop ALL capabilities', messageId: 'notDropped',
          fixes: [
            {
              title: 'Drop all capabilities',
              changesBehaviour: { removes: ['default capabilities'] },
              output: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: app
      image: nginx:1.27
      securityContext:
        runAsNonRoot: true
        capabilities: # to review with the app team
          drop: ["ALL"]
`,
            },
          ],
        },
      ],
    },
  ],
};
