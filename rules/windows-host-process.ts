import { containerFieldRule, defineRule, WORKLOAD_KINDS, type RuleCases } from '../server/src/rule-api';

const CONSEQUENCE = "the node's privileges, network and file system: one compromise owns the node";

const MESSAGES = {
  pod: `The pod sets hostProcess: true, so its containers run directly on the Windows node. They get ${CONSEQUENCE}. Run them as normal Windows containers.`,
  container: `{{container}} sets hostProcess: true, so it runs directly on the Windows node. It gets ${CONSEQUENCE}. Run it as a normal Windows container.`,
};

const NO_HOST_PROCESS = containerFieldRule(
  {
    field: ['windowsOptions', 'hostProcess'],
    expect: { mustNotBe: true },
    podDefault: true,
    messages: { wrongValue: 'container', pod: 'pod' },
  },
  MESSAGES,
);

export default defineRule({
  meta: {
    id: 'windows-host-process',
    title: 'Windows HostProcess container',
    principle: 'least-privilege',
    severity: 'error',
    pss: 'baseline',
    kinds: WORKLOAD_KINDS,
    messages: MESSAGES,
    admission: NO_HOST_PROCESS.admission,
    docs: {
      what: 'The pod or a container sets `securityContext.windowsOptions.hostProcess: true`.',
      why: 'A Windows HostProcess container is not isolated at all: it runs as a process directly on the node, in the host network, with the node\'s file system and typically as `NT AUTHORITY\\SYSTEM`. It is the Windows counterpart of a privileged container: one compromise owns the node.',
      fix: 'Run the workload as a normal (process-isolated) Windows container and remove `windowsOptions.hostProcess`. Node agents that need host access belong in a dedicated, tightly controlled namespace with a suppression that says why.',
      peers: { polaris: ['hostProcess'], trivy: ['KSV-0103'], kubescape: ['C-0211'] },
      links: ['https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline', 'https://kubernetes.io/docs/tasks/configure-pod-container/create-hostprocess-pod/'],
    },
  },
  check: NO_HOST_PROCESS.check,
});

export const cases: RuleCases = {
  valid: [
    {
      name: 'a Windows pod with a user name and hostProcess false',
      yaml: `apiVersion: apps/v1
kind: Deployment
metadata: {name: iis}
spec:
  template:
    spec:
      os: {name: windows}
      securityContext:
        windowsOptions: {runAsUserName: ContainerUser, hostProcess: false}
      containers:
        - {name: iis, image: mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2022}
`,
    },
    {
      name: 'a quoted "true" is a string the API server rejects',
      yaml: `apiVersion: v1
kind: Pod
metadata: {name: win}
spec:
  containers:
    - {name: app, image: app:1.0, securityContext: {windowsOptions: {hostProcess: "true"}}}
`,
    },
  ],
  invalid: [
    {
      name: 'pod-level hostProcess in a DaemonSet',
      yaml: `apiVersion: apps/v1
kind: DaemonSet
metadata: {name: csi-proxy}
spec:
  template:
    spec:
      os: {name: windows}
      hostNetwork: true
      securityContext:
        windowsOptions:
          hostProcess: true
          runAsUserName: "NT AUTHORITY\\\\SYSTEM"
      containers:
        - {name: proxy, image: csi-proxy:v1.1.3}
`,
      findings: [{ line: 10, column: 23, endLine: 10, endColumn: 27, message: 'The pod sets hostProcess: true, so its containers run directly on the Windows node.', messageId: 'pod', fixes: [] }],
    },
    {
      name: 'container-level hostProcess in an init container (flow style)',
      yaml: `apiVersion: v1
kind: Pod
metadata: {name: win}
spec:
  os: {name: windows}
  hostNetwork: true
  initContainers:
    - {name: setup, image: setup:1.0, securityContext: {windowsOptions: {hostProcess: true}}}
  containers:
    - {name: app, image: app:1.0}
`,
      findings: [{ line: 7, column: 86, endLine: 7, endColumn: 90, message: 'Init container "setup" sets hostProcess: true, so it runs directly on the Windows node.', messageId: 'container', fixes: [] }],
    },
  ],
};
