import { BINDING_KINDS, bindingLabel, bindingRuleSet, bindingsIn, describeRole, describeSubjects, hasFullAccess, rbacGraph, RBAC_READS } from '../server/src/analysis/rbac';
import { defineRule, type RuleCases } from '../server/src/rule-api';

export default defineRule({
  meta: {
    id: 'rbac-cluster-admin-binding',
    title: 'Binding grants cluster-admin or an equivalent role',
    principle: 'least-privilege',
    severity: 'error',
    kinds: BINDING_KINDS,
    reads: RBAC_READS,
    docs: {
      what: 'A RoleBinding or ClusterRoleBinding with subjects references `cluster-admin`, or any role whose effective rules (aggregation resolved) allow `*` verbs on `*` resources of `*` API groups.',
      why: 'Such a binding gives its subjects every permission: through a ClusterRoleBinding, the whole cluster (every Secret, every node through its pods, RBAC itself); through a RoleBinding, everything in the namespace, its Secrets and RoleBindings included. A workload token with that much power turns any compromise of the workload into a compromise of everything it can reach.',
      fix: 'Bind a role that lists only the verbs and resources the subjects use. For a controller, start from the resources it manages; for people, prefer the built-in `view`/`edit` roles in a namespace and just-in-time elevation.',
      peers: { kubeLinter: ['cluster-admin-role-binding'], polaris: ['clusterrolebindingClusterAdmin', 'rolebindingClusterAdminClusterRole', 'rolebindingClusterAdminRole'], trivy: ['KSV-0111'], kubescape: ['C-0035', 'C-0272'] },
      links: ['https://kubernetes.io/docs/concepts/security/rbac-good-practices/#least-privilege'],
    },
  },
  check(resource, { report, workspace }) {
    const graph = rbacGraph(workspace);
    for (const binding of bindingsIn(resource, workspace)) {
      const role = graph.roleOf(binding);
      if (!role || binding.subjects.length === 0 || !binding.roleRef.node) continue;
      if (!hasFullAccess([bindingRuleSet(graph, binding)])) continue;
      const reach = binding.namespace === undefined ? 'full control of the cluster' : `full control of namespace ${binding.namespace}, its Secrets and RoleBindings included`;
      const how = role.name === 'cluster-admin' ? '' : ` (its rules allow \`*\` on \`*\`)`;
      report({
        node: binding.roleRef.node,
        message: `${bindingLabel(binding)} binds ${describeRole(role, binding.roleRef)}${how} to ${describeSubjects(binding, workspace)}: ${reach}. Bind a role that lists only the verbs and resources the subjects use.`,
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
      findings: [{ line: 7, column: 8, endLine: 7, endColumn: 21, message: 'ClusterRoleBinding ci-admin binds ClusterRole cluster-admin (built-in) to ServiceAccount build/ci (used by Deployment/runner): full control of the cluster', fixes: [] }],
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
        { line: 16, column: 72, endLine: 16, endColumn: 86, message: 'RoleBinding app-controller binds ClusterRole app-controller (its rules allow `*` on `*`) to ServiceAccount argocd/app-controller: full control of namespace argocd', fixes: [] },
        { line: 22, column: 72, endLine: 22, endColumn: 75, message: 'ClusterRoleBinding ops binds ClusterRole ops (its rules allow `*` on `*`) to Group ops: full control of the cluster', fixes: [] },
      ],
    },
  ],
};
