import { BINDING_KINDS, bindingLabel, bindingRuleSet, bindingsIn, describeSubjects, hasFullAccess, rbacGraph, RBAC_READS } from '../server/src/analysis/rbac';
import { defineRule, type RuleCases } from '../server/src/rule-api';

const FULL_CONTROL = 'It gives {{subjects}} full control of {{scope}}, its Secrets and role bindings included';
const HOW = 'Bind a role that lists only the verbs and resources the subjects use';

export default defineRule({
  meta: {
    id: 'rbac-cluster-admin-binding',
    title: 'Binding grants cluster-admin or an equivalent role',
    principle: 'least-privilege',
    severity: 'error',
    kinds: BINDING_KINDS,
    reads: RBAC_READS,
    messages: {
      clusterAdmin: `{{binding}} grants cluster-admin. ${FULL_CONTROL}. ${HOW}.`,
      clusterAdminRestored: `{{binding}} grants cluster-admin. ${FULL_CONTROL}. The workspace redefines cluster-admin, but without the annotation rbac.authorization.kubernetes.io/autoupdate: "false" the API server restores its built-in rules at every start. ${HOW}.`,
      equivalent: `{{binding}} grants the equivalent of cluster-admin. The rules of {{role}} allow every standard verb on every resource of every API group. ${FULL_CONTROL}. ${HOW}.`,
    },
    docs: {
      what: 'A RoleBinding or ClusterRoleBinding with subjects references `cluster-admin`, or a role equivalent to it, as the API server resolves the role.',
      why: 'A role is equivalent to `cluster-admin` when its effective rules (aggregation resolved, several rules together) allow each of the standard verbs `get`, `list`, `watch`, `create`, `update`, `patch`, `delete` and `deletecollection` (or `*`) on `resources: ["*"]` of `apiGroups: ["*"]`, without `resourceNames`; `escalate`, `bind`, `impersonate` and `nonResourceURLs` are not required. Built-in role names resolve as the API server resolves them: it reconciles `cluster-admin`, `admin`, `edit`, `view` and the `system:` roles at every start, adding back every built-in rule the stored definition lacks and keeping the rest, so a workspace definition of such a name counts together with the built-in rules, unless it carries the annotation `rbac.authorization.kubernetes.io/autoupdate: "false"`.\n\nSuch a binding gives its subjects every permission: through a ClusterRoleBinding, the whole cluster (every Secret, every node through its pods, RBAC itself); through a RoleBinding, everything in the namespace, its Secrets and RoleBindings included. The missing special verbs change nothing: whoever reads every Secret, execs into every pod and creates pods as any ServiceAccount already holds every permission any of them has. A workload token with that much power turns any compromise of the workload into a compromise of everything it can reach. Redefining `cluster-admin` in a manifest with fewer rules does not make its bindings safe: the API server restores the built-in rules.',
      fix: 'Bind a role that lists only the verbs and resources the subjects use. For a controller, start from the resources it manages; for people, prefer the built-in `view`/`edit` roles in a namespace and just-in-time elevation.',
      peers: { kubeLinter: ['cluster-admin-role-binding'], polaris: ['clusterrolebindingClusterAdmin', 'rolebindingClusterAdminClusterRole', 'rolebindingClusterAdminRole'], trivy: ['KSV-0111'], kubescape: ['C-0035', 'C-0272'] },
      links: ['https://kubernetes.io/docs/concepts/security/rbac-good-practices/#least-privilege', 'https://kubernetes.io/docs/reference/access-authn-authz/rbac/#auto-reconciliation'],
    },
  },
  check(resource, { report, workspace }) {
    const graph = rbacGraph(workspace);
    for (const binding of bindingsIn(resource, workspace)) {
      const role = graph.roleOf(binding);
      if (!role || binding.subjects.length === 0 || !binding.roleRef.node) continue;
      if (!hasFullAccess([bindingRuleSet(graph, binding)])) continue;
      const named = role.kind === 'ClusterRole' && role.name === 'cluster-admin';
      report({
        node: binding.roleRef.node,
        messageId: !named ? 'equivalent' : role.builtIn && role.objects.length ? 'clusterAdminRestored' : 'clusterAdmin',
        data: {
          binding: bindingLabel(binding),
          role: `${role.kind} ${role.name}`,
          subjects: describeSubjects(binding, workspace),
          scope: binding.namespace === undefined ? 'the cluster' : `namespace ${binding.namespace}`,
        },
      });
    }
  },
});

export const cases: RuleCases = {
  valid: [
    {
      name: 'a binding to a scoped ClusterRole, and a cluster-admin binding without subjects (grants nothing)',
      yaml: `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: metrics}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: system:monitoring}
subjects: [{kind: ServiceAccount, name: prometheus, namespace: monitoring}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: placeholder}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
`,
    },
    {
      name: 'a role with `*` verbs and API groups but listed resources is not `*` on `*`',
      yaml: `apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: operator, namespace: monitoring}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: operator}
subjects: [{kind: ServiceAccount, name: operator}]
`,
      workspace: {
        'file:///role.yaml': `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: operator, namespace: monitoring}
rules:
  - {apiGroups: ["*"], resources: ["statefulsets", "configmaps"], verbs: ["*"]}
`,
      },
    },
    {
      name: 'a workspace cluster-admin with harmless rules and autoupdate "false": the API server keeps it as written',
      yaml: `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: ci-admin}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
subjects: [{kind: ServiceAccount, name: ci, namespace: build}]
`,
      workspace: {
        'file:///cluster-admin.yaml': `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: cluster-admin
  annotations: {rbac.authorization.kubernetes.io/autoupdate: "false"}
rules:
  - {apiGroups: [""], resources: [configmaps], verbs: [get]}
`,
      },
    },
    {
      name: 'every standard verb but deletecollection on `*` of `*`, and all verbs on `*` of the core group only: not equivalent',
      yaml: `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: almost}
rules:
  - {apiGroups: ["*"], resources: ["*"], verbs: [get, list, watch, create, update, patch, delete]}
  - {apiGroups: [""], resources: ["*"], verbs: ["*"]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: almost}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: almost}
subjects: [{kind: Group, name: ops, apiGroup: rbac.authorization.k8s.io}]
`,
    },
  ],
  invalid: [
    {
      name: 'a ClusterRoleBinding to cluster-admin for a workload ServiceAccount defined in another file',
      yaml: `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: ci-admin
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: cluster-admin   # temporary, until the pipeline's role is written
subjects:
  - kind: ServiceAccount
    name: ci
    namespace: build
`,
      workspace: {
        'file:///ci.yaml': `apiVersion: apps/v1
kind: Deployment
metadata: {name: runner, namespace: build}
spec:
  selector: {matchLabels: {app: runner}}
  template:
    metadata: {labels: {app: runner}}
    spec:
      serviceAccountName: ci
      containers: [{name: runner, image: ci/runner:1}]
`,
      },
      findings: [{ line: 7, column: 8, endLine: 7, endColumn: 21, message: 'ClusterRoleBinding ci-admin grants cluster-admin. It gives ServiceAccount build/ci (used by Deployment/runner) full control of the cluster, its Secrets and role bindings included. Bind a role that lists only the verbs and resources the subjects use.', messageId: 'clusterAdmin', fixes: [] }],
    },
    {
      name: 'a RoleBinding to a workspace ClusterRole with `*` on `*` (argo-cd application controller style), and to an aggregated role that collects it',
      yaml: `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: app-controller, labels: {example.com/aggregate-to-ops: "true"}}
rules:
  - {apiGroups: ["*"], resources: ["*"], verbs: ["*"]}
  - {nonResourceURLs: ["*"], verbs: ["*"]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: ops}
aggregationRule:
  clusterRoleSelectors: [{matchLabels: {example.com/aggregate-to-ops: "true"}}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: app-controller, namespace: argocd}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: app-controller}
subjects: [{kind: ServiceAccount, name: app-controller}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: ops}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: ops}
subjects: [{kind: Group, name: ops, apiGroup: rbac.authorization.k8s.io}]
`,
      findings: [
        { line: 16, column: 72, endLine: 16, endColumn: 86, message: 'RoleBinding app-controller grants the equivalent of cluster-admin. The rules of ClusterRole app-controller allow every standard verb on every resource of every API group. It gives ServiceAccount argocd/app-controller full control of namespace argocd, its Secrets and role bindings included. Bind a role that lists only the verbs and resources the subjects use.', messageId: 'equivalent', fixes: [] },
        { line: 22, column: 72, endLine: 22, endColumn: 75, message: 'ClusterRoleBinding ops grants the equivalent of cluster-admin. The rules of ClusterRole ops allow every standard verb on every resource of every API group. It gives Group ops full control of the cluster, its Secrets and role bindings included. Bind a role that lists only the verbs and resources the subjects use.', messageId: 'equivalent', fixes: [] },
      ],
    },
    {
      name: 'a workspace cluster-admin with harmless rules but no autoupdate "false": the API server restores the built-in rules',
      yaml: `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: cluster-admin}
rules:
  - {apiGroups: [""], resources: [configmaps], verbs: [get]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: ci-admin}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
subjects: [{kind: ServiceAccount, name: ci, namespace: build}]
`,
      findings: [
        {
          line: 9, column: 72, endLine: 9, endColumn: 85,
          message: 'ClusterRoleBinding ci-admin grants cluster-admin. It gives ServiceAccount build/ci full control of the cluster, its Secrets and role bindings included. The workspace redefines cluster-admin, but without the annotation rbac.authorization.kubernetes.io/autoupdate: "false" the API server restores its built-in rules at every start. Bind a role that lists only the verbs and resources the subjects use.', messageId: 'clusterAdminRestored',
          fixes: [],
        },
      ],
    },
    {
      name: 'a role equivalent to cluster-admin: read verbs and write verbs on `*` of `*` in two rules, no escalate, bind or impersonate',
      yaml: `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: operator}
rules:
  - apiGroups: ["*"]
    resources: ["*"]
    verbs: [get, list, watch]
  - apiGroups: ["*"]
    resources: ["*"]
    verbs: [create, update, patch, delete, deletecollection]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: operator}
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: operator
subjects:
  - {kind: ServiceAccount, name: operator, namespace: ops}
  - {kind: User, name: alice}
  - {kind: Group, name: sre}
`,
      findings: [
        {
          line: 17, column: 8, endLine: 17, endColumn: 16,
          message: 'ClusterRoleBinding operator grants the equivalent of cluster-admin. The rules of ClusterRole operator allow every standard verb on every resource of every API group. It gives ServiceAccount ops/operator, User alice and 1 more subject full control of the cluster, its Secrets and role bindings included. Bind a role that lists only the verbs and resources the subjects use.', messageId: 'equivalent',
          fixes: [],
        },
      ],
    },
  ],
};
