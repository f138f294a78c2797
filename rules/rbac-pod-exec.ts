import { permissionHits, POD_EXEC, ROLE_AND_BINDING_KINDS, RBAC_READS } from '../server/src/analysis/rbac';
import { defineRule, ROLE_OBJECT_KINDS, roleGrantsCheck, type RuleCases } from '../server/src/rule-api';

const SHELL = 'a shell or tunnel into pods, with their ServiceAccount tokens and Secrets';
const WHY = `That is ${SHELL}`;
const NODE_PROXY = 'nodes/proxy reaches every pod of a node through the kubelet, bypassing admission and audit';
const BIND = 'Bind a role without exec, attach and port-forward';

export default defineRule({
  meta: {
    id: 'rbac-pod-exec',
    title: 'RBAC allows exec, attach or port-forward into pods',
    principle: 'least-privilege',
    severity: 'warning',
    kinds: ROLE_AND_BINDING_KINDS,
    reads: RBAC_READS,
    messages: {
      role: `{{where}} can {{requests}}. ${WHY}. Remove it from roles that workloads hold.`,
      roleNodeProxy: `{{where}} can {{requests}}. ${WHY}; ${NODE_PROXY}. Remove it from roles that workloads hold.`,
      binding: `{{binding}} lets its subjects exec into pods. Through {{role}}, {{subjects}} can {{requests}}: ${SHELL}. ${BIND}.`,
      bindingNodeProxy: `{{binding}} lets its subjects exec into pods. Through {{role}}, {{subjects}} can {{requests}}: ${SHELL}; ${NODE_PROXY}. ${BIND}.`,
    },
    admission: {
      subject: 'object',
      kinds: ROLE_OBJECT_KINDS,
      validations: () => [roleGrantsCheck([POD_EXEC], `allows exec, attach or port-forward into pods (or nodes/proxy). ${WHY}. Remove it from roles that workloads hold.`)],
    },
    docs: {
      what: 'A Role or ClusterRole rule allows `pods/exec`, `pods/attach`, `pods/portforward` or `nodes/proxy` (through `create` or `get`; `*/exec` counts), or a binding grants a built-in role that does (`edit`, `admin`).',
      why: 'Exec and attach give a shell in any pod in scope, with that pod\'s ServiceAccount token, mounted Secrets and network position; port-forward reaches ports no NetworkPolicy lets the subject reach; `nodes/proxy` talks to the kubelet directly and can exec into every pod on a node, bypassing admission and audit. Before Kubernetes 1.31 a websocket exec, attach or port-forward needed only `get`, and `get` on `nodes/proxy` still reaches the kubelet\'s exec endpoint, so `get` counts as well as `create`.',
      fix: 'Remove these subresources from roles that workloads hold; give interactive debugging to people through a separate, audited role bound only when needed. A grant that only a `*` gives is reported by rbac-wildcard instead (one finding for the rule, naming it), and a binding of a role equivalent to `cluster-admin` by rbac-cluster-admin-binding.',
      peers: { polaris: ['clusterrolePodExecAttach', 'rolePodExecAttach', 'clusterrolebindingPodExecAttach', 'rolebindingClusterRolePodExecAttach', 'rolebindingRolePodExecAttach'], trivy: ['KSV-0047', 'KSV-0053', 'KSV-0054'], checkov: ['CKV2_K8S_2'], kubescape: ['C-0002', 'C-0063', 'C-0279'] },
      links: ['https://kubernetes.io/docs/concepts/security/rbac-good-practices/#kubelet-api'],
    },
  },
  check(resource, { report, workspace }) {
    for (const hit of permissionHits(resource, workspace, POD_EXEC)) {
      const nodeProxy = hit.granted.some((p) => p.resource === 'nodes');
      const messageId = hit.roleRule ? (nodeProxy ? 'roleNodeProxy' : 'role') : nodeProxy ? 'bindingNodeProxy' : 'binding';
      report({ node: hit.node, messageId, data: hit.data });
    }
  },
});

export const cases: RuleCases = {
  valid: [
    {
      name: 'reading pods and their logs; nodes/proxy in a Role grants nothing (cluster-scoped)',
      yaml: `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: log-reader}
rules:
  - apiGroups: [""]
    resources: ["pods", "pods/log"]
    verbs: ["get", "list", "watch"]
  - apiGroups: [""]
    resources: ["nodes/proxy"]
    verbs: ["get"]
`,
    },
    {
      name: '`pods/*` is not a pattern the API server knows; exec in another API group is not pod exec',
      yaml: `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: odd}
rules:
  - apiGroups: [""]
    resources: ["pods/*"]
    verbs: ["create"]
  - apiGroups: ["kubevirt.io"]
    resources: ["pods/exec"]
    verbs: ["create"]
`,
    },
    {
      name: 'exec granted only through `*` verbs or a `*` resource is rbac-wildcard\'s finding',
      yaml: `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: broad, namespace: shop}
rules:
  - {apiGroups: [""], resources: ["pods/exec"], verbs: ["*"]}
  - {apiGroups: [""], resources: ["*"], verbs: ["create"]}
`,
    },
  ],
  invalid: [
    {
      name: 'exec and attach in one rule: one finding at the first, naming both',
      yaml: `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: debugger
  namespace: shop
rules:
- apiGroups: [""]
  resources: ["pods"]
  verbs: ["get", "list"]
- apiGroups: [""]
  resources:
  - pods/exec
  - pods/attach
  verbs: ["create"]
`,
      findings: [{ line: 11, column: 4, endLine: 11, endColumn: 13, message: 'Role debugger (rules[1]) can create pods/exec, pods/attach. That is a shell or tunnel into pods', messageId: 'role', fixes: [] }],
    },
    {
      name: '`*/exec`, get on nodes/proxy in a ClusterRole, and a ClusterRoleBinding of the built-in admin role',
      yaml: `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: node-debug}
rules:
  - {apiGroups: [""], resources: ["*/exec"], verbs: ["get"]}
  - {apiGroups: [""], resources: ["nodes/proxy"], verbs: ["get"]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: ops-admin}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: admin}
subjects: [{kind: Group, name: ops, apiGroup: rbac.authorization.k8s.io}]
`,
      findings: [
        { line: 4, column: 34, endLine: 4, endColumn: 42, message: 'ClusterRole node-debug (rules[0]) can get pods/exec. That is a shell', messageId: 'role', fixes: [] },
        { line: 5, column: 34, endLine: 5, endColumn: 47, message: 'can get nodes/proxy. That is a shell or tunnel into pods, with their ServiceAccount tokens and Secrets; nodes/proxy reaches every pod', messageId: 'roleNodeProxy', fixes: [] },
        { line: 10, column: 72, endLine: 10, endColumn: 77, message: 'ClusterRoleBinding ops-admin lets its subjects exec into pods. Through ClusterRole admin (built-in), Group ops can get, create pods/exec, pods/attach, pods/portforward: a shell or tunnel into pods, with their ServiceAccount tokens and Secrets. Bind a role without exec, attach and port-forward.', messageId: 'binding', fixes: [] },
      ],
    },
    {
      name: 'a ClusterRoleBinding of the built-in system:kubelet-api-admin role: nodes/proxy, through the kubelet',
      yaml: `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: apiserver-kubelet}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: system:kubelet-api-admin}
subjects: [{kind: User, name: kube-apiserver-kubelet-client, apiGroup: rbac.authorization.k8s.io}]
`,
      findings: [
        { line: 3, column: 72, endLine: 3, endColumn: 96, message: 'ClusterRoleBinding apiserver-kubelet lets its subjects exec into pods. Through ClusterRole system:kubelet-api-admin (built-in), User kube-apiserver-kubelet-client can create, get nodes/proxy: a shell or tunnel into pods, with their ServiceAccount tokens and Secrets; nodes/proxy reaches every pod of a node through the kubelet, bypassing admission and audit.', messageId: 'bindingNodeProxy', fixes: [] },
      ],
    },
  ],
};
