import type { Scalar } from 'yaml';
import { celList, containerCheck, containerTarget, defineRule, describeContainer, POD_CEL, removePair, removeSeqItem, replaceNode, WORKLOAD_KINDS, type MapView, type OffsetEdit, type ReportDescriptor, type RuleCases, type SeqView } from '../server/src/rule-api';
import { addableCapabilities, BASELINE_CAPABILITIES, canonicalCapability, RESTRICTED_CAPABILITIES } from '../server/src/model/pss';

/**
 * Capabilities that amount to root on the node (an error): each is a known container escape or
 * full control of the kernel, the node's network or other processes. Any other capability
 * outside the baseline list is a warning: it widens what a compromise can do (IPC_LOCK,
 * SYS_TIME, NET_RAW…) without handing over the node.
 */
const ROOT_EQUIVALENT = new Set(['ALL', 'SYS_ADMIN', 'SYS_MODULE', 'SYS_PTRACE', 'SYS_RAWIO', 'DAC_READ_SEARCH', 'NET_ADMIN', 'BPF', 'MAC_ADMIN', 'MAC_OVERRIDE']);

/** What the most abused capabilities hand an attacker, for messages; the rest get a generic reason. */
const RISKS: Record<string, string> = {
  ALL: 'every capability, close to a privileged container',
  SYS_ADMIN: 'mount, namespace and BPF operations that are most of root on the node',
  NET_ADMIN: 'control over interfaces, routes and iptables, enough to sidestep NetworkPolicy',
  NET_RAW: 'raw sockets, enough to spoof ARP and DNS to neighbouring pods',
  SYS_PTRACE: 'tracing and injecting code into other processes',
  SYS_MODULE: 'loading kernel modules, which owns the node',
  SYS_RAWIO: 'raw I/O on devices and memory',
  DAC_READ_SEARCH: 'reading any file by handle, a known container escape',
  BPF: 'loading BPF programs into the kernel',
  PERFMON: 'kernel performance monitoring that leaks other workloads\' data',
  SYS_BOOT: 'rebooting the node',
  SYS_TIME: 'setting the node\'s clock',
  MAC_ADMIN: 'reconfiguring AppArmor or SELinux',
  MAC_OVERRIDE: 'bypassing AppArmor or SELinux',
};

interface BadEntry {
  item: { value: string; node: Scalar };
  /** The exact spelling PSA would accept, when the entry is an allowed capability written differently. */
  respell?: string;
}

/** Entries of `add` outside the allow-list, as PSA compares them (exactly). */
function badEntries(add: SeqView, allowed: ReadonlySet<string>): BadEntry[] {
  return add
    .scalars()
    .filter((item) => !allowed.has(item.value))
    .map((item) => {
      const canonical = canonicalCapability(item.value);
      return allowed.has(canonical) ? { item, respell: canonical } : { item };
    });
}

/** Removes the disallowed entries and respells near misses; drops the `add` key when nothing is left. */
function fixEdits(capabilities: MapView, add: SeqView, bad: BadEntry[]): OffsetEdit[] | undefined {
  const source = add.ctx.source;
  const items = add.scalars();
  // A list with nested or null items would lose them if rebuilt: leave it to the user.
  if (items.length !== add.length) return undefined;
  const respell = new Map(bad.filter((b) => b.respell).map((b) => [b.item.node, b.respell!]));
  const remove = new Set(bad.filter((b) => !b.respell).map((b) => b.item.node));
  const kept = items.filter((item) => !remove.has(item.node));
  // Rebuilding or dropping a flow list would take the comments inside it along.
  const [start, end] = add.node.range!;
  if (add.node.flow && /(^|\s)#/.test(source.slice(start, end))) return undefined;
  if (kept.length === 0) return [removePair(capabilities, 'add') ?? replaceNode(add.node, source, '[]')];
  if (add.node.flow) {
    const text = kept.map((item) => respell.get(item.node) ?? source.slice(item.node.range![0], item.node.range![1]));
    return [replaceNode(add.node, source, `[${text.join(', ')}]`)];
  }
  const edits: OffsetEdit[] = [];
  for (const [index, item] of items.entries()) {
    const spelled = respell.get(item.node);
    const edit = spelled ? replaceNode(item.node, source, spelled) : remove.has(item.node) ? removeSeqItem(add, index) : null;
    if (edit === undefined) return undefined;
    if (!edit) continue;
    // Removals of neighbouring items touch: one edit over both keeps the fix's edits disjoint.
    const last = edits[edits.length - 1];
    if (last && last.end === edit.start) edits[edits.length - 1] = { start: last.start, end: edit.end, text: last.text + edit.text };
    else edits.push(edit);
  }
  return edits;
}

const TURNED = 'a compromised process could turn it against the node or its neighbours. Remove it from capabilities.add.';

const MESSAGES = {
  respelled: '{{container}} adds {{capability}}, a spelling Pod Security admission rejects. The runtime reads it as {{canonical}}, but admission compares names exactly. Write {{canonical}}.',
  notInRestricted: '{{container}} adds {{capability}}, which the restricted profile does not allow. It lets a container add back only NET_BIND_SERVICE: remove it, or run the workload in the baseline profile.',
  rootEquivalent: `{{container}} adds {{capability}}, which amounts to root on the node. It grants {{risk}}: ${TURNED}`,
  notAllowed: `{{container}} adds {{capability}}, which the {{profile}} profile does not allow. It grants {{risk}}: ${TURNED}`,
};

/** The message of a disallowed entry, by id with its data. */
function messageOf(container: string, entry: BadEntry, profile: 'baseline' | 'restricted', restrictedList: boolean): Pick<ReportDescriptor<keyof typeof MESSAGES>, 'messageId' | 'data'> {
  const { value } = entry.item;
  if (entry.respell) return { messageId: 'respelled', data: { container, capability: value, canonical: entry.respell } };
  const canonical = canonicalCapability(value);
  if (restrictedList && BASELINE_CAPABILITIES.has(canonical)) return { messageId: 'notInRestricted', data: { container, capability: canonical } };
  const risk = RISKS[canonical] ?? 'a privilege outside the runtime\'s default set';
  const capability = canonical === value ? value : `${value} (${canonical})`;
  return ROOT_EQUIVALENT.has(canonical)
    ? { messageId: 'rootEquivalent', data: { container, capability, risk } }
    : { messageId: 'notAllowed', data: { container, capability, risk, profile } };
}

/** Error for what amounts to root on the node, warning for the rest. */
function severityOf(entry: BadEntry): 'warning' | undefined {
  return entry.respell || !ROOT_EQUIVALENT.has(canonicalCapability(entry.item.value)) ? 'warning' : undefined;
}

export default defineRule({
  meta: {
    id: 'dangerous-capability-added',
    title: 'Dangerous capability added',
    principle: 'least-privilege',
    severity: 'error',
    groups: ['restricted-security-context'],
    pss: 'baseline',
    kinds: WORKLOAD_KINDS,
    messages: MESSAGES,
    admission: {
      subject: 'pod',
      validations: (profile) => {
        // As addableCapabilities: Windows pods keep the baseline list in the restricted profile.
        const allowed =
          profile === 'restricted'
            ? `(${POD_CEL.isWindows} ? ${celList(BASELINE_CAPABILITIES)} : ${celList(RESTRICTED_CAPABILITIES)})`
            : celList(BASELINE_CAPABILITIES);
        const added = 'has(e.sc.capabilities) && has(e.sc.capabilities.add)';
        return [
          containerCheck(
            `${added} && e.sc.capabilities.add.exists(c, !(string(c) in ${allowed}))`,
            `" adds " + string(e.sc.capabilities.add.filter(c, !(string(c) in ${allowed}))[0]) + ", which the ${profile} profile does not allow. A compromised process could turn it against the node or its neighbours. Remove it from capabilities.add."`,
          ),
        ];
      },
    },
    docs: {
      what: 'A container adds a Linux capability outside the Pod Security Standards allow-list: in the baseline profile anything beyond the runtime\'s default set (`AUDIT_WRITE, CHOWN, DAC_OVERRIDE, FOWNER, FSETID, KILL, MKNOD, NET_BIND_SERVICE, SETFCAP, SETGID, SETPCAP, SETUID, SYS_CHROOT`; not `NET_RAW`), in the restricted profile anything but `NET_BIND_SERVICE`.',
      why: 'Capabilities split root\'s powers into pieces; some pieces (`SYS_ADMIN`, `NET_ADMIN`, `SYS_PTRACE`, `SYS_MODULE`, `ALL`) are each enough to escape the container or attack its neighbours. A workload that adds one turns any code-execution bug into a node compromise. Least privilege means granting only the few capabilities whose misuse stays inside the container.\n\nSeverity: **error** for capabilities that amount to root on the node (`ALL`, `SYS_ADMIN`, `SYS_MODULE`, `SYS_PTRACE`, `SYS_RAWIO`, `DAC_READ_SEARCH`, `NET_ADMIN`, `BPF`, `MAC_ADMIN`, `MAC_OVERRIDE`); **warning** for the rest outside the allow-list (`NET_RAW`, `IPC_LOCK`, `SYS_TIME`, `SYS_BOOT`, `PERFMON`…), for baseline capabilities the restricted profile does not allow, and for allowed capabilities spelt with `CAP_`. The admission export (`kzt export-policy`) has one check for the rule, at the rule\'s configured severity: by default it refuses every capability outside the allow-list, the warning class too, as Pod Security admission\'s own levels do; set the rule to `warning` (or pass `--actions Warn,Audit`) to have the cluster only warn.',
      fix: 'Remove the capability from `securityContext.capabilities.add` and change the workload so it does not need it (bind to a port above 1023, use an init container or a node-level agent instead). Pod Security admission compares names exactly: write `NET_BIND_SERVICE`, not `CAP_NET_BIND_SERVICE`. Windows pods are held to the baseline list in both profiles, as PSA does.',
      peers: { polaris: ['dangerousCapabilities'], checkov: ['CKV_K8S_39', 'CKV_K8S_25'], trivy: ['KSV-0005', 'KSV-0022', 'KSV-0119', 'KSV-0120'], kubescape: ['C-0046'] },
      links: ['https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline', 'https://man7.org/linux/man-pages/man7/capabilities.7.html'],
    },
  },
  check(resource, { report, profile }) {
    const pod = resource.podSpec;
    if (!pod) return;
    const allowed = addableCapabilities(profile, pod);
    for (const container of pod.containers) {
      const capabilities = container.securityContext?.map('capabilities');
      const add = capabilities?.seq('add');
      if (!capabilities || !add) continue;
      const bad = badEntries(add, allowed);
      if (bad.length === 0) continue;
      const edits = fixEdits(capabilities, add, bad);
      const removed = bad.filter((b) => !b.respell).map((b) => b.item.value);
      const changesBehaviour = removed.length ? { changesBehaviour: { removes: removed } } : {};
      for (const entry of bad) {
        report({
          node: entry.item.node,
          target: containerTarget(container),
          ...messageOf(describeContainer(container), entry, profile, allowed === RESTRICTED_CAPABILITIES),
          severity: severityOf(entry),
          fixes: edits ? [{ title: 'Remove dangerous capabilities from `capabilities.add`', edits, ...changesBehaviour }] : [],
        });
      }
    }
  },
});

export const cases: RuleCases = {
  valid: [
    {
      name: 'baseline profile: default-set capabilities may be added',
      profile: 'baseline',
      yaml: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: app
      image: nginx:1.27
      securityContext:
        capabilities:
          drop: [ALL]
          add: [CHOWN, SETUID, SETGID, NET_BIND_SERVICE]
`,
    },
    {
      name: 'restricted profile: NET_BIND_SERVICE only; dropping dangerous capabilities is fine',
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
            capabilities:
              drop: [ALL, SYS_ADMIN, NET_RAW]
              add: [NET_BIND_SERVICE]
`,
    },
    {
      name: 'restricted profile: Windows pods are held to the baseline list only',
      yaml: `apiVersion: v1
kind: Pod
metadata: {name: win}
spec:
  os: {name: windows}
  containers:
    - {name: app, image: mcr.microsoft.com/windows/nanoserver:ltsc2022, securityContext: {capabilities: {add: [CHOWN]}}}
`,
    },
  ],
  invalid: [
    {
      name: 'SYS_ADMIN in a block list: the fix removes only that line and keeps the comment',
      profile: 'baseline',
      yaml: `apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent}
spec:
  template:
    spec:
      containers:
        - name: agent
          image: agent:2.1
          securityContext:
            capabilities:
              add:
                # needed to bind low ports
                - NET_BIND_SERVICE
                - SYS_ADMIN
`,
      findings: [
        {
          line: 14, column: 18, endLine: 14, endColumn: 27, message: 'Container "agent" adds SYS_ADMIN, which amounts to root on the node. It grants mount, namespace and BPF', messageId: 'rootEquivalent', severity: 'error',
          fixes: [
            {
              title: 'Remove dangerous capabilities from `capabilities.add`',
              changesBehaviour: { removes: ['SYS_ADMIN'] },
              output: `apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent}
spec:
  template:
    spec:
      containers:
        - name: agent
          image: agent:2.1
          securityContext:
            capabilities:
              add:
                # needed to bind low ports
                - NET_BIND_SERVICE
`,
            },
          ],
        },
      ],
    },
    {
      name: 'restricted profile: CHOWN is not allowed; CAP_NET_RAW is NET_RAW; flow list rebuilt',
      yaml: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  initContainers:
    - name: init
      image: busybox:1.36
      securityContext: {capabilities: {add: [NET_BIND_SERVICE, CHOWN, CAP_NET_RAW]}}
  containers:
    - {name: app, image: nginx:1.27}
`,
      findings: [
        {
          line: 7, column: 63, endLine: 7, endColumn: 68, message: 'adds CHOWN, which the restricted profile does not allow. It lets a container add back only NET_BIND_SERVICE', messageId: 'notInRestricted', severity: 'warning',
          fixes: [
            {
              title: 'Remove dangerous capabilities from `capabilities.add`',
              changesBehaviour: { removes: ['CHOWN', 'CAP_NET_RAW'] },
              output: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  initContainers:
    - name: init
      image: busybox:1.36
      securityContext: {capabilities: {add: [NET_BIND_SERVICE]}}
  containers:
    - {name: app, image: nginx:1.27}
`,
            },
          ],
        },
        {
          line: 7, column: 70, endLine: 7, endColumn: 81, message: 'adds CAP_NET_RAW (NET_RAW), which the restricted profile does not allow. It grants raw sockets', messageId: 'notAllowed', severity: 'warning',
          fixes: [
            {
              title: 'Remove dangerous capabilities from `capabilities.add`',
              changesBehaviour: { removes: ['CHOWN', 'CAP_NET_RAW'] },
              output: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  initContainers:
    - name: init
      image: busybox:1.36
      securityContext: {capabilities: {add: [NET_BIND_SERVICE]}}
  containers:
    - {name: app, image: nginx:1.27}
`,
            },
          ],
        },
      ],
    },
    {
      name: 'baseline profile: a prefixed allowed capability is respelled, ALL is removed (ephemeral container)',
      profile: 'baseline',
      yaml: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - {name: app, image: nginx:1.27}
  ephemeralContainers:
    - name: debug
      image: busybox:1.36
      securityContext:
        capabilities:
          add:
            - CAP_CHOWN
            - ALL
`,
      findings: [
        {
          line: 12, column: 14, endLine: 12, endColumn: 23, message: 'Ephemeral container "debug" adds CAP_CHOWN, a spelling Pod Security admission rejects. The runtime reads it as CHOWN', messageId: 'respelled', severity: 'warning',
          fixes: [
            {
              title: 'Remove dangerous capabilities from `capabilities.add`',
              changesBehaviour: { removes: ['ALL'] },
              output: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - {name: app, image: nginx:1.27}
  ephemeralContainers:
    - name: debug
      image: busybox:1.36
      securityContext:
        capabilities:
          add:
            - CHOWN
`,
            },
          ],
        },
        {
          line: 13, column: 14, endLine: 13, endColumn: 17, message: 'adds ALL, which amounts to root on the node. It grants every capability', messageId: 'rootEquivalent', severity: 'error',
          fixes: [
            {
              title: 'Remove dangerous capabilities from `capabilities.add`',
              changesBehaviour: { removes: ['ALL'] },
              output: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - {name: app, image: nginx:1.27}
  ephemeralContainers:
    - name: debug
      image: busybox:1.36
      securityContext:
        capabilities:
          add:
            - CHOWN
`,
            },
          ],
        },
      ],
    },
    {
      name: 'neighbouring dangerous entries are removed in one edit (quoted items)',
      profile: 'baseline',
      yaml: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: app
      image: nginx:1.27
      securityContext:
        capabilities:
          add:
            - "NET_ADMIN"
            - "SYS_ADMIN"
            - "NET_BIND_SERVICE"
            - "NET_RAW"
`,
      findings: [
        {
          line: 10, column: 14, endLine: 10, endColumn: 25, message: 'adds NET_ADMIN', messageId: 'rootEquivalent',
          fixes: [
            {
              title: 'Remove dangerous capabilities from `capabilities.add`',
              changesBehaviour: { removes: ['NET_ADMIN', 'SYS_ADMIN', 'NET_RAW'] },
              output: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: app
      image: nginx:1.27
      securityContext:
        capabilities:
          add:
            - "NET_BIND_SERVICE"
`,
            },
          ],
        },
        {
          line: 11, column: 14, endLine: 11, endColumn: 25, message: 'adds SYS_ADMIN', messageId: 'rootEquivalent',
          fixes: [
            {
              title: 'Remove dangerous capabilities from `capabilities.add`',
              changesBehaviour: { removes: ['NET_ADMIN', 'SYS_ADMIN', 'NET_RAW'] },
              output: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: app
      image: nginx:1.27
      securityContext:
        capabilities:
          add:
            - "NET_BIND_SERVICE"
`,
            },
          ],
        },
        {
          line: 13, column: 14, endLine: 13, endColumn: 23, message: 'adds NET_RAW', messageId: 'notAllowed',
          fixes: [
            {
              title: 'Remove dangerous capabilities from `capabilities.add`',
              changesBehaviour: { removes: ['NET_ADMIN', 'SYS_ADMIN', 'NET_RAW'] },
              output: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: app
      image: nginx:1.27
      securityContext:
        capabilities:
          add:
            - "NET_BIND_SERVICE"
`,
            },
          ],
        },
      ],
    },
    {
      name: 'only dangerous entries: the fix removes the add key',
      yaml: `apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  template:
    spec:
      containers:
        - name: db
          image: postgres:16
          securityContext:
            capabilities:
              add: [SYS_PTRACE]
              drop: [ALL]
`,
      findings: [
        {
          line: 11, column: 20, endLine: 11, endColumn: 30, message: 'adds SYS_PTRACE, which amounts to root on the node.', messageId: 'rootEquivalent', severity: 'error',
          fixes: [
            {
              title: 'Remove dangerous capabilities from `capabilities.add`',
              changesBehaviour: { removes: ['SYS_PTRACE'] },
              output: `apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  template:
    spec:
      containers:
        - name: db
          image: postgres:16
          securityContext:
            capabilities:
              drop: [ALL]
`,
            },
          ],
        },
      ],
    },
  ],
};
