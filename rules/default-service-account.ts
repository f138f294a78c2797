import { accessSummary, BINDING_KINDS, bindingLabel, bindingRuleSet, bindingsIn, describeRole, effectiveGrants, grantsData, rbacGraph, serviceAccountIdentity, serviceAccountUse, subjectApplies, RBAC_READS } from '../server/src/analysis/rbac';
import { dedicatedServiceAccountFix } from '../server/src/fixes';
import { defineRule, WORKLOAD_KINDS, type RuleCases } from '../server/src/rule-api';

/** A workload's message: whether it names the account (`serviceAccountName`) and whether bindings grant the account anything. */
const runsAsDefault = (shared: string, grants: string) =>
  `{{workload}} runs as the default ServiceAccount of namespace {{namespace}}. ${shared}${grants}. Give it a dedicated ServiceAccount.`;
const NAMED = 'Every pod without its own ServiceAccount shares that identity';
const UNNAMED = 'It sets no serviceAccountName, and every pod without its own ServiceAccount shares that identity';
const GRANTS = ', and the account is bound by {{bindings}}, which {{access}}';

export default defineRule({
  meta: {
    id: 'default-service-account',
    title: 'Workload runs as, or binding grants to, the default ServiceAccount',
    principle: 'least-privilege',
    severity: 'warning',
    kinds: [...WORKLOAD_KINDS, ...BINDING_KINDS],
    reads: RBAC_READS,
    messages: {
      runsAsDefault: runsAsDefault(NAMED, ''),
      runsAsDefaultUnnamed: runsAsDefault(UNNAMED, ''),
      runsAsGrantedDefault: runsAsDefault(NAMED, GRANTS),
      runsAsGrantedDefaultUnnamed: runsAsDefault(UNNAMED, GRANTS),
      bindingToDefault: '{{binding}} grants a role to the default ServiceAccount of namespace {{namespace}}. Every pod there without its own ServiceAccount gets {{role}}, which {{access}}. Bind a dedicated ServiceAccount instead.',
    },
    docs: {
      what: 'A workload runs as its namespace\'s `default` ServiceAccount (no `serviceAccountName`, or `default`), or a RoleBinding/ClusterRoleBinding grants a role to a `default` ServiceAccount.',
      why: 'Every pod that names no ServiceAccount shares the `default` identity of its namespace, so nothing can tell the workloads apart: a permission granted to one is granted to all, audit logs cannot say which workload acted, and workload identity (cloud IAM, mesh policies) cannot be scoped. A binding to `default` silently extends to every pod created later in that namespace.',
      fix: 'Give each workload its own ServiceAccount (the quick fix adds one, without an automounted token, and sets `serviceAccountName`) and bind roles to that account, never to `default`.',
      peers: { kubeLinter: ['default-service-account'], checkov: ['CKV_K8S_41', 'CKV_K8S_42'], kubescape: ['C-0189'] },
      links: ['https://kubernetes.io/docs/concepts/security/service-accounts/#default-service-accounts'],
    },
  },
  check(resource, { report, workspace }) {
    const graph = rbacGraph(workspace);
    const use = serviceAccountUse(resource, workspace);
    if (use && use.name === 'default') {
      const pod = resource.podSpec!;
      const grants = effectiveGrants(graph.grantsTo(serviceAccountIdentity(use.namespace, 'default')));
      const data = { workload: resource.label, namespace: use.namespace };
      report({
        node: use.node ?? pod.anchor,
        ...(grants.length
          ? { messageId: use.node ? 'runsAsGrantedDefault' : 'runsAsGrantedDefaultUnnamed', data: { ...data, ...grantsData(grants) } }
          : { messageId: use.node ? 'runsAsDefault' : 'runsAsDefaultUnnamed', data }),
        fixes: () => [dedicatedServiceAccountFix(resource, pod, workspace)],
      });
    }
    for (const binding of bindingsIn(resource, workspace)) {
      const role = graph.roleOf(binding);
      for (const subject of binding.subjects) {
        if (subject.kind !== 'ServiceAccount' && subject.kind !== 'User') continue;
        const namespace = subject.kind === 'ServiceAccount' ? subject.namespace : /^system:serviceaccount:([^:]+):default$/.exec(subject.name)?.[1];
        if (namespace === undefined || !subjectApplies(subject, serviceAccountIdentity(namespace, 'default'))) continue;
        report({
          node: subject.node,
          messageId: 'bindingToDefault',
          data: { binding: bindingLabel(binding), role: describeRole(role, binding.roleRef), namespace, access: accessSummary([bindingRuleSet(graph, binding)]) },
        });
      }
    }
  },
});

export const cases: RuleCases = {
  valid: [
    {
      name: 'a workload with its own ServiceAccount, and a binding to it',
      yaml: `apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: shop}
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      serviceAccountName: api
      containers: [{name: api, image: shop/api:1.4}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: api, namespace: shop}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: api}
subjects: [{kind: ServiceAccount, name: api}]
`,
    },
    {
      name: 'the deprecated serviceAccount field still names the account; a User called default is not the ServiceAccount',
      yaml: `apiVersion: v1
kind: Pod
metadata: {name: legacy}
spec:
  serviceAccount: legacy
  containers: [{name: app, image: legacy:1}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: people}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
subjects: [{kind: User, name: default, apiGroup: rbac.authorization.k8s.io}]
`,
    },
  ],
  invalid: [
    {
      name: 'no serviceAccountName: the fix adds a ServiceAccount document and names it; the chain shows what default can do',
      yaml: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: redis-cart
  namespace: shop
spec:
  selector:
    matchLabels: {app: redis-cart}
  template:
    metadata:
      labels: {app: redis-cart}
    spec:
      # cache for the cart service
      containers:
        - name: redis
          image: redis:7.2
`,
      workspace: {
        'file:///rbac.yaml': `apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: default-reads-secrets, namespace: shop}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: edit}
subjects: [{kind: ServiceAccount, name: default}]
`,
      },
      findings: [
        {
          line: 11, column: 4, endLine: 11, endColumn: 8, message: 'Deployment/redis-cart runs as the default ServiceAccount of namespace shop. It sets no serviceAccountName, and every pod without its own ServiceAccount shares that identity, and the account is bound by RoleBinding default-reads-secrets to ClusterRole edit (built-in), which can impersonate serviceaccounts; create serviceaccounts/token; get, create pods/exec, pods/attach, pods/portforward and more. Give it a dedicated ServiceAccount.', messageId: 'runsAsGrantedDefaultUnnamed',
          fixes: [
            {
              title: 'Create a dedicated ServiceAccount for this workload',
              output: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: redis-cart
  namespace: shop
spec:
  selector:
    matchLabels: {app: redis-cart}
  template:
    metadata:
      labels: {app: redis-cart}
    spec:
      # cache for the cart service
      containers:
        - name: redis
          image: redis:7.2
      serviceAccountName: redis-cart
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: redis-cart
  namespace: shop
automountServiceAccountToken: false
`,
            },
          ],
        },
      ],
    },
    {
      name: 'explicit default in a flow-style CronJob (second document) whose name is taken by another account, and bindings to default by ServiceAccount and by user name',
      yaml: `apiVersion: v1
kind: ServiceAccount
metadata: {name: report}
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: report}
spec:
  schedule: "0 3 * * *"
  jobTemplate:
    spec:
      template:
        spec: {serviceAccountName: default, restartPolicy: OnFailure, containers: [{name: r, image: report:2}]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: default-view}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
subjects:
  - {kind: ServiceAccount, name: default, namespace: jobs}
  - {kind: User, name: "system:serviceaccount:jobs:default", apiGroup: rbac.authorization.k8s.io}`,
      findings: [
        {
          line: 12, column: 35, endLine: 12, endColumn: 42, message: 'CronJob/report runs as the default ServiceAccount of namespace default. Every pod without its own ServiceAccount shares that identity. Give it a dedicated ServiceAccount.', messageId: 'runsAsDefault',
          fixes: [
            {
              title: 'Create a dedicated ServiceAccount for this workload',
              output: `apiVersion: v1
kind: ServiceAccount
metadata: {name: report}
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: report}
spec:
  schedule: "0 3 * * *"
  jobTemplate:
    spec:
      template:
        spec: {serviceAccountName: report-sa, restartPolicy: OnFailure, containers: [{name: r, image: report:2}]}
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: report-sa
automountServiceAccountToken: false
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: default-view}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
subjects:
  - {kind: ServiceAccount, name: default, namespace: jobs}
  - {kind: User, name: "system:serviceaccount:jobs:default", apiGroup: rbac.authorization.k8s.io}`,
            },
          ],
        },
        { line: 19, column: 33, endLine: 19, endColumn: 40, message: 'ClusterRoleBinding default-view grants a role to the default ServiceAccount of namespace jobs. Every pod there without its own ServiceAccount gets ClusterRole view (built-in), which can get, list, watch configmaps, endpoints, persistentvolumeclaims, persistentvolumeclaims/status, … and 7 more rules. Bind a dedicated ServiceAccount instead.', messageId: 'bindingToDefault', fixes: [] },
        { line: 20, column: 23, endLine: 20, endColumn: 59, message: 'to the default ServiceAccount of namespace jobs', messageId: 'bindingToDefault', fixes: [] },
      ],
    },
    {
      name: 'a Pod without serviceAccountName in a namespace where default has no grants, and one naming default where a binding grants it',
      yaml: `apiVersion: v1
kind: Pod
metadata: {name: shell, namespace: tools}
spec:
  containers: [{name: sh, image: busybox:1.36}]
---
apiVersion: v1
kind: Pod
metadata: {name: agent, namespace: ops}
spec:
  serviceAccountName: default
  containers: [{name: agent, image: agent:1.0}]
`,
      workspace: {
        'file:///rbac.yaml': `apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: default-view, namespace: ops}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
subjects: [{kind: ServiceAccount, name: default}]
`,
      },
      findings: [
        {
          line: 3, column: 0, endLine: 3, endColumn: 4, message: 'Pod/shell runs as the default ServiceAccount of namespace tools. It sets no serviceAccountName, and every pod without its own ServiceAccount shares that identity. Give it a dedicated ServiceAccount.', messageId: 'runsAsDefaultUnnamed',
          fixes: [{ title: 'Create a dedicated ServiceAccount for this workload', output: `apiVersion: v1
kind: Pod
metadata: {name: shell, namespace: tools}
spec:
  containers: [{name: sh, image: busybox:1.36}]
  serviceAccountName: shell
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: shell
  namespace: tools
automountServiceAccountToken: false
---
apiVersion: v1
kind: Pod
metadata: {name: agent, namespace: ops}
spec:
  serviceAccountName: default
  containers: [{name: agent, image: agent:1.0}]
` }],
        },
        {
          line: 10, column: 22, endLine: 10, endColumn: 29, message: 'Pod/agent runs as the default ServiceAccount of namespace ops. Every pod without its own ServiceAccount shares that identity, and the account is bound by RoleBinding default-view to ClusterRole view (built-in), which can get, list, watch configmaps, endpoints, persistentvolumeclaims, persistentvolumeclaims/status, … and 7 more rules. Give it a dedicated ServiceAccount.', messageId: 'runsAsGrantedDefault',
          fixes: [{ title: 'Create a dedicated ServiceAccount for this workload', output: `apiVersion: v1
kind: Pod
metadata: {name: shell, namespace: tools}
spec:
  containers: [{name: sh, image: busybox:1.36}]
---
apiVersion: v1
kind: Pod
metadata: {name: agent, namespace: ops}
spec:
  serviceAccountName: agent
  containers: [{name: agent, image: agent:1.0}]
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: agent
  namespace: ops
automountServiceAccountToken: false
` }],
        },
      ],
    },
  ],
};
