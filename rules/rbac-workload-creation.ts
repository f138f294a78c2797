import { permissionHits, describeRequests, ROLE_AND_BINDING_KINDS, WORKLOAD_CREATION, RBAC_READS } from '../server/src/analysis/rbac';
import { defineRule, ROLE_OBJECT_KINDS, roleGrantsCheck, type RuleCases } from '../server/src/rule-api';

export default defineRule({
  meta: {
    id: 'rbac-workload-creation',
    title: 'RBAC allows creating pods or workloads',
    principle: 'least-privilege',
    severity: 'warning',
    kinds: ROLE_AND_BINDING_KINDS,
    reads: RBAC_READS,
    admission: {
      subject: 'object',
      kinds: ROLE_OBJECT_KINDS,
      validations: () => [roleGrantsCheck([WORKLOAD_CREATION], 'can create pods or controllers of pods: a pod it creates can run as any ServiceAccount of the namespace and mount its Secrets. Keep workload creation to deployment tooling.')],
    },
    docs: {
      what: 'A Role or ClusterRole rule allows `create` on pods or on a controller that creates pods (Deployments, ReplicaSets, StatefulSets, DaemonSets, Jobs, CronJobs, ReplicationControllers), or a binding grants a built-in role that does (`edit`, `admin`, `cluster-admin`).',
      why: 'Whoever can create a pod chooses its ServiceAccount, its volumes and its image: they can run code as any ServiceAccount of the namespace and mount any of its Secrets, so they effectively hold the permissions of all of them. Pod Security admission limits what the pod may do on the node, not which identity it uses.',
      fix: 'Give workload creation only to deployment tooling (a CD controller, CI) and to people, never to application ServiceAccounts; keep it in namespaces whose ServiceAccounts hold little.',
      peers: { kubeLinter: ['access-to-create-pods'], trivy: ['KSV-0048'], kubescape: ['C-0188'] },
      links: ['https://kubernetes.io/docs/concepts/security/rbac-good-practices/#workload-creation'],
    },
  },
  check(resource, { report, workspace }) {
    for (const hit of permissionHits(resource, workspace, WORKLOAD_CREATION)) {
      report({
        node: hit.node,
        message: `${hit.lead} ${describeRequests(hit.granted)}: a pod it creates can run as any ServiceAccount of the namespace and mount its Secrets, so it holds their permissions too. ${hit.roleRule ? 'Keep workload creation to deployment tooling' : 'Bind a role without workload creation'}.`,
      });
    }
  },
});

export const cases: RuleCases = {
  valid: [
    {
      name: 'scaling and patching existing workloads, and creating pod evictions',
      yaml: `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: scaler}
rules:
  - apiGroups: ["apps"]
    resources: ["deployments/scale", "deployments"]
    verbs: ["get", "update", "patch"]
  - apiGroups: [""]
    resources: ["pods/eviction"]
    verbs: ["create"]
`,
    },
    {
      name: 'create on named deployments never allows create (a create request has no name)',
      yaml: `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: named}
rules:
  - apiGroups: ["apps"]
    resources: ["deployments"]
    resourceNames: ["web"]
    verbs: ["create", "update"]
`,
    },
  ],
  invalid: [
    {
      name: 'creating Jobs (argo-cd server style), in the last rule',
      yaml: `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: argocd-server
rules:
- apiGroups: [""]
  resources: ["pods", "pods/log"]
  verbs: ["get"]
- apiGroups:
  - batch
  resources:
  - jobs
  verbs:
  - create
`,
      findings: [{ line: 11, column: 4, endLine: 11, endColumn: 8, message: 'ClusterRole argocd-server (rules[1]) can create jobs', fixes: [] }],
    },
    {
      name: '`*` verbs on apps and core resources, and a RoleBinding of the built-in edit role, in a RoleBindingList',
      yaml: `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: operator}
rules:
  - {apiGroups: ["apps"], resources: ["statefulsets"], verbs: ["*"]}
  - {apiGroups: [""], resources: ["*"], verbs: ["create"]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBindingList
items:
  - apiVersion: rbac.authorization.k8s.io/v1
    kind: RoleBinding
    metadata: {name: ci, namespace: shop}
    roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: edit}
    subjects: [{kind: ServiceAccount, name: ci}]
`,
      findings: [
        { line: 4, column: 38, endLine: 4, endColumn: 52, message: 'Role operator (rules[0]) can create statefulsets', fixes: [] },
        { line: 5, column: 34, endLine: 5, endColumn: 37, message: 'Role operator (rules[1]) can create pods, replicationcontrollers', fixes: [] },
        { line: 13, column: 76, endLine: 13, endColumn: 80, message: 'RoleBinding ci binds ClusterRole edit (built-in) to ServiceAccount shop/ci, which can create pods, replicationcontrollers', fixes: [] },
      ],
    },
  ],
};
