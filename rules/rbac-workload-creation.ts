import { permissionHits, ROLE_AND_BINDING_KINDS, WORKLOAD_CREATION, RBAC_READS } from '../server/src/analysis/rbac';
import { defineRule, ROLE_OBJECT_KINDS, roleGrantsCheck, type RuleCases } from '../server/src/rule-api';

const WHY = 'A new or changed pod template picks its ServiceAccount, image and volumes, so this runs code as any ServiceAccount of the namespace and mounts its Secrets';

export default defineRule({
  meta: {
    id: 'rbac-workload-creation',
    title: 'RBAC allows creating pods or workloads',
    principle: 'least-privilege',
    severity: 'warning',
    kinds: ROLE_AND_BINDING_KINDS,
    reads: RBAC_READS,
    messages: {
      role: `{{where}} can {{requests}}. ${WHY}. Keep creating and changing workloads to deployment tooling.`,
      binding: `{{binding}} lets its subjects create or change workloads. Through {{role}}, {{subjects}} can {{requests}}. ${WHY}. Bind a role that cannot create or change workloads.`,
    },
    admission: {
      subject: 'object',
      kinds: ROLE_OBJECT_KINDS,
      validations: () => [roleGrantsCheck([WORKLOAD_CREATION], 'can create pods or controllers of pods: a pod it creates can run as any ServiceAccount of the namespace and mount its Secrets. Keep workload creation to deployment tooling.')],
    },
    docs: {
      what: 'A Role or ClusterRole rule allows `create`, `update` or `patch` on pods or on anything with a pod template (Deployments, ReplicaSets, StatefulSets, DaemonSets, Jobs, CronJobs, ReplicationControllers), `update`/`patch` even when limited by `resourceNames`, or a binding grants a built-in role that does (`edit`, `admin`).',
      why: 'Whoever can create a pod, or change the pod template of a workload, chooses its ServiceAccount, its volumes and its image: they can run code as any ServiceAccount of the namespace and mount any of its Secrets, so they effectively hold the permissions of all of them. Changing one named Deployment is enough. Pod Security admission limits what the pod may do on the node, not which identity it uses.',
      fix: 'Give workload creation and changes only to deployment tooling (a CD controller, CI) and to people, never to application ServiceAccounts; keep it in namespaces whose ServiceAccounts hold little. To let something scale workloads, grant the `scale` subresource (`deployments/scale`), which changes no pod template. A grant that only a `*` gives is reported by rbac-wildcard instead (one finding for the rule, naming it).',
      peers: { kubeLinter: ['access-to-create-pods'], trivy: ['KSV-0048'], kubescape: ['C-0188'] },
      links: ['https://kubernetes.io/docs/concepts/security/rbac-good-practices/#workload-creation'],
    },
  },
  check(resource, { report, workspace }) {
    for (const hit of permissionHits(resource, workspace, WORKLOAD_CREATION)) {
      report({ node: hit.node, messageId: hit.roleRule ? 'role' : 'binding', data: hit.data });
    }
  },
});

export const cases: RuleCases = {
  valid: [
    {
      name: 'scaling existing workloads (the scale subresource changes no pod template), and creating pod evictions',
      yaml: `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: scaler}
rules:
  - apiGroups: ["apps"]
    resources: ["deployments/scale", "statefulsets/scale"]
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
    verbs: ["create", "get"]
`,
    },
    {
      name: 'workload creation granted only through `*` verbs or `*` resources is rbac-wildcard\'s finding',
      yaml: `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: operator}
rules:
  - {apiGroups: ["apps"], resources: ["statefulsets"], verbs: ["*"]}
  - {apiGroups: [""], resources: ["*"], verbs: ["create"]}
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
      findings: [{ line: 11, column: 4, endLine: 11, endColumn: 8, message: 'ClusterRole argocd-server (rules[1]) can create jobs. A new or changed pod template picks its ServiceAccount, image and volumes', messageId: 'role', fixes: [] }],
    },
    {
      name: 'patch and update on Deployments change their pod template, also for one named Deployment',
      yaml: `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: deployer, namespace: shop}
rules:
  - apiGroups: ["apps"]
    resources: ["deployments", "deployments/scale"]
    verbs: ["get", "patch"]
  - apiGroups: ["apps"]
    resources: ["deployments"]
    resourceNames: ["web"]   # only the web Deployment
    verbs: ["update"]
`,
      findings: [
        { line: 5, column: 16, endLine: 5, endColumn: 29, message: 'Role deployer (rules[0]) can patch deployments. A new or changed pod template', messageId: 'role', fixes: [] },
        { line: 8, column: 16, endLine: 8, endColumn: 29, message: 'Role deployer (rules[1]) can update deployments. A new or changed pod template picks its ServiceAccount, image and volumes, so this runs code as any ServiceAccount of the namespace and mounts its Secrets. Keep creating and changing workloads to deployment tooling.', messageId: 'role', fixes: [] },
      ],
    },
    {
      name: 'a RoleBinding of the built-in edit role, in a RoleBindingList: the resources cut short in the first sentence',
      yaml: `apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBindingList
items:
  - apiVersion: rbac.authorization.k8s.io/v1
    kind: RoleBinding
    metadata: {name: ci, namespace: shop}
    roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: edit}
    subjects: [{kind: ServiceAccount, name: ci}]
`,
      findings: [
        { line: 6, column: 76, endLine: 6, endColumn: 80, message: 'RoleBinding ci lets its subjects create or change workloads. Through ClusterRole edit (built-in), ServiceAccount shop/ci can create, update, patch pods, replicationcontrollers, deployments and 5 more. A new or changed pod template picks its ServiceAccount, image and volumes, so this runs code as any ServiceAccount of the namespace and mounts its Secrets. Bind a role that cannot create or change workloads.', messageId: 'binding', fixes: [] },
      ],
    },
  ],
};
