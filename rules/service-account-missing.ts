import { effectiveGrants, grantsData, rbacGraph, serviceAccountIdentity, serviceAccountsNamed, serviceAccountUse, RBAC_READS } from '../server/src/analysis/rbac';
import { appendServiceAccount } from '../server/src/fixes';
import { defineRule, WORKLOAD_KINDS, type RuleCases } from '../server/src/rule-api';

const CONSEQUENCE = 'Its pods are rejected until someone creates it outside review. Add the ServiceAccount to the manifests.';

export default defineRule({
  meta: {
    id: 'service-account-missing',
    title: 'Workload names a ServiceAccount defined nowhere',
    principle: 'least-privilege',
    severity: 'info',
    kinds: WORKLOAD_KINDS,
    reads: RBAC_READS,
    messages: {
      undefinedAccount: `{{workload}} runs as ServiceAccount {{account}}, which no manifest defines in namespace {{namespace}}. ${CONSEQUENCE}`,
      undefinedBoundAccount: `{{workload}} runs as ServiceAccount {{account}}, which no manifest defines in namespace {{namespace}}. It is already bound by {{bindings}}, which {{access}}. ${CONSEQUENCE}`,
    },
    docs: {
      what: 'A workload\'s `serviceAccountName` (or deprecated `serviceAccount`) names a ServiceAccount that no manifest of the workspace defines in the workload\'s namespace. `default` always exists and is left to `default-service-account`.',
      why: 'Pods that name a missing ServiceAccount are rejected until someone creates it, out of band and unreviewed, with whatever token settings and bindings they choose; identity should be declared next to the workload so its permissions can be reviewed together.',
      fix: 'Add the ServiceAccount to the manifests (the quick fix adds one without an automounted token after the workload), or correct the name.',
      peers: { kubeLinter: ['non-existent-service-account'], kubescape: ['C-0307'] },
      links: ['https://kubernetes.io/docs/concepts/security/service-accounts/'],
    },
  },
  check(resource, { report, workspace }) {
    const use = serviceAccountUse(resource, workspace);
    if (!use?.node || use.name === 'default' || serviceAccountsNamed(workspace, use.namespace, use.name).length) return;
    // Bindings may already name the account: then whoever creates it gets their grants.
    const grants = effectiveGrants(rbacGraph(workspace).grantsTo(serviceAccountIdentity(use.namespace, use.name)));
    const data = { workload: resource.label, account: use.name, namespace: use.namespace };
    report({
      node: use.node,
      ...(grants.length ? { messageId: 'undefinedBoundAccount', data: { ...data, ...grantsData(grants) } } : { messageId: 'undefinedAccount', data }),
      fixes: () => [{ title: `Create ServiceAccount ${use.name} (without an automounted token)`, edits: [appendServiceAccount(resource, use.name)] }],
    });
  },
});

export const cases: RuleCases = {
  valid: [
    {
      name: 'the account is defined in another file of the same namespace; default needs no definition',
      yaml: `apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: shop}
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      serviceAccountName: api
      containers: [{name: api, image: shop/api:1}]
---
apiVersion: v1
kind: Pod
metadata: {name: debug}
spec:
  serviceAccountName: default
  containers: [{name: debug, image: busybox}]
`,
      workspace: { 'file:///sa.yaml': 'apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: api, namespace: shop}\n' },
    },
    {
      name: 'defined without a namespace, which is the default namespace the workload also lands in',
      yaml: `apiVersion: v1
kind: ServiceAccount
metadata: {name: worker}
---
apiVersion: batch/v1
kind: Job
metadata: {name: work}
spec:
  template:
    spec: {serviceAccountName: worker, restartPolicy: Never, containers: [{name: w, image: w:1}]}
`,
    },
  ],
  invalid: [
    {
      name: 'the account exists, but in another namespace',
      yaml: `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
  namespace: data
spec:
  serviceName: db
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      serviceAccountName: db   # created by the platform team?
      containers: [{name: db, image: postgres:16}]
`,
      workspace: {
        'file:///sa.yaml': 'apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: db, namespace: other}\n',
        'file:///rbac.yaml': 'apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: db, namespace: data}\nroleRef: {kind: ClusterRole, name: view}\nsubjects: [{kind: ServiceAccount, name: db}]\n',
      },
      findings: [
        {
          line: 11, column: 26, endLine: 11, endColumn: 28, message: 'StatefulSet/db runs as ServiceAccount db, which no manifest defines in namespace data. It is already bound by RoleBinding db to ClusterRole view (built-in), which can get, list, watch configmaps, endpoints, persistentvolumeclaims, persistentvolumeclaims/status, … and 7 more rules. Its pods are rejected until someone creates it outside review. Add the ServiceAccount to the manifests.', messageId: 'undefinedBoundAccount',
          fixes: [
            {
              title: 'Create ServiceAccount db (without an automounted token)',
              output: `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
  namespace: data
spec:
  serviceName: db
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      serviceAccountName: db   # created by the platform team?
      containers: [{name: db, image: postgres:16}]
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: db
  namespace: data
automountServiceAccountToken: false
`,
            },
          ],
        },
      ],
    },
    {
      name: 'the deprecated serviceAccount field, first of two documents, CRLF',
      yaml: 'apiVersion: v1\r\nkind: Pod\r\nmetadata:\r\n    name: legacy\r\nspec:\r\n    serviceAccount: legacy\r\n    containers:\r\n    - name: app\r\n      image: legacy:1\r\n---\r\napiVersion: v1\r\nkind: ConfigMap\r\nmetadata: {name: c}\r\n',
      findings: [
        {
          line: 5, column: 20, endLine: 5, endColumn: 26, message: 'Pod/legacy runs as ServiceAccount legacy', messageId: 'undefinedAccount',
          fixes: [
            {
              title: 'Create ServiceAccount legacy (without an automounted token)',
              output: 'apiVersion: v1\r\nkind: Pod\r\nmetadata:\r\n    name: legacy\r\nspec:\r\n    serviceAccount: legacy\r\n    containers:\r\n    - name: app\r\n      image: legacy:1\r\n---\r\napiVersion: v1\r\nkind: ServiceAccount\r\nmetadata:\r\n    name: legacy\r\nautomountServiceAccountToken: false\r\n---\r\napiVersion: v1\r\nkind: ConfigMap\r\nmetadata: {name: c}\r\n',
            },
          ],
        },
      ],
    },
  ],
};
