import { effectiveGrants, grantsData, rbacGraph, serviceAccountIdentity, serviceAccountsNamed, serviceAccountUse, tokenMount, RBAC_READS } from '../server/src/analysis/rbac';
import { editsOn } from '../server/src/fixes';
import { defineRule, setPath, WORKLOAD_KINDS, type FixSpec, type RuleCases } from '../server/src/rule-api';

const FALSE = 'automountServiceAccountToken: false';
const SETS_TRUE = ' (automountServiceAccountToken: true)';
const FIX = `Set ${FALSE} unless the app calls the API server.`;
/** Grants make the mounted token worth stealing: the message says so, and what it opens. */
const granted = (how: string) => `{{workload}} mounts the API token of ServiceAccount {{account}}${how}. The account is bound by {{bindings}}, which {{access}}: code running in the pod can use all of that. ${FIX}`;
const ungranted = (how: string) =>
  `{{workload}} mounts the API token of ServiceAccount {{account}}${how}. No binding in the workspace grants it anything, but the token still authenticates to the API server. ${FIX}`;

export default defineRule({
  meta: {
    id: 'service-account-token-automount',
    title: 'ServiceAccount token mounted into the pods',
    principle: 'credential-protection',
    severity: 'warning',
    kinds: WORKLOAD_KINDS,
    reads: RBAC_READS,
    messages: {
      grantedToken: granted(''),
      grantedTokenSetTrue: granted(SETS_TRUE),
      token: ungranted(''),
      tokenSetTrue: ungranted(SETS_TRUE),
    },
    docs: {
      what: 'A workload\'s pods get their ServiceAccount\'s API token mounted: the pod spec does not set `automountServiceAccountToken: false`, and neither does the ServiceAccount (a `false` on the ServiceAccount counts unless the pod spec sets `true`, as the kubelet decides). The message says what the account can do; findings for accounts that some binding grants permissions are the ones to fix first.',
      why: 'The token is a bearer credential for the API server, readable by any process in every container of the pod: a remote code execution or a path traversal in the application hands it to the attacker, with every permission bound to the account. Most applications never call the Kubernetes API and need no token at all.',
      fix: 'Set `automountServiceAccountToken: false` on the pod spec, or on the ServiceAccount for every pod that uses it (both quick fixes are offered). A workload that does call the API keeps the token and should get a ServiceAccount bound to the fewest verbs and resources it needs.',
      peers: { polaris: ['automountServiceAccountToken'], trivy: ['KSV-0036'], checkov: ['CKV_K8S_38'], kubescape: ['C-0034', 'C-0190', 'C-0261'] },
      links: ['https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/#opt-out-of-api-credential-automounting'],
    },
  },
  check(resource, { report, workspace }) {
    const use = serviceAccountUse(resource, workspace);
    const pod = resource.podSpec;
    if (!use || !pod) return;
    const accounts = serviceAccountsNamed(workspace, use.namespace, use.name);
    const mount = tokenMount(pod, accounts);
    if (!mount.mounted) return;
    const grants = effectiveGrants(rbacGraph(workspace).grantsTo(serviceAccountIdentity(use.namespace, use.name)));
    const messageId = grants.length ? (mount.podValue ? 'grantedTokenSetTrue' : 'grantedToken') : mount.podValue ? 'tokenSetTrue' : 'token';
    const data = { workload: resource.label, account: use.name, ...(grants.length ? grantsData(grants) : {}) };
    const fixes = (): FixSpec[] => {
      const changesBehaviour = { removes: [`the token volume of ServiceAccount ${use.name}`] };
      const own: FixSpec = { title: `Set ${FALSE} on the pod spec`, edits: setPath(pod.spec, ['automountServiceAccountToken'], 'false'), changesBehaviour };
      // The ServiceAccount's setting only counts when the pod does not set its own.
      const account = mount.podValue ? undefined : accounts.find((a) => a.uri === resource.uri);
      const accountEdits = account && editsOn(resource, account, setPath(account.root, ['automountServiceAccountToken'], 'false'));
      return accountEdits ? [own, { title: `Set ${FALSE} on ServiceAccount ${use.name}`, edits: accountEdits, changesBehaviour }] : [own];
    };
    const besideIt = mount.podValue ? [] : accounts.filter((a) => a.uri === resource.uri && a.parsed.doc !== resource.parsed.doc);
    report({ node: mount.podValue ?? use.node ?? pod.anchor, messageId, data, fixes, fixesReach: besideIt, ...(grants.length ? {} : { severity: 'info' as const }) });
  },
});

export const cases: RuleCases = {
  valid: [
    {
      name: 'false on the pod spec; false on the ServiceAccount (in another file) when the pod does not decide',
      yaml: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  automountServiceAccountToken: false
  containers: [{name: web, image: nginx:1.27}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: shop}
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      serviceAccountName: api
      containers: [{name: api, image: shop/api:1}]
`,
      workspace: {
        'file:///sa.yaml': `apiVersion: v1
kind: ServiceAccount
metadata: {name: api, namespace: shop}
automountServiceAccountToken: false
`,
      },
    },
    {
      name: 'the ServiceAccount is an item of a List document and turns the token off',
      yaml: `apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: ServiceAccount
    metadata: {name: batch}
    automountServiceAccountToken: false
---
apiVersion: batch/v1
kind: Job
metadata: {name: once}
spec:
  template:
    spec:
      serviceAccountName: batch
      restartPolicy: Never
      containers: [{name: once, image: once:1}]
`,
    },
  ],
  invalid: [
    {
      name: 'an account bound to a role that lists secrets: the chain is in the message; the ServiceAccount in the same file gets the second fix',
      yaml: `apiVersion: v1
kind: ServiceAccount
metadata:
  name: api
  namespace: shop
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: shop
spec:
  selector:
    matchLabels: {app: api}
  template:
    metadata:
      labels: {app: api}
    spec:
      serviceAccountName: api   # one account per workload
      containers:
        - name: api
          image: shop/api:1.4
`,
      workspace: {
        'file:///rbac.yaml': `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: api-rw, namespace: shop}
rules: [{apiGroups: [""], resources: [secrets], verbs: [list]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: api-rw, namespace: shop}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: api-rw}
subjects: [{kind: ServiceAccount, name: api}]
`,
      },
      findings: [
        {
          line: 18, column: 26, endLine: 18, endColumn: 29, message: 'Deployment/api mounts the API token of ServiceAccount api. The account is bound by RoleBinding api-rw to Role api-rw, which can list secrets: code running in the pod can use all of that. Set automountServiceAccountToken: false unless the app calls the API server.', messageId: 'grantedToken',
          fixes: [
            {
              title: 'Set automountServiceAccountToken: false on the pod spec',
              changesBehaviour: { removes: ['the token volume of ServiceAccount api'] },
              output: `apiVersion: v1
kind: ServiceAccount
metadata:
  name: api
  namespace: shop
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: shop
spec:
  selector:
    matchLabels: {app: api}
  template:
    metadata:
      labels: {app: api}
    spec:
      serviceAccountName: api   # one account per workload
      containers:
        - name: api
          image: shop/api:1.4
      automountServiceAccountToken: false
`,
            },
            {
              title: 'Set automountServiceAccountToken: false on ServiceAccount api',
              changesBehaviour: { removes: ['the token volume of ServiceAccount api'] },
              output: `apiVersion: v1
kind: ServiceAccount
metadata:
  name: api
  namespace: shop
automountServiceAccountToken: false
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: shop
spec:
  selector:
    matchLabels: {app: api}
  template:
    metadata:
      labels: {app: api}
    spec:
      serviceAccountName: api   # one account per workload
      containers:
        - name: api
          image: shop/api:1.4
`,
            },
          ],
        },
      ],
    },
    {
      name: 'the pod spec sets true, overriding the ServiceAccount\'s false; no bindings: the lighter message',
      yaml: `apiVersion: v1
kind: Pod
metadata: {name: exporter, namespace: monitoring}
spec:
  serviceAccountName: exporter
  automountServiceAccountToken: true
  containers: [{name: exporter, image: exporter:1}]
`,
      workspace: {
        'file:///sa.yaml': `apiVersion: v1
kind: ServiceAccount
metadata: {name: exporter, namespace: monitoring}
automountServiceAccountToken: false
`,
      },
      findings: [
        {
          line: 5, column: 32, endLine: 5, endColumn: 36, message: 'Pod/exporter mounts the API token of ServiceAccount exporter (automountServiceAccountToken: true). No binding in the workspace grants it anything, but the token still authenticates to the API server. Set automountServiceAccountToken: false unless the app calls the API server.', messageId: 'tokenSetTrue',
          fixes: [
            {
              title: 'Set automountServiceAccountToken: false on the pod spec',
              changesBehaviour: { removes: ['the token volume of ServiceAccount exporter'] },
              output: `apiVersion: v1
kind: Pod
metadata: {name: exporter, namespace: monitoring}
spec:
  serviceAccountName: exporter
  automountServiceAccountToken: false
  containers: [{name: exporter, image: exporter:1}]
`,
            },
          ],
        },
      ],
    },
    {
      name: 'no ServiceAccount at all (default), init container only, flow style',
      yaml: `apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent}
spec:
  selector: {matchLabels: {app: agent}}
  template: {metadata: {labels: {app: agent}}, spec: {initContainers: [{name: init, image: busybox}], containers: [{name: agent, image: agent:1}]}}
`,
      findings: [
        {
          line: 5, column: 47, endLine: 5, endColumn: 51, message: 'DaemonSet/agent mounts the API token of ServiceAccount default', messageId: 'token',
          fixes: [
            {
              title: 'Set automountServiceAccountToken: false on the pod spec',
              changesBehaviour: { removes: ['the token volume of ServiceAccount default'] },
              output: `apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent}
spec:
  selector: {matchLabels: {app: agent}}
  template: {metadata: {labels: {app: agent}}, spec: {initContainers: [{name: init, image: busybox}], containers: [{name: agent, image: agent:1}], automountServiceAccountToken: false}}
`,
            },
          ],
        },
      ],
    },
    {
      name: 'the pod spec sets true for an account a binding grants: the chain and the explicit setting are in the message',
      yaml: `apiVersion: v1
kind: Pod
metadata: {name: operator, namespace: ops}
spec:
  serviceAccountName: operator
  automountServiceAccountToken: true   # the operator watches Pods
  containers: [{name: operator, image: operator:2}]
`,
      workspace: {
        'file:///rbac.yaml': `apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: operator-view, namespace: ops}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
subjects: [{kind: ServiceAccount, name: operator}]
`,
      },
      findings: [
        {
          line: 5, column: 32, endLine: 5, endColumn: 36, message: 'Pod/operator mounts the API token of ServiceAccount operator (automountServiceAccountToken: true). The account is bound by RoleBinding operator-view to ClusterRole view (built-in), which can get, list, watch configmaps, endpoints, persistentvolumeclaims, persistentvolumeclaims/status, … and 7 more rules: code running in the pod can use all of that. Set automountServiceAccountToken: false unless the app calls the API server.', messageId: 'grantedTokenSetTrue',
          fixes: [
            {
              title: 'Set automountServiceAccountToken: false on the pod spec',
              changesBehaviour: { removes: ['the token volume of ServiceAccount operator'] },
              output: `apiVersion: v1
kind: Pod
metadata: {name: operator, namespace: ops}
spec:
  serviceAccountName: operator
  automountServiceAccountToken: false   # the operator watches Pods
  containers: [{name: operator, image: operator:2}]
`,
            },
          ],
        },
      ],
    },
  ],
};
