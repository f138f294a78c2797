import { celTemplate, defineRule, removePair, setPath, WORKLOAD_KINDS, type PodSpecView, type RuleCases } from '../server/src/rule-api';
import { securityContextSites } from '../server/src/model/pss';

const NETWORK = "The pod shares the node's network stack (hostNetwork: true). It can reach node-local services (kubelet, cloud metadata), sniff node traffic and is not isolated by NetworkPolicy.";

/** One message per host namespace: what sharing it exposes. */
const MESSAGES = {
  hostNetwork: `${NETWORK} Remove hostNetwork.`,
  hostPID: "The pod shares the node's process table (hostPID: true). It can see every process on the node, read their environment and command lines, and signal or trace them. Remove hostPID.",
  hostIPC: "The pod shares the node's IPC namespace (hostIPC: true). It can read and write the shared memory and message queues of host processes. Remove hostIPC.",
  hostProcessNetwork: `${NETWORK} HostProcess pods require it: run the workload as a normal Windows container instead.`,
};

const FIELDS = ['hostNetwork', 'hostPID', 'hostIPC'] as const;

/** Windows HostProcess pods must use the host network; removing `hostNetwork` would make the pod invalid. */
function isHostProcessPod(pod: PodSpecView): boolean {
  return securityContextSites(pod).some((site) => site.context.map('windowsOptions')?.bool('hostProcess') === true);
}

export default defineRule({
  meta: {
    id: 'host-namespace',
    title: 'Host namespace shared',
    principle: 'micro-segmentation',
    severity: 'error',
    pss: 'baseline',
    kinds: WORKLOAD_KINDS,
    messages: MESSAGES,
    admission: {
      subject: 'pod',
      validations: () =>
        FIELDS.map((field) => ({
          expression: `!(has(variables.spec.${field}) && variables.spec.${field} == true)`,
          messageExpression: celTemplate(MESSAGES[field]),
        })),
    },
    docs: {
      what: 'The pod sets `hostNetwork`, `hostPID` or `hostIPC` to `true`.',
      why: 'Namespaces are the walls between a pod and the node. With `hostNetwork` the pod sits on the node\'s network, reaches the kubelet and cloud metadata endpoints and escapes NetworkPolicy; with `hostPID` it sees and can signal every process on the node; with `hostIPC` it shares the node\'s shared memory. Each one removes the segmentation zero trust builds on.',
      fix: 'Remove the field (the default is `false`). Expose a network service through a Service instead of `hostNetwork`; use a sidecar or `shareProcessNamespace: true` (the pod\'s own processes only) instead of `hostPID`. Node agents that truly need a host namespace belong in a dedicated, tightly controlled namespace with a suppression that says why.',
      peers: { kubeLinter: ['host-network', 'host-pid', 'host-ipc'], polaris: ['hostNetworkSet', 'hostPIDSet', 'hostIPCSet'], checkov: ['CKV_K8S_19', 'CKV_K8S_17', 'CKV_K8S_18'], trivy: ['KSV-0009', 'KSV-0010', 'KSV-0008'], kubescape: ['C-0041', 'C-0038'] },
      links: ['https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline'],
    },
  },
  check(resource, { report }) {
    const pod = resource.podSpec;
    if (!pod) return;
    for (const field of FIELDS) {
      const value = pod.spec.scalar(field);
      if (value?.value !== true) continue;
      const keepNetwork = field === 'hostNetwork' && isHostProcessPod(pod);
      report({
        node: value,
        messageId: keepNetwork ? 'hostProcessNetwork' : field,
        fixes: keepNetwork
          ? []
          : [{ title: `Remove \`${field}: true\``, edits: [removePair(pod.spec, field) ?? setPath(pod.spec, [field], 'false')[0]], changesBehaviour: { removes: [`${field}: true`] } }],
      });
    }
  },
});

export const cases: RuleCases = {
  valid: [
    {
      name: 'explicit false and shareProcessNamespace (the pod\'s own processes only)',
      yaml: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  hostNetwork: false
  hostPID: false
  shareProcessNamespace: true
  containers:
    - {name: app, image: nginx:1.27}
`,
    },
    {
      name: 'a quoted "true" is a string the API server rejects, not a host namespace',
      yaml: `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  template:
    spec:
      hostIPC: "true"
      containers:
        - {name: app, image: nginx:1.27}
`,
    },
  ],
  invalid: [
    {
      name: 'hostNetwork and hostPID in a DaemonSet: the fix removes the line, comments stay',
      yaml: `apiVersion: apps/v1
kind: DaemonSet
metadata: {name: node-exporter}
spec:
  template:
    spec:
      # node metrics need the host view
      hostNetwork: true
      hostPID: true
      containers:
        - name: exporter
          image: quay.io/prometheus/node-exporter:v1.8.2
`,
      findings: [
        {
          line: 7, column: 19, endLine: 7, endColumn: 23, message: 'The pod shares the node\'s network stack (hostNetwork: true).', messageId: 'hostNetwork',
          fixes: [
            {
              title: 'Remove `hostNetwork: true`',
              changesBehaviour: { removes: ['hostNetwork: true'] },
              output: `apiVersion: apps/v1
kind: DaemonSet
metadata: {name: node-exporter}
spec:
  template:
    spec:
      # node metrics need the host view
      hostPID: true
      containers:
        - name: exporter
          image: quay.io/prometheus/node-exporter:v1.8.2
`,
            },
          ],
        },
        {
          line: 8, column: 15, endLine: 8, endColumn: 19, message: 'The pod shares the node\'s process table (hostPID: true).', messageId: 'hostPID',
          fixes: [
            {
              title: 'Remove `hostPID: true`',
              changesBehaviour: { removes: ['hostPID: true'] },
              output: `apiVersion: apps/v1
kind: DaemonSet
metadata: {name: node-exporter}
spec:
  template:
    spec:
      # node metrics need the host view
      hostNetwork: true
      containers:
        - name: exporter
          image: quay.io/prometheus/node-exporter:v1.8.2
`,
            },
          ],
        },
      ],
    },
    {
      name: 'hostIPC in a flow-style CronJob pod spec, CRLF',
      yaml: 'apiVersion: batch/v1\r\nkind: CronJob\r\nmetadata: {name: cleanup}\r\nspec:\r\n  jobTemplate:\r\n    spec:\r\n      template:\r\n        spec: {hostIPC: true, containers: [{name: c, image: busybox:1.36}]}\r\n',
      findings: [
        {
          line: 7, column: 24, endLine: 7, endColumn: 28, message: '(hostIPC: true)', messageId: 'hostIPC',
          fixes: [
            {
              title: 'Remove `hostIPC: true`',
              changesBehaviour: { removes: ['hostIPC: true'] },
              output: 'apiVersion: batch/v1\r\nkind: CronJob\r\nmetadata: {name: cleanup}\r\nspec:\r\n  jobTemplate:\r\n    spec:\r\n      template:\r\n        spec: {containers: [{name: c, image: busybox:1.36}]}\r\n',
            },
          ],
        },
      ],
    },
    {
      name: 'a Windows HostProcess pod needs hostNetwork: no fix is offered',
      yaml: `apiVersion: v1
kind: Pod
metadata: {name: win-agent}
spec:
  os: {name: windows}
  hostNetwork: true
  securityContext:
    windowsOptions: {hostProcess: true, runAsUserName: "NT AUTHORITY\\\\SYSTEM"}
  containers:
    - {name: agent, image: agent:1.0}
`,
      findings: [{ line: 5, column: 15, endLine: 5, endColumn: 19, message: 'HostProcess pods require it', messageId: 'hostProcessNetwork', fixes: [] }],
    },
  ],
};
